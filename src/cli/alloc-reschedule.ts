/**
 * The rescheduling lines of `alloc status` (Nomad's formatAllocBasicInfo):
 * "Reschedule Attempts" when the alloc is a reschedule and its policy limits
 * attempts, "Replacement Alloc ID" once it was rescheduled, and "Reschedule
 * Eligibility" while its follow-up evaluation waits.
 */
import type { ApiAllocation } from '../api/index.js';
import { defaultReschedule, isJobType } from '../model/index.js';
import type { Ctx } from './common.js';
import { limit, prettyTimeDiff } from './tables.js';

const RESCHEDULED = 'alloc was rescheduled because it failed';

/** api.Allocation.RescheduleInfo at `atNs`: reschedules within the interval, and the attempts allowed. */
export function rescheduleInfo(a: ApiAllocation, atNs: number): { attempted: number; total: number } {
  const group = a.Job.TaskGroups?.find((g) => g.Name === a.TaskGroup);
  const type = a.Job.Type ?? 'service';
  // drover's job JSON leaves out a policy the job did not write: the type's default applies.
  const fallback = isJobType(type) ? defaultReschedule(type) : undefined;
  const policy = group?.ReschedulePolicy ?? (fallback && { Attempts: fallback.attempts, Interval: fallback.intervalMs * 1e6 });
  if (!policy) return { attempted: 0, total: 0 };
  const total = policy.Attempts ?? 0;
  const intervalNs = policy.Interval ?? 0;
  let attempted = 0;
  if (total > 0 && intervalNs > 0) for (const e of a.RescheduleTracker?.Events ?? []) if (atNs - e.RescheduleTime < intervalNs) attempted++;
  return { attempted, total };
}

/** The rows, in Nomad's order; the follow-up evaluation is read only when the alloc names one. */
export async function rescheduleRows(ctx: Ctx, a: ApiAllocation, idLength: number): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  if ((a.RescheduleTracker?.Events?.length ?? 0) > 0) {
    const { attempted, total } = rescheduleInfo(a, a.ModifyTime);
    if (total > 0) rows.push(['Reschedule Attempts', `${attempted}/${total}`]);
  }
  // drover links update and alloc stop replacements too; Nomad's output names only a rescheduled alloc's.
  if (a.NextAllocation !== '' && a.DesiredDescription === RESCHEDULED) rows.push(['Replacement Alloc ID', limit(a.NextAllocation, idLength)]);
  if (a.FollowupEvalID !== '') {
    const when = await followupTime(ctx, a.FollowupEvalID);
    if (when !== '') rows.push(['Reschedule Eligibility', when]);
  }
  return rows;
}

/** Nomad's futureEvalTimePretty: "" on any error, an unset WaitUntil, or one already past. */
async function followupTime(ctx: Ctx, evalId: string): Promise<string> {
  try {
    const ev = (await ctx.client.request<{ WaitUntil?: string }>('GET', `/v1/evaluation/${encodeURIComponent(evalId)}`)).data;
    const at = ev.WaitUntil ? Date.parse(ev.WaitUntil) : NaN;
    const now = Date.now();
    if (!Number.isFinite(at) || at <= 0 || now > at) return '';
    return prettyTimeDiff(at * 1e6, now);
  } catch {
    return '';
  }
}
