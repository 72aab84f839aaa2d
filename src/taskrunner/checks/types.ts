/**
 * What one execution of a check yields, and the clock the check loop and the
 * check_restart watcher decide with (injected so tests are exact).
 */

/**
 * Consul's three health states, which script checks produce (exit 0, 1, else)
 * and success_before_passing / failures_before_critical count in. http, tcp
 * and grpc checks only pass or go critical.
 */
export type CheckHealth = 'passing' | 'warning' | 'critical';

/** One execution's outcome. */
export interface CheckOutcome {
  readonly health: CheckHealth;
  /** http: the response status; 0 for every other check type. */
  readonly statusCode: number;
  readonly output: string;
}

/** Runs one check once; gives up when `signal` aborts (the check's timeout or its stop). */
export interface CheckExecutor {
  execute(signal: AbortSignal): Promise<CheckOutcome>;
  /** Releases what the executor keeps between runs (a kept-alive connection); called when the check stops. */
  close?(): void;
}

/** Time as the check loop and the watcher see it. */
export interface CheckClock {
  /** Unix ms: result timestamps. */
  now(): number;
  /**
   * Milliseconds on a clock that never steps, for check_restart's grace (Nomad's
   * watcher compares Go times on their monotonic reading); `now` when absent
   * (test clocks, which only step when told).
   */
  monotonic?(): number;
  /** Resolves true after `ms`, or false as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
}

/** The check output Nomad's native checks give a failure they caught themselves ("nomad: dial tcp …"). */
export function nomadOutput(message: string): string {
  return `nomad: ${message}`;
}

/** Why `signal` aborted, as text: the loop aborts a timed-out check with Go's "context deadline exceeded". */
export function abortText(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : String(r);
}

/** The abort reason the check loop gives a check that ran past its timeout (Go's context.DeadlineExceeded text). */
export const DEADLINE_EXCEEDED = 'context deadline exceeded';
