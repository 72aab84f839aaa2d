/**
 * One HTTP request on node:http(s), the client's transport. Not fetch: in
 * Node 20 the first fetch loads undici (~50 ms) and its kept-alive socket
 * holds a short CLI command open for ~230 ms after its last answer; each CLI
 * command makes one to three requests, so a fresh connection each is cheaper.
 */
import { request as httpRequestRaw, type IncomingMessage } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';

/** What a caller reads of an answer: status, headers, and the body once (as text, bytes or a stream). */
export interface HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  header(name: string): string | undefined;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The body as it arrives. */
  readonly body: AsyncIterable<Uint8Array>;
}

export interface HttpRequestInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  /** Aborting fails a pending request and ends a streaming body. */
  readonly signal?: AbortSignal | undefined;
  /** Send over this unix socket instead of the URL's host and port. */
  readonly socketPath?: string | undefined;
}

export function httpRequest(url: string, init: HttpRequestInit): Promise<HttpResponse> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequestRaw : httpRequestRaw;
  return new Promise((resolve, reject) => {
    if (init.signal?.aborted) {
      reject(abortError(init.signal));
      return;
    }
    const headers = { ...init.headers, ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}) };
    const req = send(u, { method: init.method, headers, agent: false, ...(init.socketPath !== undefined ? { socketPath: init.socketPath } : {}) });
    const onAbort = (): void => {
      req.destroy(abortError(init.signal));
    };
    init.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      init.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    req.on('response', (res) => {
      res.on('close', () => init.signal?.removeEventListener('abort', onAbort));
      resolve(wrap(res, init.signal));
    });
    req.end(init.body);
  });
}

function wrap(res: IncomingMessage, signal: AbortSignal | undefined): HttpResponse {
  const status = res.statusCode ?? 0;
  const all = async (): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  return {
    status,
    ok: status >= 200 && status < 300,
    header: (name) => {
      const v = res.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(', ') : v;
    },
    text: async () => (await all()).toString('utf8'),
    arrayBuffer: async () => {
      const b = await all();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
    body: endOnAbort(res, signal),
  };
}

/** The body's chunks; an abort ends the iteration quietly (the caller asked for it) instead of throwing. */
async function* endOnAbort(res: IncomingMessage, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  try {
    for await (const c of res) yield c as Buffer;
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  } finally {
    res.destroy();
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('The operation was aborted');
}
