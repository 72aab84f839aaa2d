/**
 * Nomad's job JSON (api/jobs.go, api/tasks.go, api/resources.go) as the HTTP
 * API speaks it: PascalCase fields, durations in nanoseconds, optional
 * fields omitted or null. Only the fields drover reads or writes are typed;
 * other Nomad fields are accepted as `unknown` and reported as ignored.
 */

/** Nomad's api.RestartPolicy; Interval and Delay in ns. */
export interface ApiRestartPolicy {
  Interval?: number | null;
  Attempts?: number | null;
  Delay?: number | null;
  Mode?: string | null;
  RenderTemplates?: boolean | null;
}

/** Nomad's api.Resources (task level). */
export interface ApiResources {
  CPU?: number | null;
  Cores?: number | null;
  MemoryMB?: number | null;
  MemoryMaxMB?: number | null;
  DiskMB?: number | null;
  Networks?: ApiNetworkResource[] | null;
  [ignored: string]: unknown;
}

/** Nomad's api.Port. */
export interface ApiPort {
  Label?: string | null;
  Value?: number | null;
  To?: number | null;
  HostNetwork?: string | null;
  IgnoreCollision?: boolean | null;
}

/** Nomad's api.NetworkResource. */
export interface ApiNetworkResource {
  Mode?: string | null;
  Device?: string | null;
  CIDR?: string | null;
  IP?: string | null;
  Hostname?: string | null;
  ReservedPorts?: ApiPort[] | null;
  DynamicPorts?: ApiPort[] | null;
  DNS?: { Servers?: string[] | null; Searches?: string[] | null; Options?: string[] | null } | null;
  CNI?: { Args?: Record<string, string> | null } | null;
  MBits?: number | null;
}

/** Nomad's api.CheckRestart (Grace in ns). */
export interface ApiCheckRestart {
  Limit?: number | null;
  Grace?: number | null;
  IgnoreWarnings?: boolean | null;
}

/** Nomad's api.ServiceCheck (Interval and Timeout in ns). */
export interface ApiServiceCheck {
  Name?: string | null;
  Type?: string | null;
  Command?: string | null;
  Args?: string[] | null;
  Path?: string | null;
  Protocol?: string | null;
  PortLabel?: string | null;
  Expose?: boolean | null;
  AddressMode?: string | null;
  Interval?: number | null;
  Timeout?: number | null;
  InitialStatus?: string | null;
  Notes?: string | null;
  TLSServerName?: string | null;
  TLSSkipVerify?: boolean | null;
  Header?: Record<string, string[]> | null;
  Method?: string | null;
  CheckRestart?: ApiCheckRestart | null;
  GRPCService?: string | null;
  GRPCUseTLS?: boolean | null;
  TaskName?: string | null;
  SuccessBeforePassing?: number | null;
  FailuresBeforeCritical?: number | null;
  FailuresBeforeWarning?: number | null;
  Body?: string | null;
  OnUpdate?: string | null;
  [ignored: string]: unknown;
}

/** Nomad's api.Service. */
export interface ApiService {
  Name?: string | null;
  Tags?: string[] | null;
  CanaryTags?: string[] | null;
  EnableTagOverride?: boolean | null;
  PortLabel?: string | null;
  AddressMode?: string | null;
  Address?: string | null;
  Checks?: ApiServiceCheck[] | null;
  CheckRestart?: ApiCheckRestart | null;
  Connect?: unknown;
  Meta?: Record<string, string> | null;
  CanaryMeta?: Record<string, string> | null;
  TaskName?: string | null;
  OnUpdate?: string | null;
  Provider?: string | null;
  [ignored: string]: unknown;
}

/** Nomad's api.LogConfig. */
export interface ApiLogConfig {
  MaxFiles?: number | null;
  MaxFileSizeMB?: number | null;
  Enabled?: boolean | null;
  Disabled?: boolean | null;
}

/** Nomad's api.TaskLifecycle. */
export interface ApiTaskLifecycle {
  Hook: string;
  Sidecar?: boolean;
}

/** Nomad's api.TaskArtifact. */
export interface ApiTaskArtifact {
  GetterSource?: string | null;
  GetterOptions?: Record<string, string> | null;
  GetterHeaders?: Record<string, string> | null;
  GetterMode?: string | null;
  GetterInsecure?: boolean | null;
  RelativeDest?: string | null;
  Chown?: boolean;
}

/** Nomad's api.Task. */
export interface ApiTask {
  Name: string;
  Driver?: string;
  User?: string;
  Lifecycle?: ApiTaskLifecycle | null;
  DispatchPayload?: ApiDispatchPayloadConfig | null;
  /** The driver's config block; nested blocks are lists of objects, as jobspec2 decodes them. */
  Config?: Record<string, unknown> | null;
  Env?: Record<string, string> | null;
  Resources?: ApiResources | null;
  RestartPolicy?: ApiRestartPolicy | null;
  Meta?: Record<string, string> | null;
  /** ns */
  KillTimeout?: number | null;
  LogConfig?: ApiLogConfig | null;
  Artifacts?: ApiTaskArtifact[] | null;
  Leader?: boolean;
  /** ns */
  ShutdownDelay?: number;
  KillSignal?: string;
  Services?: ApiService[] | null;
  Templates?: ApiTemplate[] | null;
  /** The default workload identity. */
  Identity?: ApiWorkloadIdentity | null;
  Identities?: ApiWorkloadIdentity[] | null;
  VolumeMounts?: ApiVolumeMount[] | null;
  Constraints?: ApiConstraint[] | null;
  [ignored: string]: unknown;
}

/** Nomad's api.Template (durations in ns). */
export interface ApiTemplate {
  SourcePath?: string | null;
  DestPath?: string | null;
  EmbeddedTmpl?: string | null;
  ChangeMode?: string | null;
  ChangeSignal?: string | null;
  ChangeScript?: { Command?: string | null; Args?: string[] | null; Timeout?: number | null; FailOnError?: boolean | null; RunOnFirstRender?: boolean | null } | null;
  Splay?: number | null;
  Perms?: string | null;
  Uid?: number | null;
  Gid?: number | null;
  LeftDelim?: string | null;
  RightDelim?: string | null;
  Envvars?: boolean | null;
  VaultGrace?: number | null;
  Wait?: { Min?: number | null; Max?: number | null } | null;
  ErrMissingKey?: boolean | null;
  Once?: boolean | null;
}

/** Nomad's api.WorkloadIdentity. */
export interface ApiWorkloadIdentity {
  Name?: string;
  Audience?: string[] | null;
  ChangeMode?: string;
  ChangeSignal?: string;
  Env?: boolean;
  File?: boolean;
  Filepath?: string;
  ServiceName?: string;
  /** ns */
  TTL?: number;
  ExtraClaims?: string[] | null;
}

/** Nomad's api.TaskGroup. */
export interface ApiTaskGroup {
  Name?: string | null;
  Count?: number | null;
  Tasks?: ApiTask[] | null;
  RestartPolicy?: ApiRestartPolicy | null;
  Meta?: Record<string, string> | null;
  /** ns */
  ShutdownDelay?: number | null;
  Volumes?: Record<string, ApiVolumeRequest> | null;
  Constraints?: ApiConstraint[] | null;
  EphemeralDisk?: { SizeMB?: number | null; Sticky?: boolean | null; Migrate?: boolean | null } | null;
  Networks?: ApiNetworkResource[] | null;
  Services?: ApiService[] | null;
  Update?: ApiUpdateStrategy | null;
  ReschedulePolicy?: ApiReschedulePolicy | null;
  [ignored: string]: unknown;
}

/** Nomad's api.UpdateStrategy (durations in ns). */
export interface ApiUpdateStrategy {
  Stagger?: number | null;
  MaxParallel?: number | null;
  HealthCheck?: string | null;
  MinHealthyTime?: number | null;
  HealthyDeadline?: number | null;
  ProgressDeadline?: number | null;
  AutoRevert?: boolean | null;
  AutoPromote?: boolean | null;
  Canary?: number | null;
}

/** Nomad's api.ReschedulePolicy; Interval, Delay and MaxDelay in ns. */
export interface ApiReschedulePolicy {
  Attempts?: number | null;
  Interval?: number | null;
  Delay?: number | null;
  DelayFunction?: string | null;
  MaxDelay?: number | null;
  Unlimited?: boolean | null;
}

/** Nomad's api.Job, with the server-set fields drover fills in responses. */
export interface ApiJob {
  Region?: string | null;
  Namespace?: string | null;
  ID?: string | null;
  Name?: string | null;
  Type?: string | null;
  Priority?: number | null;
  Datacenters?: string[] | null;
  TaskGroups?: ApiTaskGroup[] | null;
  Constraints?: ApiConstraint[] | null;
  Meta?: Record<string, string> | null;
  Stop?: boolean | null;
  Status?: string | null;
  StatusDescription?: string | null;
  Stable?: boolean | null;
  Version?: number | null;
  /** Unix ns. */
  SubmitTime?: number | null;
  CreateIndex?: number | null;
  ModifyIndex?: number | null;
  JobModifyIndex?: number | null;
  Periodic?: ApiPeriodicConfig | null;
  ParameterizedJob?: ApiParameterizedJobConfig | null;
  ParentID?: string | null;
  Dispatched?: boolean | null;
  DispatchIdempotencyToken?: string | null;
  /** base64, as Go's encoding/json writes []byte. */
  Payload?: string | null;
  [ignored: string]: unknown;
}

/** Nomad's api.PeriodicConfig. */
export interface ApiPeriodicConfig {
  Enabled?: boolean | null;
  Spec?: string | null;
  Specs?: string[] | null;
  SpecType?: string | null;
  ProhibitOverlap?: boolean | null;
  TimeZone?: string | null;
}

/** Nomad's api.ParameterizedJobConfig. */
export interface ApiParameterizedJobConfig {
  Payload?: string | null;
  MetaRequired?: string[] | null;
  MetaOptional?: string[] | null;
}

/** Nomad's api.DispatchPayloadConfig. */
export interface ApiDispatchPayloadConfig {
  File?: string | null;
}

/** Nomad's api.JobListStub (GET /v1/jobs). */
export interface ApiJobListStub {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace: string;
  Datacenters: string[];
  Type: string;
  Priority: number;
  Periodic: boolean;
  ParameterizedJob: boolean;
  Stop: boolean;
  Status: string;
  StatusDescription: string;
  JobSummary: ApiJobSummary;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  SubmitTime: number;
  Meta?: Record<string, string>;
}

/** Per-group allocation counts (Nomad's TaskGroupSummary). */
export interface ApiTaskGroupSummary {
  Queued: number;
  Complete: number;
  Failed: number;
  Running: number;
  Starting: number;
  Lost: number;
  Unknown: number;
}

/** Nomad's api.JobSummary. */
export interface ApiJobSummary {
  JobID: string;
  Namespace: string;
  Summary: Record<string, ApiTaskGroupSummary>;
  /** A periodic or parameterized parent's children by status (Nomad's JobChildrenSummary). */
  Children?: { Pending: number; Running: number; Dead: number };
  CreateIndex: number;
  ModifyIndex: number;
}

/**
 * Nomad's JobSubmission: the source a job version was registered from. A
 * register request carries Source, Format, VariableFlags and Variables;
 * GET /v1/job/:id/submission?version=N adds the rest.
 */
export interface ApiJobSubmission {
  Source: string;
  /** "hcl2" or "json". */
  Format: string;
  /** The -var flags as submitted. */
  VariableFlags?: Record<string, string> | null;
  /** The var-file text (or the UI's variables input). */
  Variables?: string;
  Namespace?: string;
  JobID?: string;
  Version?: number;
  JobModifyIndex?: number;
}

/** PUT /v1/jobs and POST /v1/job/:id body (Nomad's api.JobRegisterRequest). */
export interface ApiJobRegisterRequest {
  Job: ApiJob;
  Submission?: ApiJobSubmission | null;
  EnforceIndex?: boolean;
  JobModifyIndex?: number;
  PolicyOverride?: boolean;
  PreserveCounts?: boolean;
}

/** Nomad's api.JobRegisterResponse. */
export interface ApiJobRegisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  /** Ignored stanzas, one per line (Nomad's multierror text). */
  Warnings: string;
  Index: number;
}

/** Nomad's api.JobDeregisterResponse. */
export interface ApiJobDeregisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Index: number;
}

/** GET /v1/job/:id/versions (Nomad's api.JobVersionsResponse; Diffs are not computed). */
export interface ApiJobVersionsResponse {
  Versions: ApiJob[];
  Diffs: unknown[] | null;
  Index: number;
}

/** POST /v1/jobs/parse body (Nomad's api.JobsParseRequest). */
export interface ApiJobsParseRequest {
  JobHCL: string;
  /** HCL var-file contents (`name = value` lines). */
  Variables?: string;
  Canonicalize?: boolean;
  HCLv1?: boolean;
}

/** Nomad's api.VolumeRequest (TaskGroup.Volumes, keyed by label). */
export interface ApiVolumeRequest {
  Name: string;
  Type: string;
  Source: string;
  ReadOnly: boolean;
  PerAlloc: boolean;
  AccessMode: string;
  AttachmentMode: string;
  MountOptions?: { FSType: string; MountFlags: string[] } | null;
}

/** Nomad's api.VolumeMount. */
export interface ApiVolumeMount {
  Volume: string;
  Destination: string;
  ReadOnly: boolean;
  PropagationMode: string;
  SELinuxLabel: string;
}

/** api.Constraint: a placement constraint ("${attr.kernel.name}" "=" "linux"). */
export interface ApiConstraint {
  LTarget: string;
  RTarget: string;
  Operand: string;
}
