/**
 * Nomad's service { } and check { } blocks (structs.Service, ServiceCheck,
 * CheckRestart) as a job declares them. Durations are integer milliseconds.
 */

/** Who keeps the registration: the agent itself (Nomad's native provider) or a Consul agent (not run by drover). */
export type ServiceProvider = 'nomad' | 'consul';

/** Which address a service or check uses: Nomad's address_mode. */
export type AddressMode = 'auto' | 'host' | 'driver' | 'alloc';

/** What a check failing means for a deployment: Nomad's on_update. */
export type OnUpdate = 'require_healthy' | 'ignore_warnings' | 'ignore';

export type CheckType = 'http' | 'tcp' | 'script' | 'grpc';

/** check_restart { }: restart the task when its check stays unhealthy. */
export interface CheckRestartSpec {
  /** Restart after this many consecutive unhealthy results; 0 disables. */
  readonly limit: number;
  /** Time after the task starts before results count. */
  readonly graceMs: number;
  /** Treat "warning" as healthy. */
  readonly ignoreWarnings: boolean;
}

export interface CheckSpec {
  /** Nomad's default: "service: \"<service>\" check". */
  readonly name: string;
  readonly type: CheckType;
  /** http: the request path (may carry a query). */
  readonly path: string;
  /** http: GET unless set. */
  readonly method: string;
  /** http: header { Name = ["v1", "v2"] }. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: string;
  /** http: "http" or "https". */
  readonly protocol: string;
  /** A port label of the group's network; "" means the service's port. */
  readonly portLabel: string;
  readonly addressMode: AddressMode;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** "passing", "warning", "critical" or "" (the provider's default). */
  readonly initialStatus: string;
  readonly successBeforePassing: number;
  readonly failuresBeforeCritical: number;
  readonly failuresBeforeWarning: number;
  /** script: the command run in the task (through the driver's exec) and its args. */
  readonly command: string;
  readonly args: readonly string[];
  /** script checks of a group service: the task to run in. */
  readonly taskName: string;
  /** grpc: the service name checked; "" checks the server as a whole. */
  readonly grpcService: string;
  readonly grpcUseTls: boolean;
  readonly tlsSkipVerify: boolean;
  readonly tlsServerName: string;
  readonly expose: boolean;
  readonly notes: string;
  readonly onUpdate: OnUpdate;
  readonly checkRestart?: CheckRestartSpec;
}

export interface ServiceSpec {
  /** Interpolated at registration; Nomad's default "<job>-<group>[-<task>]". */
  readonly name: string;
  /** A port label, or a number written as a string (a literal port). */
  readonly portLabel: string;
  readonly tags: readonly string[];
  readonly canaryTags: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  readonly canaryMeta: Readonly<Record<string, string>>;
  readonly addressMode: AddressMode;
  /** A fixed address advertised instead of the node's or the allocation's. */
  readonly address: string;
  readonly provider: ServiceProvider;
  /** Set on group services whose checks run in a task; on task services, the task's own name. */
  readonly taskName: string;
  readonly enableTagOverride: boolean;
  readonly onUpdate: OnUpdate;
  /** The service asked for Consul Connect (needs Consul; drover warns and ignores it). */
  readonly connect: boolean;
  readonly checks: readonly CheckSpec[];
}
