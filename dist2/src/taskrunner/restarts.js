import { exitSuccessful } from '../drivers/types.js';
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
};
export class RestartTracker {
    policy;
    onSuccess;
    now;
    random;
    startTime;
    count = 0;
    exitResult;
    startError;
    killed = false;
    restartTriggered = false;
    failure = false;
    constructor(opts) {
        this.policy = opts.policy;
        this.now = opts.now;
        this.random = opts.random;
        this.startTime = opts.now();
        this.onSuccess = restartsOnSuccess(opts.jobType, opts.lifecycle);
    }
    /** Replaces the policy (job update). */
    setPolicy(policy) {
        this.policy = policy;
    }
    /** Restarts counted in the current interval. */
    get attempts() {
        return this.count;
    }
    setStartError(err) {
        this.startError = err;
        this.failure = true;
        return this;
    }
    setExitResult(result) {
        this.exitResult = result;
        this.failure = true;
        return this;
    }
    /** A user-requested restart: `failure` counts it against the policy, otherwise it is free. */
    setRestartTriggered(failure) {
        if (failure)
            this.failure = true;
        else
            this.restartTriggered = true;
        return this;
    }
    setKilled() {
        this.killed = true;
        return this;
    }
    /** Decides from what was set since the last call, then clears it (as Nomad's GetState). */
    decide() {
        try {
            return this.decideInner();
        }
        finally {
            this.startError = undefined;
            this.exitResult = undefined;
            this.restartTriggered = false;
            this.failure = false;
            this.killed = false;
        }
    }
    decideInner() {
        if (this.killed)
            return { kind: 'killed' };
        if (this.restartTriggered)
            return { kind: 'restart', delayMs: 0, reason: '' };
        const success = this.exitResult !== undefined && exitSuccessful(this.exitResult);
        if (this.policy.attempts === 0) {
            if (!this.onSuccess && success)
                return { kind: 'terminated', reason: RestartReason.noRestartsAllowed };
            return { kind: 'not-restarting', reason: RestartReason.noRestartsAllowed };
        }
        const now = this.now();
        if (now > this.startTime + this.policy.intervalMs) {
            this.count = 0;
            this.startTime = now;
        }
        this.count++;
        if (!this.failure)
            return { kind: 'restart', delayMs: 0, reason: '' };
        if (this.startError !== undefined) {
            if (!isRecoverable(this.startError))
                return { kind: 'not-restarting', reason: RestartReason.unrecoverable };
        }
        else if (success && !this.onSuccess) {
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
    jitteredDelay() {
        const delayNs = Math.max(1, Math.round(this.policy.delayMs * 1e6));
        const jitterNs = Math.floor(this.random() * delayNs) * JITTER;
        return (delayNs + Math.floor(jitterNs)) / 1e6;
    }
}
/** Batch work and non-sidecar lifecycle tasks are done when they exit 0; services and sidecars restart. */
function restartsOnSuccess(jobType, lifecycle) {
    let onSuccess = !(jobType === 'batch' || jobType === 'sysbatch');
    if (lifecycle?.hook === 'prestart' || lifecycle?.hook === 'poststart')
        onSuccess = lifecycle.sidecar;
    if (lifecycle?.hook === 'poststop')
        onSuccess = false;
    return onSuccess;
}
//# sourceMappingURL=restarts.js.map