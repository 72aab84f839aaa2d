/** Abort helpers every driver's task handle uses for waitTask's `{ signal }`. */

/** The error a wait rejects with when its signal aborts (name "AbortError", as DOM APIs use). */
export function abortError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Resolves as `exited` does, or rejects with an AbortError when `signal`
 * aborts first; the listener is removed either way, so long-lived signals
 * do not collect one per wait.
 */
export function waitUnlessAborted<T>(exited: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return exited;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    void exited.then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
