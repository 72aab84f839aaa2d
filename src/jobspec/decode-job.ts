/**
 * The job file's top level and job "id" { } → Job, with Nomad's defaults
 * (api/jobs.go Canonicalize) and checks (nomad/structs Job.Validate).
 */
import { suggest, type DriverSchemas, type Job, type JobType, type TaskGroup } from '../model/index.js';
import { checkTypeRules, decodeGroup, decodeLoneTask } from './decode-group.js';
import { BodyReader } from './fields.js';
import { FILE_NAMES, JOB_NAMES } from './names.js';
import type { HclBody } from './parse.js';
import type { Report } from './report.js';

const JOB_TYPES: readonly JobType[] = ['service', 'batch', 'system', 'sysbatch'];
/** Nomad's priority bounds (JobMinPriority; job_max_priority's default). */
const MIN_PRIORITY = 1;
const MAX_PRIORITY = 100;
const DEFAULT_PRIORITY = 50;

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
  if (id === '') report.error(path, 'Missing job ID');
  else if (id.includes(' ')) report.error(r.has('id') ? r.field('id') : path, 'Job ID contains a space');
  else if (id.includes('\0')) report.error(path, 'Job ID contains a null character');

  const name = r.string('name') ?? id;
  const type = decodeType(r);
  const region = r.string('region') ?? 'global';
  if (region === '') report.error(r.field('region'), 'Missing job region');
  const namespace = r.string('namespace') ?? 'default';
  if (namespace === '') report.error(r.field('namespace'), 'Job must be in a namespace');
  const datacenters = r.stringList('datacenters') ?? ['*'];
  if (datacenters.length === 0) report.error(r.field('datacenters'), 'Missing job datacenters');
  if (datacenters.some((d) => d === '')) report.error(r.field('datacenters'), 'Job datacenter must be non-empty string');
  const priority = r.int('priority') ?? DEFAULT_PRIORITY;
  if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    report.error(r.field('priority'), `job priority must be between [${MIN_PRIORITY}, ${MAX_PRIORITY}], got ${priority}`);
  }
  for (const stanza of ['periodic', 'parameterized']) {
    if (raw[stanza] !== undefined && type !== 'batch' && type !== 'sysbatch') {
      report.error(r.field(stanza), `${stanza === 'periodic' ? 'Periodic' : 'Parameterized job'} can only be used with "batch" or "sysbatch" scheduler`);
    }
  }
  checkTypeRules(report, type, path, raw);

  const ctx = { report, jobType: type, drivers };
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
    else report.error(`${path}.group.${g.label}`, `Job task group ${i + 1} redefines '${g.label}' from group ${prev + 1}`, g.linePath);
  });
  const groups: TaskGroup[] = all.map((g) => g.group);
  return { id, name, type, namespace, region, datacenters, priority, meta: r.stringMap('meta') ?? {}, groups };
}

function decodeType(r: BodyReader): JobType {
  const type = r.string('type') ?? 'service';
  if ((JOB_TYPES as readonly string[]).includes(type)) return type as JobType;
  r.report.error(r.field('type'), `Invalid job type: "${type}"; must be one of ${JOB_TYPES.join(', ')}${suggest(type, JOB_TYPES)}`);
  return 'service';
}
