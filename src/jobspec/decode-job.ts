/**
 * The job file's top level and job "id" { } → Job, with Nomad's defaults
 * (api/jobs.go Canonicalize) and checks (nomad/structs Job.Validate).
 */
import {
  DEFAULT_PRIORITY,
  duplicateGroupProblem,
  isJobType,
  jobProblems,
  jobTypeProblem,
  stanzaTypeProblem,
  type Job,
  type JobType,
  type DriverSchemas,
  type TaskGroup,
} from '../model/index.js';
import { BodyReader, type HclBody, type Report } from '../hcl/index.js';
import { checkTypeRules, decodeGroup, decodeLoneTask } from './decode-group.js';
import { decodeRescheduleBlock } from './decode-reschedule.js';
import { FILE_NAMES, JOB_NAMES } from './names.js';
import { decodeParameterized, decodePeriodic } from './decode-child-job.js';
import { decodeConstraints } from './decode-constraint.js';
import { decodeUpdateBlock } from './decode-update.js';

/** Decodes the (variables-resolved) file body; undefined when there is no usable job block. */
export function decodeJobFile(report: Report, body: HclBody, drivers: DriverSchemas | undefined): Job | undefined {
  const file = new BodyReader(report, '', body, FILE_NAMES, 'the job file');
  const jobs = file.labeled('job', 'job');
  const first = jobs[0];
  if (!first) {
    if (body['job'] === undefined) report.error('job', 'Missing job block: a job block is required');
    return undefined;
  }
  for (const extra of jobs.slice(1)) {
    report.error(extra.path, 'Duplicate job block: only one block of type "job" is allowed', extra.linePath);
  }
  return decodeJob(report, first.label, first.path, first.body, drivers);
}

function decodeJob(
  report: Report,
  label: string,
  path: string,
  raw: Record<string, unknown>,
  drivers: DriverSchemas | undefined,
): Job {
  const r = new BodyReader(report, path, raw, JOB_NAMES, 'job');
  const id = r.string('id') ?? label;
  const name = r.string('name') ?? id;
  const type = decodeType(r);
  const region = r.string('region') ?? 'global';
  const namespace = r.string('namespace') ?? 'default';
  const datacenters = r.stringList('datacenters') ?? ['*'];
  const priority = r.int('priority') ?? DEFAULT_PRIORITY;
  for (const p of jobProblems({ id, region, namespace, datacenters, priority })) {
    // An ID problem points at `id = ...` when written, else at the job's label (a space in the label is on that line too).
    const at = p.field !== 'id' ? r.field(p.field) : id.includes(' ') && r.has('id') ? r.field('id') : path;
    report.error(at, p.message);
  }
  for (const stanza of ['periodic', 'parameterized'] as const) {
    const problem = raw[stanza] !== undefined ? stanzaTypeProblem(stanza, type) : undefined;
    if (problem) report.error(r.field(stanza), problem);
  }
  checkTypeRules(report, type, path, raw);
  const constraints = decodeConstraints(r, 'job');

  const jobUpdate = { fields: decodeUpdateBlock(r), path: r.field('update') };
  const ctx = { report, jobType: type, drivers, jobName: name, jobUpdate, jobReschedule: decodeRescheduleBlock(r) };
  // Tasks written directly in the job become groups of their own, placed first (as jobspec2 does).
  const lone = r.labeled('task', 'task').map((t) => ({ label: t.label, linePath: t.linePath, group: decodeLoneTask(ctx, t) }));
  const grouped = r.labeled('group', 'group').map((g) => ({
    label: g.label,
    linePath: g.linePath,
    group: decodeGroup(ctx, g.label, g.occurrence > 0 ? g.linePath : g.path, g.body),
  }));
  const all = [...lone, ...grouped];
  if (all.length === 0) report.error(path, 'Missing job task groups: add a group "name" { ... } block');
  const seen = new Map<string, number>();
  all.forEach((g, i) => {
    const prev = seen.get(g.label);
    if (prev === undefined) seen.set(g.label, i);
    else report.error(`${path}.group.${g.label}`, duplicateGroupProblem(g.label, i, prev), g.linePath);
  });
  const groups: TaskGroup[] = all.map((g) => g.group);
  const periodic = decodePeriodic(r);
  const parameterized = decodeParameterized(r);
  return {
    id, name, type, namespace, region, datacenters, priority, meta: r.stringMap('meta') ?? {}, groups,
    ...(periodic ? { periodic } : {}),
    ...(parameterized ? { parameterized } : {}),
    ...(constraints.length > 0 ? { constraints } : {}),
  };
}

function decodeType(r: BodyReader): JobType {
  const type = r.string('type') ?? 'service';
  if (isJobType(type)) return type;
  r.report.error(r.field('type'), jobTypeProblem(type) ?? '');
  return 'service';
}
