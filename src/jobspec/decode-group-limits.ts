/**
 * A group's max_run_duration and scaling { } from HCL, checked with Nomad's
 * jobspec2 rules (max is required, type must be "horizontal") and its
 * TaskGroup.Validate rules (src/model/group-limits.ts).
 */
import { maxRunDurationProblems, scalingProblems, type GroupScaling, type JobType, type TaskGroup } from '../model/index.js';
import { BodyReader, isObject } from '../hcl/index.js';
import { SCALING_NAMES } from './names.js';

/** `{ maxRunDurationMs?, scaling? }` as written in the group (absent keys when unset). */
export function decodeGroupLimits(g: BodyReader, jobType: JobType, count: number): Pick<TaskGroup, 'maxRunDurationMs' | 'scaling'> {
  const out: { maxRunDurationMs?: number; scaling?: GroupScaling } = {};
  const ms = g.duration('max_run_duration');
  if (ms !== undefined) {
    for (const m of maxRunDurationProblems(ms, jobType)) g.report.error(g.field('max_run_duration'), m);
    out.maxRunDurationMs = ms;
  }
  const raw = g.block('scaling');
  if (raw) {
    const scaling = decodeScaling(new BodyReader(g.report, g.field('scaling'), raw, SCALING_NAMES, 'scaling'), count);
    if (scaling) out.scaling = scaling;
  }
  return out;
}

function decodeScaling(r: BodyReader, count: number): GroupScaling | undefined {
  const type = r.string('type');
  if (type !== undefined && type !== 'horizontal') r.report.error(r.field('type'), `task group scaling policy had invalid type: ${JSON.stringify(type)}`);
  const max = r.int('max');
  if (max === undefined && !r.has('max')) r.report.error(r.field('max'), 'The argument "max" is required, but no definition was found.');
  if (max === undefined) return undefined;
  // Nomad defaults min to the group's count.
  const min = r.int('min') ?? count;
  const policy = r.block('policy');
  const scaling: GroupScaling = { min, max, enabled: r.bool('enabled') ?? true, ...(policy && isObject(policy) ? { policy } : {}) };
  for (const m of scalingProblems(scaling, count)) r.report.error(r.path, m);
  return scaling;
}
