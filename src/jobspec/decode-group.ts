/**
 * group "name" { } → TaskGroup: count, restart (merged over the job type's
 * default), tasks, and Nomad's group-level rules (TaskGroup.Validate): unique
 * task names, one leader at most, at least one main task, logs fit the disk.
 */
import type { DriverSchemas, JobType, Task, TaskGroup } from '../model/index.js';
import { checkRestart, decodeRestart, defaultRestart, mergeRestart } from './decode-restart.js';
import { decodeTask } from './decode-task.js';
import { BodyReader, type Labeled } from './fields.js';
import { GROUP_NAMES } from './names.js';
import type { Report } from './report.js';
import { isObject } from './substitute.js';

/** What a group needs from its job and the caller. */
export interface GroupContext {
  readonly report: Report;
  readonly jobType: JobType;
  readonly drivers: DriverSchemas | undefined;
}

/** Nomad's default ephemeral_disk size (api.DefaultEphemeralDisk), which task logs must fit in. */
const DEFAULT_DISK_MB = 300;

/** Decodes one group "name" { } block. */
export function decodeGroup(ctx: GroupContext, name: string, path: string, raw: Record<string, unknown>): TaskGroup {
  const { report } = ctx;
  const r = new BodyReader(report, path, raw, GROUP_NAMES, 'group');
  if (name.includes('\0')) report.error(path, 'Task group name contains null character');

  const count = r.int('count') ?? scalingMin(raw) ?? 1;
  if (count < 0) report.error(r.field('count'), `Task group count can't be negative, got ${count}`);
  if (ctx.jobType === 'system' && count > 1) {
    report.error(r.field('count'), `Job task group ${name} has count ${count}. Count cannot exceed 1 with system scheduler`);
  }
  checkTypeRules(report, ctx.jobType, path, raw);

  const restartRaw = r.block('restart');
  const restart = mergeRestart(defaultRestart(ctx.jobType), restartRaw && decodeRestart(report, r.field('restart'), restartRaw));
  checkRestart(report, restartRaw ? r.field('restart') : path, restart);

  const taskCtx = { report, groupRestart: restart, drivers: ctx.drivers };
  const labeled = r.labeled('task', 'task');
  // A duplicate is decoded under its own `task.x[1]` path so its problems point at it.
  const tasks = labeled.map((t) => decodeTask(taskCtx, t.label, t.occurrence > 0 ? t.linePath : t.path, t.body));
  if (labeled.length === 0) report.error(path, `Missing tasks for task group ${name}: add a task "name" { ... } block`);
  checkTasks(report, path, labeled, tasks, diskMb(r));

  return { name, count, meta: r.stringMap('meta') ?? {}, restart, shutdownDelayMs: r.duration('shutdown_delay') ?? 0, tasks };
}

/** Builds a group for a task written directly in the job (Nomad's jobspec2 shorthand). */
export function decodeLoneTask(ctx: GroupContext, t: Labeled): TaskGroup {
  const restart = defaultRestart(ctx.jobType);
  const task = decodeTask({ report: ctx.report, groupRestart: restart, drivers: ctx.drivers }, t.label, t.path, t.body);
  checkTasks(ctx.report, t.path, [t], [task], DEFAULT_DISK_MB);
  return { name: t.label, count: 1, meta: {}, restart, shutdownDelayMs: 0, tasks: [task] };
}

/** Stanzas Nomad allows only for some job types (TaskGroup.Validate / Job.Validate). */
export function checkTypeRules(report: Report, type: JobType, path: string, raw: Record<string, unknown>): void {
  if (raw['update'] !== undefined && type !== 'service' && type !== 'system') {
    report.error(`${path}.update`, `Job type "${type}" does not allow update block`);
  }
  if (raw['migrate'] !== undefined && type !== 'service') {
    report.error(`${path}.migrate`, `Job type "${type}" does not allow migrate block`);
  }
  if (raw['reschedule'] !== undefined && (type === 'system' || type === 'sysbatch')) {
    report.error(`${path}.reschedule`, 'System or sysbatch jobs should not have a reschedule policy');
  }
}

function checkTasks(report: Report, path: string, labeled: Labeled[], tasks: Task[], diskMb: number): void {
  let leaders = 0;
  labeled.forEach((t, i) => {
    const task = tasks[i] as Task;
    if (t.occurrence > 0) {
      const first = labeled.findIndex((o) => o.label === t.label);
      report.error(t.path, `Task ${i + 1} redefines '${t.label}' from task ${first + 1}`, t.linePath);
    }
    if (task.leader && ++leaders > 1) report.error(`${t.path}.leader`, 'Only one task may be marked as leader', `${t.linePath}.leader`);
    const logMb = task.logs.maxFiles * task.logs.maxFileSizeMb;
    if (logMb >= diskMb) {
      report.error(`${t.path}.logs`, `log storage (${logMb} MB) must be less than requested disk capacity (${diskMb} MB)`, `${t.linePath}.logs`);
    }
  });
  if (tasks.length > 0 && !tasks.some((t) => t.lifecycle === undefined)) {
    report.error(path, `Task group must have at least one main task (one without a lifecycle block)`);
  }
}

/** ephemeral_disk.size (drover ignores the block otherwise, but Nomad checks task logs against it). */
function diskMb(r: BodyReader): number {
  const disk = r.raw['ephemeral_disk'];
  const first = Array.isArray(disk) ? disk[0] : undefined;
  const size = isObject(first) ? Number(first['size']) : NaN;
  return Number.isFinite(size) ? size : DEFAULT_DISK_MB;
}

/** Nomad sets count from scaling.min when count is unset. */
function scalingMin(raw: Record<string, unknown>): number | undefined {
  const scaling = raw['scaling'];
  const first = Array.isArray(scaling) ? scaling[0] : undefined;
  const min = isObject(first) ? first['min'] : undefined;
  return typeof min === 'number' && Number.isInteger(min) ? min : undefined;
}
