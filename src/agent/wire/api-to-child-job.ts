/** Nomad's api.Job Periodic, ParameterizedJob, child fields and api.Task DispatchPayload → the model, with the jobspec's checks. */
import {
  dispatchFileProblem,
  isDispatchPayload,
  parameterizedProblems,
  periodicShapeProblems,
  type DispatchPayloadConfig,
  type Job,
  type ParameterizedConfig,
  type PeriodicConfig,
} from '../../model/index.js';
import { cronSpecProblem, timeZoneProblem } from '../../jobspec/cron.js';
import type { JsonFields, JsonReader } from './json-reader.js';

const PERIODIC: JsonFields = { decoded: ['Enabled', 'Spec', 'Specs', 'SpecType', 'ProhibitOverlap', 'TimeZone'] };
const PARAMETERIZED: JsonFields = { decoded: ['Payload', 'MetaRequired', 'MetaOptional'] };
const DISPATCH_PAYLOAD: JsonFields = { decoded: ['File'] };
const PERIODIC_FIELDS = { cron: 'Spec', crons: 'Specs' } as const;
const PARAMETERIZED_FIELDS = { payload: 'Payload', meta_optional: 'MetaOptional' } as const;

/** The job fields drover decodes for periodic, parameterized and dispatched jobs. */
export const CHILD_JOB_KEYS = ['Periodic', 'ParameterizedJob', 'ParentID', 'Dispatched', 'DispatchIdempotencyToken', 'Payload'] as const;

type ChildJobFields = Pick<Job, 'periodic' | 'parameterized' | 'parentId' | 'dispatched' | 'payload' | 'dispatchIdempotencyToken'>;

export function decodeApiChildJobFields(r: JsonReader): ChildJobFields {
  const periodic = decodePeriodic(r);
  const parameterized = decodeParameterized(r);
  const parentId = r.string('ParentID');
  const dispatched = r.bool('Dispatched');
  const payload = r.string('Payload');
  const token = r.string('DispatchIdempotencyToken');
  return {
    ...(periodic ? { periodic } : {}),
    ...(parameterized ? { parameterized } : {}),
    // Empty strings and false are Nomad's "unset" in canonical JSON.
    ...(parentId ? { parentId } : {}),
    ...(dispatched ? { dispatched } : {}),
    ...(payload ? { payload } : {}),
    ...(token ? { dispatchIdempotencyToken: token } : {}),
  };
}

function decodePeriodic(job: JsonReader): PeriodicConfig | undefined {
  const r = job.nested('Periodic', PERIODIC);
  if (!r) return undefined;
  const specType = r.string('SpecType') ?? 'cron';
  if (specType !== 'cron') r.problems.error(r.field('SpecType'), `Unknown periodic specification type "${specType}"`);
  const p: PeriodicConfig = {
    enabled: r.bool('Enabled') ?? true,
    spec: r.string('Spec') ?? '',
    specs: r.stringList('Specs') ?? [],
    prohibitOverlap: r.bool('ProhibitOverlap') ?? false,
    timeZone: r.string('TimeZone') ?? 'UTC',
  };
  if (!p.enabled) return p;
  for (const problem of periodicShapeProblems(p)) r.problems.error(r.field(PERIODIC_FIELDS[problem.field]), problem.message);
  const tz = timeZoneProblem(p.timeZone);
  if (tz) r.problems.error(r.field('TimeZone'), tz);
  if (p.spec !== '') {
    const bad = cronSpecProblem(p.spec);
    if (bad) r.problems.error(r.field('Spec'), bad);
  }
  p.specs.forEach((spec, i) => {
    const bad = cronSpecProblem(spec);
    if (bad) r.problems.error(`${r.field('Specs')}[${i}]`, bad);
  });
  return p;
}

function decodeParameterized(job: JsonReader): ParameterizedConfig | undefined {
  const r = job.nested('ParameterizedJob', PARAMETERIZED);
  if (!r) return undefined;
  const payload = r.string('Payload') || 'optional';
  const metaRequired = r.stringList('MetaRequired') ?? [];
  const metaOptional = r.stringList('MetaOptional') ?? [];
  for (const p of parameterizedProblems(payload, metaRequired, metaOptional)) r.problems.error(r.field(PARAMETERIZED_FIELDS[p.field]), p.message);
  return { payload: isDispatchPayload(payload) ? payload : 'optional', metaRequired, metaOptional };
}

export function decodeApiDispatchPayload(t: JsonReader): DispatchPayloadConfig | undefined {
  const r = t.nested('DispatchPayload', DISPATCH_PAYLOAD);
  if (!r) return undefined;
  const file = r.string('File') ?? '';
  const bad = dispatchFileProblem(file);
  if (bad) r.problems.error(r.field('File'), bad);
  return { file };
}
