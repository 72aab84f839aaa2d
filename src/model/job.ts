import type { NetworkSpec } from './network.js';
import type { ServiceSpec } from './service.js';
import type { TemplateSpec } from './template.js';
import type { WorkloadIdentity } from './identity.js';
import type { DispatchPayloadConfig, ParameterizedConfig, PeriodicConfig } from './child-job.js';
import type { VolumeMount, VolumeRequest } from './volume.js';
import type { Constraint } from './constraint/constraint.js';
import type { ReschedulePolicy } from './reschedule.js';
import type { GroupScaling } from './group-limits.js';
import type { UpdateStrategy } from './update-strategy.js';

/**
 * The job as drover runs it: Nomad's jobspec decoded, defaulted and validated.
 * Durations are integer milliseconds (parsed once, at the edge).
 */

/** Nomad's job types; on a client, `system` tasks restart like `service` ones. */
export const JobType = { service: 'service', batch: 'batch', system: 'system', sysbatch: 'sysbatch' } as const;
export type JobType = (typeof JobType)[keyof typeof JobType];

export const RestartMode = { fail: 'fail', delay: 'delay' } as const;
export type RestartMode = (typeof RestartMode)[keyof typeof RestartMode];

/** Nomad's restart { } block. */
export interface RestartPolicy {
  readonly attempts: number;
  readonly intervalMs: number;
  readonly delayMs: number;
  readonly mode: RestartMode;
  /** Nomad 1.6+: whether a successful exit of a service task counts as a restart-worthy exit. */
  readonly renderTemplates?: boolean;
}

/** Nomad's defaults: service jobs restart quickly and fail, batch jobs get more attempts over a day. */
export const DEFAULT_SERVICE_RESTART: RestartPolicy = {
  attempts: 2,
  intervalMs: 30 * 60_000,
  delayMs: 15_000,
  mode: 'fail',
};
export const DEFAULT_BATCH_RESTART: RestartPolicy = {
  attempts: 3,
  intervalMs: 24 * 3_600_000,
  delayMs: 15_000,
  mode: 'fail',
};

export interface Resources {
  /** MHz shares, Nomad default 100. */
  readonly cpu: number;
  /** Reserved cores (exclusive); 0 when unset. */
  readonly cores: number;
  /** Soft limit in MiB, Nomad default 300. */
  readonly memoryMb: number;
  /** Hard limit in MiB; 0 means "same as memoryMb". */
  readonly memoryMaxMb: number;
}
export const DEFAULT_RESOURCES: Resources = { cpu: 100, cores: 0, memoryMb: 300, memoryMaxMb: 0 };

export const LifecycleHook = { prestart: 'prestart', poststart: 'poststart', poststop: 'poststop' } as const;
export type LifecycleHook = (typeof LifecycleHook)[keyof typeof LifecycleHook];

export interface Lifecycle {
  readonly hook: LifecycleHook;
  readonly sidecar: boolean;
}

export interface LogConfig {
  readonly maxFiles: number;
  readonly maxFileSizeMb: number;
  readonly disabled: boolean;
}
export const DEFAULT_LOGS: LogConfig = { maxFiles: 10, maxFileSizeMb: 10, disabled: false };

export const ArtifactMode = { any: 'any', file: 'file', dir: 'dir' } as const;
export type ArtifactMode = (typeof ArtifactMode)[keyof typeof ArtifactMode];

export interface Artifact {
  readonly source: string;
  /** Relative to the task dir; Nomad's default is "local/". */
  readonly destination: string;
  readonly mode: ArtifactMode;
  readonly options: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Task {
  readonly name: string;
  readonly driver: string;
  /** The driver's config {} as written (interpolation still pending); the driver decodes it with its own schema. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string>>;
  readonly meta: Readonly<Record<string, string>>;
  readonly user: string;
  readonly resources: Resources;
  readonly killTimeoutMs: number;
  /** Empty means the driver's default (SIGINT for the executor-based drivers, as Nomad). */
  readonly killSignal: string;
  readonly restart: RestartPolicy;
  readonly lifecycle?: Lifecycle;
  readonly leader: boolean;
  readonly logs: LogConfig;
  readonly artifacts: readonly Artifact[];
  /** template { } blocks, rendered before the task starts. */
  readonly templates: readonly TemplateSpec[];
  readonly shutdownDelayMs: number;
  /** Task-level service { } blocks. */
  readonly services: readonly ServiceSpec[];
  /** The deprecated task-level resources { network { } } (Nomad still allocates its ports). */
  readonly networks: readonly NetworkSpec[];
  /** The default workload identity, when the job wrote an identity { } block for it. */
  readonly identity?: WorkloadIdentity;
  /** Named workload identities (absent when there are none). */
  readonly identities?: readonly WorkloadIdentity[];
  /** dispatch_payload { }: a dispatched child's payload is written to local/<file> before the task starts. */
  readonly dispatchPayload?: DispatchPayloadConfig;
  /** volume_mount { } blocks (absent when there are none). */
  readonly volumeMounts?: readonly VolumeMount[];
  /** constraint { } blocks (absent when there are none); placement checks them with the group's. */
  readonly constraints?: readonly Constraint[];
}

export interface TaskGroup {
  readonly name: string;
  readonly count: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly restart: RestartPolicy;
  readonly shutdownDelayMs: number;
  /** ephemeral_disk.size in MB when the job sets it (Nomad's default is 300); task logs must fit in it. */
  readonly ephemeralDiskMb?: number;
  /**
   * ephemeral_disk.sticky and .migrate, set (with the size) whenever the job wrote the block.
   * Either one makes a replacement on this node take over the previous alloc's alloc/data and task local/ dirs.
   */
  readonly ephemeralDiskSticky?: boolean;
  readonly ephemeralDiskMigrate?: boolean;
  /** The group's network { } (at most one, as Nomad allows). */
  readonly networks: readonly NetworkSpec[];
  /** Group-level service { } blocks. */
  readonly services: readonly ServiceSpec[];
  readonly tasks: readonly Task[];
  /** volume "label" { } blocks (absent when there are none). */
  readonly volumes?: readonly VolumeRequest[];
  /** constraint { } blocks (absent when there are none). */
  readonly constraints?: readonly Constraint[];
  /** reschedule { } merged over the job type's default; absent when neither job nor group wrote one (the default applies). */
  readonly reschedule?: ReschedulePolicy;
  /** max_run_duration in ms (batch and sysbatch): the alloc is stopped that long after it was created. */
  readonly maxRunDurationMs?: number;
  /** scaling { }: the bounds `job scale` keeps count within. */
  readonly scaling?: GroupScaling;
  /** update { } (the job's merged with the group's, defaults filled in); service and system jobs only. */
  readonly update?: UpdateStrategy;
}

export interface Job {
  readonly id: string;
  readonly name: string;
  readonly type: JobType;
  readonly namespace: string;
  readonly region: string;
  readonly datacenters: readonly string[];
  readonly priority: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly groups: readonly TaskGroup[];
  /** constraint { } blocks (absent when there are none). */
  readonly constraints?: readonly Constraint[];
  /** periodic { }: the job is a template launching children on schedule, never run itself. */
  readonly periodic?: PeriodicConfig;
  /** parameterized { }: the job is a template for dispatched children, never run itself. */
  readonly parameterized?: ParameterizedConfig;
  /** Set on a child: its periodic or parameterized parent's ID. */
  readonly parentId?: string;
  /** Set on a dispatched child. */
  readonly dispatched?: boolean;
  /** A dispatched child's payload, base64 (as Nomad's JSON carries []byte). */
  readonly payload?: string;
  /** The idempotency token the dispatch was made with ("" when none). */
  readonly dispatchIdempotencyToken?: string;
}

/** A periodic or parameterized job is a template: never placed, only its children run (Nomad's IsParameterized/IsPeriodic). */
export function isParentJob(job: Job): boolean {
  return (job.periodic !== undefined || job.parameterized !== undefined) && !job.dispatched;
}

/** The Nomad default kill timeout. */
export const DEFAULT_KILL_TIMEOUT_MS = 5_000;
