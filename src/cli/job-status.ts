/**
 * `drover job status [JOB]` (Nomad's `nomad job status`): without an id the
 * job list; with one the job's details, its Summary per task group and its
 * Allocations.
 */
import type { ApiAllocationListStub, ApiJob, ApiJobSummary } from '../api/index.js';
import { latestDeploymentBlock } from './deployment.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, toJson, type Ctx } from './common.js';
import { allocListTable, jobListTable, jobStatusString } from './listings.js';
import { findJobId } from './lookup.js';
import { formatKV, formatList, formatTimeNs, limit, SHORT_ID } from './tables.js';
import { allocMetricLines, evalFailureStatus, failedGroups } from './eval-format.js';
import { launchText } from './periodic-time.js';
import { nextCronTime } from '../jobspec/cron.js';
import { DISPATCH_LAUNCH_SUFFIX, PERIODIC_LAUNCH_SUFFIX } from '../model/child-job.js';
import type { Io } from './io.js';
import { futureRescheduling } from './alloc-reschedule.js';

export const JOB_STATUS_USAGE = apiUsage(`Usage: drover job status [options] <job>

  Lists the agent's jobs, or shows one job: its details, summary, placement
  failures (while allocations wait for capacity) and allocations.

Status Options:
  -short     Show only the job's details.
  -evals     Show the job's evaluations.
  -verbose   Full ids and absolute times (and the evaluations).
  -json      Print the job(s), summary and allocations as JSON.
`);

export async function jobStatusCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { short: { type: 'boolean' }, verbose: { type: 'boolean' }, evals: { type: 'boolean' }, json: { type: 'boolean' } } as const;
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
    const { periodic, parameterized } = templateKind(job);
    if (periodic && !parameterized) return childrenView(ctx, job, PERIODIC_VIEW);
    if (parameterized) {
      const p = job.ParameterizedJob ?? {};
      io.out('\nParameterized Job');
      io.out(formatKV([['Payload', p.Payload ?? 'optional'], ['Required Metadata', (p.MetaRequired ?? []).join(', ')], ['Optional Metadata', (p.MetaOptional ?? []).join(', ')]]));
      return childrenView(ctx, job, DISPATCH_VIEW);
    }
    const summary = await call(ctx, 'Error querying job summary', ctx.client.jobs.summary(id));
    io.out('\nSummary');
    io.out(summaryTable(summary));
    // A plain job shows its children's summary only when it has some (Nomad's outputJobSummary).
    if (summary.Children && summary.Children.Pending + summary.Children.Running + summary.Children.Dead > 0) childrenSummary(ctx, 'Children Job Summary', summary.Children);
    await evaluationsView(ctx, id);
    const allocs = await call(ctx, 'Error querying job allocations', ctx.client.jobs.allocations(id));
    const rescheduling = await futureRescheduling(ctx, job, allocs, ctx.values.verbose ? Infinity : SHORT_ID, ctx.values.verbose === true);
    if (rescheduling !== '') io.out(`\n${rescheduling}`);
    const latest = await call(ctx, 'Error querying latest job deployment', ctx.client.deployments.latestForJob(job.ID ?? ''));
    if (latest) io.out(`\nLatest Deployment\n${latestDeploymentBlock(latest, ctx.values.verbose ? 36 : SHORT_ID)}`);
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

/**
 * With -evals or -verbose the job's evaluations; and while one is blocked, the
 * latest placement failure (Nomad's outputFailedPlacements).
 */
async function evaluationsView(ctx: Ctx, id: string): Promise<void> {
  const evals = await call(ctx, 'Error querying job evaluations', ctx.client.evaluations.ofJob(id));
  const len = ctx.values.verbose ? Infinity : SHORT_ID;
  if (ctx.values.verbose || ctx.values.evals) {
    ctx.io.out('\nEvaluations');
    ctx.io.out(
      formatList([
        ['ID', 'Priority', 'Triggered By', 'Status', 'Placement Failures'],
        ...evals.map((e) => [limit(e.ID, len), e.Priority, e.TriggeredBy, e.Status, evalFailureStatus(e)]),
      ]),
    );
  }
  if (!evals.some((e) => e.Status === 'blocked')) return;
  const latest = evals.filter((e) => failedGroups(e).length > 0).sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
  if (!latest) return;
  ctx.io.out('\nPlacement Failure');
  const failed = failedGroups(latest);
  failed.forEach(([group, m], i) => {
    ctx.io.out(`Task Group ${JSON.stringify(group)}:`);
    ctx.io.out(allocMetricLines(m, '  ').join('\n'));
    if (i !== failed.length - 1) ctx.io.out('');
  });
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

/** Nomad's api Job.IsPeriodic and IsParameterized (a dispatched child is not parameterized; a child of a periodic parameterized job stays periodic). */
function templateKind(job: ApiJob): { periodic: boolean; parameterized: boolean } {
  return { periodic: job.Periodic !== undefined && job.Periodic !== null, parameterized: job.ParameterizedJob !== undefined && job.ParameterizedJob !== null && !job.Dispatched };
}

interface ChildrenView {
  /** The children's ID suffix (Nomad's JobPeriodicLaunchSuffix, JobDispatchLaunchSuffix). */
  readonly suffix: string;
  readonly summaryTitle: string;
  readonly title: string;
  readonly none: string;
}

const PERIODIC_VIEW: ChildrenView = { suffix: PERIODIC_LAUNCH_SUFFIX, summaryTitle: 'Children Job Summary', title: 'Previously Launched Jobs', none: 'No instances of periodic job found' };
const DISPATCH_VIEW: ChildrenView = {
  suffix: DISPATCH_LAUNCH_SUFFIX,
  summaryTitle: 'Parameterized Job Summary',
  title: 'Dispatched Jobs',
  none: 'No dispatched instances of parameterized job found',
};

/** "Pending  Running  Dead" under `title`. */
function childrenSummary(ctx: Ctx, title: string, c: { Pending: number; Running: number; Dead: number }): void {
  ctx.io.out(`\n${title}`);
  ctx.io.out(formatList([['Pending', 'Running', 'Dead'], [c.Pending, c.Running, c.Dead]]));
}

/** The children's summary, then their IDs and statuses (Nomad's outputPeriodicInfo / outputParameterizedInfo). */
async function childrenView(ctx: Ctx, job: ApiJob, view: ChildrenView): Promise<number> {
  const id = String(job.ID);
  const summary = await call(ctx, 'Error querying job summary', ctx.client.jobs.summary(id));
  childrenSummary(ctx, view.summaryTitle, summary.Children ?? { Pending: 0, Running: 0, Dead: 0 });
  const listed = await call(ctx, 'Error querying job', ctx.client.jobs.list({ prefix: `${id}${view.suffix}` }));
  if (listed.length === 0) {
    ctx.io.out(`\n${view.none}`);
    return 0;
  }
  // Only this job's own children: another job's ID may start the same way.
  const children = listed.filter((c) => c.ParentID === id).sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
  ctx.io.out(`\n${view.title}`);
  ctx.io.out(formatList([['ID', 'Status'], ...children.map((c) => [c.ID, c.Status])]));
  return 0;
}

/** Nomad's "Next Periodic Launch" value: the next instant in the job's zone and how far off it is. */
export function nextPeriodicLaunch(job: ApiJob, nowMs: number): string | undefined {
  const p = job.Periodic;
  // Nomad computes it even for enabled = false (job run and job status alike).
  if (!p) return undefined;
  if (job.Stop) return 'none (job stopped)';
  const specs = p.Spec ? [p.Spec] : (p.Specs ?? []);
  const next = nextCronTime(specs, p.TimeZone ?? 'UTC', nowMs);
  if (next === undefined) return undefined;
  return launchText(next, nowMs, p.TimeZone ?? 'UTC');
}

/** Nomad's job detail block. */
function jobBasics(job: ApiJob): Array<[string, string | number | boolean]> {
  const { periodic, parameterized } = templateKind(job);
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
