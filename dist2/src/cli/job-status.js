import { apiUsage, call, CliError, commandContext, runCommandBody, toJson } from './common.js';
import { allocListTable, jobListTable, jobStatusString } from './listings.js';
import { findJobId } from './lookup.js';
import { formatKV, formatList, formatTimeNs } from './tables.js';
export const JOB_STATUS_USAGE = apiUsage(`Usage: drover job status [options] <job>

  Lists the agent's jobs, or shows one job: its details, summary and allocations.

Status Options:
  -short     Show only the job's details.
  -verbose   Full ids and absolute times.
  -json      Print the job(s), summary and allocations as JSON.
`);
export async function jobStatusCommand(argv, io) {
    const spec = { short: { type: 'boolean' }, verbose: { type: 'boolean' }, json: { type: 'boolean' } };
    return runCommandBody(io, JOB_STATUS_USAGE, async () => {
        const ctx = commandContext(argv, spec, io, JOB_STATUS_USAGE);
        if (!ctx)
            return 0;
        if (ctx.args.length > 1)
            throw new CliError(`This command takes either no arguments or one: <job>\n\n${JOB_STATUS_USAGE}`);
        const prefix = ctx.args[0]?.trim();
        if (prefix === undefined)
            return listJobs(ctx);
        const id = await findJobId(ctx, prefix);
        const job = await call(ctx, 'Error querying job', ctx.client.jobs.info(id));
        if (ctx.values.json) {
            io.out(toJson([await jobDocument(ctx, job)]));
            return 0;
        }
        io.out(formatKV(jobBasics(job)));
        if (ctx.values.short)
            return 0;
        const summary = await call(ctx, 'Error querying job summary', ctx.client.jobs.summary(id));
        io.out('\nSummary');
        io.out(summaryTable(summary));
        const allocs = await call(ctx, 'Error querying job allocations', ctx.client.jobs.allocations(id));
        io.out('\nAllocations');
        io.out(allocListTable(allocs, ctx.values.verbose ? { verbose: true } : {}));
        return 0;
    });
}
async function listJobs(ctx) {
    const jobs = await call(ctx, 'Error querying jobs', ctx.client.jobs.list());
    if (jobs.length === 0) {
        ctx.io.out('No running jobs');
        return 0;
    }
    if (ctx.values.json) {
        const docs = [];
        for (const j of jobs)
            docs.push(await jobDocument(ctx, await call(ctx, 'Error querying job', ctx.client.jobs.info(j.ID))));
        ctx.io.out(toJson(docs));
        return 0;
    }
    ctx.io.out(jobListTable(jobs));
    return 0;
}
/** The -json shape (a subset of Nomad's JobStatus JSON: Job, Summary, Allocations). */
async function jobDocument(ctx, job) {
    const id = String(job.ID);
    return {
        Job: job,
        Summary: await call(ctx, 'Error querying job summary', ctx.client.jobs.summary(id)),
        Allocations: await call(ctx, 'Error querying job allocations', ctx.client.jobs.allocations(id)),
    };
}
/** Nomad's job detail block. */
function jobBasics(job) {
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
        ['Periodic', false],
        ['Parameterized', false],
    ];
}
/** "Task Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown". */
function summaryTable(s) {
    const groups = Object.keys(s.Summary).sort();
    return formatList([
        ['Task Group', 'Queued', 'Starting', 'Running', 'Failed', 'Complete', 'Lost', 'Unknown'],
        ...groups.map((g) => {
            const t = s.Summary[g];
            return [g, t?.Queued ?? 0, t?.Starting ?? 0, t?.Running ?? 0, t?.Failed ?? 0, t?.Complete ?? 0, t?.Lost ?? 0, t?.Unknown ?? 0];
        }),
    ]);
}
//# sourceMappingURL=job-status.js.map