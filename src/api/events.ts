/** The event stream (Nomad's api.EventStream): batches of events as an AsyncIterable, heartbeats skipped. */
import type { ApiEvents } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';
import { ndjson } from './ndjson.js';

/** topic → keys; an empty list means every key ("Job" ≡ "Job:*"). */
export type TopicFilters = Readonly<Record<string, readonly string[]>>;

export class EventStream {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/event/stream: batches after `index`, until `signal` aborts. */
  async *stream(opts: { topics?: TopicFilters; index?: number; signal?: AbortSignal } = {}): AsyncGenerator<ApiEvents> {
    const topic = Object.entries(opts.topics ?? {}).flatMap(([t, keys]) => (keys.length === 0 ? [t] : keys.map((k) => `${t}:${k}`)));
    const res = await this.c.raw('GET', '/v1/event/stream', { query: { index: opts.index ?? 0, topic }, signal: opts.signal });
    for await (const batch of ndjson<Partial<ApiEvents>>(res.body)) {
      if (batch.Events === undefined || batch.Events.length === 0) continue;
      yield batch as ApiEvents;
    }
  }
}
