/**
 * `drover job status [JOB]` (Nomad's `nomad job status`): without an id the
 * job list; with one the job's details, its Summary per task group and its
 * Allocations.
 */
import type { ApiAllocationListStub, ApiJob, ApiJobSummary } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, toJson, type Ctx } from './common.js';
import { allocListTable, jobListTable, jobStatusString } from './listings.js';
import { findJobId } from './lookup.js';
import { formatKV, formatList, formatTimeMs, formatTimeNs } from './tables.js';
import { formatDuration } from '../model/duration.js';
import { nextCronTime } from '../jobspec/cron.js';
import type { Io } from './io.js';

export const JOB_STATUS_USAGE = apiUsage(`Usage: drover job status [options] <job>

  Lists the agent's jobs, or shows one job: its details, summary and allocations.

Status Options:
  -short     Show only the job's details.
  -verbose   Full ids and absolute times.
  -json      Print the job(s), summary and allocations as JSON.
`);

export async function jobStatusCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { short: { type: 'boolean' }, verbose: { type: 'boolean' }, json: { type: 'boolean' } } as const;
  return runCommandBody(io, JOB_STATUS_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, JOB_STATUS_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length > 1) throw new CliError(`This command takes either no arguments or one: <job>\n\n${JOB_STATUS_USAGE}`);
    const prefix = ctx.args[0]?.trim();
    if (prefix === undefined) return listJobs(ctx);
    const id = await findJobId(ctx, prefix);
    const job = await call(ctx, 'Error querying job', ctx.client.jobs.info(id));
    if (ctx.values.json) {
      io.out(toJson([await jobDocument(ctx, job)]));
      return 0;
    }
    io.out(formatKV(jobBasics(job)));
    if (ctx.values.short) return 0;
    // A periodic or parameterized parent has no allocations of its own: Nomad shows its children instead.
    if (job.Periodic && !job.ParameterizedJob) return childrenView(ctx, id, 'Previously Launched Jobs', 'No instances of periodic job found');
    if (job.ParameterizedJob && !job.Dispatched) {
      const p = job.ParameterizedJob;
      io.out('\nParameterized Job');
      io.out(formatKV([['Payload', p.Payload ?? 'optional'], ['Required Metadata', (p.MetaRequired ?? []).join(', ')], ['Optional Metadata', (p.MetaOptional ?? []).join(', ')]]));
      return childrenView(ctx, id, 'Dispatched Jobs', 'No dispatched instances of parameterized job found');
    }
    const summary = await call(ctx, 'Error querying job summary', ctx.client.jobs.summary(id));
    io.out('\nSummary');
    io.out(summaryTable(summary));
    const allocs = await call(ctx, 'Error querying job allocations', ctx.client.jobs.allocations(id));
    io.out('\nAllocations');
    io.out(allocListTable(allocs, ctx.values.verbose ? { verbose: true } : {}));
    return 0;
  });
}

async function listJobs(ctx: Ctx): Promise<number> {
  const jobs = await call(ctx, 'Error querying jobs', ctx.client.jobs.list());
  if (jobs.length === 0) {
    ctx.io.out('No running jobs');
    return 0;
  }
  if (ctx.values.json) {
    const docs = [];
    for (const j of jobs) docs.push(await jobDocument(ctx, await call(ctx, 'Error querying job', ctx.client.jobs.info(j.ID))));
    ctx.io.out(toJson(docs));
    return 0;
  }
  ctx.io.out(jobListTable(jobs));
  return 0;
}

/** The -json shape (a subset of Nomad's JobStatus JSON: Job, Summary, Allocations). */
async function jobDocument(ctx: Ctx, job: ApiJob): Promise<{ Job: ApiJob; Summary: ApiJobSummary; Allocations: ApiAllocationListStub[] }> {
  const id = String(job.ID);
  return {
    Job: job,
    Summary: await call(ctx, 'Error querying job summary', ctx.client.jobs.summary(id)),
    Allocations: await call(ctx, 'Error querying job allocations', ctx.client.jobs.allocations(id)),
  };
}

/** "Children Job Summary" and the children's IDs and statuses (Nomad's outputPeriodicInfo / outputParameterizedInfo). */
async function childrenView(ctx: Ctx, id: string, title: string, none: string): Promise<number> {
  const children = (await call(ctx, 'Error querying job', ctx.client.jobs.list({ prefix: `${id}/` }))).filter((c) => c.ParentID === id);
  const count = (s: string) => children.filter((c) => c.Status === s).length;
  ctx.io.out('\nChildren Job Summary');
  ctx.io.out(formatList([['Pending', 'Running', 'Dead'], [count('pending'), count('running'), count('dead')]]));
  if (children.length === 0) {
    ctx.io.out(`\n${none}`);
    return 0;
  }
  ctx.io.out(`\n${title}`);
  ctx.io.out(formatList([['ID', 'Status'], ...children.map((c) => [c.ID, c.Status])]));
  return 0;
}

/** Nomad's "Next Periodic Launch" value: the next instant in the job's zone and how far off it is. */
export function nextPeriodicLaunch(job: ApiJob, nowMs: number): string | undefined {
  const p = job.Periodic;
  if (!p || p.Enabled === false) return undefined;
  if (job.Stop) return 'none (job stopped)';
  const specs = p.Spec ? [p.Spec] : (p.Specs ?? []);
  const next = nextCronTime(specs, p.TimeZone ?? 'UTC', nowMs);
  if (next === undefined) return undefined;
  return `${formatTimeMs(next)} (${formatDuration(Math.round((next - nowMs) / 1000) * 1000)} from now)`;
}

/** Nomad's job detail block. */
function jobBasics(job: ApiJob): Array<[string, string | number | boolean]> {
  const periodic = job.Periodic !== undefined && job.Periodic !== null;
  const parameterized = job.ParameterizedJob !== undefined && job.ParameterizedJob !== null && !job.Dispatched;
  const next = periodic && !parameterized ? nextPeriodicLaunch(job, Date.now()) : undefined;
  return [
    ['ID', job.ID ?? ''],
    ['Name', job.Name ?? ''],
    ['Submit Date', formatTimeNs(job.SubmitTime ?? 0)],
    ['Type', job.Type ?? ''],
    ['Priority', job.Priority ?? 0],
    ['Datacenters', (job.Datacenters ?? []).join(',')],
    ['Namespace', job.Namespace ?? ''],
    ['Node Pool', typeof job['NodePool'] === 'string' ? job['NodePool'] : 'default'],
    ['Status', jobStatusString(job.Status ?? '', job.Stop)],
    ['Periodic', periodic],
    ['Parameterized', parameterized],
    ...(job.DispatchIdempotencyToken ? [['Idempotency Token', job.DispatchIdempotencyToken] as [string, string]] : []),
    ...(next !== undefined ? [['Next Periodic Launch', next] as [string, string]] : []),
  ];
}

/** "Task Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown". */
function summaryTable(s: ApiJobSummary): string {
  const groups = Object.keys(s.Summary).sort();
  return formatList([
    ['Task Group', 'Queued', 'Starting', 'Running', 'Failed', 'Complete', 'Lost', 'Unknown'],
    ...groups.map((g) => {
      const t = s.Summary[g];
      return [g, t?.Queued ?? 0, t?.Starting ?? 0, t?.Running ?? 0, t?.Failed ?? 0, t?.Complete ?? 0, t?.Lost ?? 0, t?.Unknown ?? 0];
    }),
  ]);
}
