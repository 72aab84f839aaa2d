/**
 * `drover alloc signal|restart|stop` (Nomad's): act on a live allocation.
 * signal and restart print nothing on success, as Nomad's do; stop watches
 * the allocation stop and its replacement start unless -detach.
 */
import { apiUsage, call, CliError, commandContext, runCommandBody } from './common.js';
import { allocTask, findAlloc } from './lookup.js';
import { jobAllocs, monitorInfo, TERMINAL_STATUSES, watchAllocs } from './monitor.js';
import { limit, SHORT_ID } from './tables.js';
export const ALLOC_SIGNAL_USAGE = apiUsage(`Usage: drover alloc signal [options] <allocation> [<task>]

  Sends a signal to one task, or to every running task of the allocation.

Signal Options:
  -s SIGNAL   The signal (default SIGKILL).
  -task NAME  The task (instead of the second argument).
`);
export const ALLOC_RESTART_USAGE = apiUsage(`Usage: drover alloc restart [options] <allocation> [<task>]

  Restarts one task, the running tasks, or with -all-tasks every task.

Restart Options:
  -task NAME   The task (instead of the second argument).
  -all-tasks   Restart every task, including finished prestart/poststart ones.
`);
export const ALLOC_STOP_USAGE = apiUsage(`Usage: drover alloc stop [options] <allocation>

  Stops the allocation; a replacement is placed unless its job is stopped.

Stop Options:
  -detach    Return at once, printing the evaluation ID.
  -verbose   Full ids.
`);
export async function allocSignalCommand(argv, io) {
    return runCommandBody(io, ALLOC_SIGNAL_USAGE, async () => {
        const ctx = commandContext(argv, { s: { type: 'string' }, task: { type: 'string' } }, io, ALLOC_SIGNAL_USAGE);
        if (!ctx)
            return 0;
        if (ctx.args.length < 1 || ctx.args.length > 2)
            throw new CliError(`This command takes up to two arguments: <alloc-id> <task>\n\n${ALLOC_SIGNAL_USAGE}`);
        const alloc = await findAlloc(ctx, ctx.args[0]);
        const named = ctx.values.task ?? ctx.args[1];
        const task = named ? allocTask(alloc, named) : undefined;
        const signal = ctx.values.s ?? 'SIGKILL';
        await call(ctx, 'Error signalling allocation', ctx.client.client.signal(alloc.ID, signal, task ? { task } : {}));
        return 0;
    });
}
export async function allocRestartCommand(argv, io) {
    return runCommandBody(io, ALLOC_RESTART_USAGE, async () => {
        const ctx = commandContext(argv, { task: { type: 'string' }, 'all-tasks': { type: 'boolean' } }, io, ALLOC_RESTART_USAGE);
        if (!ctx)
            return 0;
        if (ctx.args.length < 1 || ctx.args.length > 2)
            throw new CliError(`This command takes one or two arguments: <alloc-id> <task-name>\n\n${ALLOC_RESTART_USAGE}`);
        const named = ctx.values.task ?? ctx.args[1];
        const allTasks = ctx.values['all-tasks'] === true;
        if (named && allTasks)
            throw new CliError('The -all-tasks option is not allowed when restarting a specific task.');
        const alloc = await findAlloc(ctx, ctx.args[0]);
        const task = named ? allocTask(alloc, named) : undefined;
        await call(ctx, `Failed to restart ${task ? 'task' : 'allocation'}`, ctx.client.client.restart(alloc.ID, { ...(task ? { task } : {}), allTasks }));
        return 0;
    });
}
export async function allocStopCommand(argv, io) {
    return runCommandBody(io, ALLOC_STOP_USAGE, async () => {
        const ctx = commandContext(argv, { detach: { type: 'boolean' }, verbose: { type: 'boolean' } }, io, ALLOC_STOP_USAGE);
        if (!ctx)
            return 0;
        if (ctx.args.length !== 1)
            throw new CliError(`This command takes one argument: <alloc-id>\n\n${ALLOC_STOP_USAGE}`);
        const alloc = await findAlloc(ctx, ctx.args[0]);
        const before = ctx.values.detach ? [] : await jobAllocs(ctx, alloc.JobID);
        const resp = await call(ctx, 'Error stopping allocation', ctx.client.allocations.stop(alloc.ID));
        if (ctx.values.detach) {
            io.out(resp.EvalID);
            return 0;
        }
        const len = ctx.values.verbose ? Infinity : SHORT_ID;
        monitorInfo(ctx, `Stopping allocation ${JSON.stringify(limit(alloc.ID, len))}`);
        const known = new Set(before.map((a) => a.ID));
        await watchAllocs(ctx, {
            jobId: alloc.JobID,
            before: new Map(before.map((a) => [a.ID, a.ClientStatus])),
            done: (all) => all.every((a) => (a.ID === alloc.ID ? TERMINAL_STATUSES.has(a.ClientStatus) : known.has(a.ID) || a.DesiredStatus !== 'run' || a.ClientStatus !== 'pending')),
            verbose: ctx.values.verbose === true,
        });
        monitorInfo(ctx, `Allocation ${JSON.stringify(limit(alloc.ID, len))} stopped`);
        return 0;
    });
}
//# sourceMappingURL=alloc-ops.js.map