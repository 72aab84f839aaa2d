/**
 * A task group's MaxRunDuration (ns) and Scaling from Nomad's API JSON, with
 * Nomad's canonicalization (Min defaults to the count, Enabled to true, an
 * unset Max fails validation) and TaskGroup.Validate rules.
 */
import { maxRunDurationProblems, scalingProblems, type GroupScaling, type JobType, type TaskGroup } from '../../model/index.js';
import type { JsonFields, JsonReader } from './json-reader.js';

const SCALING: JsonFields = {
  decoded: ['Min', 'Max', 'Enabled', 'Type', 'Policy'],
  server: ['ID', 'Namespace', 'Target', 'CreateIndex', 'ModifyIndex'],
};

export function decodeApiGroupLimits(g: JsonReader, jobType: JobType, count: number): Pick<TaskGroup, 'maxRunDurationMs' | 'scaling'> {
  const out: { maxRunDurationMs?: number; scaling?: GroupScaling } = {};
  if (g.has('MaxRunDuration')) {
    const ns = g.int('MaxRunDuration');
    if (ns !== undefined) {
      // Nomad checks the sign itself ("must be greater than zero"), so a negative value is not the generic duration error.
      for (const m of maxRunDurationProblems(ns, jobType)) g.problems.error(g.field('MaxRunDuration'), m);
      out.maxRunDurationMs = ns / 1e6;
    }
  }
  const r = g.nested('Scaling', SCALING);
  if (r) {
    const type = r.string('Type');
    if (type !== undefined && type !== '' && type !== 'horizontal') r.problems.error(r.field('Type'), `task group scaling policy had invalid type: ${JSON.stringify(type)}`);
    const policy = r.object('Policy');
    const scaling: GroupScaling = {
      min: r.int('Min') ?? count,
      max: r.int('Max') ?? -1,
      enabled: r.bool('Enabled') ?? true,
      ...(policy ? { policy } : {}),
    };
    for (const m of scalingProblems(scaling, count)) r.problems.error(r.path, m);
    out.scaling = scaling;
  }
  return out;
}

/** Scaling.Min, which Nomad's Canonicalize takes as the count when Count is unset. */
export function apiScalingMin(g: JsonReader): number | undefined {
  const s = g.raw['Scaling'];
  const min = typeof s === 'object' && s !== null ? (s as Record<string, unknown>)['Min'] : undefined;
  return typeof min === 'number' && Number.isInteger(min) ? min : undefined;
}
