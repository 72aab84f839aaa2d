/** Small helpers for racing work against AbortSignals (Go's select on ctx.Done()). */

/** Resolves after `ms`, or early (with false) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  // No timer for no delay: setTimeout(0) waits at least 1 ms, a tenth of a whole restart cycle.
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
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
export async function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return undefined;
  let cleanup = (): void => {};
  const abort = new Promise<undefined>((resolve) => {
    const on = (): void => resolve(undefined);
    signal.addEventListener('abort', on, { once: true });
    cleanup = () => signal.removeEventListener('abort', on);
  });
  try {
    return await Promise.race([p, abort]);
  } finally {
    cleanup();
  }
}
