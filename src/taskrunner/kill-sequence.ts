/**
 * The kill sequence (Nomad's handleKill/killTask): PreKill hooks, an optional
 * shutdown_delay, then the driver's StopTask (kill_signal, kill_timeout, force),
 * retried with backoff if the driver errors, and finally the exit result.
 */
import type { DriverPlugin, ExitResult } from '../drivers/types.js';
import { ABORTED, ErrorCode, DroverError, errorMessage } from '../model/errors.js';
import { sleep as realSleep, unlessAborted } from './abort.js';

/** Nomad retries a failing StopTask this many times. */
const KILL_FAILURE_LIMIT = 5;
const KILL_BACKOFF_BASE_MS = 100;
const KILL_BACKOFF_LIMIT_MS = 5_000;

export interface KillSequenceInput {
  readonly driver: Pick<DriverPlugin, 'stopTask' | 'waitTask'>;
  readonly taskId: string;
  readonly killTimeoutMs: number;
  readonly killSignal: string;
  readonly shutdownDelayMs: number;
  /** The pending waitTask result for this task. */
  readonly exit: Promise<ExitResult>;
  readonly preKill: () => Promise<void>;
  /** Called before waiting out shutdown_delay (the runner emits its event). */
  readonly onShutdownDelay: () => void;
  /** Aborts when the agent shuts down: stop waiting, leave the task alone. */
  readonly shutdown: AbortSignal;
  /** Waits for shutdown_delay and the retry backoff; injected so tests control time. Default: a real timer. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
}

export interface KillOutcome {
  /** Undefined when the task was already gone or the agent shut down first. */
  readonly result?: ExitResult;
  /** Set when the driver could not stop the task. */
  readonly killError?: string;
}

export async function runKillSequence(k: KillSequenceInput): Promise<KillOutcome> {
  const sleep = k.sleep ?? realSleep;
  await k.preKill();

  if (k.shutdownDelayMs > 0) {
    k.onShutdownDelay();
    const early = new AbortController();
    const result = await Promise.race([k.exit.then((r) => r), sleep(k.shutdownDelayMs, AbortSignal.any([early.signal, k.shutdown])).then(() => undefined)]);
    early.abort(ABORTED);
    if (result !== undefined) return { result };
    if (k.shutdown.aborted) return {};
  }

  let killError: string | undefined;
  for (let attempt = 0; attempt < KILL_FAILURE_LIMIT; attempt++) {
    try {
      await k.driver.stopTask(k.taskId, k.killTimeoutMs, k.killSignal);
      killError = undefined;
      break;
    } catch (err) {
      if (err instanceof DroverError && err.code === ErrorCode.taskNotFound) return {};
      killError = errorMessage(err);
      const backoff = Math.min(KILL_BACKOFF_BASE_MS * 4 ** attempt, KILL_BACKOFF_LIMIT_MS);
      const exited = await unlessAborted(Promise.race([k.exit, sleep(backoff, k.shutdown).then(() => undefined)]), k.shutdown);
      if (exited !== undefined) return { result: exited };
      // Shutting down: leave the task alone rather than retry the stop at once.
      if (k.shutdown.aborted) return { killError };
    }
  }
  const result = await unlessAborted(k.exit, k.shutdown);
  return { result, killError };
}
