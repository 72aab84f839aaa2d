/** The event stream (Nomad's api.EventStream): batches of events as an AsyncIterable, heartbeats skipped. */
import type { ApiEvents } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';
import { ndjson } from './ndjson.js';

/** topic → keys; an empty list means every key ("Job" ≡ "Job:*"). */
export type TopicFilters = Readonly<Record<string, readonly string[]>>;

export class EventStream {
  constructor(private readonly c: ApiClient) {}

  /**
   * GET /v1/event/stream: batches after `index`, until `signal` aborts. Throws
   * when the agent closes the subscription because this reader fell behind its
   * buffer (events were dropped): resubscribe, and reload what may be missed.
   */
  async *stream(opts: { topics?: TopicFilters; index?: number; signal?: AbortSignal } = {}): AsyncGenerator<ApiEvents> {
    const topic = Object.entries(opts.topics ?? {}).flatMap(([t, keys]) => (keys.length === 0 ? [t] : keys.map((k) => `${t}:${k}`)));
    const res = await this.c.raw('GET', '/v1/event/stream', { query: { index: opts.index ?? 0, topic }, signal: opts.signal });
    for await (const batch of ndjson<Partial<ApiEvents> & { Error?: string }>(res.body)) {
      if (batch.Error !== undefined) throw new Error(`event stream closed by the agent: ${batch.Error}`);
      if (batch.Events === undefined || batch.Events.length === 0) continue;
      yield batch as ApiEvents;
    }
  }
}
