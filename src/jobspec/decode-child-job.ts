/** periodic { }, parameterized { } (job level) and dispatch_payload { } (task level), with Nomad's checks. */
import {
  dispatchFileProblem,
  isDispatchPayload,
  parameterizedProblems,
  periodicShapeProblems,
  type DispatchPayloadConfig,
  type ParameterizedConfig,
  type PeriodicConfig,
} from '../model/index.js';
import { BodyReader } from '../hcl/index.js';
import { cronSpecProblem, timeZoneProblem } from './cron.js';
import { DISPATCH_PAYLOAD_NAMES, PARAMETERIZED_NAMES, PERIODIC_NAMES } from './names.js';

export function decodePeriodic(job: BodyReader): PeriodicConfig | undefined {
  const raw = job.block('periodic');
  if (!raw) return undefined;
  const r = new BodyReader(job.report, job.field('periodic'), raw, PERIODIC_NAMES, 'periodic');
  const p: PeriodicConfig = {
    enabled: r.bool('enabled') ?? true,
    spec: r.string('cron') ?? '',
    specs: r.stringList('crons') ?? [],
    prohibitOverlap: r.bool('prohibit_overlap') ?? false,
    timeZone: r.string('time_zone') ?? 'UTC',
  };
  if (!p.enabled) return p;
  for (const problem of periodicShapeProblems(p)) r.report.error(r.has(problem.field) ? r.field(problem.field) : r.path, problem.message);
  const tz = timeZoneProblem(p.timeZone);
  if (tz) r.report.error(r.field('time_zone'), tz);
  if (p.spec !== '') {
    const bad = cronSpecProblem(p.spec);
    if (bad) r.report.error(r.field('cron'), bad);
  }
  p.specs.forEach((spec, i) => {
    const bad = cronSpecProblem(spec);
    if (bad) r.report.error(`${r.field('crons')}[${i}]`, bad, r.field('crons'));
  });
  return p;
}

export function decodeParameterized(job: BodyReader): ParameterizedConfig | undefined {
  const raw = job.block('parameterized');
  if (!raw) return undefined;
  const r = new BodyReader(job.report, job.field('parameterized'), raw, PARAMETERIZED_NAMES, 'parameterized');
  const payload = r.string('payload') ?? 'optional';
  const metaRequired = r.stringList('meta_required') ?? [];
  const metaOptional = r.stringList('meta_optional') ?? [];
  for (const p of parameterizedProblems(payload, metaRequired, metaOptional)) r.report.error(r.field(p.field), p.message);
  return { payload: isDispatchPayload(payload) ? payload : 'optional', metaRequired, metaOptional };
}

export function decodeDispatchPayload(task: BodyReader): DispatchPayloadConfig | undefined {
  const raw = task.block('dispatch_payload');
  if (!raw) return undefined;
  const r = new BodyReader(task.report, task.field('dispatch_payload'), raw, DISPATCH_PAYLOAD_NAMES, 'dispatch_payload');
  const file = r.string('file') ?? '';
  const bad = dispatchFileProblem(file);
  if (bad) r.report.error(r.field('file'), bad);
  return { file };
}
