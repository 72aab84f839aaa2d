/**
 * Agent config files in HCL (Nomad's agent config language), read through
 * the HCL front end (src/hcl) that job files use, so problems name the field
 * and line the same way job files do. Unknown names are errors;
 * Nomad settings drover does not use are warnings.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { decodeSpec, type ObjectSpec } from '../../model/config-spec.js';
import { ValidationError, errorMessage, type FieldProblem } from '../../model/errors.js';
import { BodyReader, readHcl, type LevelNames } from '../../hcl/index.js';
import type { ClientConfig, PartialAgentConfig } from './agent-config.js';
import type { GcConfig } from './gc-config.js';
import type { HostVolumeConfig } from '../../model/index.js';
import { bridgeSettings } from '../../taskrunner/network/bridge-conflist.js';
import { MAX_VALID_PORT, parsePortRanges } from './port-ranges.js';
import { DEFAULT_TEMPLATE_CLIENT_CONFIG, type TemplateClientConfig } from '../../taskrunner/hooks/template-hook/client-config.js';

const TOP: LevelNames = {
  decoded: ['region', 'datacenter', 'name', 'data_dir', 'plugin_dir', 'bind_addr', 'ports', 'acl', 'client', 'plugin', 'limits', 'server'],
  ignored: [
    'log_level', 'log_json', 'log_file', 'log_rotate_bytes', 'log_rotate_duration', 'log_rotate_max_files', 'log_include_location',
    'enable_debug', 'addresses', 'advertise', 'telemetry', 'tls', 'consul', 'vault', 'leave_on_interrupt',
    'leave_on_terminate', 'enable_syslog', 'syslog_facility', 'disable_update_check', 'disable_anonymous_signature',
    'http_api_response_headers', 'ui', 'audit', 'sentinel', 'autopilot', 'reporting', 'keyring',
  ],
};
const PORTS: LevelNames = { decoded: ['http'], ignored: ['rpc', 'serf'] };
const ACL: LevelNames = { decoded: ['enabled'], ignored: ['token_ttl', 'policy_ttl', 'role_ttl', 'token_min_expiration_ttl', 'token_max_expiration_ttl', 'replication_token'] };
const LIMITS: LevelNames = { decoded: ['http_max_body_bytes'], ignored: ['https_handshake_timeout', 'http_max_conns_per_client', 'rpc_handshake_timeout', 'rpc_max_conns_per_client'] };
const CLIENT: LevelNames = {
  decoded: [
    'enabled', 'meta', 'chroot_env', 'node_class', 'node_pool', 'user', 'stats', 'min_dynamic_port', 'max_dynamic_port', 'reserved',
    'cni_path', 'cni_config_dir', 'bridge_network_name', 'bridge_network_subnet', 'bridge_network_hairpin_mode', 'template', 'host_volume',
    'gc_interval', 'gc_disk_usage_threshold', 'gc_inode_usage_threshold', 'gc_max_allocs', 'cpu_total_compute', 'memory_total_mb', 'disk_free_mb',
    'options',
  ],
  ignored: [
    'state_dir', 'alloc_dir', 'alloc_mounts_dir', 'servers', 'server_join', 'network_interface', 'network_speed',
    'disk_total_mb', 'max_kill_timeout', 'gc_parallel_destroys', 'no_host_uuid', 'host_network', 'drain_on_shutdown', 'artifact', 'cgroup_parent',
    'reserved_ports', 'host_volumes_dir', 'common_plugin_dir', 'node_max_allocs', 'preferred_address_family', 'fingerprint',
  ],
};
/** server { }: drover is its own server; only the garbage collection settings apply on one node. */
const SERVER: LevelNames = {
  decoded: ['job_gc_interval', 'job_gc_threshold', 'eval_gc_threshold', 'batch_eval_gc_threshold', 'deployment_gc_threshold'],
  ignored: [
    'enabled', 'authoritative_region', 'bootstrap_expect', 'client_introduction', 'data_dir', 'protocol_version', 'raft_protocol', 'raft_multiplier',
    'num_schedulers', 'enabled_schedulers', 'node_gc_threshold', 'csi_volume_claim_gc_interval',
    'csi_volume_claim_gc_threshold', 'csi_plugin_gc_threshold', 'acl_token_gc_threshold', 'root_key_gc_interval', 'root_key_gc_threshold',
    'root_key_rotation_threshold', 'heartbeat_grace', 'min_heartbeat_ttl', 'max_heartbeats_per_second', 'failover_heartbeat_ttl', 'start_join',
    'retry_join', 'retry_max', 'retry_interval', 'rejoin_after_leave', 'non_voting_server', 'redundancy_zone', 'upgrade_version', 'encrypt',
    'server_join', 'default_scheduler_config', 'plan_rejection_tracker', 'plan_apply_pipeline', 'enable_event_broker', 'event_buffer_size',
    'license_path', 'search', 'deploy_query_rate_limit', 'raft_logstore', 'raft_boltdb', 'raft_snapshot_threshold', 'raft_snapshot_interval',
    'raft_trailing_logs', 'job_default_priority', 'job_max_priority', 'job_max_count', 'job_max_source_size', 'job_tracked_versions',
    'oidc_issuer', 'start_timeout', 'log_file', 'non_production',
  ],
};
/** client { template { } }: the settings drover's renderer uses; the Consul/Vault/Nomad retry and query ones do not apply. */
const CLIENT_TEMPLATE: LevelNames = {
  decoded: ['function_denylist', 'disable_file_sandbox', 'wait'],
  ignored: ['function_blacklist', 'block_query_wait', 'max_stale', 'wait_bounds', 'consul_retry', 'vault_retry', 'nomad_retry', 'use_client_consul_token'],
};
const TEMPLATE_WAIT: LevelNames = { decoded: ['min', 'max'], ignored: [] };
const CLIENT_USER: LevelNames = { decoded: ['denylist', 'checked_drivers'], ignored: [] };
const CLIENT_RESERVED: LevelNames = { decoded: ['reserved_ports', 'cpu', 'memory', 'disk'], ignored: ['cores'] };
const HOST_VOLUME: LevelNames = { decoded: ['path', 'read_only'], ignored: [] };
const CLIENT_STATS: LevelNames = { decoded: ['collection_interval'], ignored: [] };
const PLUGIN: LevelNames = { decoded: ['config', 'args'], ignored: [] };

/** Inputs besides the text. */
export interface ParseConfigOptions {
  /** Used in messages ("agent.hcl:3: ..."). */
  readonly file?: string;
  /** A built-in driver's plugin config schema, to check plugin blocks at load time; undefined for other plugins. */
  readonly pluginSchema?: (name: string) => ObjectSpec | undefined;
}

/** A decoded config file and its warnings. */
export interface ParsedAgentConfig {
  readonly config: PartialAgentConfig;
  readonly warnings: FieldProblem[];
}

/** Reads and decodes one agent config file. */
export async function loadAgentConfigFile(path: string, opts: Omit<ParseConfigOptions, 'file'> = {}): Promise<ParsedAgentConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ValidationError([{ field: '', file: path, message: `cannot read config file: ${(err as Error).message}` }]);
  }
  return parseAgentConfig(text, { ...opts, file: path });
}

/** Decodes agent config HCL; throws ValidationError listing every problem. */
export async function parseAgentConfig(text: string, opts: ParseConfigOptions = {}): Promise<ParsedAgentConfig> {
  const { body, report } = await readHcl(text, opts.file, 'agent.hcl');
  const r = new BodyReader(report, '', body, TOP, 'the agent config');
  const config: PartialAgentConfig = {
    region: r.string('region'),
    datacenter: r.string('datacenter'),
    name: r.string('name'),
    dataDir: r.string('data_dir'),
    pluginDir: r.string('plugin_dir'),
    bindAddr: r.string('bind_addr'),
  };
  const ports = sub(r, 'ports', PORTS);
  if (ports) config.httpPort = port(ports, 'http');
  const acl = sub(r, 'acl', ACL);
  if (acl) config.aclEnabled = acl.bool('enabled');
  const limits = sub(r, 'limits', LIMITS);
  if (limits) config.httpMaxBodyBytes = positive(limits, 'http_max_body_bytes');
  const client = sub(r, 'client', CLIENT);
  if (client) decodeClient(client, config);
  const server = sub(r, 'server', SERVER);
  config.gc = {
    ...(server ? serverGc(server) : {}),
    ...(client ? clientGc(client) : {}),
  };
  const plugins = decodePlugins(r, opts);
  config.plugins = plugins.configs;
  config.pluginArgs = plugins.args;
  if (report.errors.length > 0) throw new ValidationError(report.errors);
  return { config, warnings: report.warnings };
}

function decodeClient(c: BodyReader, config: PartialAgentConfig): void {
  if (c.bool('enabled') === false) c.report.error(c.field('enabled'), 'drover is always a client; client.enabled cannot be false');
  const user = sub(c, 'user', CLIENT_USER);
  const stats = sub(c, 'stats', CLIENT_STATS);
  const interval = stats?.duration('collection_interval');
  if (interval !== undefined) config.statsIntervalMs = Math.max(1, interval);
  const minDynamicPort = dynamicPortBound(c, 'min_dynamic_port');
  const maxDynamicPort = dynamicPortBound(c, 'max_dynamic_port');
  // Nomad's agent refuses an empty range at start (command/agent/command.go); here with the line.
  if (minDynamicPort !== undefined && maxDynamicPort !== undefined && minDynamicPort > maxDynamicPort) {
    c.report.error(c.field('min_dynamic_port'), `Invalid dynamic port range: min_dynamic_port=${minDynamicPort} and max_dynamic_port=${maxDynamicPort}`);
  }
  const reserved = sub(c, 'reserved', CLIENT_RESERVED);
  config.client = {
    meta: c.stringMap('meta'),
    chrootEnv: c.stringMap('chroot_env'),
    nodeClass: c.string('node_class'),
    nodePool: c.string('node_pool'),
    userDenylist: user?.stringList('denylist'),
    userCheckedDrivers: user?.stringList('checked_drivers'),
    envDenylist: envDenylist(c),
    minDynamicPort,
    maxDynamicPort,
    reservedPorts: reservedPorts(reserved),
    reservedCpu: nonNegative(reserved, 'cpu'),
    reservedMemoryMb: nonNegative(reserved, 'memory'),
    reservedDiskMb: nonNegative(reserved, 'disk'),
    cpuTotalCompute: nonNegative(c, 'cpu_total_compute'),
    memoryTotalMb: nonNegative(c, 'memory_total_mb'),
    diskFreeMb: nonNegative(c, 'disk_free_mb'),
    ...bridgeNetwork(c),
    cniPath: c.string('cni_path'),
    cniConfigDir: c.string('cni_config_dir'),
    template: clientTemplate(sub(c, 'template', CLIENT_TEMPLATE)),
    hostVolumes: hostVolumes(c),
  };
}

/** Client options this agent reads: Nomad's "env.denylist" (or the older "env.blacklist"); the others are warned about as ignored. */
const READ_OPTIONS = ['env.denylist', 'env.blacklist'];

/**
 * client { options { "env.denylist" = "A,B" } }: the host variables tasks do
 * not inherit, replacing Nomad's default list (as Nomad's ReadAlternativeDefault).
 */
function envDenylist(c: BodyReader): string[] | undefined {
  const options = c.stringMap('options');
  if (options === undefined) return undefined;
  const ignored = Object.keys(options).filter((k) => !READ_OPTIONS.includes(k));
  if (ignored.length > 0) c.report.warn(c.field('options'), `client options ${ignored.map((k) => JSON.stringify(k)).join(', ')} are ignored by drover`);
  const raw = options['env.denylist'] ?? options['env.blacklist'];
  return raw === undefined ? undefined : raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/** server { job_gc_interval job_gc_threshold eval_gc_threshold batch_eval_gc_threshold deployment_gc_threshold }: positive durations. */
function serverGc(s: BodyReader): Partial<GcConfig> {
  return {
    jobGcIntervalMs: positiveDuration(s, 'job_gc_interval'),
    jobGcThresholdMs: positiveDuration(s, 'job_gc_threshold'),
    evalGcThresholdMs: positiveDuration(s, 'eval_gc_threshold'),
    batchEvalGcThresholdMs: positiveDuration(s, 'batch_eval_gc_threshold'),
    deploymentGcThresholdMs: positiveDuration(s, 'deployment_gc_threshold'),
  };
}

/** client { gc_interval gc_max_allocs gc_disk_usage_threshold gc_inode_usage_threshold }, checked as Nomad's agent does. */
function clientGc(c: BodyReader): Partial<GcConfig> {
  const percent = (key: string): number | undefined => {
    const n = c.number(key);
    if (n !== undefined && (n < 0 || n > 100)) c.report.error(c.field(key), `${key} must be a percentage between 0 and 100, got ${n}`);
    return n;
  };
  return {
    clientGcIntervalMs: positiveDuration(c, 'gc_interval'),
    clientGcMaxAllocs: positive(c, 'gc_max_allocs'),
    clientGcDiskUsageThreshold: percent('gc_disk_usage_threshold'),
    clientGcInodeUsageThreshold: percent('gc_inode_usage_threshold'),
  };
}

function positiveDuration(r: BodyReader, key: string): number | undefined {
  const ms = r.duration(key);
  if (ms !== undefined && ms <= 0) r.report.error(r.field(key), `${key} must be a positive duration`);
  return ms;
}

/**
 * host_volume "name" { path read_only }: Nomad's agent refuses a missing path
 * (command.go) and its client one that is not an existing absolute directory
 * or file; both are checked here so the error names the line.
 */
function hostVolumes(c: BodyReader): Record<string, HostVolumeConfig> | undefined {
  const out: Record<string, HostVolumeConfig> = {};
  for (const l of c.labeled('host_volume', 'host_volume')) {
    if (l.occurrence > 0) {
      c.report.error(l.path, `duplicate host_volume "${l.label}" block`, l.linePath);
      continue;
    }
    const r = new BodyReader(c.report, l.path, l.body, HOST_VOLUME, 'host_volume');
    const path = r.string('path') ?? '';
    const readOnly = r.bool('read_only') ?? false;
    if (path === '') r.report.error(l.path, `Missing path in host_volume "${l.label}" config`);
    else if (!isAbsolute(path)) r.report.error(r.field('path'), `host_volume "${l.label}": path ${JSON.stringify(path)} must be absolute`);
    else if (!existsSync(path)) r.report.error(r.field('path'), `host_volume "${l.label}": path ${JSON.stringify(path)} does not exist`);
    out[l.label] = { path, readOnly };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** client { template { } } over Nomad's defaults; undefined when absent. */
function clientTemplate(t: BodyReader | undefined): TemplateClientConfig | undefined {
  if (!t) return undefined;
  const d = DEFAULT_TEMPLATE_CLIENT_CONFIG;
  const wait = sub(t, 'wait', TEMPLATE_WAIT);
  const minMs = wait?.duration('min') ?? d.wait.minMs;
  const maxMs = wait?.duration('max') ?? d.wait.maxMs;
  if (minMs > maxMs) t.report.error(t.field('wait'), `wait min ${minMs}ms is greater than max ${maxMs}ms`);
  return {
    functionDenylist: t.stringList('function_denylist') ?? d.functionDenylist,
    disableSandbox: t.bool('disable_file_sandbox') ?? d.disableSandbox,
    wait: { minMs, maxMs },
  };
}

/** bridge_network_* checked as the network hook will use them, so a bad value fails at load with its line. */
function bridgeNetwork(c: BodyReader): Partial<Pick<ClientConfig, 'bridgeNetworkName' | 'bridgeNetworkSubnet' | 'bridgeNetworkHairpinMode'>> {
  const values = { bridge_network_name: c.string('bridge_network_name'), bridge_network_subnet: c.string('bridge_network_subnet'), bridge_network_hairpin_mode: c.bool('bridge_network_hairpin_mode') };
  try {
    bridgeSettings(values);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    for (const p of err.problems) c.report.error(c.field(p.field.replace(/^client\./, '')), p.message);
  }
  return { bridgeNetworkName: values.bridge_network_name, bridgeNetworkSubnet: values.bridge_network_subnet, bridgeNetworkHairpinMode: values.bridge_network_hairpin_mode };
}

/** min_dynamic_port / max_dynamic_port: a port number (Nomad: 0..65536). */
function dynamicPortBound(c: BodyReader, key: string): number | undefined {
  const n = c.int(key);
  if (n !== undefined && (n < 1 || n >= MAX_VALID_PORT)) c.report.error(c.field(key), `Invalid dynamic port range: ${key}=${n} (ports are 1 to ${MAX_VALID_PORT - 1})`);
  return n;
}

/** A whole number of MHz or MB, 0 or more (reserved { cpu memory disk }, cpu_total_compute, ...). */
function nonNegative(r: BodyReader | undefined, key: string): number | undefined {
  const n = r?.int(key);
  if (r && n !== undefined && n < 0) r.report.error(r.field(key), `${key} must be 0 or more, got ${n}`);
  return n;
}

/** reserved { reserved_ports = "22,80,8500-8600" } in Nomad's port range syntax. */
function reservedPorts(r: BodyReader | undefined): number[] | undefined {
  const spec = r?.string('reserved_ports');
  if (r === undefined || spec === undefined) return undefined;
  try {
    return parsePortRanges(spec);
  } catch (err) {
    r.report.error(r.field('reserved_ports'), `reserved_ports ${JSON.stringify(spec)} invalid: ${errorMessage(err)}`);
    return undefined;
  }
}

function decodePlugins(r: BodyReader, opts: ParseConfigOptions): { configs: Record<string, Record<string, unknown>>; args: Record<string, string[]> } {
  const out: Record<string, Record<string, unknown>> = {};
  const args: Record<string, string[]> = {};
  for (const p of r.labeled('plugin', 'plugin')) {
    if (p.occurrence > 0) {
      r.report.error(p.path, `duplicate plugin "${p.label}" block`, p.linePath);
      continue;
    }
    const { args: argsValue, config: configValue, ...flat } = p.body;
    const pr = new BodyReader(r.report, p.path, { args: argsValue, config: configValue }, PLUGIN, 'plugin');
    const block = pr.block('config');
    const options = pluginOptions(pr, p.label, block, flat);
    const schema = opts.pluginSchema?.(p.label);
    if (schema && options) {
      for (const problem of decodeSpec(schema, options.config, options.path).problems) r.report.error(problem.field, problem.message);
    }
    out[p.label] = options?.config ?? {};
    const a = pr.stringList('args');
    if (a !== undefined) args[p.label] = a;
  }
  return { configs: out, args };
}

/**
 * A plugin's options: the `config {}` block, or (as Nomad's mock driver
 * documentation writes them) attributes directly in `plugin "NAME" {}`,
 * accepted with a warning because Nomad itself reads only `config {}`.
 * Both at once is an error at the first direct attribute; undefined then.
 */
function pluginOptions(
  pr: BodyReader,
  label: string,
  block: Record<string, unknown> | undefined,
  flat: Record<string, unknown>,
): { config: Record<string, unknown>; path: string } | undefined {
  // hcl2json sorts keys: order them as written, so the error points at the first one in the file.
  const line = (key: string): number => pr.report.locator.line(pr.field(key)) ?? 0;
  const direct = Object.keys(flat).sort((a, b) => line(a) - line(b));
  const first = direct[0];
  if (first === undefined) return { config: block ?? {}, path: pr.field('config') };
  if (block) {
    const configLine = pr.report.locator.line(pr.field('config'));
    pr.report.error(
      pr.field(first),
      `plugin "${label}" sets options both directly (${direct.join(', ')}) and in config {}${configLine === undefined ? '' : ` (line ${configLine})`}; put them all in config {}`,
    );
    return undefined;
  }
  pr.report.warn(pr.path, `options written directly in plugin "${label}" {} (${direct.join(', ')}) are accepted, but Nomad itself reads them only inside config { }`);
  return { config: flat, path: pr.path };
}

/** A nested block decoded with its own names, or undefined when absent. */
function sub(r: BodyReader, key: string, names: LevelNames): BodyReader | undefined {
  const body = r.block(key);
  return body ? new BodyReader(r.report, r.field(key), body, names, key) : undefined;
}

function port(r: BodyReader, key: string): number | undefined {
  const n = r.int(key);
  if (n !== undefined && (n < 0 || n > 65535)) r.report.error(r.field(key), `port must be between 0 and 65535, got ${n}`);
  return n;
}

function positive(r: BodyReader, key: string): number | undefined {
  const n = r.int(key);
  if (n !== undefined && n <= 0) r.report.error(r.field(key), `must be positive, got ${n}`);
  return n;
}
