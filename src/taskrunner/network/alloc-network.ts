/**
 * An allocation's group network, made before its tasks start and removed
 * after they stop (Nomad's network hook: Prerun creates the namespace then
 * runs the configurator's Setup; Postrun runs Teardown, then destroys the
 * namespace even if Teardown failed). Modes (network_manager_linux.go):
 *  - "bridge": the namespace joined to the `nomad` bridge through the
 *    generated CNI list (bridge-conflist.ts), ports mapped by portmap;
 *  - "cni/<name>": the user's network list from cni_config_dir;
 *  - "none": the namespace alone. drover brings its `lo` up, which Nomad
 *    does not (hashicorp/nomad#10014: tasks in mode none had no loopback).
 * "host" needs no namespace and is the caller's no-op.
 *
 * Setups and teardowns of one AllocNetworks run one at a time, as Nomad's
 * synchronizedNetworkConfigurator does: concurrent bridge plugins can race
 * creating the bridge, which Nomad otherwise retries around.
 */
import { accessSync, constants } from 'node:fs';
import { createNetns, destroyNetns, listNetns, netnsExists, netnsLoopbackUp, netnsPath, type NetnsOptions } from '../../drivers/shared/netns.js';
import { DroverError, ErrorCode, ValidationError, errorMessage } from '../../model/errors.js';
import { isNetworkMode, normalNetworkMode } from '../../model/network-rules.js';
import { silentLogger, type Logger } from '../../model/logger.js';
import { bridgeConfList, bridgeSettings, ensureForwardingRules, type BridgeSettings } from './bridge-conflist.js';
import { DEFAULT_CNI_CONFIG_DIR, cniPluginDirs, loadCniConfList } from './cni-config.js';
import { CniInvoker, type CniRuntimeConf } from './cni-invoker.js';
import { parseCniResult, type CniConfList, type CniResult } from './cni-types.js';
import { sweepIptables } from './iptables-sweep.js';
import { DEFAULT_RECORD_DIR, readRecord, removeRecord, writeRecord, type NetworkRecord } from './network-record.js';
import { pickAddress, type AllocNetworkStatus, type AllocNetworkMode } from './network-status.js';
import { portMappings, type AllocPort } from './port-mappings.js';

/** The agent-level network settings (Nomad client config names in the comments). */
export interface AllocNetworksConfig {
  /** bridge_network_name / _subnet / _hairpin_mode, via bridgeSettings(); Nomad's defaults when absent. */
  readonly bridge?: BridgeSettings;
  /** cni_path: colon-separated plugin directories (Debian's /usr/lib/cni is always searched too). */
  readonly cniPath?: string;
  /** cni_config_dir: where `cni/<name>` networks are found. */
  readonly cniConfigDir?: string;
  /** cni_interface_prefix: the namespace's interface is `<prefix>0` (default "eth"). */
  readonly cniInterfacePrefix?: string;
  /** Map ports on every host address, ignoring each port's host IP (bind_wildcard_default_host_network). */
  readonly ignorePortMappingHostIp?: boolean;
  /** Where each allocation's network record is kept (default /var/lib/cni/drover). */
  readonly recordDir?: string;
  readonly netns?: NetnsOptions;
  /** Path of iptables (default: /usr/sbin/iptables when present). */
  readonly iptables?: string;
  readonly logger?: Logger;
}

/** One allocation's network request. */
export interface AllocNetworkRequest {
  readonly allocId: string;
  readonly mode: AllocNetworkMode;
  /** The group network's allocated ports (mapped in bridge and cni modes). */
  readonly ports?: readonly AllocPort[];
  readonly signal?: AbortSignal;
}

/** What the caller persisted of a status, for a teardown; all optional (the on-disk record fills in). */
export type SavedNetwork = Partial<Pick<AllocNetworkStatus, 'mode' | 'portMappings' | 'cniResult'>>;

/** Reads a group network's `mode`: "host" (no namespace) or one of the namespace modes. */
export function parseNetworkMode(mode: string | undefined): AllocNetworkMode | 'host' {
  const m = normalNetworkMode(mode);
  if (isNetworkMode(m)) return m;
  throw new ValidationError([{ field: 'network.mode', message: `unsupported network mode "${mode}" (host, bridge, none or cni/<name>)` }]);
}

/** Sets up and tears down allocations' group networks on this host. */
export class AllocNetworks {
  private readonly bridge: BridgeSettings;
  private readonly cni: CniInvoker;
  private readonly configDir: string;
  private readonly ifName: string;
  private readonly ignoreHostIp: boolean;
  private readonly recordDir: string;
  private readonly netns: NetnsOptions;
  private readonly iptables: string;
  private readonly logger: Logger;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(config: AllocNetworksConfig = {}) {
    this.bridge = config.bridge ?? bridgeSettings();
    this.cni = new CniInvoker(cniPluginDirs(config.cniPath));
    this.configDir = config.cniConfigDir || DEFAULT_CNI_CONFIG_DIR;
    this.ifName = `${config.cniInterfacePrefix || 'eth'}0`;
    this.ignoreHostIp = config.ignorePortMappingHostIp ?? false;
    this.recordDir = config.recordDir ?? DEFAULT_RECORD_DIR;
    this.netns = config.netns ?? {};
    this.iptables = config.iptables ?? findIptables();
    this.logger = config.logger ?? silentLogger;
  }

  /** The plugin directories searched, in order. */
  get pluginDirs(): readonly string[] {
    return this.cni.pluginDirs;
  }

  /**
   * Creates the allocation's namespace and configures it for `mode`. When
   * the namespace and its record already exist (an agent restarting over a
   * live allocation) the recorded network is adopted, not made again. On
   * failure everything made so far is removed before the error is thrown.
   */
  setup(req: AllocNetworkRequest): Promise<AllocNetworkStatus> {
    return this.serial(() => this.doSetup(req));
  }

  /**
   * Removes the allocation's network: CNI DEL (plugins in reverse, with the
   * ADD result), then the namespace, then the record. Works from the
   * allocation id alone (the record written at setup supplies the rest, and
   * `saved` stands in if the record is lost); a second call finds nothing
   * and succeeds. CNI failures are logged and the rest still runs, as in
   * Nomad's Postrun; iptables rules the DEL left are swept by alloc id.
   * Only a namespace that cannot be removed is thrown.
   */
  teardown(allocId: string, saved: SavedNetwork = {}, opts: { signal?: AbortSignal } = {}): Promise<void> {
    return this.serial(() => this.doTeardown(allocId, saved, opts.signal));
  }

  /** Allocation ids with a drover namespace on this host (for garbage collection after a crash). */
  listNamespaces(): Promise<string[]> {
    return listNetns(this.netns);
  }

  /** Tears down every drover namespace whose allocation is not in `live`; returns the ids removed. */
  async collectGarbage(live: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    for (const id of await this.listNamespaces()) {
      if (live.has(id)) continue;
      await this.teardown(id);
      removed.push(id);
    }
    return removed;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined); // the caller gets the error; the queue only orders
    return run;
  }

  private async doSetup(req: AllocNetworkRequest): Promise<AllocNetworkStatus> {
    const { allocId, mode } = req;
    const path = netnsPath(allocId);
    const confList = await this.confListFor(mode);
    const mappings = portMappings(req.ports ?? [], this.ignoreHostIp);

    const prior = await readRecord(this.recordDir, allocId);
    if (netnsExists(allocId) && prior !== undefined && prior.mode === mode && (mode === 'none' || prior.result !== undefined)) {
      this.logger.debug('adopting existing allocation network', { alloc_id: allocId, mode });
      return statusFromRecord(prior);
    }
    if (netnsExists(allocId) || prior !== undefined) await this.doTeardown(allocId, {}, req.signal);

    await createNetns(allocId, this.netns);
    const base: NetworkRecord = { kind: 'droverAllocNetworkV1', allocId, mode, netnsPath: path, ifName: this.ifName, portMappings: mappings, ...(confList ? { confList } : {}) };
    try {
      await writeRecord(this.recordDir, base);
      if (confList === undefined) {
        await netnsLoopbackUp(allocId, this.netns);
        return statusFromRecord(base);
      }
      if (mode === 'bridge') await ensureForwardingRules(this.bridge, this.iptables);
      // Each plugin's result is recorded as the chain goes, so a failure (or a crash) half-way still leaves
      // the teardown the address the firewall plugin's DEL needs to find its rules.
      const onResult = (r: CniResult): Promise<void> => writeRecord(this.recordDir, { ...base, result: r.raw });
      const result = await this.cni.addNetworkList(confList, this.runtime(base), { onResult, ...(req.signal ? { signal: req.signal } : {}) });
      const rec: NetworkRecord = { ...base, result: result.raw };
      const status = statusFromRecord(rec);
      await writeRecord(this.recordDir, rec);
      return status;
    } catch (err) {
      this.logger.warn('allocation network setup failed; removing what was made', { alloc_id: allocId, mode, error: errorMessage(err) });
      await this.doTeardown(allocId, {}, undefined).catch((cleanupErr: unknown) => {
        this.logger.error('cleanup after a failed network setup failed, resources may have leaked', { alloc_id: allocId, error: errorMessage(cleanupErr) });
      });
      throw err;
    }
  }

  private async doTeardown(allocId: string, saved: SavedNetwork, signal: AbortSignal | undefined): Promise<void> {
    const path = netnsPath(allocId);
    const rec = await this.recordFor(allocId, path, saved);
    if (rec?.confList !== undefined) {
      const hadNetns = netnsExists(allocId);
      const prev = rec.result === undefined ? undefined : parseCniResult(rec.result);
      let delFailed = false;
      try {
        await this.cni.delNetworkList(rec.confList, this.runtime(rec), prev, signal ? { signal } : {});
      } catch (err) {
        if (signal?.aborted) throw err;
        delFailed = true;
        this.logger.warn('failed to cleanup network for allocation, sweeping iptables by alloc id', { alloc_id: allocId, error: errorMessage(err) });
      }
      if (delFailed || !hadNetns) {
        const address = prev === undefined ? undefined : safePick(prev);
        const swept = await sweepIptables(allocId, address, this.iptables);
        if (swept.rules > 0) this.logger.warn('removed leftover iptables rules of allocation', { alloc_id: allocId, rules: swept.rules, chains: swept.chains });
      }
    }
    await destroyNetns(allocId, this.netns);
    await removeRecord(this.recordDir, allocId);
  }

  /** The on-disk record, else one rebuilt from what the caller saved (regenerating the bridge list). */
  private async recordFor(allocId: string, path: string, saved: SavedNetwork): Promise<NetworkRecord | undefined> {
    const rec = await readRecord(this.recordDir, allocId);
    if (rec !== undefined) return rec;
    if (saved.mode === undefined) return undefined;
    let confList: CniConfList | undefined;
    try {
      confList = await this.confListFor(saved.mode);
    } catch (err) {
      this.logger.warn('cannot rebuild the allocation network list for teardown', { alloc_id: allocId, error: errorMessage(err) });
    }
    return {
      kind: 'droverAllocNetworkV1',
      allocId,
      mode: saved.mode,
      netnsPath: path,
      ifName: this.ifName,
      portMappings: saved.portMappings ?? [],
      ...(confList ? { confList } : {}),
      ...(saved.cniResult ? { result: saved.cniResult } : {}),
    };
  }

  private async confListFor(mode: AllocNetworkMode): Promise<CniConfList | undefined> {
    if (mode === 'none') return undefined;
    if (mode === 'bridge') return bridgeConfList(this.bridge);
    if (mode.startsWith('cni/')) return loadCniConfList(this.configDir, mode.slice(4));
    throw new ValidationError([{ field: 'network.mode', message: `unsupported network mode "${String(mode)}"` }]);
  }

  private runtime(rec: NetworkRecord): CniRuntimeConf {
    return {
      containerId: rec.allocId,
      netnsPath: rec.netnsPath,
      ifName: rec.ifName,
      // IgnoreUnknown lets plugins that parse CNI_ARGS strictly accept keys meant for others (libcni sets it too).
      args: { IgnoreUnknown: '1' },
      capabilityArgs: { portMappings: rec.portMappings },
    };
  }
}

function statusFromRecord(rec: NetworkRecord): AllocNetworkStatus {
  const mode = rec.mode as AllocNetworkMode;
  if (rec.result === undefined) {
    return { allocId: rec.allocId, mode, netnsPath: rec.netnsPath, interfaceName: 'lo', portMappings: rec.portMappings, hostInterfaces: [] };
  }
  const result = parseCniResult(rec.result);
  if (result === undefined) throw new DroverError(ErrorCode.internal, `allocation ${rec.allocId}: the recorded CNI result is not a result`);
  const picked = pickAddress(result);
  return {
    allocId: rec.allocId,
    mode,
    netnsPath: rec.netnsPath,
    interfaceName: picked.interfaceName,
    address: picked.address,
    ...(picked.gateway ? { gateway: picked.gateway } : {}),
    ...(picked.dns ? { dns: picked.dns } : {}),
    portMappings: rec.portMappings,
    hostInterfaces: picked.hostInterfaces,
    cniResult: rec.result,
  };
}

function safePick(result: Parameters<typeof pickAddress>[0]): string | undefined {
  try {
    return pickAddress(result).address;
  } catch {
    return undefined;
  }
}

function findIptables(): string {
  for (const p of ['/usr/sbin/iptables', '/sbin/iptables']) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return 'iptables';
}
