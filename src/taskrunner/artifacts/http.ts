/**
 * HTTP(S) downloads with Node's fetch: the artifact's headers, redirects
 * followed, one overall timeout (Nomad's http_read_timeout), streamed to disk.
 * Like Nomad (go-getter with DoNotCheckHeadFirst), there is no HEAD request.
 */
import type { Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { writeStreamToFile, type Written } from './write-file.js';

/** How to download one URL. */
export interface HttpGetOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly hash?: Hash;
  readonly signal: AbortSignal;
}

/** Downloads `url` into the new file `path`; a non-2xx status is an error naming it. */
export async function httpGet(url: URL, path: string, opts: HttpGetOptions): Promise<Written> {
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  let res: Response;
  try {
    res = await fetch(url, { headers: { ...opts.headers }, redirect: 'follow', signal });
  } catch (err) {
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
    return await writeStreamToFile(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), path, { maxBytes: opts.maxBytes, hash: opts.hash, signal });
  } catch (err) {
    throw new Error(`GET ${redact(url)}: ${describe(err, signal.aborted && !opts.signal.aborted ? opts.timeoutMs : undefined)}`, { cause: err });
  }
}

/** The URL without user info or query (which may carry credentials), for messages. */
export function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The error's message (and cause's: fetch hides the socket error there); "timed out" when our timer fired. */
function describe(err: unknown, timedOutAfterMs: number | undefined): string {
  if (timedOutAfterMs !== undefined) return `timed out after ${timedOutAfterMs} ms`;
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err instanceof Error ? err.message : String(err)}${cause}`;
}
