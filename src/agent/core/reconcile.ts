/**
 * Plans what a job registration does to this node's allocations (a one-node
 * reduction of Nomad's reconciler): which allocations to place, which to
 * stop, and which to update in place. Pure: the agent applies the plan.
 */
import type { Job } from '../../model/job.js';
import type { AllocRecord } from '../state/state-db.js';
import { destructiveChange } from './task-diff.js';

/** One allocation to create. */
export interface Placement {
  readonly group: string;
  readonly index: number;
}

/** One allocation to stop, with Nomad's DesiredDescription. */
export interface Stop {
  readonly allocId: string;
  readonly description: string;
}

export interface Plan {
  readonly place: Placement[];
  readonly stop: Stop[];
  /** Allocations that move to the new job version without a restart. */
  readonly inPlace: string[];
  /** For logs and tests: why each group was replaced. */
  readonly destructive: Record<string, string>;
}

/** Nomad's DesiredDescription texts. */
export const STOP_REASONS = {
  update: 'alloc is being updated due to job update',
  notNeeded: 'alloc not needed due to job update',
  jobStopped: 'alloc not needed as job is stopped',
  userStop: 'alloc was stopped by user',
} as const;

/** The job version an allocation runs. */
export type JobOf = (alloc: AllocRecord) => Job | undefined;

/**
 * `allocs` are the job's allocations that are wanted (desired "run"); `oldJob` is the
 * version they run (undefined for a new job or one that was stopped), or a lookup when
 * they may run different versions (an update the node could not take left some behind).
 */
export function planRegistration(oldJob: Job | JobOf | undefined, newJob: Job, allocs: readonly AllocRecord[]): Plan {
  const plan: Plan = { place: [], stop: [], inPlace: [], destructive: {} };
  const jobOf: JobOf = typeof oldJob === 'function' ? oldJob : () => oldJob;
  for (const a of allocs) {
    if (!newJob.groups.some((g) => g.name === a.group)) plan.stop.push({ allocId: a.id, description: STOP_REASONS.notNeeded });
  }
  for (const group of newJob.groups) {
    const mine = allocs.filter((a) => a.group === group.name);
    // Highest index first, as Nomad removes them on a count decrease.
    const byIndex = [...mine].sort((x, y) => y.index - x.index);
    const kept = new Set<number>();
    for (const a of byIndex) {
      const old = jobOf(a);
      const why = old ? destructiveChange(old, newJob, group.name) : undefined;
      if (a.index >= group.count || kept.has(a.index)) plan.stop.push({ allocId: a.id, description: STOP_REASONS.notNeeded });
      else if (why) {
        plan.destructive[group.name] ??= why;
        plan.stop.push({ allocId: a.id, description: STOP_REASONS.update });
      } else {
        kept.add(a.index);
        plan.inPlace.push(a.id);
      }
    }
    for (let i = 0; i < group.count; i++) if (!kept.has(i)) plan.place.push({ group: group.name, index: i });
  }
  return plan;
}

/**
 * The plan less the updates whose replacement could not be placed: as Nomad's
 * scheduler backs out the stop of an alloc it cannot replace, the old version
 * keeps running until the node can take the new one.
 */
export function withoutUnplacedUpdates(plan: Plan, allocs: readonly AllocRecord[], placed: ReadonlySet<string>): Plan {
  const name = (allocId: string) => {
    const a = allocs.find((x) => x.id === allocId);
    return a ? `${a.group}[${a.index}]` : '';
  };
  const stop = plan.stop.filter((s) => s.description !== STOP_REASONS.update || placed.has(name(s.allocId)));
  return { ...plan, stop };
}
