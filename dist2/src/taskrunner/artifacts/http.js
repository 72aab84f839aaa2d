import { Readable } from 'node:stream';
import { writeStreamToFile } from './write-file.js';
/** Downloads `url` into the new file `path`; a non-2xx status is an error naming it. */
export async function httpGet(url, path, opts) {
    const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
    let res;
    try {
        res = await fetch(url, { headers: { ...opts.headers }, redirect: 'follow', signal });
    }
    catch (err) {
        throw new Error(`GET ${redact(url)}: ${describe(err, signal.aborted && !opts.signal.aborted ? opts.timeoutMs : undefined)}`, { cause: err });
    }
    if (!res.ok || res.body === null) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`bad response code: ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (opts.maxBytes > 0 && declared > opts.maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw new Error(`download of ${declared} bytes is larger than the limit of ${opts.maxBytes} bytes`);
    }
    try {
        return await writeStreamToFile(Readable.fromWeb(res.body), path, { maxBytes: opts.maxBytes, hash: opts.hash, signal });
    }
    catch (err) {
        throw new Error(`GET ${redact(url)}: ${describe(err, signal.aborted && !opts.signal.aborted ? opts.timeoutMs : undefined)}`, { cause: err });
    }
}
/** The URL without user info or query (which may carry credentials), for messages. */
export function redact(url) {
    return `${url.protocol}//${url.host}${url.pathname}`;
}
/** The error's message (and cause's: fetch hides the socket error there); "timed out" when our timer fired. */
function describe(err, timedOutAfterMs) {
    if (timedOutAfterMs !== undefined)
        return `timed out after ${timedOutAfterMs} ms`;
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err instanceof Error ? err.message : String(err)}${cause}`;
}
//# sourceMappingURL=http.js.map