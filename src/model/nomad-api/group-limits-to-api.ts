/** A group's MaxRunDuration (ns) and Scaling (Nomad's api.ScalingPolicy), only when the job set them. */
import type { Job, TaskGroup } from '../job.js';
import type { ApiScalingPolicy } from './scaling.js';

const NS_PER_MS = 1_000_000;

export function toApiGroupLimits(g: TaskGroup, job: Pick<Job, 'id' | 'namespace'>): { MaxRunDuration?: number; Scaling?: ApiScalingPolicy } {
  return {
    ...(g.maxRunDurationMs === undefined ? {} : { MaxRunDuration: g.maxRunDurationMs * NS_PER_MS }),
    ...(g.scaling ? { Scaling: toApiScaling(g, job) } : {}),
  };
}

/** The group's scaling policy as Nomad returns it, Target filled in. */
export function toApiScaling(g: TaskGroup, job: Pick<Job, 'id' | 'namespace'>): ApiScalingPolicy {
  const s = g.scaling;
  return {
    Min: s?.min ?? null,
    Max: s?.max ?? null,
    Policy: s?.policy ? { ...s.policy } : null,
    Enabled: s?.enabled ?? null,
    Type: 'horizontal',
    Target: { Namespace: job.namespace, Job: job.id, Group: g.name },
  };
}
