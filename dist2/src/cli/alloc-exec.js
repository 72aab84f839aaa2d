import { apiFailure, apiUsage, CliError, commandContext, runCommandBody } from './common.js';
import { allocTask, findAlloc } from './lookup.js';
export const ALLOC_EXEC_USAGE = apiUsage(`Usage: drover alloc exec [options] <allocation> <command> [<args>…]

  Runs a command in a running task's environment and exits with its exit
  code. Options go before the allocation id.

Exec Options:
  -task NAME  The task (required when the allocation runs several).
  -i          Pass stdin to the command (default true; -i=false to disable).
  -t          Allocate a terminal (default: when stdin and stdout are terminals).
  -e CHAR     Escape character for "CHAR." disconnects with -t (default "~"; "none" disables).
`);
export async function allocExecCommand(argv, io) {
    const spec = { task: { type: 'string' }, i: { type: 'boolean' }, t: { type: 'boolean' }, e: { type: 'string' } };
    // Nomad accepts -it / -ti as -i -t.
    const expanded = argv.flatMap((a) => (a === '-it' || a === '-ti' ? ['-i', '-t'] : [a]));
    return runCommandBody(io, ALLOC_EXEC_USAGE, async () => {
        const ctx = commandContext(expanded, spec, io, ALLOC_EXEC_USAGE, { stopAtPositional: true });
        if (!ctx)
            return 0;
        const [allocId, ...command] = ctx.args;
        if (allocId === undefined)
            throw new CliError(`An allocation ID is required\n\n${ALLOC_EXEC_USAGE}`);
        if (allocId.length === 1)
            throw new CliError('Alloc ID must contain at least two characters');
        if (command.length === 0)
            throw new CliError(`A command is required\n\n${ALLOC_EXEC_USAGE}`);
        const stdinOpt = ctx.values.i ?? true;
        const tty = ctx.values.t ?? (process.stdin.isTTY === true && process.stdout.isTTY === true);
        if (tty && !stdinOpt)
            throw new CliError('-i must be enabled if running with tty');
        const esc = typeof ctx.values.e === 'string' ? (ctx.values.e === 'none' ? '' : ctx.values.e) : '~';
        if (esc.length > 1)
            throw new CliError("-e requires 'none' or a single character");
        const alloc = await findAlloc(ctx, allocId);
        const task = allocTask(alloc, ctx.values.task);
        let session;
        try {
            session = await ctx.client.client.exec(alloc.ID, { task, command, tty });
        }
        catch (err) {
            throw apiFailure(ctx.client, 'failed to exec into task', err);
        }
        return pipeSession(session, io, { tty, stdin: stdinOpt, escape: tty ? esc : '' });
    });
}
/** Wires the terminal to the session until the command exits; returns its exit code. */
async function pipeSession(session, io, o) {
    const stdin = process.stdin;
    const raw = o.tty && stdin.isTTY === true;
    let userClosed = false;
    const cleanups = [];
    const cleanup = () => {
        for (const c of cleanups.splice(0).reverse())
            c();
    };
    if (raw) {
        stdin.setRawMode(true);
        cleanups.push(() => stdin.setRawMode(false));
    }
    if (o.tty) {
        const sendSize = () => {
            const out = [process.stdout, process.stderr].find((s) => s.isTTY);
            if (out)
                session.resize(out.rows, out.columns);
        };
        sendSize();
        process.on('SIGWINCH', sendSize);
        cleanups.push(() => process.off('SIGWINCH', sendSize));
    }
    if (o.stdin) {
        const filter = o.escape ? escapeFilter(o.escape.charCodeAt(0), () => {
            userClosed = true;
            cleanup();
            io.rawErr(Buffer.from('\nConnection closed\n'));
            session.close();
        }) : (b) => b;
        const onData = (b) => {
            const out = filter(b);
            if (out.length > 0 && !userClosed)
                session.write(out);
        };
        const onEnd = () => session.closeStdin();
        stdin.on('data', onData);
        stdin.once('end', onEnd);
        cleanups.push(() => {
            stdin.off('data', onData);
            stdin.off('end', onEnd);
            stdin.pause();
        });
    }
    else {
        session.closeStdin();
    }
    // Without a terminal, Ctrl-C ends the session (in raw mode it is a byte for the remote side).
    let interrupted = false;
    const onInterrupt = () => {
        interrupted = true;
        session.close();
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    cleanups.push(() => {
        process.off('SIGINT', onInterrupt);
        process.off('SIGTERM', onInterrupt);
    });
    try {
        for await (const chunk of session.output)
            (chunk.stream === 'stderr' ? io.rawErr : io.rawOut)(chunk.data);
        return await session.exitCode;
    }
    catch (err) {
        if (userClosed)
            return 1;
        throw new CliError(`failed to exec into task: ${interrupted ? 'interrupted' : err.message}`);
    }
    finally {
        cleanup();
    }
}
/** ssh-style escapes at the start of a line: CHAR "." disconnects, CHAR CHAR sends one CHAR. */
function escapeFilter(ch, onDisconnect) {
    let lineStart = true;
    let pending = false;
    return (b) => {
        const out = [];
        for (const c of b) {
            if (pending) {
                pending = false;
                if (c === 0x2e) {
                    onDisconnect();
                    break;
                }
                if (c !== ch)
                    out.push(ch);
            }
            else if (lineStart && c === ch) {
                pending = true;
                continue;
            }
            out.push(c);
            lineStart = c === 0x0d || c === 0x0a;
        }
        return Buffer.from(out);
    };
}
//# sourceMappingURL=alloc-exec.js.map