/** A task's exit: unknown until `finish` records it, exactly once. */
export class TaskExit {
    now;
    /** Settles with the exit result (never rejects). */
    exited;
    procState = 'running';
    completedAt = 0;
    result;
    resolveExit;
    constructor(now) {
        this.now = now;
        this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    }
    /** Whether the task still runs. */
    get running() {
        return this.procState === 'running';
    }
    /** The exit, once known. */
    get exitResult() {
        return this.result;
    }
    /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
    wait(signal) {
        if (this.result)
            return Promise.resolve(this.result);
        return waitUnlessAborted(this.exited, signal);
    }
    /** Records the exit; later calls are ignored (the first report wins). */
    finish(r, state = 'exited') {
        if (this.result)
            return;
        this.result = r;
        this.procState = state;
        this.completedAt = this.now();
        this.resolveExit(r);
    }
    /** True once the task has exited, false if `ms` passes first. */
    exitsWithin(ms) {
        if (!this.running)
            return Promise.resolve(true);
        return new Promise((resolve) => {
            const t = setTimeout(() => resolve(false), ms);
            void this.exited.then(() => {
                clearTimeout(t);
                resolve(true);
            });
        });
    }
    /** Nomad's TaskStatus for `config`, started at `startedAt` (unix ms). */
    status(config, startedAt, driverAttributes) {
        return {
            id: config.id,
            name: config.name,
            state: this.procState,
            startedAt,
            completedAt: this.completedAt,
            ...(this.result ? { exitResult: this.result } : {}),
            driverAttributes,
        };
    }
}
/** The error a wait rejects with when its signal aborts (name "AbortError", as DOM APIs use). */
export function abortError() {
    return new DOMException('This operation was aborted', 'AbortError');
}
/**
 * Resolves as `exited` does, or rejects with an AbortError when `signal`
 * aborts first; the listener is removed either way, so long-lived signals
 * do not collect one per wait.
 */
export function waitUnlessAborted(exited, signal) {
    if (!signal)
        return exited;
    if (signal.aborted)
        return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(abortError());
        signal.addEventListener('abort', onAbort, { once: true });
        void exited.then((r) => {
            signal.removeEventListener('abort', onAbort);
            resolve(r);
        }, (err) => {
            signal.removeEventListener('abort', onAbort);
            reject(err);
        });
    });
}
//# sourceMappingURL=task-exit.js.map