import { ndjson } from './ndjson.js';
export class EventStream {
    c;
    constructor(c) {
        this.c = c;
    }
    /** GET /v1/event/stream: batches after `index`, until `signal` aborts. */
    async *stream(opts = {}) {
        const topic = Object.entries(opts.topics ?? {}).flatMap(([t, keys]) => (keys.length === 0 ? [t] : keys.map((k) => `${t}:${k}`)));
        const res = await this.c.raw('GET', '/v1/event/stream', { query: { index: opts.index ?? 0, topic }, signal: opts.signal });
        for await (const batch of ndjson(res.body, opts.signal)) {
            if (batch.Events === undefined || batch.Events.length === 0)
                continue;
            yield batch;
        }
    }
}
//# sourceMappingURL=events.js.map