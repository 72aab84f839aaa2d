/**
 * group "name" { } → TaskGroup: count, restart (merged over the job type's
 * default), tasks, and Nomad's group-level rules (TaskGroup.Validate): unique
 * task names, one leader at most, at least one main task, logs fit the disk.
 */
import {
  DEFAULT_DISK_MB,
  defaultRestart,
  ephemeralDiskProblem,
  groupProblems,
  groupTaskProblems,
  stanzaTypeProblem,
  type JobType,
  type DriverSchemas,
  type Task,
  type TaskGroup,
  type ServiceSpec,
  type UpdateStrategy,
  groupServiceProblems,
  portLabels,
  uniqueServiceProblem,
  resolveUpdateStrategy,
} from '../model/index.js';
import { BodyReader, isObject, type Labeled, type Report } from '../hcl/index.js';
import { checkRestart, decodeRestart, mergeRestart } from './decode-restart.js';
import { decodeTask } from './decode-task.js';
import { decodeNetworks, newPortLedger } from './decode-network.js';
import { decodeServices, reportServiceProblems } from './decode-service.js';
import { EPHEMERAL_DISK_NAMES, GROUP_NAMES } from './names.js';
import { decodeVolumes } from './decode-volume.js';
import { decodeConstraints } from './decode-constraint.js';
import { decodeRescheduleBlock, groupReschedulePolicy, type RescheduleBlock } from './decode-reschedule.js';
import { decodeGroupLimits } from './decode-group-limits.js';
import { groupUpdateStrategy } from './decode-update.js';

/** What a group needs from its job and the caller. */
export interface GroupContext {
  readonly report: Report;
  readonly jobType: JobType;
  readonly drivers: DriverSchemas | undefined;
  readonly jobName: string;
  /** The job's update { } fields and where it is written, when it has one. */
  readonly jobUpdate?: { readonly fields: Partial<UpdateStrategy> | undefined; readonly path: string };
  /** The job-level reschedule block, merged into every group's. */
  readonly jobReschedule?: RescheduleBlock | undefined;
}

/** Decodes one group "name" { } block. */
export function decodeGroup(ctx: GroupContext, name: string, path: string, raw: Record<string, unknown>): TaskGroup {
  const { report } = ctx;
  const r = new BodyReader(report, path, raw, GROUP_NAMES, 'group');
  const count = r.int('count') ?? scalingMin(raw) ?? 1;
  for (const p of groupProblems(name, count, ctx.jobType)) report.error(p.field === 'name' ? path : r.field(p.field), p.message);
  checkTypeRules(report, ctx.jobType, path, raw);
  const constraints = decodeConstraints(r, 'group');
  const reschedule = groupReschedulePolicy(report, ctx.jobType, ctx.jobReschedule, decodeRescheduleBlock(r));
  const limits = decodeGroupLimits(r, ctx.jobType, count);
  const update = groupUpdateStrategy(r, ctx.jobType, count, ctx.jobUpdate);

  const restartRaw = r.block('restart');
  const restart = mergeRestart(defaultRestart(ctx.jobType), restartRaw && decodeRestart(report, r.field('restart'), restartRaw));
  checkRestart(report, restartRaw ? r.field('restart') : path, restart);

  const ports = newPortLedger();
  const networks = decodeNetworks(r, ports, 'taskgroup network');
  const groupPortLabels = portLabels(networks);
  const volumes = decodeVolumes(r, ctx.jobType);
  const groupVolumes = new Set(volumes.map((v) => v.name));
  const taskCtx = { report, groupRestart: restart, drivers: ctx.drivers, jobName: ctx.jobName, groupName: name, ports, groupPortLabels, groupVolumes };
  const labeled = r.labeled('task', 'task');
  // A duplicate is decoded under its own `task.x[1]` path so its problems point at it.
  const tasks = labeled.map((t) => decodeTask(taskCtx, t.label, t.occurrence > 0 ? t.linePath : t.path, t.body));
  if (labeled.length === 0) report.error(path, `Missing tasks for task group ${name}: add a task "name" { ... } block`);
  const disk = decodeEphemeralDisk(r);
  checkTasks(report, path, labeled, tasks, disk?.ephemeralDiskMb ?? DEFAULT_DISK_MB);
  const services = decodeGroupServices(r, ctx.jobName, name, tasks, groupPortLabels);

  return {
    name,
    count,
    meta: r.stringMap('meta') ?? {},
    restart,
    shutdownDelayMs: r.duration('shutdown_delay') ?? 0,
    ...disk,
    networks,
    services,
    tasks,
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(constraints.length > 0 ? { constraints } : {}),
    ...(reschedule ? { reschedule } : {}),
    ...limits,
    ...(update ? { update } : {}),
  };
}

/** Builds a group for a task written directly in the job (Nomad's jobspec2 shorthand). */
export function decodeLoneTask(ctx: GroupContext, t: Labeled): TaskGroup {
  const restart = defaultRestart(ctx.jobType);
  const taskCtx = { report: ctx.report, groupRestart: restart, drivers: ctx.drivers, jobName: ctx.jobName, groupName: t.label, ports: newPortLedger(), groupPortLabels: new Set<string>() };
  const task = decodeTask(taskCtx, t.label, t.path, t.body);
  checkTasks(ctx.report, t.path, [t], [task], DEFAULT_DISK_MB);
  const update = ctx.jobType === 'service' || ctx.jobType === 'system' ? resolveUpdateStrategy(ctx.jobUpdate?.fields, undefined) : undefined;
  const reschedule = groupReschedulePolicy(ctx.report, ctx.jobType, ctx.jobReschedule, undefined);
  return {
    name: t.label,
    count: 1,
    meta: {},
    restart,
    shutdownDelayMs: 0,
    networks: [],
    services: [],
    tasks: [task],
    ...(update ? { update } : {}),
    ...(reschedule ? { reschedule } : {}),
  };
}

/** Group services, checked with Nomad's group rules and for uniqueness and one provider across the group. */
function decodeGroupServices(r: BodyReader, jobName: string, group: string, tasks: readonly Task[], labels: ReadonlySet<string>): ServiceSpec[] {
  const decoded = decodeServices(r, { job: jobName, group });
  const services = decoded.map((d) => d.service);
  const ctx = { group, taskNames: tasks.map((t) => t.name), portLabels: labels };
  for (const p of groupServiceProblems(services, ctx)) {
    const d = decoded[p.service];
    if (d) reportServiceProblems(r.report, d.path, d.checkPaths, [p]);
  }
  const all = [...services.map((service) => ({ service, task: 'group' })), ...tasks.flatMap((t) => t.services.map((service) => ({ service, task: t.name })))];
  const unique = uniqueServiceProblem(all);
  if (unique) r.report.error(decoded[0]?.path ?? r.path, unique);
  return services;
}

/** Stanzas Nomad allows only for some job types (TaskGroup.Validate / Job.Validate). */
export function checkTypeRules(report: Report, type: JobType, path: string, raw: Record<string, unknown>): void {
  for (const stanza of ['update', 'migrate', 'reschedule'] as const) {
    const problem = raw[stanza] !== undefined ? stanzaTypeProblem(stanza, type) : undefined;
    if (problem) report.error(`${path}.${stanza}`, problem);
  }
}

function checkTasks(report: Report, path: string, labeled: Labeled[], tasks: Task[], diskMb: number): void {
  for (const p of groupTaskProblems(tasks, diskMb)) {
    const t = p.task === undefined ? undefined : labeled[p.task];
    if (!t) report.error(path, p.message);
    else if (p.field === '') report.error(t.path, p.message, t.linePath);
    else report.error(`${t.path}.${p.field}`, p.message, `${t.linePath}.${p.field}`);
  }
}

type EphemeralDiskFields = Required<Pick<TaskGroup, 'ephemeralDiskMb' | 'ephemeralDiskSticky' | 'ephemeralDiskMigrate'>>;

/** ephemeral_disk { size sticky migrate } with Nomad's defaults (300 MB, not sticky) filled in; undefined without the block. */
function decodeEphemeralDisk(g: BodyReader): EphemeralDiskFields | undefined {
  const raw = g.block('ephemeral_disk');
  if (!raw) return undefined;
  const at = g.field('ephemeral_disk');
  const r = new BodyReader(g.report, at, raw, EPHEMERAL_DISK_NAMES, 'ephemeral_disk');
  const size = r.int('size') ?? DEFAULT_DISK_MB;
  const problem = ephemeralDiskProblem(size);
  if (problem) g.report.error(r.field('size'), problem);
  return { ephemeralDiskMb: size, ephemeralDiskSticky: r.bool('sticky') ?? false, ephemeralDiskMigrate: r.bool('migrate') ?? false };
}

/** Nomad sets count from scaling.min when count is unset. */
function scalingMin(raw: Record<string, unknown>): number | undefined {
  const scaling = raw['scaling'];
  const first: unknown = Array.isArray(scaling) ? scaling[0] : undefined;
  const min = isObject(first) ? first['min'] : undefined;
  return typeof min === 'number' && Number.isInteger(min) ? min : undefined;
}
