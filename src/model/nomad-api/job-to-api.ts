/** drover's Job → Nomad's api.Job JSON (durations in ns, PascalCase), as GET /v1/job/:id and /v1/jobs/parse return it. */
import type { Job, RestartPolicy, Task, TaskGroup } from '../job.js';
import type { WorkloadIdentity } from '../identity.js';
import { DEFAULT_DISK_MB } from '../job-rules.js';
import type { NetworkSpec, PortSpec } from '../network.js';
import type { CheckRestartSpec, CheckSpec, ServiceSpec } from '../service.js';
import type { TemplateSpec } from '../template.js';
import type { VolumeMount, VolumeRequest } from '../volume.js';
import type { Constraint } from '../constraint/constraint.js';
import type { ReschedulePolicy } from '../reschedule.js';
import { toApiGroupLimits } from './group-limits-to-api.js';
import type { UpdateStrategy } from '../update-strategy.js';
import type { ApiCheckRestart, ApiConstraint, ApiJob, ApiNetworkResource, ApiPort, ApiReschedulePolicy, ApiRestartPolicy, ApiService, ApiServiceCheck, ApiTask, ApiTaskGroup, ApiTemplate, ApiUpdateStrategy, ApiVolumeMount, ApiVolumeRequest, ApiWorkloadIdentity } from './index.js';

const NS_PER_MS = 1_000_000;

/** The server-set fields of a stored job. */
export interface JobStatusFields {
  readonly Stop: boolean;
  readonly Status: string;
  readonly Version: number;
  /** Unix ms (converted to ns). */
  readonly submitTimeMs: number;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
  readonly JobModifyIndex: number;
  /** A deployment of this version succeeded. */
  readonly Stable?: boolean;
}

/** Converts a job; `status` adds the fields the agent sets (omitted for /v1/jobs/parse). */
export function toApiJob(job: Job, status?: JobStatusFields): ApiJob {
  const out: ApiJob = {
    Region: job.region,
    Namespace: job.namespace,
    ID: job.id,
    Name: job.name,
    Type: job.type,
    Priority: job.priority,
    Datacenters: [...job.datacenters],
    TaskGroups: job.groups.map((g) => toApiGroup(g, job)),
    Meta: { ...job.meta },
    ...childJobFields(job),
    ...toApiConstraints(job.constraints),
  };
  if (status) {
    Object.assign(out, {
      Stop: status.Stop,
      Status: status.Status,
      StatusDescription: '',
      Stable: status.Stable ?? false,
      Version: status.Version,
      SubmitTime: status.submitTimeMs * NS_PER_MS,
      CreateIndex: status.CreateIndex,
      ModifyIndex: status.ModifyIndex,
      JobModifyIndex: status.JobModifyIndex,
    });
  }
  return out;
}

function toApiGroup(g: TaskGroup, job: Job): ApiTaskGroup {
  return {
    Name: g.name,
    Count: g.count,
    Tasks: g.tasks.map(toApiTask),
    RestartPolicy: toApiRestart(g.restart),
    Meta: { ...g.meta },
    ShutdownDelay: g.shutdownDelayMs * NS_PER_MS,
    // Only when the job set it, so a job without ephemeral_disk reads back without one.
    ...(g.ephemeralDiskMb === undefined && g.ephemeralDiskSticky === undefined && g.ephemeralDiskMigrate === undefined
      ? {}
      : { EphemeralDisk: { SizeMB: g.ephemeralDiskMb ?? DEFAULT_DISK_MB, Sticky: g.ephemeralDiskSticky ?? false, Migrate: g.ephemeralDiskMigrate ?? false } }),
    Networks: g.networks.length === 0 ? null : g.networks.map(toApiNetwork),
    Services: g.services.length === 0 ? null : g.services.map(toApiService),
    ...(g.volumes ? { Volumes: Object.fromEntries(g.volumes.map((v) => [v.name, toApiVolume(v)])) } : {}),
    ...toApiConstraints(g.constraints),
    ...toApiGroupLimits(g, job),
    ...(g.update ? { Update: toApiUpdate(g.update) } : {}),
    // Only when the job set one, so a job without reads back without (the type's default applies).
    ...(g.reschedule ? { ReschedulePolicy: toApiReschedule(g.reschedule) } : {}),
  };
}

/** Nomad's api.UpdateStrategy (durations in ns). */
export function toApiUpdate(u: UpdateStrategy): ApiUpdateStrategy {
  return {
    Stagger: u.staggerMs * NS_PER_MS,
    MaxParallel: u.maxParallel,
    HealthCheck: u.healthCheck,
    MinHealthyTime: u.minHealthyTimeMs * NS_PER_MS,
    HealthyDeadline: u.healthyDeadlineMs * NS_PER_MS,
    ProgressDeadline: u.progressDeadlineMs * NS_PER_MS,
    AutoRevert: u.autoRevert,
    AutoPromote: u.autoPromote,
    Canary: u.canary,
  };
}

function toApiReschedule(r: ReschedulePolicy): ApiReschedulePolicy {
  return {
    Attempts: r.attempts,
    Interval: r.intervalMs * NS_PER_MS,
    Delay: r.delayMs * NS_PER_MS,
    DelayFunction: r.delayFunction,
    MaxDelay: r.maxDelayMs * NS_PER_MS,
    Unlimited: r.unlimited,
  };
}

/** Nomad's api.NetworkResource: static ports under ReservedPorts, the rest under DynamicPorts. */
export function toApiNetwork(n: NetworkSpec): ApiNetworkResource {
  const port = (p: PortSpec): ApiPort => ({
    Label: p.label,
    Value: p.value,
    To: p.to,
    HostNetwork: p.hostNetwork,
    ...(p.ignoreCollision ? { IgnoreCollision: true } : {}),
  });
  return {
    Mode: n.mode,
    Hostname: n.hostname,
    ReservedPorts: n.reservedPorts.length === 0 ? null : n.reservedPorts.map(port),
    DynamicPorts: n.dynamicPorts.length === 0 ? null : n.dynamicPorts.map(port),
    DNS: n.dns ? { Servers: [...n.dns.servers], Searches: [...n.dns.searches], Options: [...n.dns.options] } : null,
    CNI: n.cniArgs ? { Args: { ...n.cniArgs } } : null,
    MBits: n.mbits,
  };
}

function toApiService(s: ServiceSpec): ApiService {
  return {
    Name: s.name,
    Tags: [...s.tags],
    CanaryTags: [...s.canaryTags],
    EnableTagOverride: s.enableTagOverride,
    PortLabel: s.portLabel,
    AddressMode: s.addressMode,
    Address: s.address,
    Checks: s.checks.length === 0 ? null : s.checks.map(toApiCheck),
    CheckRestart: null,
    // drover keeps only that a connect block was written (it needs Consul); an empty object says so.
    Connect: s.connect ? {} : null,
    Meta: { ...s.meta },
    CanaryMeta: { ...s.canaryMeta },
    TaskName: s.taskName,
    OnUpdate: s.onUpdate,
    Provider: s.provider,
  };
}

function toApiCheck(c: CheckSpec): ApiServiceCheck {
  return {
    Name: c.name,
    Type: c.type,
    Command: c.command,
    Args: [...c.args],
    Path: c.path,
    Protocol: c.protocol,
    PortLabel: c.portLabel,
    Expose: c.expose,
    AddressMode: c.addressMode,
    Interval: c.intervalMs * NS_PER_MS,
    Timeout: c.timeoutMs * NS_PER_MS,
    InitialStatus: c.initialStatus,
    Notes: c.notes,
    TLSServerName: c.tlsServerName,
    TLSSkipVerify: c.tlsSkipVerify,
    Header: Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, [...v]])),
    Method: c.method,
    CheckRestart: c.checkRestart ? toApiCheckRestart(c.checkRestart) : null,
    GRPCService: c.grpcService,
    GRPCUseTLS: c.grpcUseTls,
    TaskName: c.taskName,
    SuccessBeforePassing: c.successBeforePassing,
    FailuresBeforeCritical: c.failuresBeforeCritical,
    FailuresBeforeWarning: c.failuresBeforeWarning,
    Body: c.body,
    OnUpdate: c.onUpdate,
  };
}

function toApiCheckRestart(r: CheckRestartSpec): ApiCheckRestart {
  return { Limit: r.limit, Grace: r.graceMs * NS_PER_MS, IgnoreWarnings: r.ignoreWarnings };
}

function toApiTask(t: Task): ApiTask {
  return {
    Name: t.name,
    Driver: t.driver,
    User: t.user,
    Lifecycle: t.lifecycle ? { Hook: t.lifecycle.hook, Sidecar: t.lifecycle.sidecar } : null,
    ...(t.dispatchPayload ? { DispatchPayload: { File: t.dispatchPayload.file } } : {}),
    Config: structuredClone(t.config),
    Env: { ...t.env },
    Resources: {
      CPU: t.resources.cpu,
      Cores: t.resources.cores,
      MemoryMB: t.resources.memoryMb,
      MemoryMaxMB: t.resources.memoryMaxMb,
      ...(t.networks.length === 0 ? {} : { Networks: t.networks.map(toApiNetwork) }),
    },
    RestartPolicy: toApiRestart(t.restart),
    Meta: { ...t.meta },
    KillTimeout: t.killTimeoutMs * NS_PER_MS,
    LogConfig: { MaxFiles: t.logs.maxFiles, MaxFileSizeMB: t.logs.maxFileSizeMb, Disabled: t.logs.disabled, Enabled: !t.logs.disabled },
    Artifacts: t.artifacts.map((a) => ({
      GetterSource: a.source,
      GetterOptions: { ...a.options },
      GetterHeaders: { ...a.headers },
      GetterMode: a.mode,
      RelativeDest: a.destination,
    })),
    Leader: t.leader,
    ShutdownDelay: t.shutdownDelayMs * NS_PER_MS,
    KillSignal: t.killSignal,
    Services: t.services.length === 0 ? null : t.services.map(toApiService),
    Templates: t.templates.length === 0 ? null : t.templates.map(toApiTemplate),
    ...(t.identity ? { Identity: toApiIdentity(t.identity) } : {}),
    ...(t.identities ? { Identities: t.identities.map(toApiIdentity) } : {}),
    ...(t.volumeMounts ? { VolumeMounts: t.volumeMounts.map(toApiVolumeMount) } : {}),
    ...toApiConstraints(t.constraints),
  };
}

/** Constraints as api.Constraint, only when the job has some (as volumes: a job without reads back without). */
function toApiConstraints(cs: readonly Constraint[] | undefined): { Constraints?: ApiConstraint[] } {
  return cs ? { Constraints: cs.map((c) => ({ LTarget: c.lTarget, RTarget: c.rTarget, Operand: c.operand })) } : {};
}

function toApiIdentity(i: WorkloadIdentity): ApiWorkloadIdentity {
  return {
    Name: i.name,
    Audience: [...i.audience],
    ChangeMode: i.changeMode,
    ChangeSignal: i.changeSignal,
    Env: i.env,
    File: i.file,
    Filepath: i.filepath,
    ServiceName: i.serviceName,
    TTL: i.ttlMs * NS_PER_MS,
    ExtraClaims: i.extraClaims.length === 0 ? null : [...i.extraClaims],
  };
}

function toApiTemplate(t: TemplateSpec): ApiTemplate {
  const s = t.changeScript;
  return {
    SourcePath: t.sourcePath,
    DestPath: t.destPath,
    EmbeddedTmpl: t.embeddedTmpl,
    ChangeMode: t.changeMode,
    ChangeSignal: t.changeSignal,
    ChangeScript: s
      ? { Command: s.command, Args: [...s.args], Timeout: s.timeoutMs * NS_PER_MS, FailOnError: s.failOnError, RunOnFirstRender: s.runOnFirstRender }
      : null,
    Splay: t.splayMs * NS_PER_MS,
    Perms: t.perms,
    Uid: t.uid ?? null,
    Gid: t.gid ?? null,
    LeftDelim: t.leftDelim,
    RightDelim: t.rightDelim,
    Envvars: t.envvars,
    VaultGrace: 0,
    Wait: t.wait
      ? { Min: t.wait.minMs === undefined ? null : t.wait.minMs * NS_PER_MS, Max: t.wait.maxMs === undefined ? null : t.wait.maxMs * NS_PER_MS }
      : null,
    ErrMissingKey: t.errMissingKey,
    Once: t.once,
  };
}

function toApiRestart(r: RestartPolicy): ApiRestartPolicy {
  return {
    Interval: r.intervalMs * NS_PER_MS,
    Attempts: r.attempts,
    Delay: r.delayMs * NS_PER_MS,
    Mode: r.mode,
    RenderTemplates: r.renderTemplates ?? false,
  };
}

/** Periodic, ParameterizedJob and the child fields, only when set (a plain job reads back without them). */
function childJobFields(job: Job): Partial<ApiJob> {
  const out: Partial<ApiJob> = {};
  const p = job.periodic;
  if (p) {
    out.Periodic = { Enabled: p.enabled, Spec: p.spec, Specs: [...p.specs], SpecType: 'cron', ProhibitOverlap: p.prohibitOverlap, TimeZone: p.timeZone };
  }
  const d = job.parameterized;
  if (d) out.ParameterizedJob = { Payload: d.payload, MetaRequired: [...d.metaRequired], MetaOptional: [...d.metaOptional] };
  if (job.parentId !== undefined) out.ParentID = job.parentId;
  if (job.dispatched !== undefined) out.Dispatched = job.dispatched;
  if (job.payload !== undefined) out.Payload = job.payload;
  if (job.dispatchIdempotencyToken !== undefined) out.DispatchIdempotencyToken = job.dispatchIdempotencyToken;
  return out;
}

function toApiVolume(v: VolumeRequest): ApiVolumeRequest {
  return {
    Name: v.name,
    Type: v.type,
    Source: v.source,
    ReadOnly: v.readOnly,
    PerAlloc: v.perAlloc,
    AccessMode: v.accessMode,
    AttachmentMode: v.attachmentMode,
    ...(v.mountOptions ? { MountOptions: { FSType: v.mountOptions.fsType, MountFlags: [...v.mountOptions.mountFlags] } } : {}),
  };
}

function toApiVolumeMount(m: VolumeMount): ApiVolumeMount {
  return { Volume: m.volume, Destination: m.destination, ReadOnly: m.readOnly, PropagationMode: m.propagationMode, SELinuxLabel: m.selinuxLabel };
}
