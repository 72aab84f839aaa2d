/** Nomad's default event buffer size is 100; a little more history is cheap here. */
const BUFFER = 512;
export class EventBroker {
    buffer = [];
    waiters = new Set();
    index;
    constructor(startIndex) {
        this.index = startIndex;
    }
    /** Publishes events under one new index; returns it. */
    publish(events) {
        if (events.length === 0)
            return this.index;
        this.index++;
        this.buffer.push({ index: this.index, events });
        if (this.buffer.length > BUFFER)
            this.buffer.shift();
        for (const w of [...this.waiters])
            w();
        return this.index;
    }
    /** Whether anyone is subscribed (publishers may skip work when not). */
    get hasSubscribers() {
        return this.waiters.size > 0;
    }
    /**
     * Yields matching batches after `fromIndex` (buffered ones first), and `{}`
     * heartbeats every `heartbeatMs` while idle, until `signal` aborts.
     */
    async *subscribe(filter, fromIndex, signal, heartbeatMs = 10_000) {
        let last = fromIndex;
        let wake;
        const waiter = () => wake?.();
        this.waiters.add(waiter);
        try {
            while (!signal.aborted) {
                const pending = this.buffer.filter((s) => s.index > last);
                if (pending.length > 0) {
                    for (const s of pending) {
                        last = s.index;
                        const batch = this.build(s);
                        const events = batch.Events.filter((e) => matches(filter, e));
                        if (events.length > 0)
                            yield { Index: batch.Index, Events: events };
                    }
                    continue;
                }
                const woke = await new Promise((resolve) => {
                    const timer = setTimeout(() => resolve(false), heartbeatMs);
                    const done = (v) => {
                        clearTimeout(timer);
                        signal.removeEventListener('abort', onAbort);
                        wake = undefined;
                        resolve(v);
                    };
                    const onAbort = () => done(true);
                    wake = () => done(true);
                    signal.addEventListener('abort', onAbort, { once: true });
                });
                if (!woke && !signal.aborted)
                    yield {};
            }
        }
        finally {
            this.waiters.delete(waiter);
        }
    }
    build(s) {
        s.built ??= {
            Index: s.index,
            Events: s.events.map((e) => ({
                Topic: e.topic,
                Type: e.type,
                Key: e.key,
                Namespace: e.namespace,
                FilterKeys: e.filterKeys.length > 0 ? [...e.filterKeys] : null,
                Index: s.index,
                Payload: e.payload(),
            })),
        };
        return s.built;
    }
}
function matches(filter, e) {
    for (const topic of [e.Topic, '*']) {
        const keys = filter.get(topic);
        if (!keys)
            continue;
        if (keys.includes('*') || keys.includes(e.Key) || (e.FilterKeys ?? []).some((k) => keys.includes(k)))
            return true;
    }
    return false;
}
/** Parses `topic` query values (Nomad's parseEventTopics): none means everything; "Job" means "Job:*". */
export function parseTopics(values) {
    const out = new Map();
    if (values.length === 0)
        return new Map([['*', ['*']]]);
    for (const raw of values) {
        const parts = raw.split(':');
        if (parts.length > 2 || parts[0] === '')
            return `Invalid key value pair for topic, topic: ${raw}`;
        const topic = parts[0];
        const key = parts[1] ?? '*';
        out.set(topic, [...(out.get(topic) ?? []), key]);
    }
    return out;
}
//# sourceMappingURL=event-broker.js.map