/**
 * Nomad's api.Job JSON (api/jobs.go, api/tasks.go, api/resources.go) → drover's
 * Job, decoded straight from the JSON: PascalCase fields, durations in ns,
 * null meaning unset. Defaults and checks are the shared job rules
 * (model/job-rules.ts) the HCL jobspec applies too; problems name the JSON
 * field path (`Job.TaskGroups[0].Tasks[1].KillTimeout`). Nomad fields drover
 * does not run are warnings when set; names Nomad does not know are errors.
 */
import {
  DEFAULT_DISK_MB,
  ephemeralDiskProblem,
  DEFAULT_KILL_TIMEOUT_MS,
  DEFAULT_LOGS,
  DEFAULT_PRIORITY,
  ValidationError,
  canonicalArtifact,
  canonicalResources,
  defaultRestart,
  driverConfigProblems,
  duplicateGroupProblem,
  groupProblems,
  groupTaskProblems,
  isJobType,
  isLifecycleHook,
  jobProblems,
  jobTypeProblem,
  lifecycleHookProblem,
  logProblems,
  resourceProblems,
  restartModeProblem,
  restartProblems,
  RESTART_MODES,
  stanzaTypeProblem,
  taskNameProblems,
  type Artifact,
  type Constraint,
  type DriverSchemas,
  type FieldProblem,
  type Job,
  type JobType,
  type Lifecycle,
  type LogConfig,
  type Resources,
  type RestartPolicy,
  type Task,
  type TaskGroup,
  type TypedStanza,
  type NetworkSpec,
  portLabels,
  canonicalIdentity,
  splitIdentities,
  type IdentityField,
  type WorkloadIdentity,
} from '../../model/index.js';
import { decodeApiTemplates } from './api-to-templates.js';
import { CHILD_JOB_KEYS, decodeApiChildJobFields, decodeApiDispatchPayload } from './api-to-child-job.js';
import { decodeApiGroupServices, decodeApiNetworks, decodeApiTaskServices, type JsonPortLedger } from './api-to-services.js';
import { decodeApiVolumeMounts, decodeApiVolumes } from './api-to-volumes.js';
import { decodeApiConstraints } from './api-to-constraints.js';
import { apiGroupReschedule, decodeApiReschedule, type ApiRescheduleBlock } from './api-to-reschedule.js';
import { apiScalingMin, decodeApiGroupLimits } from './api-group-limits.js';
import { apiGroupUpdate, decodeApiUpdate } from './api-to-update.js';
import { isJsonObject, isZero, JsonProblems, JsonReader, describeJson, type JsonFields } from './json-reader.js';

/** A decoded job and the warnings for Nomad fields drover ignores. */
export interface DecodedApiJob {
  readonly job: Job;
  readonly warnings: FieldProblem[];
}

const JOB: JsonFields = {
  decoded: ['Region', 'Namespace', 'ID', 'Name', 'Type', 'Priority', 'Datacenters', 'Meta', 'TaskGroups', 'Constraints', 'Update', 'Reschedule', ...CHILD_JOB_KEYS],
  ignored: [
    'AllAtOnce', 'NodePool', 'Multiregion', 'Migrate', 'UI',
  ],
  server: [
    // Nothing to choose between on one node: accepted without a warning.
    'Affinities', 'Spreads',
    'Stop', 'ConsulNamespace', 'VaultNamespace', 'NomadTokenID',
    'Status', 'StatusDescription', 'Stable', 'Version', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'VersionTag',
    'ConsulToken', 'VaultToken', 'Submission',
  ],
};
const GROUP: JsonFields = {
  decoded: ['Name', 'Count', 'Meta', 'RestartPolicy', 'ShutdownDelay', 'EphemeralDisk', 'Tasks', 'Networks', 'Services', 'Volumes', 'Constraints',
    'MaxRunDuration', 'Scaling', 'Update', 'ReschedulePolicy'],
  server: ['Affinities', 'Spreads'],
  ignored: [
    'Disconnect', 'Migrate',
    'StopAfterClientDisconnect', 'MaxClientDisconnect', 'Consul', 'PreventRescheduleOnLost',
  ],
};
const TASK: JsonFields = {
  decoded: [
    'Name', 'Driver', 'User', 'Lifecycle', 'Config', 'Env', 'Resources', 'RestartPolicy', 'Meta', 'KillTimeout', 'LogConfig',
    'Artifacts', 'Leader', 'ShutdownDelay', 'KillSignal', 'Services', 'Templates', 'Identity', 'Identities', 'DispatchPayload', 'VolumeMounts',
    'Constraints',
  ],
  server: ['Affinities'],
  ignored: [
    'Vault', 'Consul', 'CSIPluginConfig',
    'Kind', 'ScalingPolicies', 'Secrets', 'Actions', 'Schedule',
  ],
};
const RESTART: JsonFields = { decoded: ['Interval', 'Attempts', 'Delay', 'Mode', 'RenderTemplates'] };
const DISK: JsonFields = { decoded: ['SizeMB', 'Sticky', 'Migrate'] };
const RESOURCES: JsonFields = {
  decoded: ['CPU', 'Cores', 'MemoryMB', 'MemoryMaxMB', 'DiskMB', 'Networks'],
  ignored: ['Devices', 'NUMA', 'SecretsMB', 'IOPS'],
};
const LOGS: JsonFields = { decoded: ['MaxFiles', 'MaxFileSizeMB', 'Enabled', 'Disabled'] };
const LIFECYCLE: JsonFields = { decoded: ['Hook', 'Sidecar'] };
const IDENTITY: JsonFields = {
  decoded: ['Name', 'Audience', 'ChangeMode', 'ChangeSignal', 'Env', 'File', 'Filepath', 'ServiceName', 'TTL', 'ExtraClaims'],
};
/** JSON names of the identity fields the shared rules name. */
const IDENTITY_FIELDS: Readonly<Record<IdentityField, string>> = {
  name: 'Name', aud: 'Audience', change_mode: 'ChangeMode', change_signal: 'ChangeSignal', ttl: 'TTL', filepath: 'Filepath',
};
const ARTIFACT: JsonFields = {
  decoded: ['GetterSource', 'GetterOptions', 'GetterHeaders', 'GetterMode', 'RelativeDest'],
  ignored: ['GetterInsecure', 'Chown'],
};

/** JSON names of the model fields the shared rules name. */
const RESOURCE_FIELDS: Readonly<Record<keyof Resources, string>> = { cpu: 'CPU', cores: 'Cores', memoryMb: 'MemoryMB', memoryMaxMb: 'MemoryMaxMB' };
const LOG_FIELDS = { maxFiles: 'MaxFiles', maxFileSizeMb: 'MaxFileSizeMB' } as const;
const ARTIFACT_FIELDS = { source: 'GetterSource', mode: 'GetterMode', destination: 'RelativeDest' } as const;
const JOB_RULE_FIELDS = { id: 'ID', region: 'Region', namespace: 'Namespace', datacenters: 'Datacenters', priority: 'Priority' } as const;
/** Job-type-restricted stanzas and their JSON names, at job and group level. */
const TYPED_STANZAS: readonly (readonly [TypedStanza, string])[] = [
  ['update', 'Update'], ['migrate', 'Migrate'], ['reschedule', 'Reschedule'], ['reschedule', 'ReschedulePolicy'],
  ['periodic', 'Periodic'], ['parameterized', 'ParameterizedJob'],
];

/** Decodes a JSON job; throws ValidationError naming every bad field. */
export function fromApiJob(raw: unknown, drivers: DriverSchemas): DecodedApiJob {
  if (!isJsonObject(raw)) throw new ValidationError([{ field: 'Job', message: `expected an object, got ${describeJson(raw)}` }]);
  const problems = new JsonProblems();
  const job = decodeJob(new JsonReader(problems, 'Job', raw, JOB), drivers);
  if (problems.errors.length > 0) throw new ValidationError(problems.errors);
  return { job, warnings: problems.warnings };
}

function decodeJob(r: JsonReader, drivers: DriverSchemas): Job {
  const id = r.string('ID') ?? '';
  const typeName = r.string('Type') ?? 'service';
  let type: JobType = 'service';
  if (isJobType(typeName)) type = typeName;
  else r.problems.error(r.field('Type'), jobTypeProblem(typeName) ?? '');
  const datacenters = r.stringList('Datacenters') ?? [];
  const fields = {
    id,
    region: r.string('Region') ?? 'global',
    namespace: r.string('Namespace') ?? 'default',
    // Nomad's Canonicalize: no datacenters means all of them.
    datacenters: datacenters.length === 0 ? ['*'] : datacenters,
    priority: r.int('Priority') ?? DEFAULT_PRIORITY,
  };
  for (const p of jobProblems(fields)) r.problems.error(r.field(JOB_RULE_FIELDS[p.field]), p.message);
  checkTypedStanzas(r, type);

  const groupReaders = r.list('TaskGroups', GROUP);
  if (groupReaders.length === 0 && !r.problems.errors.some((e) => e.field.startsWith(r.field('TaskGroups')))) {
    r.problems.error(r.field('TaskGroups'), 'Missing job task groups');
  }
  const groups: TaskGroup[] = [];
  const seen = new Map<string, number>();
  const jobUpdate = decodeApiUpdate(r);
  const reschedule = type === 'system' || type === 'sysbatch' ? undefined : decodeApiReschedule(r, 'Reschedule');
  groupReaders.forEach((g, i) => {
    const group = decodeGroup(g, { jobType: type, jobName: r.string('Name') ?? id, jobUpdate, reschedule }, drivers);
    const first = seen.get(group.name);
    if (first === undefined) seen.set(group.name, i);
    else r.problems.error(g.path, duplicateGroupProblem(group.name, i, first));
    groups.push(group);
  });
  const constraints = decodeApiConstraints(r, 'job');
  return {
    ...fields, name: r.string('Name') ?? id, type, meta: r.stringMap('Meta') ?? {}, groups, ...decodeApiChildJobFields(r),
    ...(constraints.length > 0 ? { constraints } : {}),
  };
}

/** Update, Migrate, Reschedule, Periodic, ParameterizedJob: only some job types allow them. */
function checkTypedStanzas(r: JsonReader, type: JobType): void {
  for (const [stanza, key] of TYPED_STANZAS) {
    const problem = !isZero(r.raw[key]) ? stanzaTypeProblem(stanza, type) : undefined;
    if (problem) r.problems.error(r.field(key), problem);
  }
}

function decodeGroup(
  g: JsonReader,
  job: { jobType: JobType; jobName: string; jobUpdate: ReturnType<typeof decodeApiUpdate>; reschedule: ApiRescheduleBlock | undefined },
  drivers: DriverSchemas,
): TaskGroup {
  const { jobType } = job;
  const reschedule = apiGroupReschedule(g, jobType, job.reschedule);
  const name = requiredName(g);
  const count = g.int('Count') ?? apiScalingMin(g) ?? 1;
  for (const p of groupProblems(name, count, jobType)) g.problems.error(p.field === 'name' ? g.field('Name') : g.field('Count'), p.message);
  checkTypedStanzas(g, jobType);
  const update = apiGroupUpdate(g, jobType, count, job.jobUpdate);

  const restartReader = g.nested('RestartPolicy', RESTART);
  const restart = { ...defaultRestart(jobType), ...(restartReader && decodeRestart(restartReader)) };
  for (const message of restartProblems(restart)) g.problems.error(restartReader?.path ?? g.path, message);

  const disk = decodeApiEphemeralDisk(g);
  const diskMb = disk?.ephemeralDiskMb;

  const ports = { labels: new Map<string, string>(), statics: new Map<string, string>() };
  const networks = decodeApiNetworks(g, ports, 'taskgroup network');
  const groupLabels = portLabels(networks);
  const taskReaders = g.list('Tasks', TASK);
  if (taskReaders.length === 0 && !g.has('Tasks')) g.problems.error(g.field('Tasks'), `Missing tasks for task group ${name}`);
  const volumes = decodeApiVolumes(g, jobType);
  const taskCtx = { groupRestart: restart, drivers, jobName: job.jobName, groupName: name, ports, groupLabels, groupVolumes: new Set(volumes.map((v) => v.name)) };
  const tasks = taskReaders.map((t) => decodeTask(t, taskCtx));
  for (const p of groupTaskProblems(tasks, diskMb ?? DEFAULT_DISK_MB)) {
    const task = p.task === undefined ? undefined : taskReaders[p.task];
    const at = !task ? g.path : p.field === 'logs' ? task.field('LogConfig') : p.field === 'leader' ? task.field('Leader') : task.path;
    g.problems.error(at, p.message);
  }
  return {
    name,
    count,
    meta: g.stringMap('Meta') ?? {},
    restart,
    shutdownDelayMs: g.durationNs('ShutdownDelay') ?? 0,
    ...disk,
    networks,
    services: decodeApiGroupServices(g, { job: job.jobName, group: name }, tasks, groupLabels),
    tasks,
    ...(volumes.length > 0 ? { volumes } : {}),
    ...withConstraints(decodeApiConstraints(g, 'group')),
    ...(reschedule ? { reschedule } : {}),
    ...decodeApiGroupLimits(g, jobType, count),
    ...(update ? { update } : {}),
  };
}

/** api.EphemeralDisk {SizeMB, Sticky, Migrate} canonicalized as Nomad does (300 MB, false, false); undefined when absent. */
/** `{ constraints }` only when there are some, so a job without reads back without. */
function withConstraints(constraints: Constraint[]): { constraints?: Constraint[] } {
  return constraints.length > 0 ? { constraints } : {};
}

function decodeApiEphemeralDisk(g: JsonReader): Pick<TaskGroup, 'ephemeralDiskMb' | 'ephemeralDiskSticky' | 'ephemeralDiskMigrate'> | undefined {
  const r = g.nested('EphemeralDisk', DISK);
  if (!r) return undefined;
  const size = r.int('SizeMB') ?? DEFAULT_DISK_MB;
  const problem = ephemeralDiskProblem(size);
  if (problem) r.problems.error(r.field('SizeMB'), problem);
  return { ephemeralDiskMb: size, ephemeralDiskSticky: r.bool('Sticky') ?? false, ephemeralDiskMigrate: r.bool('Migrate') ?? false };
}

/** What a task needs from its group. */
interface TaskContext {
  readonly groupRestart: RestartPolicy;
  readonly drivers: DriverSchemas;
  readonly jobName: string;
  readonly groupName: string;
  readonly ports: JsonPortLedger;
  readonly groupLabels: ReadonlySet<string>;
  readonly groupVolumes: ReadonlySet<string>;
}

function decodeTask(t: JsonReader, ctx: TaskContext): Task {
  const { groupRestart, drivers } = ctx;
  const name = requiredName(t);
  for (const message of taskNameProblems(name)) t.problems.error(t.field('Name'), message);
  const driver = t.string('Driver') ?? '';
  const config = t.object('Config') ?? {};
  if (driver === '') t.problems.error(t.field('Driver'), 'Missing task driver');
  else {
    const paths = { driverField: t.field('Driver'), configPath: t.field('Config') };
    for (const p of driverConfigProblems(driver, config, drivers, paths)) t.problems.error(p.field, p.message);
  }

  const restartReader = t.nested('RestartPolicy', RESTART);
  const restart = { ...groupRestart, ...(restartReader && decodeRestart(restartReader)) };
  if (restartReader) for (const message of restartProblems(restart)) t.problems.error(restartReader.path, message);

  const lifecycle = decodeLifecycle(t);
  const dispatchPayload = decodeApiDispatchPayload(t);
  const { resources, networks } = decodeResources(t, ctx.ports, name);
  const labels = new Set([...ctx.groupLabels, ...portLabels(networks)]);
  const services = decodeApiTaskServices(t, { job: ctx.jobName, group: ctx.groupName, task: name }, labels);
  const volumeMounts = decodeApiVolumeMounts(t, ctx.groupVolumes);
  return {
    name,
    driver,
    config,
    env: t.stringMap('Env') ?? {},
    meta: t.stringMap('Meta') ?? {},
    user: t.string('User') ?? '',
    resources,
    killTimeoutMs: t.durationNs('KillTimeout') ?? DEFAULT_KILL_TIMEOUT_MS,
    killSignal: t.string('KillSignal') ?? '',
    restart,
    ...(lifecycle ? { lifecycle } : {}),
    ...(dispatchPayload ? { dispatchPayload } : {}),
    leader: t.bool('Leader') ?? false,
    logs: decodeLogs(t),
    artifacts: t.list('Artifacts', ARTIFACT).map(decodeArtifact),
    templates: decodeApiTemplates(t),
    shutdownDelayMs: t.durationNs('ShutdownDelay') ?? 0,
    services,
    networks,
    ...decodeIdentities(t),
    ...(volumeMounts.length > 0 ? { volumeMounts } : {}),
    ...withConstraints(decodeApiConstraints(t, 'task')),
  };
}

/** Task.Identity (the default identity) and Task.Identities, split and checked as Nomad's Task.Canonicalize and Validate do. */
function decodeIdentities(t: JsonReader): { identity?: WorkloadIdentity; identities?: WorkloadIdentity[] } {
  const first = t.nested('Identity', IDENTITY);
  const readers = [...(first ? [first] : []), ...t.list('Identities', IDENTITY)];
  const split = splitIdentities(
    readers.map((r) =>
      canonicalIdentity({
        name: r.string('Name'),
        audience: r.stringList('Audience'),
        changeMode: r.string('ChangeMode'),
        changeSignal: r.string('ChangeSignal'),
        env: r.bool('Env'),
        file: r.bool('File'),
        filepath: r.string('Filepath'),
        ttlMs: r.durationNs('TTL'),
        serviceName: r.string('ServiceName'),
        extraClaims: r.stringList('ExtraClaims'),
      }),
    ),
  );
  const at = (p: { field: IdentityField | 'block'; index: number }): string => {
    const r = readers[p.index] as JsonReader;
    return p.field === 'block' ? r.path : r.field(IDENTITY_FIELDS[p.field]);
  };
  for (const p of split.problems) t.problems.error(at(p), p.message);
  for (const w of split.warnings) t.problems.warn(at(w), w.message);
  return { ...(split.identity ? { identity: split.identity } : {}), ...(split.identities.length > 0 ? { identities: split.identities } : {}) };
}

/** The fields a RestartPolicy sets (each level overrides only those). */
function decodeRestart(r: JsonReader): Partial<RestartPolicy> {
  const out: { -readonly [K in keyof RestartPolicy]?: RestartPolicy[K] } = {};
  const attempts = r.int('Attempts');
  if (attempts !== undefined) {
    if (attempts < 0) r.problems.error(r.field('Attempts'), `attempts must not be negative, got ${attempts}`);
    else out.attempts = attempts;
  }
  const interval = r.durationNs('Interval');
  if (interval !== undefined) out.intervalMs = interval;
  const delay = r.durationNs('Delay');
  if (delay !== undefined) out.delayMs = delay;
  const mode = r.string('Mode');
  // Nomad's canonical JSON writes "" for an unset mode.
  if (mode !== undefined && mode !== '') {
    const known = RESTART_MODES.find((m) => m === mode);
    if (known) out.mode = known;
    else r.problems.error(r.field('Mode'), restartModeProblem(mode) ?? '');
  }
  // false is the default and what drover's own JSON writes for "unset": keep jobs from HCL and JSON equal.
  if (r.bool('RenderTemplates') === true) out.renderTemplates = true;
  return out;
}

function decodeResources(t: JsonReader, ports: JsonPortLedger, task: string): { resources: Resources; networks: NetworkSpec[] } {
  const r = t.nested('Resources', RESOURCES);
  if (!r) return { resources: canonicalResources({}), networks: [] };
  const resources = canonicalResources({ cpu: r.int('CPU'), cores: r.int('Cores'), memoryMb: r.int('MemoryMB'), memoryMaxMb: r.int('MemoryMaxMB') });
  for (const p of resourceProblems(resources)) r.problems.error(r.field(RESOURCE_FIELDS[p.field]), p.message);
  // Nomad's HTTP API drops a task-level DiskMB too (ApiResourcesToStructs): say so rather than pretend.
  if ((r.int('DiskMB') ?? 0) > 0) r.problems.warn(r.field('DiskMB'), 'task-level DiskMB is ignored (as by Nomad); request disk with the group\'s EphemeralDisk');
  return { resources, networks: decodeApiNetworks(r, ports, task) };
}

function decodeLifecycle(t: JsonReader): Lifecycle | undefined {
  const r = t.nested('Lifecycle', LIFECYCLE);
  if (!r) return undefined;
  const hook = r.string('Hook') ?? '';
  const sidecar = r.bool('Sidecar') ?? false;
  // Nomad's TaskLifecycle.Empty(): no hook means no lifecycle (canonical JSON may carry {"Hook": ""}).
  if (hook === '' && !sidecar) return undefined;
  if (isLifecycleHook(hook)) return { hook, sidecar };
  r.problems.error(r.field('Hook'), lifecycleHookProblem(hook) ?? '');
  return undefined;
}

function decodeLogs(t: JsonReader): LogConfig {
  const r = t.nested('LogConfig', LOGS);
  if (!r) return DEFAULT_LOGS;
  // Enabled is Nomad's deprecated spelling; Disabled wins when both are set.
  const enabled = r.bool('Enabled');
  const logs: LogConfig = {
    maxFiles: r.int('MaxFiles') ?? DEFAULT_LOGS.maxFiles,
    maxFileSizeMb: r.int('MaxFileSizeMB') ?? DEFAULT_LOGS.maxFileSizeMb,
    disabled: r.bool('Disabled') ?? (enabled === undefined ? false : !enabled),
  };
  for (const p of logProblems(logs)) r.problems.error(r.field(LOG_FIELDS[p.field]), p.message);
  return logs;
}

function decodeArtifact(r: JsonReader): Artifact {
  const { artifact, problems } = canonicalArtifact({
    source: r.string('GetterSource'),
    destination: r.string('RelativeDest'),
    mode: r.string('GetterMode'),
    options: r.stringMap('GetterOptions'),
    headers: r.stringMap('GetterHeaders'),
  });
  for (const p of problems) r.problems.error(r.field(ARTIFACT_FIELDS[p.field]), p.message);
  return artifact;
}

/** A group's or task's Name, which the JSON must carry (HCL takes it from the block label). */
function requiredName(r: JsonReader): string {
  const name = r.string('Name');
  if (name === undefined || name === '') r.problems.error(r.field('Name'), 'missing name');
  return name ?? '';
}
