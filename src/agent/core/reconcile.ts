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

/**
 * `allocs` are the job's allocations that are wanted (desired "run"); `oldJob` is the
 * version they run (undefined for a new job or one that was stopped).
 */
export function planRegistration(oldJob: Job | undefined, newJob: Job, allocs: readonly AllocRecord[]): Plan {
  const plan: Plan = { place: [], stop: [], inPlace: [], destructive: {} };
  for (const a of allocs) {
    if (!newJob.groups.some((g) => g.name === a.group)) plan.stop.push({ allocId: a.id, description: STOP_REASONS.notNeeded });
  }
  for (const group of newJob.groups) {
    const mine = allocs.filter((a) => a.group === group.name);
    const why = oldJob && mine.length > 0 ? destructiveChange(oldJob, newJob, group.name) : undefined;
    if (why) plan.destructive[group.name] = why;
    // Highest index first, as Nomad removes them on a count decrease.
    const byIndex = [...mine].sort((x, y) => y.index - x.index);
    const kept = new Set<number>();
    for (const a of byIndex) {
      if (a.index >= group.count || kept.has(a.index)) plan.stop.push({ allocId: a.id, description: STOP_REASONS.notNeeded });
      else if (why) plan.stop.push({ allocId: a.id, description: STOP_REASONS.update });
      else {
        kept.add(a.index);
        plan.inPlace.push(a.id);
      }
    }
    for (let i = 0; i < group.count; i++) if (!kept.has(i)) plan.place.push({ group: group.name, index: i });
  }
  return plan;
}
