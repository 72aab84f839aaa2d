/**
 * drover's stand-in for Nomad's evaluation monitor (command/monitor.go).
 * drover places allocations synchronously and has no evaluations, so after a
 * write the CLI watches the job's allocations instead: it reports each one
 * created and each client-status change, in Nomad's wording, until `done`.
 */
import type { ApiAllocationListStub } from '../api/index.js';
import { call, type Ctx } from './common.js';
import { formatTimeMs, limit, SHORT_ID } from './tables.js';

/** Client statuses an allocation does not leave. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['complete', 'failed', 'lost']);

/** "==> TIME: msg" (Nomad's monitor Info line). */
export function monitorInfo(ctx: Pick<Ctx, 'io'>, msg: string): void {
  ctx.io.out(`==> ${formatTimeMs(Date.now())}: ${msg}`);
}

/** "    TIME: msg" (Nomad's monitor Output line). */
export function monitorLine(ctx: Pick<Ctx, 'io'>, msg: string): void {
  ctx.io.out(`    ${formatTimeMs(Date.now())}: ${msg}`);
}

/** The job's allocations, from the list endpoint so a purged job reads as "none" instead of 404. */
export async function jobAllocs(ctx: Ctx, jobId: string): Promise<ApiAllocationListStub[]> {
  const all = await call(ctx, 'Error reading allocations', ctx.client.allocations.list());
  return all.filter((a) => a.JobID === jobId);
}

export interface WatchOptions {
  readonly jobId: string;
  /** Allocations that existed before the write (id → client status): not reported as created. */
  readonly before: ReadonlyMap<string, string>;
  /** Whether the watch is over, given the job's current allocations. */
  readonly done: (allocs: readonly ApiAllocationListStub[]) => boolean;
  readonly verbose?: boolean;
  readonly pollMs?: number;
}

/** Reports allocation changes until `done`; returns the last allocations seen. */
export async function watchAllocs(ctx: Ctx, o: WatchOptions): Promise<ApiAllocationListStub[]> {
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
    if (o.done(allocs)) return allocs;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
  }
}

/**
 * Reports allocation changes until every wanted allocation of job `version` (of `group`, when
 * given) has left pending; returns those allocations (what `job run` and `job scale` print).
 */
export async function watchVersion(
  ctx: Ctx,
  o: { readonly jobId: string; readonly version: number; readonly group?: string; readonly before: readonly ApiAllocationListStub[] },
): Promise<ApiAllocationListStub[]> {
  const mine = (allocs: readonly ApiAllocationListStub[]) =>
    allocs.filter((a) => a.DesiredStatus === 'run' && a.JobVersion === o.version && (o.group === undefined || a.TaskGroup === o.group));
  const allocs = await watchAllocs(ctx, {
    jobId: o.jobId,
    before: new Map(o.before.map((a) => [a.ID, a.ClientStatus])),
    done: (all) => mine(all).every((a) => a.ClientStatus !== 'pending'),
    verbose: ctx.values.verbose === true,
  });
  return mine(allocs);
}

/** "2 running, 1 failed": counts by client status. */
export function statusCounts(allocs: readonly ApiAllocationListStub[]): string {
  const counts = new Map<string, number>();
  for (const a of allocs) counts.set(a.ClientStatus, (counts.get(a.ClientStatus) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
}
