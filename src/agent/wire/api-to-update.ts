/** Nomad's api.UpdateStrategy JSON (durations in ns) at job and group level → the group's UpdateStrategy. */
import { maxParallelWarning, resolveUpdateStrategy, updateStrategyProblems, type JobType, type UpdateStrategy } from '../../model/index.js';
import type { JsonFields, JsonReader } from './json-reader.js';

const UPDATE: JsonFields = {
  decoded: ['Stagger', 'MaxParallel', 'HealthCheck', 'MinHealthyTime', 'HealthyDeadline', 'ProgressDeadline', 'AutoRevert', 'AutoPromote', 'Canary'],
};

/** JSON names of the fields the rules name. */
const FIELDS: Readonly<Record<string, string>> = {
  stagger: 'Stagger', max_parallel: 'MaxParallel', health_check: 'HealthCheck', min_healthy_time: 'MinHealthyTime',
  healthy_deadline: 'HealthyDeadline', progress_deadline: 'ProgressDeadline', auto_promote: 'AutoPromote', canary: 'Canary',
};

type Fields = { -readonly [K in keyof UpdateStrategy]?: UpdateStrategy[K] };

/** The fields `Update` sets under `r` (undefined when absent or null). */
export function decodeApiUpdate(r: JsonReader): { fields: Partial<UpdateStrategy>; reader: JsonReader } | undefined {
  const u = r.nested('Update', UPDATE);
  if (!u) return undefined;
  const out: Fields = {};
  const set = <K extends keyof UpdateStrategy>(k: K, v: UpdateStrategy[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('staggerMs', u.durationNs('Stagger'));
  set('maxParallel', u.int('MaxParallel'));
  set('healthCheck', u.string('HealthCheck') as UpdateStrategy['healthCheck'] | undefined);
  set('minHealthyTimeMs', u.durationNs('MinHealthyTime'));
  set('healthyDeadlineMs', u.durationNs('HealthyDeadline'));
  set('progressDeadlineMs', u.durationNs('ProgressDeadline'));
  set('autoRevert', u.bool('AutoRevert'));
  set('autoPromote', u.bool('AutoPromote'));
  set('canary', u.int('Canary'));
  return { fields: out, reader: u };
}

/** The group's strategy (service and system jobs), checked with Nomad's messages at the Update that set it. */
export function apiGroupUpdate(g: JsonReader, jobType: JobType, count: number, jobLevel: ReturnType<typeof decodeApiUpdate>): UpdateStrategy | undefined {
  if (jobType !== 'service' && jobType !== 'system') return undefined;
  const own = decodeApiUpdate(g);
  const update = resolveUpdateStrategy(jobLevel?.fields, own?.fields);
  const at = own?.reader ?? jobLevel?.reader;
  if (at) for (const p of updateStrategyProblems(update)) g.problems.error(at.field(FIELDS[p.field] ?? p.field), p.message);
  const warning = maxParallelWarning(update, count);
  if (warning) g.problems.warn(g.path, warning);
  return update;
}
