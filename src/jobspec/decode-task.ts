/**
 * task "name" { } → Task, with Nomad's defaults (api/tasks.go Canonicalize)
 * and checks (nomad/structs Task.Validate): driver and its config schema,
 * resources, lifecycle, logs, artifacts, restart.
 */
import { posix } from 'node:path';
import {
  DEFAULT_KILL_TIMEOUT_MS,
  DEFAULT_LOGS,
  DEFAULT_RESOURCES,
  decodeSpec,
  suggest,
  type Artifact,
  type ArtifactMode,
  type Lifecycle,
  type LifecycleHook,
  type LogConfig,
  type DriverSchemas,
  type Resources,
  type RestartPolicy,
  type Task,
} from '../model/index.js';
import { checkRestart, decodeRestart, mergeRestart } from './decode-restart.js';
import { BodyReader } from './fields.js';
import { ARTIFACT_NAMES, LIFECYCLE_NAMES, LOGS_NAMES, RESOURCES_NAMES, TASK_NAMES } from './names.js';
import type { Report } from './report.js';

/** What a task needs from its group and the caller. */
export interface TaskContext {
  readonly report: Report;
  readonly groupRestart: RestartPolicy;
  /** Absent: driver and config {} are left to the agent. */
  readonly drivers: DriverSchemas | undefined;
}

/** Nomad's minimums (structs.MinResources). */
const MIN_CPU = 1;
const MIN_MEMORY_MB = 10;
/** memory_max = -1 means "no hard limit" in Nomad. */
const MEMORY_NO_LIMIT = -1;
const HOOKS: readonly LifecycleHook[] = ['prestart', 'poststart', 'poststop'];
const ARTIFACT_MODES: readonly ArtifactMode[] = ['any', 'file', 'dir'];

/** Decodes one task; problems go to the report (the returned Task is still filled with defaults). */
export function decodeTask(ctx: TaskContext, name: string, path: string, raw: Record<string, unknown>): Task {
  const { report } = ctx;
  const r = new BodyReader(report, path, raw, TASK_NAMES, 'task');
  if (name === 'alloc') report.error(path, 'Task cannot be named "alloc"');
  if (/[/\\]/.test(name)) report.error(path, 'Task name cannot include slashes');
  if (name.includes('\0')) report.error(path, 'Task name cannot include null characters');

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
  return {
    name,
    driver,
    config,
    env: r.stringMap('env') ?? {},
    meta: r.stringMap('meta') ?? {},
    user: r.string('user') ?? '',
    resources: decodeResources(r),
    killTimeoutMs: r.duration('kill_timeout') ?? DEFAULT_KILL_TIMEOUT_MS,
    killSignal: r.string('kill_signal') ?? '',
    restart,
    ...(lifecycle ? { lifecycle } : {}),
    leader: r.bool('leader') ?? false,
    logs: decodeLogs(r),
    artifacts: r.blocks('artifact').map((b) => decodeArtifact(report, b.path, b.body)),
    shutdownDelayMs: r.duration('shutdown_delay') ?? 0,
  };
}

/** Unknown driver → error with a suggestion; known driver → config {} checked against its schema. */
function checkDriverConfig(ctx: TaskContext, r: BodyReader, driver: string, config: Record<string, unknown>): void {
  if (!ctx.drivers) return;
  const known = ctx.drivers.names();
  if (!known.includes(driver)) {
    ctx.report.error(r.field('driver'), `unknown driver "${driver}"${suggest(driver, known)}`);
    return;
  }
  const schema = ctx.drivers.taskConfigSchema(driver);
  if (!schema) return;
  // Validate now (interpolation pending); Task.config keeps the raw block, decoded again at task start.
  const { problems } = decodeSpec(schema, config, r.field('config'), { allowInterpolation: true });
  for (const p of problems) ctx.report.error(p.field, p.message);
}

function decodeResources(task: BodyReader): Resources {
  const raw = task.block('resources');
  if (!raw) return DEFAULT_RESOURCES;
  const { report } = task;
  const r = new BodyReader(report, task.field('resources'), raw, RESOURCES_NAMES, 'resources');
  const cores = r.int('cores');
  // Nomad: cpu defaults to 100 only when neither cpu nor cores is written.
  const cpu = r.int('cpu') ?? (cores === undefined ? DEFAULT_RESOURCES.cpu : 0);
  const memoryMb = r.int('memory') ?? DEFAULT_RESOURCES.memoryMb;
  const memoryMaxMb = r.int('memory_max') ?? 0;
  if (cores !== undefined && cores < 0) report.error(r.field('cores'), `cores value (${cores}) cannot be negative`);
  if ((cores ?? 0) > 0 && cpu > 0) report.error(r.field('cores'), "Task can only ask for 'cpu' or 'cores' resource, not both.");
  if (cpu < MIN_CPU && (cores ?? 0) === 0) report.error(r.field('cpu'), `minimum CPU value is ${MIN_CPU}; got ${cpu}`);
  if (memoryMb < MIN_MEMORY_MB) report.error(r.field('memory'), `minimum MemoryMB value is ${MIN_MEMORY_MB}; got ${memoryMb}`);
  if (memoryMaxMb !== 0 && memoryMaxMb !== MEMORY_NO_LIMIT && memoryMaxMb < memoryMb) {
    report.error(r.field('memory_max'), `memory_max (${memoryMaxMb} MB) should be larger than memory (${memoryMb} MB)`);
  }
  // Nomad's HTTP API drops a task-level disk before validating (ApiResourcesToStructs), so jobs
  // that still carry the pre-0.5 attribute run there: warn, as the value has no effect.
  if ((r.int('disk') ?? 0) > 0) {
    report.warn(r.field('disk'), 'task-level "disk" is ignored (as by Nomad); request disk with the group\'s ephemeral_disk block');
  }
  return { cpu, cores: cores ?? 0, memoryMb, memoryMaxMb };
}

function decodeLifecycle(task: BodyReader): Lifecycle | undefined {
  const raw = task.block('lifecycle');
  if (!raw) return undefined;
  const r = new BodyReader(task.report, task.field('lifecycle'), raw, LIFECYCLE_NAMES, 'lifecycle');
  const hook = r.string('hook') ?? '';
  const sidecar = r.bool('sidecar') ?? false;
  if (hook === '') {
    task.report.error(r.field('hook'), 'no lifecycle hook provided: hook must be "prestart", "poststart" or "poststop"');
    return undefined;
  }
  if (!(HOOKS as readonly string[]).includes(hook)) {
    task.report.error(r.field('hook'), `invalid hook "${hook}"; must be "prestart", "poststart" or "poststop"${suggest(hook, HOOKS)}`);
    return undefined;
  }
  return { hook: hook as LifecycleHook, sidecar };
}

function decodeLogs(task: BodyReader): LogConfig {
  const raw = task.block('logs');
  if (!raw) return DEFAULT_LOGS;
  const r = new BodyReader(task.report, task.field('logs'), raw, LOGS_NAMES, 'logs');
  const maxFiles = r.int('max_files') ?? DEFAULT_LOGS.maxFiles;
  const maxFileSizeMb = r.int('max_file_size') ?? DEFAULT_LOGS.maxFileSizeMb;
  if (maxFiles < 1) task.report.error(r.field('max_files'), `minimum number of files is 1; got ${maxFiles}`);
  if (maxFileSizeMb < 1) task.report.error(r.field('max_file_size'), `minimum file size is 1MB; got ${maxFileSizeMb}`);
  // `enabled` is Nomad's deprecated spelling; `disabled` wins when both are written.
  const enabled = r.bool('enabled');
  const disabled = r.bool('disabled') ?? (enabled === undefined ? false : !enabled);
  return { maxFiles, maxFileSizeMb, disabled };
}

function decodeArtifact(report: Report, path: string, raw: Record<string, unknown>): Artifact {
  const r = new BodyReader(report, path, raw, ARTIFACT_NAMES, 'artifact');
  const source = r.string('source') ?? '';
  if (source === '') report.error(r.field('source'), 'source must be specified');
  let mode = (r.string('mode') ?? 'any') as ArtifactMode;
  if (!ARTIFACT_MODES.includes(mode)) {
    report.error(r.field('mode'), `invalid artifact mode "${mode}"; must be one of: any, file, dir${suggest(mode, ARTIFACT_MODES)}`);
    mode = 'any';
  }
  // Nomad: file mode defaults to local/<source's base name>, the others to local/.
  const destination = r.string('destination') ?? (mode === 'file' ? posix.join('local', posix.basename(source)) : 'local/');
  if (!posix.join('/alloc/task', destination).startsWith('/alloc/')) {
    report.error(r.field('destination'), 'destination escapes allocation directory');
  }
  return { source, destination, mode, options: r.stringMap('options') ?? {}, headers: r.stringMap('headers') ?? {} };
}
