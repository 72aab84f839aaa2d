/**
 * The agent's configuration (a subset of Nomad's agent config): where state
 * lives, where the HTTP API listens, driver plugin config, ACL and client
 * settings. Built from HCL files (parse-config.ts) and command-line flags.
 */
import type { PluginConfigs } from '../drivers.js';
import type { HostVolumeConfig } from '../../model/index.js';
import { DEFAULT_TEMPLATE_CLIENT_CONFIG, type TemplateClientConfig } from '../../taskrunner/hooks/template-hook/client-config.js';
import { DEFAULT_GC_CONFIG, type GcConfig } from './gc-config.js';

export interface ClientConfig {
  /** Node metadata: `${meta.KEY}` in jobs, Meta in /v1/node. */
  readonly meta: Readonly<Record<string, string>>;
  /** Host path → chroot path for the exec driver (Nomad's chroot_env); empty means Nomad's default set. */
  readonly chrootEnv: Readonly<Record<string, string>>;
  readonly nodeClass: string;
  readonly nodePool: string;
  /** Users tasks may not run as, for the drivers in checkedDrivers (Nomad's client.user block). */
  readonly userDenylist: readonly string[];
  readonly userCheckedDrivers: readonly string[];
  /**
   * Host variables tasks do not inherit (Nomad's client options "env.denylist"),
   * replacing Nomad's default list; undefined means that default (DEFAULT_ENV_DENYLIST).
   */
  readonly envDenylist?: readonly string[];
  /** The range dynamic ports are chosen from, inclusive (Nomad's min_dynamic_port / max_dynamic_port, 20000–32000). */
  readonly minDynamicPort: number;
  readonly maxDynamicPort: number;
  /** Host ports no allocation may take (Nomad's client.reserved.reserved_ports, parsed). */
  readonly reservedPorts: readonly number[];
  /** Bridge-mode networking (Nomad's bridge_network_name / _subnet / _hairpin_mode); "" means Nomad's default. */
  readonly bridgeNetworkName: string;
  readonly bridgeNetworkSubnet: string;
  readonly bridgeNetworkHairpinMode: boolean;
  /** CNI plugin directories, colon-separated (Nomad's cni_path; Debian's /usr/lib/cni is searched too). */
  readonly cniPath: string;
  /** Where `cni/<name>` network configs are read (Nomad's cni_config_dir). */
  readonly cniConfigDir: string;
  /** Nomad's client template { } block: what job templates may call and where they may read and write. */
  readonly template: TemplateClientConfig;
  /** client { host_volume "name" { path read_only } }, by name (Nomad's node HostVolumes). */
  readonly hostVolumes: Readonly<Record<string, HostVolumeConfig>>;
  /** client { reserved { cpu memory disk } }: what the scheduler keeps back from tasks (MHz, MiB, MB). */
  readonly reservedCpu: number;
  readonly reservedMemoryMb: number;
  readonly reservedDiskMb: number;
  /** Nomad's cpu_total_compute / memory_total_mb / disk_free_mb: override the fingerprint (0: use it). */
  readonly cpuTotalCompute: number;
  readonly memoryTotalMb: number;
  readonly diskFreeMb: number;
}

export interface AgentConfig {
  readonly dataDir: string;
  readonly region: string;
  readonly datacenter: string;
  /** Node name; the host name when empty. */
  readonly name: string;
  readonly bindAddr: string;
  /** 0 picks a free port (tests); the agent prints the one it got. */
  readonly httpPort: number;
  readonly pluginDir: string;
  /** plugin "NAME" { config { ... } } blocks, by plugin name. */
  readonly plugins: PluginConfigs;
  /** plugin "NAME" { args = [...] }: arguments for external plugins in pluginDir, by file name. */
  readonly pluginArgs: Readonly<Record<string, readonly string[]>>;
  readonly aclEnabled: boolean;
  readonly client: ClientConfig;
  /** Largest request body accepted; larger ones get 413. */
  readonly httpMaxBodyBytes: number;
  /** How often the task stats hook samples. */
  readonly statsIntervalMs: number;
  /** server { job_gc_* eval_gc_* } and client { gc_* }: what is collected, and when. */
  readonly gc: GcConfig;
}

/** Nomad's defaults (127.0.0.1 instead of Nomad's 0.0.0.0: loopback unless asked). */
export const DEFAULT_AGENT_CONFIG: Omit<AgentConfig, 'dataDir'> = {
  region: 'global',
  datacenter: 'dc1',
  name: '',
  bindAddr: '127.0.0.1',
  httpPort: 4646,
  pluginDir: '',
  plugins: {},
  pluginArgs: {},
  aclEnabled: false,
  client: {
    meta: {},
    chrootEnv: {},
    nodeClass: '',
    nodePool: 'default',
    userDenylist: [],
    userCheckedDrivers: [],
    minDynamicPort: 20_000,
    maxDynamicPort: 32_000,
    reservedPorts: [],
    bridgeNetworkName: '',
    bridgeNetworkSubnet: '',
    bridgeNetworkHairpinMode: false,
    cniPath: '',
    cniConfigDir: '',
    template: DEFAULT_TEMPLATE_CLIENT_CONFIG,
    hostVolumes: {},
    reservedCpu: 0,
    reservedMemoryMb: 0,
    reservedDiskMb: 0,
    cpuTotalCompute: 0,
    memoryTotalMb: 0,
    diskFreeMb: 0,
  },
  httpMaxBodyBytes: 8 * 1024 * 1024,
  statsIntervalMs: 1_000,
  gc: DEFAULT_GC_CONFIG,
};

/** What an HCL file sets; flags and later files override earlier ones. */
export type PartialAgentConfig = { -readonly [K in keyof AgentConfig]?: K extends 'client' ? Partial<ClientConfig> : K extends 'gc' ? Partial<GcConfig> : AgentConfig[K] };

/** Merges partial configs in order over the defaults. */
export function mergeConfigs(dataDir: string | undefined, parts: readonly PartialAgentConfig[]): Omit<AgentConfig, 'dataDir'> & { dataDir: string | undefined } {
  let out: Omit<AgentConfig, 'dataDir'> & { dataDir: string | undefined } = { ...DEFAULT_AGENT_CONFIG, dataDir: undefined };
  for (const p of parts) {
    const { client, plugins, pluginArgs, gc, ...rest } = p;
    out = {
      ...out,
      ...definedOnly(rest),
      plugins: { ...out.plugins, ...plugins },
      pluginArgs: { ...out.pluginArgs, ...pluginArgs },
      gc: { ...out.gc, ...definedOnly(gc ?? {}) },
      client: { ...out.client, ...definedOnly(client ?? {}), meta: { ...out.client.meta, ...client?.meta }, hostVolumes: { ...out.client.hostVolumes, ...client?.hostVolumes } },
    };
  }
  if (dataDir !== undefined) out = { ...out, dataDir };
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
