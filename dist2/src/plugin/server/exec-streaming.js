import { NotSupportedError, ValidationError, errorMessage } from '../../model/errors.js';
import { isExecStreamingDriver } from '../../drivers/types.js';
import { AsyncQueue } from '../async-queue.js';
import { exitResultToPb } from '../codec/exit-result.js';
import { toServiceError } from '../errors.js';
/** The bidi handler. */
export function execStreamingHandler(driver, logger) {
    return (call) => {
        const ac = new AbortController();
        const stdin = new AsyncQueue();
        const resize = new AsyncQueue();
        let setup;
        let started = false;
        const fail = (err) => {
            if (ac.signal.aborted)
                return;
            logger.debug('ExecTaskStreaming failed', { error: errorMessage(err) });
            call.emit('error', toServiceError(err));
        };
        call.on('cancelled', () => {
            ac.abort();
            stdin.end();
            resize.end();
        });
        call.on('end', () => {
            stdin.end();
            resize.end();
        });
        call.on('error', () => ac.abort());
        call.on('data', (msg) => {
            if (!started) {
                started = true;
                setup = msg.setup;
                if (!setup)
                    return fail(new ValidationError([{ field: 'setup', message: 'first message should always be setup' }]));
                void run(setup).catch(fail);
                return;
            }
            if (msg.stdin) {
                if (msg.stdin.data.length > 0)
                    stdin.push(msg.stdin.data);
                if (msg.stdin.close)
                    stdin.end();
            }
            if (msg.tty_size)
                resize.push({ height: msg.tty_size.height, width: msg.tty_size.width });
        });
        const run = async (s) => {
            if (!isExecStreamingDriver(driver))
                throw new NotSupportedError('driver does not support exec');
            const result = await driver.execTaskStreaming(s.task_id, {
                command: s.command,
                tty: s.tty,
                stdin,
                resize,
                stdout: (chunk) => void call.write({ stdout: { data: Buffer.from(chunk), close: false }, stderr: undefined, exited: false, result: undefined }),
                stderr: (chunk) => void call.write({ stdout: undefined, stderr: { data: Buffer.from(chunk), close: false }, exited: false, result: undefined }),
                signal: ac.signal,
            });
            if (ac.signal.aborted)
                return;
            call.write({ stdout: { data: Buffer.alloc(0), close: true }, stderr: undefined, exited: false, result: undefined });
            call.write({ stdout: undefined, stderr: { data: Buffer.alloc(0), close: true }, exited: false, result: undefined });
            call.write({ stdout: undefined, stderr: undefined, exited: true, result: exitResultToPb(result) });
            call.end();
        };
    };
}
//# sourceMappingURL=exec-streaming.js.map