import { destructiveChange } from './task-diff.js';
/** Nomad's DesiredDescription texts. */
export const STOP_REASONS = {
    update: 'alloc is being updated due to job update',
    notNeeded: 'alloc not needed due to job update',
    jobStopped: 'alloc not needed as job is stopped',
    userStop: 'alloc was stopped by user',
};
/**
 * `allocs` are the job's allocations that are wanted (desired "run"); `oldJob` is the
 * version they run (undefined for a new job or one that was stopped).
 */
export function planRegistration(oldJob, newJob, allocs) {
    const plan = { place: [], stop: [], inPlace: [], destructive: {} };
    for (const a of allocs) {
        if (!newJob.groups.some((g) => g.name === a.group))
            plan.stop.push({ allocId: a.id, description: STOP_REASONS.notNeeded });
    }
    for (const group of newJob.groups) {
        const mine = allocs.filter((a) => a.group === group.name);
        const why = oldJob && mine.length > 0 ? destructiveChange(oldJob, newJob, group.name) : undefined;
        if (why)
            plan.destructive[group.name] = why;
        // Highest index first, as Nomad removes them on a count decrease.
        const byIndex = [...mine].sort((x, y) => y.index - x.index);
        const kept = new Set();
        for (const a of byIndex) {
            if (a.index >= group.count || kept.has(a.index))
                plan.stop.push({ allocId: a.id, description: STOP_REASONS.notNeeded });
            else if (why)
                plan.stop.push({ allocId: a.id, description: STOP_REASONS.update });
            else {
                kept.add(a.index);
                plan.inPlace.push(a.id);
            }
        }
        for (let i = 0; i < group.count; i++)
            if (!kept.has(i))
                plan.place.push({ group: group.name, index: i });
    }
    return plan;
}
//# sourceMappingURL=reconcile.js.map