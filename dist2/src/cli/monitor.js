import { call } from './common.js';
import { formatTimeMs, limit, SHORT_ID } from './tables.js';
/** Client statuses an allocation does not leave. */
export const TERMINAL_STATUSES = new Set(['complete', 'failed', 'lost']);
/** "==> TIME: msg" (Nomad's monitor Info line). */
export function monitorInfo(ctx, msg) {
    ctx.io.out(`==> ${formatTimeMs(Date.now())}: ${msg}`);
}
/** "    TIME: msg" (Nomad's monitor Output line). */
export function monitorLine(ctx, msg) {
    ctx.io.out(`    ${formatTimeMs(Date.now())}: ${msg}`);
}
/** The job's allocations, from the list endpoint so a purged job reads as "none" instead of 404. */
export async function jobAllocs(ctx, jobId) {
    const all = await call(ctx, 'Error reading allocations', ctx.client.allocations.list());
    return all.filter((a) => a.JobID === jobId);
}
/** Reports allocation changes until `done`; returns the last allocations seen. */
export async function watchAllocs(ctx, o) {
    const len = o.verbose ? Infinity : SHORT_ID;
    const seen = new Map(o.before);
    for (;;) {
        const allocs = await jobAllocs(ctx, o.jobId);
        for (const a of [...allocs].sort((x, y) => x.CreateIndex - y.CreateIndex || x.Name.localeCompare(y.Name))) {
            const prev = seen.get(a.ID);
            if (prev === undefined) {
                monitorLine(ctx, `Allocation ${JSON.stringify(limit(a.ID, len))} created: node ${JSON.stringify(limit(a.NodeID, len))}, group ${JSON.stringify(a.TaskGroup)}`);
            }
            const from = prev ?? 'pending';
            if (from !== a.ClientStatus) {
                const why = a.ClientDescription ? ` (${a.ClientDescription})` : '';
                monitorLine(ctx, `Allocation ${JSON.stringify(limit(a.ID, len))} status changed: ${JSON.stringify(from)} -> ${JSON.stringify(a.ClientStatus)}${why}`);
            }
            seen.set(a.ID, a.ClientStatus);
        }
        if (o.done(allocs))
            return allocs;
        await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
    }
}
/** "2 running, 1 failed": counts by client status. */
export function statusCounts(allocs) {
    const counts = new Map();
    for (const a of allocs)
        counts.set(a.ClientStatus, (counts.get(a.ClientStatus) ?? 0) + 1);
    return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
}
//# sourceMappingURL=monitor.js.map