/**
 * ExecTaskStreaming for a served driver: the first message is the setup,
 * later ones stdin chunks (close = EOF) and terminal resizes; output goes
 * back as stdout/stderr chunks, each stream closed once, then one final
 * message with exited = true and the result (as Nomad's StreamToExecOptions).
 */
import type * as grpc from '@grpc/grpc-js';
import { NotSupportedError, ValidationError, errorMessage } from '../../model/errors.js';
import { isExecStreamingDriver, type DriverPlugin, type TerminalSize } from '../../drivers/types.js';
import { type Logger } from '../../model/logger.js';
import { AsyncQueue } from '../async-queue.js';
import { exitResultToPb } from '../codec/exit-result.js';
import { toServiceError } from '../errors.js';
import type { ExecTaskStreamingRequest, ExecTaskStreamingResponse } from '../wire/driver.js';

/** How long a tty session waits for its first size before it starts at 80x24. */
const INITIAL_SIZE_WAIT_MS = 1_000;

/** The bidi handler. */
export function execStreamingHandler(driver: DriverPlugin, logger: Logger): grpc.handleBidiStreamingCall<ExecTaskStreamingRequest, ExecTaskStreamingResponse> {
  return (call) => {
    const ac = new AbortController();
    const stdin = new AsyncQueue<Uint8Array>();
    const resize = new AsyncQueue<TerminalSize>();
    let setup: ExecTaskStreamingRequest['setup'] | undefined;
    let started = false;
    let startTimer: NodeJS.Timeout | undefined;
    let initialSize: TerminalSize | undefined;
    const fail = (err: unknown): void => {
      if (ac.signal.aborted) return;
      logger.debug('ExecTaskStreaming failed', { error: errorMessage(err) });
      call.emit('error', toServiceError(err));
    };
    call.on('cancelled', () => {
      clearTimeout(startTimer);
      ac.abort();
      stdin.end();
      resize.end();
    });
    call.on('end', () => {
      stdin.end();
      resize.end();
    });
    call.on('error', () => ac.abort());
    call.on('data', (msg: ExecTaskStreamingRequest) => {
      if (!started) {
        started = true;
        setup = msg.setup;
        if (!setup) return fail(new ValidationError([{ field: 'setup', message: 'first message should always be setup' }]));
        // Nomad sends the terminal's size right after the setup: a tty starts with it when it comes soon.
        if (setup.tty) {
          const s = setup;
          startTimer = setTimeout(() => startNow(s), INITIAL_SIZE_WAIT_MS);
        } else void run(setup).catch(fail);
        return;
      }
      if (msg.stdin) {
        if (msg.stdin.data.length > 0) stdin.push(msg.stdin.data);
        if (msg.stdin.close) stdin.end();
      }
      const size = msg.tty_size && msg.tty_size.height > 0 && msg.tty_size.width > 0 ? { height: msg.tty_size.height, width: msg.tty_size.width } : undefined;
      if (startTimer && setup) {
        if (size) initialSize = size;
        startNow(setup);
      } else if (size) resize.push(size);
    });
    const startNow = (s: NonNullable<ExecTaskStreamingRequest['setup']>): void => {
      clearTimeout(startTimer);
      startTimer = undefined;
      void run(s).catch(fail);
    };

    const run = async (s: NonNullable<ExecTaskStreamingRequest['setup']>): Promise<void> => {
      if (!isExecStreamingDriver(driver)) throw new NotSupportedError('driver does not support exec');
      const result = await driver.execTaskStreaming(s.task_id, {
        command: s.command,
        tty: s.tty,
        stdin,
        resize,
        ...(initialSize ? { size: initialSize } : {}),
        stdout: (chunk) => void call.write({ stdout: { data: Buffer.from(chunk), close: false }, stderr: undefined, exited: false, result: undefined }),
        stderr: (chunk) => void call.write({ stdout: undefined, stderr: { data: Buffer.from(chunk), close: false }, exited: false, result: undefined }),
        signal: ac.signal,
      });
      if (ac.signal.aborted) return;
      call.write({ stdout: { data: Buffer.alloc(0), close: true }, stderr: undefined, exited: false, result: undefined });
      call.write({ stdout: undefined, stderr: { data: Buffer.alloc(0), close: true }, exited: false, result: undefined });
      call.write({ stdout: undefined, stderr: undefined, exited: true, result: exitResultToPb(result) });
      call.end();
    };
  };
}
