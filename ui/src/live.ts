/**
 * Live data: one event stream per browser tab (/v1/event/stream, every topic)
 * fans out to the pages that listen, and `useApi` reloads what a page shows when
 * an event of its topics arrives. A lost stream is retried with backoff; once it
 * is back, every listener reloads, since events may have been missed meanwhile.
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, connection, onTokenChange, stream } from './api';

export type Topic = 'Job' | 'Allocation' | 'Evaluation' | 'Deployment' | 'Node' | 'Service' | 'Variable';

/** One event of Nomad's stream (the fields pages read). */
export interface StreamEvent {
  readonly Topic: Topic;
  readonly Type: string;
  readonly Key: string;
  readonly FilterKeys?: readonly string[] | null;
  readonly Index: number;
  readonly Payload: Record<string, unknown>;
}

type Listener = { topics: ReadonlySet<Topic>; fn: (e: StreamEvent | undefined) => void };
const listeners = new Set<Listener>();
let running: AbortController | undefined;

/** Calls `fn` for each event of `topics`, and with undefined after a reconnect (reload everything). */
export function subscribe(topics: readonly Topic[], fn: (e: StreamEvent | undefined) => void): () => void {
  const l: Listener = { topics: new Set(topics), fn };
  listeners.add(l);
  clearTimeout(idleClose);
  scheduleStream();
  return () => {
    listeners.delete(l);
    // Kept open across a page change: a new connection costs a request and a reload of what the page shows.
    if (listeners.size === 0) idleClose = setTimeout(closeStream, IDLE_CLOSE_MS);
  };
}

const IDLE_CLOSE_MS = 30_000;
let idleClose: ReturnType<typeof setTimeout> | undefined;
let scheduled = false;

function closeStream(): void {
  running?.abort();
  running = undefined;
}

/**
 * The first connection waits until the page has shown its data and the browser is idle, so
 * it never holds up the first render or the first keystroke. It asks for an index past the
 * newest (see FROM_NOW); the one batch that replays reloads what pages show, so a change
 * between their read and the connection is not missed.
 */
function scheduleStream(): void {
  if (running || scheduled) return;
  scheduled = true;
  void Promise.race([pageShown, new Promise((r) => setTimeout(r, 1500))]).then(() => {
    const start = () => {
      scheduled = false;
      if (listeners.size > 0) ensureStream();
    };
    if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 1000 });
    else setTimeout(start, 100);
  });
}

/**
 * An index past the newest: the agent (as Nomad's StartAtClosest) starts at its newest batch
 * instead of replaying its whole buffer, which on a busy node is megabytes of payloads.
 */
const FROM_NOW = Number.MAX_SAFE_INTEGER;

let showPage: () => void = () => undefined;
const pageShown = new Promise<void>((r) => (showPage = r));

function ensureStream(): void {
  if (running) return;
  const ctrl = new AbortController();
  running = ctrl;
  void (async () => {
    let delay = 500;
    let first = true;
    while (!ctrl.signal.aborted) {
      try {
        if (!first) listeners.forEach((l) => l.fn(undefined));
        first = false;
        await stream(`/v1/event/stream?topic=*&index=${FROM_NOW}`, (o) => dispatch(o), ctrl.signal);
        delay = 500;
      } catch (err) {
        // A token that may not read events: the pages still work, they just reload on their own actions.
        if (err instanceof ApiError && err.forbidden) return;
      }
      if (ctrl.signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  })();
}

function dispatch(o: unknown): void {
  const batch = o as { Events?: StreamEvent[] };
  for (const e of batch.Events ?? []) for (const l of listeners) if (l.topics.has(e.Topic)) l.fn(e);
}

// A new token may see more (or less): restart the stream under it.
onTokenChange(() => {
  closeStream();
  if (listeners.size > 0) ensureStream();
});

const prefetched = new Map<string, Promise<unknown>>();

/**
 * Starts the GET a page's first useApi will make, before the app has rendered:
 * the request then overlaps the script's start-up instead of following it.
 * The first useApi of `path` adopts the reply.
 */
export function prefetch(path: string): void {
  const p = api(path);
  p.catch(() => undefined); // the adopting useApi reports the error
  prefetched.set(path, p);
}

export interface ApiState<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  reload(): void;
}

export interface UseApiOptions {
  /** Event topics that make the page reload this (debounced). */
  readonly live?: readonly Topic[];
  /** Reload only for events that pass this filter (e.g. this job's). */
  readonly when?: (e: StreamEvent) => boolean;
  /** Poll this often (ms) too, for data without events (stats). */
  readonly pollMs?: number;
}

/**
 * GETs `path` (undefined: nothing yet) and keeps it current. The last good data
 * stays on screen while a reload runs or fails, so a blip never blanks a page.
 */
export function useApi<T>(path: string | undefined, o: UseApiOptions = {}): ApiState<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean; path?: string }>({ loading: path !== undefined });
  const gen = useRef(0);
  /** The newest request whose reply is on screen: a reply newer than it is shown even while a later reload runs. */
  const shown = useRef(0);
  const current = useRef(path);
  current.current = path;
  const opts = useRef(o);
  opts.current = o;

  const load = useCallback(() => {
    if (path === undefined) return;
    const mine = ++gen.current;
    const fresh = () => mine > shown.current && current.current === path && ((shown.current = mine), true);
    setState((s) => ({ ...s, loading: true }));
    const early = prefetched.get(path) as Promise<T> | undefined;
    prefetched.delete(path);
    (early ?? api<T>(path)).then(
      (data) => {
        if (fresh()) setState({ data, loading: mine !== gen.current, path });
        showPage();
      },
      (error: unknown) =>
        fresh() && setState((s) => ({ data: s.path === path ? s.data : undefined, path, loading: mine !== gen.current, error: error instanceof ApiError ? error : new ApiError(0, String(error), path) })),
    );
  }, [path]);

  // A layout effect: the request leaves right after the first render, not after the first paint (hundreds of ms on a busy machine).
  useLayoutEffect(() => {
    load();
    const offToken = onTokenChange(load);
    const topics = o.live ?? [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const debounced = (e: StreamEvent | undefined) => {
      if (e && opts.current.when && !opts.current.when(e)) return;
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    };
    const off = topics.length > 0 ? subscribe(topics, debounced) : undefined;
    const poll = o.pollMs ? setInterval(load, o.pollMs) : undefined;
    const offConn = connection.subscribe((up) => up && load());
    return () => {
      clearTimeout(timer);
      off?.();
      offToken();
      offConn();
      if (poll) clearInterval(poll);
    };
    // Topics and poll period are fixed per page; the path decides the rest.
  }, [load]);

  return { data: state.data, error: state.error, loading: state.loading, reload: load };
}
