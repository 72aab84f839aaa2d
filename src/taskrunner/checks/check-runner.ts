/**
 * The loop one check runs in (Nomad's checks_hook observer and the script
 * check tasklet): wait, run with a timeout, apply the thresholds, report,
 * wait `interval` after the run ended, again — until the signal aborts.
 *
 * Before its first run the check reports its initial status: "pending" with
 * Nomad's "nomad: waiting to run" (checks.Stub) unless initial_status says
 * otherwise. Every decision reads the injected clock.
 */
import type { CheckSpec } from '../../model/service.js';
import type { CheckResult, CheckResultSink, CheckStatus } from '../services/types.js';
import { ABORTED } from '../../model/errors.js';
import { StatusHandler } from './status-handler.js';
import { DEADLINE_EXCEEDED, type CheckClock, type CheckExecutor, type CheckHealth, type CheckOutcome } from './types.js';

/** A check's status as a watcher sees it: a health, or "pending" before anything was reported. */
export type WatchedStatus = CheckHealth | 'pending';

/** Everything of a CheckResult that does not change between runs. */
export type CheckIdentity = Omit<CheckResult, 'status' | 'statusCode' | 'output' | 'timestamp'>;

export interface CheckRunnerOptions {
  readonly identity: CheckIdentity;
  readonly spec: Pick<CheckSpec, 'intervalMs' | 'timeoutMs' | 'initialStatus' | 'successBeforePassing' | 'failuresBeforeWarning' | 'failuresBeforeCritical'>;
  readonly executor: CheckExecutor;
  /** Wait before the first run: Nomad's native checks wait half an interval, script checks none. */
  readonly firstDelayMs: number;
  readonly clock: CheckClock;
  readonly sink: CheckResultSink;
  /** Told the check's standing status after every run (the check_restart watcher). */
  readonly onStatus?: (status: WatchedStatus) => void;
  readonly signal: AbortSignal;
}

/** Runs the check until `signal` aborts; never rejects. */
export async function runCheck(o: CheckRunnerOptions): Promise<void> {
  const { clock, sink, identity, spec, signal } = o;
  const put = (status: CheckStatus, outcome: Pick<CheckOutcome, 'statusCode' | 'output'>, at: number): void =>
    sink.put({ ...identity, status, statusCode: outcome.statusCode, output: outcome.output, timestamp: at });

  let standing = initialHealth(spec.initialStatus);
  if (standing === 'pending') put('pending', { statusCode: 0, output: 'nomad: waiting to run' }, clock.now());
  else put(resultStatus(standing), { statusCode: 0, output: '' }, clock.now());

  const thresholds = new StatusHandler(spec);
  let wait = o.firstDelayMs;
  try {
    while (await clock.sleep(wait, signal)) {
      const startedAt = clock.now();
      const outcome = await executeWithTimeout(o.executor, spec.timeoutMs, clock, signal);
      // A stop during the run: the result belongs to a check that no longer exists.
      if (signal.aborted) return;
      const reported = thresholds.observe(outcome);
      if (reported !== undefined) {
        standing = reported;
        put(resultStatus(reported), outcome, startedAt);
      }
      o.onStatus?.(standing);
      wait = spec.intervalMs;
    }
  } finally {
    o.executor.close?.();
  }
}

/** Runs once; past `timeoutMs` the run is aborted with "context deadline exceeded", which the executor turns into a critical outcome. */
async function executeWithTimeout(executor: CheckExecutor, timeoutMs: number, clock: CheckClock, stop: AbortSignal): Promise<CheckOutcome> {
  // Every run costs this, 100 checks at 1 s make it hot: plain listeners, no AbortSignal.any
  // (whose sources keep each combined signal until GC) and no DOMException per abort.
  const run = new AbortController();
  const onStop = (): void => run.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  const timer = new AbortController();
  if (timeoutMs > 0) {
    void clock.sleep(timeoutMs, timer.signal).then((elapsed) => {
      if (elapsed) run.abort(new Error(DEADLINE_EXCEEDED));
    });
  }
  try {
    return await executor.execute(run.signal);
  } finally {
    // A stop ends the run first, so ending the timer here covers it too.
    timer.abort(ABORTED);
    stop.removeEventListener('abort', onStop);
  }
}

/** Nomad's native statuses: passing is "success", warning and critical are "failure". */
export function resultStatus(h: CheckHealth): CheckStatus {
  return h === 'passing' ? 'success' : 'failure';
}

function initialHealth(initialStatus: string): WatchedStatus {
  switch (initialStatus) {
    case 'passing':
    case 'warning':
    case 'critical':
      return initialStatus;
    default:
      return 'pending';
  }
}
