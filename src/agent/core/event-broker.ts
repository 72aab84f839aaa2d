/**
 * The event stream behind /v1/event/stream (Nomad's event broker): every
 * job and allocation change is published with a rising index; subscribers
 * filter by topic and key (`Job:example`, `Allocation:*`). Payloads are
 * built lazily, once, and only if someone reads them: allocation updates
 * fire on every task event, and nobody may be listening.
 */
import type { ApiEvent, ApiEvents, ApiTopic } from '../../model/nomad-api/index.js';

/** An event before it is numbered, its payload still a thunk. */
export interface PendingEvent {
  readonly topic: Exclude<ApiTopic, '*'>;
  readonly type: string;
  readonly key: string;
  readonly namespace: string;
  readonly filterKeys: readonly string[];
  readonly payload: () => Record<string, unknown>;
}

interface Stored {
  readonly index: number;
  readonly events: PendingEvent[];
  built?: ApiEvents;
}

/** topic → keys ("*" for all); a "*" topic matches every topic. */
export type TopicFilter = ReadonlyMap<string, readonly string[]>;

/** Nomad's default event buffer size is 100; a little more history is cheap here. */
export const EVENT_BUFFER = 512;

/**
 * A subscriber fell so far behind that batches it had not read left the
 * buffer: its subscription ends with this error (Nomad's "event dropped from
 * buffer"), so it resubscribes knowing it missed some, instead of silently
 * going on past a gap.
 */
export class EventsDroppedError extends Error {
  constructor(readonly lastIndex: number, readonly oldestIndex: number) {
    super(`event dropped from buffer: subscription closed by server after index ${lastIndex} (oldest buffered ${oldestIndex}), client should resubscribe`);
    this.name = 'EventsDroppedError';
  }
}

export class EventBroker {
  private readonly buffer: Stored[] = [];
  private readonly waiters = new Set<() => void>();
  private index: number;

  constructor(startIndex: number, private readonly bufferSize = EVENT_BUFFER) {
    this.index = startIndex;
  }

  /** Publishes events under one new index; returns it. */
  publish(events: PendingEvent[]): number {
    if (events.length === 0) return this.index;
    this.index++;
    this.buffer.push({ index: this.index, events });
    if (this.buffer.length > this.bufferSize) this.buffer.shift();
    for (const w of [...this.waiters]) w();
    return this.index;
  }

  /** Whether anyone is subscribed (publishers may skip work when not). */
  get hasSubscribers(): boolean {
    return this.waiters.size > 0;
  }

  /**
   * Yields matching batches after `fromIndex` (buffered ones first), and `{}`
   * heartbeats every `heartbeatMs` while idle, until `signal` aborts. An index
   * past the newest starts at the newest batch, as Nomad's StartAtClosest does:
   * a client that wants only what happens from now on (the web UI) asks for a
   * huge index and gets one batch, not the whole buffer. From there on, a
   * subscriber that falls behind the buffer (its next batch was dropped while
   * it was not reading) gets an EventsDroppedError, as Nomad closes a slow
   * subscription: never a silent gap.
   */
  async *subscribe(filter: TopicFilter, fromIndex: number, signal: AbortSignal, heartbeatMs = 10_000): AsyncGenerator<ApiEvents | Record<string, never>> {
    // StartAtClosest: an index older than the buffer starts at its oldest batch, one past the newest at the newest.
    const oldestNow = (this.buffer[0]?.index ?? this.index + 1) - 1;
    let last = Math.max(oldestNow, fromIndex > this.index ? this.index - 1 : fromIndex);
    let wake: (() => void) | undefined;
    const waiter = (): void => wake?.();
    this.waiters.add(waiter);
    try {
      while (!signal.aborted) {
        const oldest = this.buffer[0]?.index;
        if (oldest !== undefined && oldest > last + 1) throw new EventsDroppedError(last, oldest);
        const pending = this.buffer.filter((s) => s.index > last);
        if (pending.length > 0) {
          for (const s of pending) {
            last = s.index;
            const batch = this.build(s);
            const events = batch.Events.filter((e) => matches(filter, e));
            if (events.length > 0) yield { Index: batch.Index, Events: events };
          }
          continue;
        }
        const woke = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), heartbeatMs);
          const done = (v: boolean): void => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            wake = undefined;
            resolve(v);
          };
          const onAbort = (): void => done(true);
          wake = () => done(true);
          signal.addEventListener('abort', onAbort, { once: true });
        });
        if (!woke && !signal.aborted) yield {};
      }
    } finally {
      this.waiters.delete(waiter);
    }
  }

  private build(s: Stored): ApiEvents {
    s.built ??= {
      Index: s.index,
      Events: s.events.map(
        (e): ApiEvent => ({
          Topic: e.topic,
          Type: e.type,
          Key: e.key,
          Namespace: e.namespace,
          FilterKeys: e.filterKeys.length > 0 ? [...e.filterKeys] : null,
          Index: s.index,
          Payload: e.payload(),
        }),
      ),
    };
    return s.built;
  }
}

function matches(filter: TopicFilter, e: ApiEvent): boolean {
  for (const topic of [e.Topic, '*']) {
    const keys = filter.get(topic);
    if (!keys) continue;
    if (keys.includes('*') || keys.includes(e.Key) || (e.FilterKeys ?? []).some((k) => keys.includes(k))) return true;
  }
  return false;
}

/** Parses `topic` query values (Nomad's parseEventTopics): none means everything; "Job" means "Job:*". */
export function parseTopics(values: readonly string[]): TopicFilter | string {
  const out = new Map<string, string[]>();
  if (values.length === 0) return new Map([['*', ['*']]]);
  for (const raw of values) {
    const parts = raw.split(':');
    if (parts.length > 2 || parts[0] === '') return `Invalid key value pair for topic, topic: ${raw}`;
    const topic = parts[0] as string;
    const key = parts[1] ?? '*';
    out.set(topic, [...(out.get(topic) ?? []), key]);
  }
  return out;
}
