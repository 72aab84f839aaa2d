/**
 * The task driver contract: a one-to-one mirror of Nomad's DriverPlugin
 * (plugins/drivers/driver.go) so the go-plugin bridge stays a thin codec.
 * Go channels become AsyncIterables that end when `signal` aborts; Go
 * contexts become `{ signal }`; durations are milliseconds.
 */
import type { ObjectSpec } from '../model/config-spec.js';
import type { Logger } from '../model/logger.js';
import type { AllocatedPort } from '../model/network.js';
import type { ExitResult, ExecOptions, TaskResourceUsage } from '../model/task-result.js';

export type { ExitResult, ExecOptions, TaskResourceUsage, MemoryUsage, CpuUsage, TerminalSize } from '../model/task-result.js';
export { exitSuccessful } from '../model/task-result.js';

/** The driver plugin API version Nomad's drivers announce (drivers.ApiVersion010). */
export const DRIVER_API_VERSION = 'v0.1.0';

/** PluginInfo as Nomad's base plugin reports it. */
export interface PluginInfo {
  readonly type: 'driver';
  /** Nomad's drivers send [DRIVER_API_VERSION]. */
  readonly pluginApiVersions: readonly string[];
  readonly pluginVersion: string;
  readonly name: string;
}

/** Agent-side settings handed to SetConfig beside the plugin's own config. */
export interface AgentConfig {
  readonly driver?: {
    readonly clientMinPort?: number;
    readonly clientMaxPort?: number;
  };
}

export interface DriverConfig {
  /** The plugin "NAME" { config { } } block, decoded against configSchema() by the driver. */
  readonly pluginConfig: Readonly<Record<string, unknown>>;
  readonly agentConfig?: AgentConfig;
}

export type FSIsolation = 'none' | 'chroot' | 'image';
export type NetIsolationMode = 'host' | 'group' | 'task' | 'none';

export interface Capabilities {
  readonly sendSignals: boolean;
  readonly exec: boolean;
  readonly fsIsolation: FSIsolation;
  readonly netIsolationModes: readonly NetIsolationMode[];
  readonly mustInitiateNetwork: boolean;
  readonly mountConfigs: 'all' | 'none';
  readonly disableLogCollection?: boolean;
}

export type HealthState = 'undetected' | 'unhealthy' | 'healthy';

/** One fingerprint report; attributes are Nomad node attributes such as "driver.raw_exec". */
export interface Fingerprint {
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly health: HealthState;
  readonly healthDescription: string;
}

/** Nomad's DriverHealthy description. */
export const DRIVER_HEALTHY = 'Healthy';

/** Resources handed to the driver (Nomad's AllocatedTaskResources + LinuxResources, flattened). */
export interface TaskResources {
  readonly cpuShares: number;
  readonly cores: number;
  readonly memoryMb: number;
  readonly memoryMaxMb: number;
  /** The allocation's host ports (Nomad's Resources.Ports, its AllocatedPorts); absent or empty when it has none. */
  readonly ports?: readonly AllocatedPort[];
  /** The task's own deprecated resources { network } ports (Nomad's AllocatedTaskResources.Networks). */
  readonly networks?: readonly TaskNetworkResource[];
}

/** One port of a task-level network (Nomad's drivers NetworkPort). */
export interface NetworkPort {
  readonly label: string;
  readonly value: number;
}

/** A task-level network as Nomad hands it to drivers (structs.NetworkResource, the fields its proto carries). */
export interface TaskNetworkResource {
  readonly device: string;
  readonly cidr: string;
  /** The host address the ports are on. */
  readonly ip: string;
  readonly mbits: number;
  readonly reservedPorts: readonly NetworkPort[];
  readonly dynamicPorts: readonly NetworkPort[];
}

/**
 * The host port for `label` (with its address and the port inside), looked up as Nomad's
 * drivers do: the task's own network first (qemu's port_map), then the allocation's ports.
 */
export function findTaskPort(r: TaskResources, label: string): AllocatedPort | undefined {
  for (const n of r.networks ?? []) {
    const p = [...n.reservedPorts, ...n.dynamicPorts].find((x) => x.label === label);
    if (p) return { label, value: p.value, to: p.value, hostIp: n.ip };
  }
  return r.ports?.find((p) => p.label === label);
}

/** Whether the task has any host port at all. */
export function hasTaskPorts(r: TaskResources): boolean {
  return (r.ports?.length ?? 0) > 0 || (r.networks ?? []).some((n) => n.reservedPorts.length + n.dynamicPorts.length > 0);
}

/** Task directory layout (Nomad's allocdir.TaskDir). */
export interface TaskDirPaths {
  /** alloc/<task> */
  readonly dir: string;
  /** alloc/alloc: shared by the group's tasks. */
  readonly sharedAllocDir: string;
  /** alloc/alloc/logs */
  readonly logDir: string;
  readonly localDir: string;
  readonly secretsDir: string;
  readonly tmpDir: string;
}

/** Rotation policy for drivers that write task output themselves (drover's executor, mock_driver). */
export interface LogRotation {
  readonly maxFiles: number;
  readonly maxFileSizeBytes: number;
}

/** A host path made visible inside the task (Nomad's drivers.MountConfig). */
export interface MountConfig {
  readonly taskPath: string;
  readonly hostPath: string;
  readonly readonly: boolean;
  /** private (the default when empty), host-to-task or bidirectional. */
  readonly propagationMode?: string;
  /** "z" or "Z", passed on as Nomad does; no built-in driver applies it (Nomad's do not either). */
  readonly selinuxLabel?: string;
}

/** A host device made available to the task (Nomad's drivers.DeviceConfig). */
export interface DeviceConfig {
  readonly taskPath: string;
  readonly hostPath: string;
  readonly permissions: string;
}

/** The /etc/hosts entry for the allocation's own address (Nomad's drivers.HostsConfig). */
export interface HostsConfig {
  readonly hostname: string;
  readonly address: string;
}

/**
 * The network namespace a task runs in (Nomad's drivers.NetworkIsolationSpec).
 * For a group network (bridge, none, cni/<name>) the client makes one
 * namespace per allocation and hands every task `{ mode: 'group', path }`;
 * drivers that announce 'group' in netIsolationModes start the task (and
 * every exec into it) inside `path`.
 */
export interface NetworkIsolationSpec {
  readonly mode: NetIsolationMode;
  /** The namespace file to join, e.g. /var/run/netns/<allocId>; empty for host mode. */
  readonly path: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Set by Nomad only when a driver's own network sandbox names the host
   * (docker's labels); drivers with their own filesystem then write an
   * /etc/hosts from it (Nomad's hostnames.GenerateEtcHostsMount).
   */
  readonly hostsConfig?: HostsConfig;
}

/** Everything a driver needs to start one task (Nomad's drivers.TaskConfig). */
export interface TaskConfig {
  /** Unique per start: "<allocId>/<task>/<random>". */
  readonly id: string;
  readonly jobName: string;
  readonly jobId: string;
  readonly taskGroupName: string;
  readonly name: string;
  readonly namespace: string;
  readonly nodeName: string;
  readonly nodeId: string;
  readonly allocId: string;
  readonly env: Readonly<Record<string, string>>;
  readonly resources: TaskResources;
  readonly user: string;
  /** The allocation directory; taskDir holds the per-task paths inside it. */
  readonly allocDir: string;
  readonly taskDir: TaskDirPaths;
  /** alloc/logs/<task>.stdout.0 (a file drover rotates, or a FIFO when Nomad hosts the driver). */
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** Present when the driver itself must rotate output files named <task>.stdout.N in taskDir.logDir. */
  readonly logRotation?: LogRotation;
  /** Mounts and devices requested by prestart hooks. */
  readonly mounts: readonly MountConfig[];
  readonly devices: readonly DeviceConfig[];
  /** The task's config {} after runtime interpolation, not yet decoded. */
  readonly driverConfig: Readonly<Record<string, unknown>>;
  /** The allocation's network namespace; absent in host mode (Nomad's TaskConfig.NetworkIsolation). */
  readonly networkIsolation?: NetworkIsolationSpec;
}

/** What startTask returns and recoverTask receives back (Nomad's TaskHandle). */
export interface TaskHandle {
  /** Handle format version; Nomad requires ≥ 1. */
  readonly version: number;
  readonly config: TaskConfig;
  readonly state: TaskStatusState;
  /** Opaque bytes the driver needs to reattach after a restart. */
  readonly driverState: Uint8Array;
}

export type TaskStatusState = 'unknown' | 'running' | 'exited';

export interface DriverNetwork {
  readonly portMap: Readonly<Record<string, number>>;
  readonly ip: string;
  readonly autoAdvertise: boolean;
}

export interface StartResult {
  readonly handle: TaskHandle;
  readonly network?: DriverNetwork;
}

export interface TaskStatus {
  readonly id: string;
  readonly name: string;
  readonly state: TaskStatusState;
  /** Unix ms. */
  readonly startedAt: number;
  /** Unix ms, 0 while running. */
  readonly completedAt: number;
  readonly exitResult?: ExitResult;
  readonly driverAttributes: Readonly<Record<string, string>>;
  readonly network?: DriverNetwork;
}

/** An event a driver emits about a task (e.g. "Downloading image"). */
export interface DriverTaskEvent {
  readonly taskId: string;
  readonly allocId: string;
  readonly taskName: string;
  readonly timestamp: number;
  readonly message: string;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface ExecTaskResult {
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  readonly exitResult: ExitResult;
}

export interface Signalable {
  readonly signal?: AbortSignal;
}

/** The driver plugin: Nomad's BasePlugin + DriverPlugin method set. */
export interface DriverPlugin {
  pluginInfo(): PluginInfo;
  configSchema(): ObjectSpec;
  setConfig(config: DriverConfig): Promise<void>;
  taskConfigSchema(): ObjectSpec;
  capabilities(): Capabilities;
  /** Emits the current fingerprint at once, then on every change, until aborted. */
  fingerprint(opts: Signalable): AsyncIterable<Fingerprint>;
  recoverTask(handle: TaskHandle): Promise<void>;
  startTask(config: TaskConfig): Promise<StartResult>;
  /** Resolves when the task exits; rejects with an AbortError when aborted first. */
  waitTask(taskId: string, opts: Signalable): Promise<ExitResult>;
  stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void>;
  destroyTask(taskId: string, force: boolean): Promise<void>;
  inspectTask(taskId: string): Promise<TaskStatus>;
  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage>;
  taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent>;
  signalTask(taskId: string, signal: string): Promise<void>;
  execTask(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult>;
}

/** Optional: interactive exec (Nomad's ExecTaskStreamingDriver). */
export interface ExecStreamingDriver {
  execTaskStreaming(taskId: string, opts: ExecOptions & Signalable): Promise<ExitResult>;
}

/** True when `d` can run interactive exec sessions (it has the method and announces exec, as Nomad checks Capabilities.Exec). */
export function isExecStreamingDriver(d: DriverPlugin): d is DriverPlugin & ExecStreamingDriver {
  return typeof (d as Partial<ExecStreamingDriver>).execTaskStreaming === 'function' && d.capabilities().exec;
}

/** Optional: cleanup when the host shuts the driver down (Nomad's DriverShutdowner). */
export interface DriverShutdowner {
  shutdown(opts: Signalable): Promise<void>;
}

export function isDriverShutdowner(d: DriverPlugin): d is DriverPlugin & DriverShutdowner {
  return typeof (d as Partial<DriverShutdowner>).shutdown === 'function';
}

/** What the client asks of a driver that makes the allocation's network itself (Nomad's NetworkCreateRequest). */
export interface NetworkCreateRequest {
  /** The group network's hostname, when the job sets one. */
  readonly hostname: string;
}

/**
 * Optional: a driver that must create the allocation's network namespace
 * itself (Nomad's DriverNetworkManager), announced by
 * Capabilities.mustInitiateNetwork. The client then calls createNetwork
 * before any task starts and destroyNetwork after the last one stopped,
 * instead of making the namespace itself.
 */
export interface DriverNetworkManager {
  /**
   * The namespace for `allocId`, and whether this call made it (false: it
   * already existed, e.g. after a client restart). No spec means the driver
   * keeps the network to itself (Nomad's mock driver answers so).
   */
  createNetwork(allocId: string, request: NetworkCreateRequest): Promise<{ readonly spec?: NetworkIsolationSpec; readonly created: boolean }>;
  /** Removes what createNetwork made; idempotent. `spec` is what createNetwork returned (undefined when it returned none). */
  destroyNetwork(allocId: string, spec: NetworkIsolationSpec | undefined): Promise<void>;
}

/** True when `d` implements the network RPCs (whether the client should call them is Capabilities.mustInitiateNetwork). */
export function isDriverNetworkManager(d: DriverPlugin): d is DriverPlugin & DriverNetworkManager {
  const m = d as Partial<DriverNetworkManager>;
  return typeof m.createNetwork === 'function' && typeof m.destroyNetwork === 'function';
}

/** Dependencies every driver gets from its host instead of globals. */
export interface DriverContext {
  readonly logger: Logger;
  /** Unix ms; injected so tests control time. */
  readonly now: () => number;
}

// The logger moved to model; re-exported until the drivers import it from there.
