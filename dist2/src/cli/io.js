import { errnoOf, formatProblem } from '../model/errors.js';
/**
 * The process's stdout and stderr. A closed pipe is the user going away, not
 * a failure: without this, Node reports EPIPE as an unhandled 'error' event
 * with a stack trace.
 */
export function processIo() {
    let closed = false;
    let handler;
    const guard = (stream) => {
        stream.on('error', (err) => {
            // After the first EPIPE, writes already queued fail too; they are the same news.
            if (closed)
                return;
            if (errnoOf(err) !== 'EPIPE')
                throw err;
            closed = true;
            if (handler)
                handler();
            else
                process.exit(0);
        });
    };
    guard(process.stdout);
    guard(process.stderr);
    const write = (stream, data) => {
        if (!closed)
            stream.write(data);
    };
    return {
        out: (line) => write(process.stdout, `${line}\n`),
        err: (line) => write(process.stderr, `${line}\n`),
        rawOut: (chunk) => write(process.stdout, chunk),
        rawErr: (chunk) => write(process.stderr, chunk),
        onOutputClosed: (h) => {
            handler = h;
        },
    };
}
/** Nomad's "Job Warnings:" block. */
export function printWarnings(io, warnings) {
    if (warnings.length === 0)
        return;
    io.err('Job Warnings:');
    io.err(`${warnings.length} warning(s):\n`);
    for (const w of warnings)
        io.err(`* ${formatProblem(w)}`);
    io.err('');
}
//# sourceMappingURL=io.js.map