/**
 * task "name" { } → Task, with Nomad's defaults (api/tasks.go Canonicalize)
 * and checks (nomad/structs Task.Validate): driver and its config schema,
 * resources, lifecycle, logs, artifacts, restart.
 */
import {
  DEFAULT_KILL_TIMEOUT_MS,
  DEFAULT_LOGS,
  DEFAULT_RESOURCES,
  canonicalArtifact,
  canonicalResources,
  driverConfigProblems,
  isLifecycleHook,
  lifecycleHookProblem,
  logProblems,
  resourceProblems,
  taskNameProblems,
  type Artifact,
  type Lifecycle,
  type LogConfig,
  type DriverSchemas,
  type Resources,
  type RestartPolicy,
  type Task,
  type NetworkSpec,
  portLabels,
  taskServiceProblems,
} from '../model/index.js';
import { BodyReader, type Report } from '../hcl/index.js';
import { checkRestart, decodeRestart, mergeRestart } from './decode-restart.js';
import { decodeNetworks, type PortLedger } from './decode-network.js';
import { decodeServices, reportServiceProblems } from './decode-service.js';
import { decodeTemplates } from './decode-template.js';
import { decodeIdentities } from './decode-identity.js';
import { decodeDispatchPayload } from './decode-child-job.js';
import { decodeVolumeMounts } from './decode-volume.js';
import { decodeConstraints } from './decode-constraint.js';
import { ARTIFACT_NAMES, LIFECYCLE_NAMES, LOGS_NAMES, RESOURCES_NAMES, TASK_NAMES } from './names.js';

/** What a task needs from its group and the caller. */
export interface TaskContext {
  readonly report: Report;
  readonly groupRestart: RestartPolicy;
  readonly drivers: DriverSchemas | undefined;
  readonly jobName: string;
  readonly groupName: string;
  /** Port labels and static ports the group handed out (task networks may not reuse them). */
  readonly ports: PortLedger;
  /** Labels of the group's network ports, which task services may name. */
  readonly groupPortLabels: ReadonlySet<string>;
  /** Labels of the group's volume blocks, which volume_mount may name (none for a task written directly in the job). */
  readonly groupVolumes?: ReadonlySet<string>;
}

/** HCL names of the Resources fields, for problems. */
const RESOURCE_FIELDS: Readonly<Record<keyof Resources, string>> = { cpu: 'cpu', cores: 'cores', memoryMb: 'memory', memoryMaxMb: 'memory_max' };
const LOG_FIELDS = { maxFiles: 'max_files', maxFileSizeMb: 'max_file_size' } as const;

/** Decodes one task; problems go to the report (the returned Task is still filled with defaults). */
export function decodeTask(ctx: TaskContext, name: string, path: string, raw: Record<string, unknown>): Task {
  const { report } = ctx;
  const r = new BodyReader(report, path, raw, TASK_NAMES, 'task');
  for (const message of taskNameProblems(name)) report.error(path, message);

  const driver = r.string('driver') ?? '';
  const config = r.block('config') ?? {};
  if (driver === '') {
    if (!r.has('driver')) report.error(r.field('driver'), 'Missing task driver: a task needs driver = "<name>"');
  } else {
    checkDriverConfig(ctx, r, driver, config);
  }

  const restartRaw = r.block('restart');
  const restart = mergeRestart(ctx.groupRestart, restartRaw && decodeRestart(report, r.field('restart'), restartRaw));
  if (restartRaw) checkRestart(report, r.field('restart'), restart);

  const lifecycle = decodeLifecycle(r);
  const dispatchPayload = decodeDispatchPayload(r);
  const { resources, networks } = decodeResources(r, ctx.ports, name);
  const decoded = decodeServices(r, { job: ctx.jobName, group: ctx.groupName, task: name });
  const services = decoded.map((d) => d.service);
  const labels = new Set([...ctx.groupPortLabels, ...portLabels(networks)]);
  for (const p of taskServiceProblems(services, name, labels)) {
    const d = decoded[p.service];
    if (d) reportServiceProblems(report, d.path, d.checkPaths, [p]);
  }
  const volumeMounts = decodeVolumeMounts(r, ctx.groupVolumes ?? new Set());
  const constraints = decodeConstraints(r, 'task');
  return {
    name,
    driver,
    config,
    env: r.stringMap('env') ?? {},
    meta: r.stringMap('meta') ?? {},
    user: r.string('user') ?? '',
    resources,
    killTimeoutMs: r.duration('kill_timeout') ?? DEFAULT_KILL_TIMEOUT_MS,
    killSignal: r.string('kill_signal') ?? '',
    restart,
    ...(lifecycle ? { lifecycle } : {}),
    ...(dispatchPayload ? { dispatchPayload } : {}),
    leader: r.bool('leader') ?? false,
    logs: decodeLogs(r),
    artifacts: r.blocks('artifact').map((b) => decodeArtifact(report, b.path, b.body)),
    templates: decodeTemplates(r),
    shutdownDelayMs: r.duration('shutdown_delay') ?? 0,
    services,
    networks,
    ...decodeIdentities(r),
    ...(volumeMounts.length > 0 ? { volumeMounts } : {}),
    ...(constraints.length > 0 ? { constraints } : {}),
  };
}

/** Unknown driver → error with a suggestion; known driver → config {} checked against its schema. */
function checkDriverConfig(ctx: TaskContext, r: BodyReader, driver: string, config: Record<string, unknown>): void {
  const paths = { driverField: r.field('driver'), configPath: r.field('config') };
  for (const p of driverConfigProblems(driver, config, ctx.drivers, paths)) ctx.report.error(p.field, p.message);
}

/** resources { }, with the deprecated network { } blocks Nomad still allocates ports for. */
function decodeResources(task: BodyReader, ports: PortLedger, name: string): { resources: Resources; networks: NetworkSpec[] } {
  const raw = task.block('resources');
  if (!raw) return { resources: DEFAULT_RESOURCES, networks: [] };
  const { report } = task;
  const r = new BodyReader(report, task.field('resources'), raw, RESOURCES_NAMES, 'resources');
  const resources = canonicalResources({ cpu: r.int('cpu'), cores: r.int('cores'), memoryMb: r.int('memory'), memoryMaxMb: r.int('memory_max') });
  for (const p of resourceProblems(resources)) report.error(r.field(RESOURCE_FIELDS[p.field]), p.message);
  // Nomad's HTTP API drops a task-level disk before validating (ApiResourcesToStructs), so jobs
  // that still carry the pre-0.5 attribute run there: warn, as the value has no effect.
  if ((r.int('disk') ?? 0) > 0) {
    report.warn(r.field('disk'), 'task-level "disk" is ignored (as by Nomad); request disk with the group\'s ephemeral_disk block');
  }
  return { resources, networks: decodeNetworks(r, ports, name) };
}

function decodeLifecycle(task: BodyReader): Lifecycle | undefined {
  const raw = task.block('lifecycle');
  if (!raw) return undefined;
  const r = new BodyReader(task.report, task.field('lifecycle'), raw, LIFECYCLE_NAMES, 'lifecycle');
  const hook = r.string('hook') ?? '';
  const sidecar = r.bool('sidecar') ?? false;
  if (isLifecycleHook(hook)) return { hook, sidecar };
  task.report.error(r.field('hook'), lifecycleHookProblem(hook) ?? '');
  return undefined;
}

function decodeLogs(task: BodyReader): LogConfig {
  const raw = task.block('logs');
  if (!raw) return DEFAULT_LOGS;
  const r = new BodyReader(task.report, task.field('logs'), raw, LOGS_NAMES, 'logs');
  // `enabled` is Nomad's deprecated spelling; `disabled` wins when both are written.
  const enabled = r.bool('enabled');
  const logs: LogConfig = {
    maxFiles: r.int('max_files') ?? DEFAULT_LOGS.maxFiles,
    maxFileSizeMb: r.int('max_file_size') ?? DEFAULT_LOGS.maxFileSizeMb,
    disabled: r.bool('disabled') ?? (enabled === undefined ? false : !enabled),
  };
  for (const p of logProblems(logs)) task.report.error(r.field(LOG_FIELDS[p.field]), p.message);
  return logs;
}

function decodeArtifact(report: Report, path: string, raw: Record<string, unknown>): Artifact {
  const r = new BodyReader(report, path, raw, ARTIFACT_NAMES, 'artifact');
  const { artifact, problems } = canonicalArtifact({
    source: r.string('source'),
    destination: r.string('destination'),
    mode: r.string('mode'),
    options: r.stringMap('options'),
    headers: r.stringMap('headers'),
  });
  for (const p of problems) report.error(r.field(p.field), p.message);
  return artifact;
}
