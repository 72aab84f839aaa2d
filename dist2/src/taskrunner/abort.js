/** Small helpers for racing work against AbortSignals (Go's select on ctx.Done()). */
/** Resolves after `ms`, or early (with false) when `signal` aborts. */
export function sleep(ms, signal) {
    if (signal.aborted)
        return Promise.resolve(false);
    return new Promise((resolve) => {
        const onAbort = () => {
            clearTimeout(timer);
            resolve(false);
        };
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve(true);
        }, Math.max(0, ms));
        signal.addEventListener('abort', onAbort, { once: true });
    });
}
/** Settles with the promise's value, or with `undefined` when `signal` aborts first. */
export async function unlessAborted(p, signal) {
    if (signal.aborted)
        return undefined;
    let cleanup = () => { };
    const abort = new Promise((resolve) => {
        const on = () => resolve(undefined);
        signal.addEventListener('abort', on, { once: true });
        cleanup = () => signal.removeEventListener('abort', on);
    });
    try {
        return await Promise.race([p, abort]);
    }
    finally {
        cleanup();
    }
}
//# sourceMappingURL=abort.js.map