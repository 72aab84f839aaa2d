/**
 * Rescheduling in the CLI: the lines of `alloc status` (Nomad's
 * formatAllocBasicInfo: "Reschedule Attempts" when the alloc is a reschedule
 * and its policy limits attempts, "Replacement Alloc ID" once it was
 * rescheduled, "Reschedule Eligibility" while its follow-up evaluation waits)
 * and `job status`'s "Future Rescheduling Attempts" (outputReschedulingEvals).
 */
import type { ApiAllocation, ApiAllocationListStub, ApiJob, ApiReschedulePolicy } from '../api/index.js';
import { defaultReschedule, formatDuration, isJobType } from '../model/index.js';
import type { Ctx } from './common.js';
import { formatList, limit, prettyTimeDiff } from './tables.js';

const RESCHEDULED = 'alloc was rescheduled because it failed';

/** The group's policy; drover's job JSON leaves out one the job did not write, so the type's default applies. */
function groupPolicy(job: ApiJob, group: string): ApiReschedulePolicy | undefined {
  const written = job.TaskGroups?.find((g) => g.Name === group)?.ReschedulePolicy;
  if (written) return written;
  const type = job.Type ?? 'service';
  const d = isJobType(type) ? defaultReschedule(type) : undefined;
  return d && { Attempts: d.attempts, Interval: d.intervalMs * 1e6, Delay: d.delayMs * 1e6, DelayFunction: d.delayFunction, MaxDelay: d.maxDelayMs * 1e6, Unlimited: d.unlimited };
}

/** api.ReschedulePolicy.String. */
function policyText(p: ApiReschedulePolicy | undefined): string {
  if (!p) return '';
  const d = (ns: number | null | undefined): string => formatDuration((ns ?? 0) / 1e6);
  if (p.Unlimited) return `unlimited with ${p.DelayFunction ?? ''} delay, max_delay = ${d(p.MaxDelay)}`;
  return `${p.Attempts ?? 0} in ${d(p.Interval)} with ${p.DelayFunction ?? ''} delay, max_delay = ${d(p.MaxDelay)}`;
}

/** api.Allocation.RescheduleInfo at `atNs`: reschedules within the interval, and the attempts allowed. */
export function rescheduleInfo(a: ApiAllocation, atNs: number): { attempted: number; total: number } {
  const policy = groupPolicy(a.Job, a.TaskGroup);
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

/**
 * "Future Rescheduling Attempts": per group, the follow-up of its most recently modified
 * alloc while it still waits; "" when none does.
 */
export async function futureRescheduling(ctx: Ctx, job: ApiJob, allocs: readonly ApiAllocationListStub[], idLength: number, verbose: boolean): Promise<string> {
  const latest = new Map<string, ApiAllocationListStub>();
  for (const a of allocs) {
    const seen = latest.get(a.TaskGroup);
    if (!seen || a.ModifyTime > seen.ModifyTime) latest.set(a.TaskGroup, a);
  }
  const rows: string[][] = [];
  for (const group of [...latest.keys()].sort()) {
    const evalId = latest.get(group)?.FollowupEvalID ?? '';
    if (evalId === '') continue;
    const when = await followupTime(ctx, evalId);
    if (when === '') continue;
    rows.push(verbose ? [group, policyText(groupPolicy(job, group)), limit(evalId, idLength), when] : [group, limit(evalId, idLength), when]);
  }
  if (rows.length === 0) return '';
  const head = verbose ? ['Task Group', 'Reschedule Policy', 'Eval ID', 'Eval Time'] : ['Task Group', 'Eval ID', 'Eval Time'];
  return `Future Rescheduling Attempts\n${formatList([head, ...rows])}`;
}
