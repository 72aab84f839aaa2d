/**
 * Restart policy decisions with Nomad's semantics (client/allocrunner/
 * taskrunner/restarts): attempts counted within an interval, delay with up to
 * 25% jitter, mode "fail" or "delay", successful batch exits are final,
 * non-recoverable start errors are fatal. Pure: clock and random are injected.
 */
import type { ExitResult } from '../drivers/types.js';
import { exitSuccessful } from '../drivers/types.js';
import type { LifecycleHook, RestartPolicy, JobType } from '../model/job.js';
import { formatDuration } from '../model/duration.js';
import { isRecoverable } from '../model/errors.js';

/** Fraction of the delay added at most as jitter. */
const JITTER = 0.25;

export const RestartReason = {
  noRestartsAllowed: 'Policy allows no restarts',
  unrecoverable: 'Error was unrecoverable',
  withinPolicy: 'Restart within policy',
  delay: 'Exceeded allowed attempts, applying a delay',
  success: 'Restart unnecessary as task terminated successfully',
} as const;

/** What the runner should do next. */
export type RestartDecision =
  | { readonly kind: 'killed' }
  | { readonly kind: 'restart'; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'not-restarting'; readonly reason: string }
  | { readonly kind: 'terminated'; readonly reason: string };

export interface RestartTrackerOptions {
  readonly policy: RestartPolicy;
  readonly jobType: JobType | 'system';
  readonly lifecycle?: { readonly hook: LifecycleHook; readonly sidecar: boolean };
  /** Milliseconds on a clock that never steps (the interval is measured on it, as Nomad's on Go's monotonic reading). */
  readonly now: () => number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

export class RestartTracker {
  private policy: RestartPolicy;
  private readonly onSuccess: boolean;
  private readonly now: () => number;
  private readonly random: () => number;
  private startTime: number;
  private count = 0;
  private exitResult: ExitResult | undefined;
  private startError: unknown;
  private killed = false;
  private restartTriggered = false;
  private failure = false;

  constructor(opts: RestartTrackerOptions) {
    this.policy = opts.policy;
    this.now = opts.now;
    this.random = opts.random;
    this.startTime = opts.now();
    this.onSuccess = restartsOnSuccess(opts.jobType, opts.lifecycle);
  }

  /** Replaces the policy (job update). */
  setPolicy(policy: RestartPolicy): void {
    this.policy = policy;
  }

  /** Restarts counted in the current interval. */
  get attempts(): number {
    return this.count;
  }

  setStartError(err: unknown): this {
    this.startError = err;
    this.failure = true;
    return this;
  }

  setExitResult(result: ExitResult): this {
    this.exitResult = result;
    this.failure = true;
    return this;
  }

  /** A user-requested restart: `failure` counts it against the policy, otherwise it is free. */
  setRestartTriggered(failure: boolean): this {
    if (failure) this.failure = true;
    else this.restartTriggered = true;
    return this;
  }

  setKilled(): this {
    this.killed = true;
    return this;
  }

  /** Decides from what was set since the last call, then clears it (as Nomad's GetState). */
  decide(): RestartDecision {
    try {
      return this.decideInner();
    } finally {
      this.startError = undefined;
      this.exitResult = undefined;
      this.restartTriggered = false;
      this.failure = false;
      this.killed = false;
    }
  }

  private decideInner(): RestartDecision {
    if (this.killed) return { kind: 'killed' };
    if (this.restartTriggered) return { kind: 'restart', delayMs: 0, reason: '' };

    const success = this.exitResult !== undefined && exitSuccessful(this.exitResult);
    if (this.policy.attempts === 0) {
      if (!this.onSuccess && success) return { kind: 'terminated', reason: RestartReason.noRestartsAllowed };
      return { kind: 'not-restarting', reason: RestartReason.noRestartsAllowed };
    }

    const now = this.now();
    if (now > this.startTime + this.policy.intervalMs) {
      this.count = 0;
      this.startTime = now;
    }
    this.count++;

    if (!this.failure) return { kind: 'restart', delayMs: 0, reason: '' };

    if (this.startError !== undefined) {
      if (!isRecoverable(this.startError)) return { kind: 'not-restarting', reason: RestartReason.unrecoverable };
    } else if (success && !this.onSuccess) {
      return { kind: 'terminated', reason: RestartReason.success };
    }

    if (this.count > this.policy.attempts) {
      if (this.policy.mode === 'fail') {
        return {
          kind: 'not-restarting',
          reason: `Exceeded allowed attempts ${this.policy.attempts} in interval ${formatDuration(this.policy.intervalMs)} and mode is "fail"`,
        };
      }
      // mode "delay": wait for the current interval to end, then count afresh.
      return { kind: 'restart', delayMs: this.startTime + this.policy.intervalMs - now, reason: RestartReason.delay };
    }
    return { kind: 'restart', delayMs: this.jitteredDelay(), reason: RestartReason.withinPolicy };
  }

  /** delay plus up to 25% of it, at nanosecond granularity like Nomad's rand.Int63n(d). */
  private jitteredDelay(): number {
    const delayNs = Math.max(1, Math.round(this.policy.delayMs * 1e6));
    const jitterNs = Math.floor(this.random() * delayNs) * JITTER;
    return (delayNs + Math.floor(jitterNs)) / 1e6;
  }
}

/** Batch work and non-sidecar lifecycle tasks are done when they exit 0; services and sidecars restart. */
function restartsOnSuccess(jobType: RestartTrackerOptions['jobType'], lifecycle: RestartTrackerOptions['lifecycle']): boolean {
  let onSuccess = !(jobType === 'batch' || jobType === 'sysbatch');
  if (lifecycle?.hook === 'prestart' || lifecycle?.hook === 'poststart') onSuccess = lifecycle.sidecar;
  if (lifecycle?.hook === 'poststop') onSuccess = false;
  return onSuccess;
}
