/**
 * api.ReschedulePolicy JSON (job-level Reschedule, group-level ReschedulePolicy)
 * → the group's merged policy, as api.TaskGroup.Canonicalize merges them and
 * ReschedulePolicy.Validate checks the result.
 */
import { delayFunctionProblem, DELAY_FUNCTIONS, mergeReschedule, rescheduleProblems, type JobType, type ReschedulePolicy, type RescheduleOverride } from '../../model/index.js';
import type { JsonFields, JsonReader } from './json-reader.js';

export const RESCHEDULE_FIELDS: JsonFields = { decoded: ['Attempts', 'Interval', 'Delay', 'DelayFunction', 'MaxDelay', 'Unlimited'] };

/** The fields one ReschedulePolicy object sets, and where it is. */
export interface ApiRescheduleBlock {
  readonly path: string;
  readonly fields: RescheduleOverride;
}

/** Decodes `key` of `r` (Reschedule or ReschedulePolicy); undefined when absent or null. */
export function decodeApiReschedule(r: JsonReader, key: string): ApiRescheduleBlock | undefined {
  const b = r.nested(key, RESCHEDULE_FIELDS);
  if (!b) return undefined;
  const fields: RescheduleOverride = {};
  const attempts = b.int('Attempts');
  if (attempts !== undefined) fields.attempts = attempts;
  const interval = b.durationNs('Interval');
  if (interval !== undefined) fields.intervalMs = interval;
  const delay = b.durationNs('Delay');
  if (delay !== undefined) fields.delayMs = delay;
  const fn = b.string('DelayFunction');
  // Nomad's canonical JSON of a type that does not reschedule writes "".
  if (fn !== undefined && fn !== '') {
    const known = DELAY_FUNCTIONS.find((f) => f === fn);
    if (known) fields.delayFunction = known;
    else b.problems.error(b.field('DelayFunction'), delayFunctionProblem(fn) ?? '');
  }
  const maxDelay = b.durationNs('MaxDelay');
  if (maxDelay !== undefined) fields.maxDelayMs = maxDelay;
  const unlimited = b.bool('Unlimited');
  if (unlimited !== undefined) fields.unlimited = unlimited;
  return { path: b.path, fields };
}

/** The group's policy when the job or group set one (undefined: the type's default applies), its problems reported. */
export function apiGroupReschedule(g: JsonReader, type: JobType, job: ApiRescheduleBlock | undefined): ReschedulePolicy | undefined {
  const group = decodeApiReschedule(g, 'ReschedulePolicy');
  if ((!job && !group) || type === 'system' || type === 'sysbatch') return undefined;
  const policy = mergeReschedule(type, job?.fields, group?.fields);
  for (const message of rescheduleProblems(policy)) g.problems.error((group ?? job)?.path ?? g.path, message);
  return policy;
}
