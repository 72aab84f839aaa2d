/** Splits a streamed HTTP body into newline-delimited JSON values. */
/** Yields each JSON line of `body` until it ends or `signal` aborts. */
export async function* ndjson(body, signal) {
    if (!body)
        return;
    const decoder = new TextDecoder();
    let buffered = '';
    const reader = body.getReader();
    const onAbort = () => void reader.cancel().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
        for (;;) {
            let chunk;
            try {
                chunk = await reader.read();
            }
            catch (err) {
                if (signal?.aborted)
                    return;
                throw err;
            }
            if (chunk.done)
                break;
            buffered += decoder.decode(chunk.value, { stream: true });
            let nl;
            while ((nl = buffered.indexOf('\n')) >= 0) {
                const line = buffered.slice(0, nl).trim();
                buffered = buffered.slice(nl + 1);
                if (line !== '')
                    yield JSON.parse(line);
            }
        }
        if (buffered.trim() !== '')
            yield JSON.parse(buffered);
    }
    finally {
        signal?.removeEventListener('abort', onAbort);
        reader.releaseLock();
    }
}
/** Yields the raw chunks of `body`. */
export async function* bytes(body, signal) {
    if (!body)
        return;
    const reader = body.getReader();
    const onAbort = () => void reader.cancel().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
        for (;;) {
            let chunk;
            try {
                chunk = await reader.read();
            }
            catch (err) {
                if (signal?.aborted)
                    return;
                throw err;
            }
            if (chunk.done)
                return;
            yield chunk.value;
        }
    }
    finally {
        signal?.removeEventListener('abort', onAbort);
        reader.releaseLock();
    }
}
//# sourceMappingURL=ndjson.js.map