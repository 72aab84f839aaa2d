/**
 * One-shot timers that never fire early. Node may run a setTimeout callback
 * up to a millisecond before the requested delay has passed (its loop clock
 * is cached); mock_driver is the task runner's timing instrument, so each
 * timer re-checks the monotonic clock and re-arms for any remainder.
 */
/** Runs `fn` once `ms` have passed on the monotonic clock; ms ≤ 0 runs it on the next loop turn. */
export function after(ms, fn, opts = {}) {
    if (!(ms > 0)) {
        const im = setImmediate(fn);
        if (opts.unref)
            im.unref();
        return () => clearImmediate(im);
    }
    const deadline = performance.now() + ms;
    let t;
    const arm = (delay) => {
        t = setTimeout(check, Math.ceil(delay));
        if (opts.unref)
            t.unref();
    };
    const check = () => {
        const left = deadline - performance.now();
        if (left > 0)
            arm(left);
        else
            fn();
    };
    arm(ms);
    return () => clearTimeout(t);
}
export const realTimers = { now: () => performance.now(), after: (ms, fn) => after(ms, fn) };
/** Resolves after `ms` on `timers` (never early). */
export function sleep(ms, timers = realTimers) {
    return new Promise((resolve) => timers.after(ms, resolve));
}
/** Resolves true after `ms` on `timers`, or false as soon as any of `signals` aborts; leaves nothing armed behind. */
export function sleepUnlessAborted(ms, signals, timers = realTimers) {
    if (signals.some((s) => s.aborted))
        return Promise.resolve(false);
    return new Promise((resolve) => {
        const onAbort = () => {
            cancel();
            done(false);
        };
        const done = (v) => {
            for (const s of signals)
                s.removeEventListener('abort', onAbort);
            resolve(v);
        };
        const cancel = timers.after(ms, () => done(true));
        for (const s of signals)
            s.addEventListener('abort', onAbort, { once: true });
    });
}
export { abortError } from '../shared/task-exit.js';
//# sourceMappingURL=timers.js.map