/**
 * The rollout limits of an update strategy on a registration's plan (Nomad's
 * reconciler computeLimit / canary placement, one node): a group's destructive
 * replacements go max_parallel at a time, less those of the deployment not yet
 * healthy; with canaries, only the canaries are placed, beside the old
 * allocations, until promotion. Pure.
 */
import type { Job, TaskGroup } from '../../../model/job.js';
import type { AllocRecord } from '../../state/state-db.js';
import { STOP_REASONS, type Placement, type Plan, type Stop } from '../reconcile.js';
import { destructiveChange } from '../task-diff.js';

/** A plan with its canary placements named ("group[index]"). */
export interface LimitedPlan {
  readonly plan: Plan;
  readonly canaries: ReadonlySet<string>;
}

export const canaryKey = (group: string, index: number): string => `${group}[${index}]`;

/** Whether the group's destructive updates are rolled (Nomad: a non-empty strategy, i.e. max_parallel > 0). */
export function rolls(group: TaskGroup | undefined): boolean {
  return group?.update !== undefined && group.update.maxParallel > 0;
}

export interface GroupProgress {
  /** Allocations of the active deployment in the group not yet healthy. */
  readonly inFlight: number;
  /** Whether the group's canaries were promoted (or it has none to wait for). */
  readonly promoted: boolean;
}

/**
 * Limits a registration's plan (reconcile.ts planRegistration). Stops for the update whose
 * index is not let through stay running on their old version; so do placements replacing them.
 */
export function limitPlan(
  job: Job,
  plan: Plan,
  allocs: readonly AllocRecord[],
  progress: (group: string) => GroupProgress,
  oldCanary: (allocId: string) => boolean = () => false,
): LimitedPlan {
  const byId = new Map(allocs.map((a) => [a.id, a]));
  const dropStops = new Set<string>();
  const dropPlaces = new Set<string>();
  const canaries = new Set<string>();
  for (const group of job.groups) {
    if (!plan.destructive[group.name] || !rolls(group)) continue;
    const u = group.update!;
    // Canaries of an earlier deployment that was never promoted are not replaced: they just go (cancelUnneededCanaries).
    const updates = plan.stop
      .filter((s) => s.description === STOP_REASONS.update && byId.get(s.allocId)?.group === group.name && !oldCanary(s.allocId))
      .map((s) => ({ stop: s, index: byId.get(s.allocId)!.index }))
      .sort((x, y) => x.index - y.index);
    const p = progress(group.name);
    if (u.canary > 0 && !p.promoted) {
      // Canaries beside the old allocs: no stop; the first `canary` replaced names get one each.
      updates.forEach((x, i) => {
        dropStops.add(x.stop.allocId);
        if (i < u.canary) canaries.add(canaryKey(group.name, x.index));
        else dropPlaces.add(canaryKey(group.name, x.index));
      });
      continue;
    }
    const limit = Math.max(0, u.maxParallel - p.inFlight);
    for (const x of updates.slice(limit)) {
      dropStops.add(x.stop.allocId);
      dropPlaces.add(canaryKey(group.name, x.index));
    }
  }
  return {
    plan: {
      ...plan,
      stop: plan.stop
        .filter((s) => !dropStops.has(s.allocId))
        .map((s) => (oldCanary(s.allocId) ? { ...s, description: STOP_REASONS.notNeeded } : s)),
      place: plan.place.filter((p) => !dropPlaces.has(canaryKey(p.group, p.index))),
    },
    canaries,
  };
}

/**
 * The next step of a rollout already under way: wanted allocations still on an older version
 * whose change is destructive are replaced, max_parallel at a time less those in flight.
 * A promoted group's old allocations whose name a canary took are stopped without replacement.
 * `jobOf` gives the job version an allocation runs.
 */
export function planRollout(
  job: Job,
  version: number,
  allocs: readonly AllocRecord[],
  jobOf: (a: AllocRecord) => Job | undefined,
  progress: (group: string) => GroupProgress,
  canaryNames: (group: string) => ReadonlySet<number>,
): Plan {
  const stop: Stop[] = [];
  const place: Placement[] = [];
  const destructive: Record<string, string> = {};
  for (const group of job.groups) {
    if (!rolls(group)) continue;
    const mine = allocs.filter((a) => a.group === group.name && a.desiredStatus === 'run');
    const old = mine
      .filter((a) => a.jobVersion !== version)
      .filter((a) => {
        const theirs = jobOf(a);
        return theirs === undefined || destructiveChange(theirs, job, group.name) !== undefined;
      })
      .sort((x, y) => x.index - y.index);
    if (old.length === 0) continue;
    const p = progress(group.name);
    if (group.update!.canary > 0 && !p.promoted) continue;
    const taken = canaryNames(group.name);
    const rest: AllocRecord[] = [];
    for (const a of old) {
      if (taken.has(a.index)) stop.push({ allocId: a.id, description: STOP_REASONS.notNeeded });
      else rest.push(a);
    }
    const limit = Math.max(0, group.update!.maxParallel - p.inFlight);
    for (const a of rest.slice(0, limit)) {
      stop.push({ allocId: a.id, description: STOP_REASONS.update });
      place.push({ group: group.name, index: a.index });
      destructive[group.name] = 'rolling update';
    }
  }
  return { place, stop, inPlace: [], destructive };
}
