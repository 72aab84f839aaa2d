import { apiFailure, apiUsage, CliError, commandContext, runCommandBody } from './common.js';
import { allocTask, findAlloc } from './lookup.js';
export const ALLOC_LOGS_USAGE = apiUsage(`Usage: drover alloc logs [options] <allocation> [<task>]

  Prints a task's logs. The task may be omitted when the allocation runs one.

Logs Options:
  -stderr     Print stderr instead of stdout.
  -stdout     Print stdout (the default).
  -f          Follow the logs until interrupted. Alone, it follows both stdout and stderr from now.
  -tail       Show the end of the logs (10 lines unless -n or -c says otherwise).
  -n N        With -tail, the number of lines.
  -c N        With -tail, the number of bytes.
  -task NAME  The task (instead of the second argument).
`);
/** Nomad's defaults: 10 lines, reading 120 bytes per line from the end. */
const DEFAULT_TAIL_LINES = 10;
const BYTES_PER_LINE = 120;
export async function allocLogsCommand(argv, io) {
    const spec = {
        stderr: { type: 'boolean' },
        stdout: { type: 'boolean' },
        f: { type: 'boolean' },
        tail: { type: 'boolean' },
        n: { type: 'string' },
        c: { type: 'string' },
        task: { type: 'string' },
    };
    return runCommandBody(io, ALLOC_LOGS_USAGE, async () => {
        const ctx = commandContext(argv, spec, io, ALLOC_LOGS_USAGE);
        if (!ctx)
            return 0;
        if (ctx.args.length < 1 || ctx.args.length > 2)
            throw new CliError(`This command takes one or two arguments: <allocation> [<task>]\n\n${ALLOC_LOGS_USAGE}`);
        const lines = count(ctx.values.n, '-n');
        const bytes = count(ctx.values.c, '-c');
        const alloc = await findAlloc(ctx, ctx.args[0]);
        const task = allocTask(alloc, ctx.values.task ?? ctx.args[1]);
        const { stderr, stdout, f, tail } = ctx.values;
        const stop = interruptSignal();
        if (f && !stderr && !stdout && !tail && lines === undefined && bytes === undefined) {
            // Nomad's tailMultipleFiles: interleaving old output is impossible without timestamps, so both streams start at the end.
            const both = ['stdout', 'stderr'].map((type) => pump(ctx, alloc.ID, { task, type, follow: true, origin: 'end', offset: 0, signal: stop }, type === 'stderr' ? io.rawErr : io.rawOut));
            await Promise.all(both);
            return 0;
        }
        if (stderr && stdout)
            throw new CliError('Unable to support both stdout and stderr');
        const type = stderr ? 'stderr' : 'stdout';
        const o = { task, type, follow: f === true, signal: stop };
        if (!tail) {
            await pump(ctx, alloc.ID, { ...o, origin: 'start', offset: 0 }, io.rawOut, `Failed to read ${type} file`);
            return 0;
        }
        if (lines !== undefined && bytes !== undefined)
            throw new CliError(`Failed to read ${type} file: both -n and -c set`);
        const keep = bytes === undefined ? (lines ?? DEFAULT_TAIL_LINES) : undefined;
        const offset = bytes ?? keep * BYTES_PER_LINE;
        await pump(ctx, alloc.ID, { ...o, origin: 'end', offset }, keep === undefined ? io.rawOut : lastLines(keep, io.rawOut, f === true), `Failed to read ${type} file`);
        return 0;
    });
}
/** Copies one log stream to `write`; ends on interrupt. */
async function pump(ctx, allocId, o, write, what = 'Failed to tail stdout and stderr files') {
    try {
        for await (const chunk of ctx.client.client.logs(allocId, o))
            write(chunk);
        write.flush?.();
    }
    catch (err) {
        if (o.signal.aborted)
            return;
        throw apiFailure(ctx.client, what, err);
    }
}
/**
 * Keeps the last `n` lines of what arrives first (Nomad's LineLimitReader):
 * the initial burst is held for a moment, trimmed, and written; with
 * follow, later output passes through.
 */
function lastLines(n, write, follow) {
    let held = [];
    let timer;
    const flush = () => {
        if (!held)
            return;
        const text = Buffer.concat(held).toString('utf8');
        held = undefined;
        if (timer)
            clearTimeout(timer);
        const parts = text.split('\n');
        const trailing = parts[parts.length - 1] === '' ? parts.pop() : undefined;
        write(Buffer.from(parts.slice(-n).join('\n') + (trailing === undefined ? '' : '\n')));
    };
    const fn = (b) => {
        if (!held)
            return write(b);
        held.push(Buffer.from(b));
        // Follow never ends, so the first burst is cut off after a quiet moment.
        if (follow) {
            if (timer)
                clearTimeout(timer);
            timer = setTimeout(flush, 300);
        }
    };
    return Object.assign(fn, { flush });
}
/** Aborts on Ctrl-C / SIGTERM, so a followed stream ends and the command exits 0 (as Nomad's does). */
function interruptSignal() {
    const ctrl = new AbortController();
    const stop = () => ctrl.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return ctrl.signal;
}
function count(v, flag) {
    if (typeof v !== 'string')
        return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
        throw new CliError(`${flag}: expected a non-negative integer, got ${JSON.stringify(v)}`);
    return n;
}
//# sourceMappingURL=alloc-logs.js.map