/**
 * Task operations that every executor-backed driver (raw_exec, exec) performs
 * the same way: they only forward to the executor daemon, so one copy keeps
 * Nomad's semantics (signal fallback, exec's deadline, stats polling) in step.
 */
import type { Executor } from '../../executor/types.js';
import { signalNumber } from '../../executor/signals.js';
import { DroverError, ErrorCode, ValidationError } from '../../model/errors.js';
import type { ExecTaskResult, ExitResult, Logger, TaskResourceUsage } from '../types.js';

/** Forwards a signal; an unknown name becomes SIGINT with a warning, as Nomad does. */
export async function signalViaExecutor(executor: Pick<Executor, 'signal'>, taskId: string, signal: string, logger: Logger): Promise<void> {
  let sig = signal;
  if (signalNumber(signal) === undefined || !/^SIG/i.test(signal)) {
    logger.warn('unknown signal to send to task, using SIGINT instead', { signal, task_id: taskId });
    sig = 'SIGINT';
  }
  await executor.signal(taskId, sig);
}

/** Runs a command in the task's context; output (stdout and stderr interleaved, last 4 KiB) on stdout, like Nomad. */
export async function execViaExecutor(executor: Pick<Executor, 'exec'>, taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
  const [command, ...args] = cmd;
  if (command === undefined) throw new DroverError(ErrorCode.validation, 'error cmd must have at least one value');
  // The daemon compares the deadline with its own clock: wall time, not an injected clock.
  const r = await executor.exec(taskId, timeoutMs > 0 ? Date.now() + timeoutMs : 0, command, args);
  return { stdout: r.output, stderr: new Uint8Array(0), exitResult: { exitCode: r.exitCode, signal: 0, oomKilled: false } };
}

/** What the stats loop needs to know about the task. */
export interface StatsSubject {
  readonly executor: Pick<Executor, 'stats'>;
  readonly taskId: string;
  readonly running: () => boolean;
  /** Settles when the task exits: sampling stops. */
  readonly exited: Promise<ExitResult>;
  /** Aborts when the driver forgets the task. */
  readonly disposed: AbortSignal;
}

/** The executor's usage every intervalMs (first at once), until abort, exit or destroy. */
export async function* pollExecutorStats(s: StatsSubject, intervalMs: number, signal: AbortSignal | undefined, logger: Logger): AsyncGenerator<TaskResourceUsage> {
  const stop = signal ? AbortSignal.any([signal, s.disposed]) : s.disposed;
  const every = Math.max(1, intervalMs);
  while (!stop.aborted && s.running()) {
    try {
      yield await s.executor.stats(s.taskId);
    } catch (err) {
      if (!s.running() || stop.aborted) return; // the task is gone: the stream ends
      if (err instanceof ValidationError) throw err;
      // A daemon restart or a sample racing the exit: skip this one.
      logger.debug('skipping a stats sample', { error: String(err), task_id: s.taskId });
    }
    if (!(await nextTick(every, stop, s.exited))) return;
  }
}

/** True after ms; false as soon as `stop` aborts or `exited` settles. */
function nextTick(ms: number, stop: AbortSignal, exited: Promise<unknown>): Promise<boolean> {
  if (stop.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean): void => {
      clearTimeout(t);
      stop.removeEventListener('abort', onStop);
      resolve(v);
    };
    const onStop = (): void => done(false);
    const t = setTimeout(() => done(true), ms);
    stop.addEventListener('abort', onStop, { once: true });
    void exited.then(() => done(false), () => done(false));
  });
}
