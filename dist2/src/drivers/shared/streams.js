/** Resolves true after `ms`, false as soon as any of `signals` aborts. */
export function sleep(ms, ...signals) {
    const live = signals.filter((s) => s !== undefined);
    if (live.some((s) => s.aborted))
        return Promise.resolve(false);
    return new Promise((resolve) => {
        const done = (v) => {
            clearTimeout(t);
            for (const s of live)
                s.removeEventListener('abort', onAbort);
            resolve(v);
        };
        const onAbort = () => done(false);
        const t = setTimeout(() => done(true), ms);
        for (const s of live)
            s.addEventListener('abort', onAbort, { once: true });
    });
}
/** A stream with nothing in it that ends when `signal` aborts (drivers without task events). */
export async function* noEvents(signal) {
    if (!signal)
        return await new Promise(() => { }); // no way to end: like an unclosed Go channel
    if (signal.aborted)
        return;
    await new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
/** What wakes a fingerprint loop early: the driver's config changed. */
export class ChangeSignal {
    target = new EventTarget();
    /** Wakes every waiter. */
    fire() {
        this.target.dispatchEvent(new Event('change'));
    }
    /** Resolves on the next fire, after `ms` (never when undefined), or on abort. */
    next(ms, signal) {
        return new Promise((resolve) => {
            const t = ms === undefined ? undefined : setTimeout(() => done(), ms);
            const done = () => {
                if (t !== undefined)
                    clearTimeout(t);
                signal?.removeEventListener('abort', done);
                this.target.removeEventListener('change', done);
                resolve();
            };
            if (signal?.aborted)
                return done();
            signal?.addEventListener('abort', done, { once: true });
            this.target.addEventListener('change', done, { once: true });
        });
    }
}
/**
 * Nomad's fingerprint loop: emits `build()` at once, then again whenever it
 * changed, re-checking every `periodMs` (never, when undefined) and on every
 * `changes` fire, until `signal` aborts.
 */
export async function* fingerprintLoop(build, periodMs, changes, signal) {
    let last;
    while (!signal?.aborted) {
        const v = await build();
        const key = JSON.stringify(v);
        if (key !== last) {
            last = key;
            yield v;
            continue; // re-check after the consumer resumes: time may have passed
        }
        await changes.next(periodMs, signal);
    }
}
/** A sample every intervalMs (the first at once) until abort, exit or destroy; a failed sample of a live task is skipped. */
export async function* pollStats(s, intervalMs, signal, onSkip) {
    const every = Math.max(1, intervalMs);
    while (!signal?.aborted && !s.ended.aborted && s.running()) {
        let usage;
        try {
            usage = await s.sample();
        }
        catch (err) {
            if (!s.running() || s.ended.aborted || signal?.aborted)
                return; // the task is gone: the stream ends
            onSkip(err);
        }
        if (usage)
            yield usage;
        if (!(await sleep(every, signal, s.ended)))
            return;
    }
}
//# sourceMappingURL=streams.js.map