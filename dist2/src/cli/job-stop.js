/**
 * `drover job stop [-purge] [-detach] JOB…` (Nomad's `nomad job stop`):
 * deregisters each job, then, unless -detach, watches its allocations
 * until all have stopped.
 */
import { createInterface } from 'node:readline/promises';
import { apiUsage, call, CliError, commandContext, runCommandBody } from './common.js';
import { findJob } from './lookup.js';
import { jobAllocs, monitorInfo, statusCounts, TERMINAL_STATUSES, watchAllocs } from './monitor.js';
export const JOB_STOP_USAGE = apiUsage(`Usage: drover job stop [options] <job> [<job>…]

  Stops the jobs' allocations. Unless -detach is given, waits until they
  have stopped.

Stop Options:
  -detach    Return at once, printing the evaluation ID.
  -purge     Remove the job and its allocations from the agent once stopped.
  -yes       Do not ask for confirmation when a prefix matched the job.
  -verbose   Full ids.
`);
export async function jobStopCommand(argv, io) {
    const spec = { detach: { type: 'boolean' }, purge: { type: 'boolean' }, yes: { type: 'boolean' }, verbose: { type: 'boolean' } };
    return runCommandBody(io, JOB_STOP_USAGE, async () => {
        const ctx = commandContext(argv, spec, io, JOB_STOP_USAGE);
        if (!ctx)
            return 0;
        if (ctx.args.length === 0)
            throw new CliError(`This command takes at least one argument: <job>\n\n${JOB_STOP_USAGE}`);
        let code = 0;
        for (const prefix of ctx.args) {
            try {
                code = Math.max(code, await stopOne(ctx, prefix.trim(), ctx.args.length === 1));
            }
            catch (err) {
                if (!(err instanceof CliError))
                    throw err;
                io.err(err.message);
                code = Math.max(code, err.exitCode);
            }
        }
        return code;
    });
}
async function stopOne(ctx, prefix, mayAsk) {
    const job = await findJob(ctx, prefix);
    const id = String(job.ID);
    if (mayAsk && prefix !== id && !ctx.values.yes && !(await confirm(ctx, `Are you sure you want to stop job ${JSON.stringify(id)}? [y/N] `))) {
        ctx.io.out('Cancelling job stop');
        return 0;
    }
    const purge = ctx.values.purge === true;
    const before = ctx.values.detach ? [] : await jobAllocs(ctx, id);
    const resp = await call(ctx, `Error deregistering job with id ${id}`, ctx.client.jobs.deregister(id, { purge }));
    if (ctx.values.detach) {
        ctx.io.out(resp.EvalID);
        return 0;
    }
    monitorInfo(ctx, `Job ${JSON.stringify(id)} ${purge ? 'stopped and purged' : 'stopped'}; waiting for its allocations`);
    const stopping = new Set(before.filter((a) => !TERMINAL_STATUSES.has(a.ClientStatus)).map((a) => a.ID));
    const allocs = await watchAllocs(ctx, {
        jobId: id,
        before: new Map(before.map((a) => [a.ID, a.ClientStatus])),
        // A purged allocation leaves the list: gone counts as stopped.
        done: (all) => all.every((a) => !stopping.has(a.ID) || TERMINAL_STATUSES.has(a.ClientStatus)),
        verbose: ctx.values.verbose === true,
    });
    const left = allocs.filter((a) => stopping.has(a.ID));
    monitorInfo(ctx, `Job ${JSON.stringify(id)} stopped: ${stopping.size} allocation(s) stopped${left.length > 0 ? ` (${statusCounts(left)})` : ''}`);
    return 0;
}
/** Asks on the terminal; only an exact "y" confirms (Nomad's rule). */
async function confirm(ctx, question) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
        const answer = await Promise.race([rl.question(question), new Promise((r) => rl.once('close', () => r('')))]);
        if (answer === 'y')
            return true;
        if (answer.toLowerCase().startsWith('y'))
            ctx.io.out('For confirmation, an exact ‘y’ is required.');
        return false;
    }
    finally {
        rl.close();
    }
}
//# sourceMappingURL=job-stop.js.map