/**
 * The agent's public HTTP API, as the browser speaks it: the same paths and
 * JSON the drover CLI and Nomad's API clients use. The ACL token (if any) is
 * kept in local storage under Nomad UI's key and sent as X-Nomad-Token.
 */

const TOKEN_KEY = 'nomadTokenSecret';

export function getToken(): string {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setToken(secret: string): void {
  if (secret) localStorage.setItem(TOKEN_KEY, secret);
  else localStorage.removeItem(TOKEN_KEY);
  tokenListeners.forEach((fn) => fn());
}

const tokenListeners = new Set<() => void>();
/** Calls `fn` when the token changes; returns the unsubscribe. */
export function onTokenChange(fn: () => void): () => void {
  tokenListeners.add(fn);
  return () => tokenListeners.delete(fn);
}

/** A refused or failed request: the HTTP status (0 when the agent could not be reached) and the agent's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The token in use may not do this (or there is none). */
  get forbidden(): boolean {
    return this.status === 403;
  }

  get unreachable(): boolean {
    return this.status === 0;
  }
}

function headers(extra?: HeadersInit, secret?: string): Headers {
  const h = new Headers(extra);
  const token = secret ?? getToken();
  if (token) h.set('X-Nomad-Token', token);
  return h;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** JSON-encoded unless already a string. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Parse the reply as text instead of JSON. */
  readonly text?: boolean;
  /** The reply's raw bytes (an ArrayBuffer): file pieces a UTF-8 character may straddle. */
  readonly bytes?: boolean;
  /** Send this secret instead of the stored token ('' for none): the token screen verifies a secret before keeping it. */
  readonly token?: string;
}

/** One API call; resolves with the parsed reply, rejects with an ApiError. */
export async function api<T>(path: string, o: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: o.method ?? 'GET',
      headers: headers(o.body !== undefined ? { 'Content-Type': 'application/json' } : undefined, o.token),
      body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
      signal: o.signal,
    });
  } catch (err) {
    if (o.signal?.aborted) throw err;
    connection.report(false);
    throw new ApiError(0, 'The agent could not be reached: is `drover agent` running?', path);
  }
  connection.report(true);
  if (o.bytes && res.ok) return (await res.arrayBuffer()) as T;
  const body = await res.text();
  if (!res.ok) throw new ApiError(res.status, body.trim() || res.statusText, path);
  if (o.text) return body as T;
  return (body === '' ? undefined : JSON.parse(body)) as T;
}

/** Path segment escaping (job IDs of dispatched children hold "/"). */
export const seg = (s: string): string => encodeURIComponent(s);

/**
 * Reads a streaming API reply of JSON objects (the event stream's ndjson, or
 * the framed log/file streams) and calls `onObject` for each one. Resolves when
 * the stream ends; rejects with an ApiError on a refused request or a lost agent.
 */
export async function stream(path: string, onObject: (o: unknown) => void, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { headers: headers(), signal });
  } catch (err) {
    if (signal.aborted) throw err;
    connection.report(false);
    throw new ApiError(0, 'The agent could not be reached: is `drover agent` running?', path);
  }
  connection.report(true);
  if (!res.ok || !res.body) throw new ApiError(res.status, (await res.text()).trim() || res.statusText, path);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      // Objects end at a newline (ndjson); the log and file streams send one object per chunk without one.
      for (;;) {
        const end = objectEnd(buf);
        if (end < 0) break;
        const text = buf.slice(0, end).trim();
        buf = buf.slice(end);
        if (text !== '' && text !== '{}') onObject(JSON.parse(text));
      }
    }
  } catch (err) {
    if (signal.aborted) return;
    connection.report(false);
    throw err instanceof ApiError ? err : new ApiError(0, 'The connection to the agent was lost.', path);
  } finally {
    reader.releaseLock();
  }
}

/** Where the first complete top-level JSON object in `s` ends (index after it), or -1. */
function objectEnd(s: string): number {
  let depth = 0;
  let inString = false;
  let started = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      depth++;
      started = true;
    } else if (c === '}') {
      depth--;
      if (started && depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Whether the agent answered the last request; pages show a banner while it does not. */
export const connection = {
  up: true,
  listeners: new Set<(up: boolean) => void>(),
  report(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.listeners.forEach((fn) => fn(up));
  },
  subscribe(fn: (up: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  },
};
