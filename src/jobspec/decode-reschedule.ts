/**
 * reschedule { } blocks: the job-level block and then the group's override the
 * job type's default field by field (api.TaskGroup.Canonicalize); the merged
 * policy is checked with ReschedulePolicy.Validate's rules.
 */
import { delayFunctionProblem, DELAY_FUNCTIONS, mergeReschedule, rescheduleProblems, type JobType, type ReschedulePolicy, type RescheduleOverride } from '../model/index.js';
import { BodyReader, type Report } from '../hcl/index.js';
import { RESCHEDULE_NAMES } from './names.js';

/** A reschedule block as written, and where. */
export interface RescheduleBlock {
  readonly path: string;
  readonly fields: RescheduleOverride;
  /** Messages already reported at this block: a job-level problem is said once, not once per group. */
  readonly reported: Set<string>;
}

/** Decodes the fields the `reschedule` block of `r` sets; undefined without one. */
export function decodeRescheduleBlock(r: BodyReader): RescheduleBlock | undefined {
  const raw = r.block('reschedule');
  if (!raw) return undefined;
  const path = r.field('reschedule');
  const b = new BodyReader(r.report, path, raw, RESCHEDULE_NAMES, 'reschedule');
  const fields: RescheduleOverride = {};
  const attempts = b.int('attempts');
  if (attempts !== undefined) fields.attempts = attempts;
  const interval = b.duration('interval');
  if (interval !== undefined) fields.intervalMs = interval;
  const delay = b.duration('delay');
  if (delay !== undefined) fields.delayMs = delay;
  const fn = b.string('delay_function');
  if (fn !== undefined) {
    const known = DELAY_FUNCTIONS.find((f) => f === fn);
    if (known) fields.delayFunction = known;
    else r.report.error(b.field('delay_function'), delayFunctionProblem(fn) ?? '');
  }
  const maxDelay = b.duration('max_delay');
  if (maxDelay !== undefined) fields.maxDelayMs = maxDelay;
  const unlimited = b.bool('unlimited');
  if (unlimited !== undefined) fields.unlimited = unlimited;
  return { path, fields, reported: new Set() };
}

/**
 * The group's policy when the job or the group wrote a block (undefined otherwise: the type's
 * default applies), its problems reported at the block that set the group's last word.
 */
export function groupReschedulePolicy(report: Report, type: JobType, job: RescheduleBlock | undefined, group: RescheduleBlock | undefined): ReschedulePolicy | undefined {
  if (!job && !group) return undefined;
  // System and sysbatch jobs refuse the block itself (checkTypeRules).
  if (type === 'system' || type === 'sysbatch') return undefined;
  const policy = mergeReschedule(type, job?.fields, group?.fields);
  const at = (group ?? job) as RescheduleBlock;
  for (const message of rescheduleProblems(policy)) {
    if (at.reported.has(message)) continue;
    at.reported.add(message);
    report.error(at.path, message);
  }
  return policy;
}
