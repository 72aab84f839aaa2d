/** Counters the HTTP layer keeps (requests by route and status); gauges are read from the agent on demand. */
export class Metrics {
    counts = new Map();
    /** Adds to a counter. */
    inc(name, labels, by = 1) {
        const key = `${name}|${JSON.stringify(labels)}`;
        const c = this.counts.get(key);
        if (c)
            c.count += by;
        else
            this.counts.set(key, { name, labels, count: by });
    }
    counters() {
        return [...this.counts.values()];
    }
}
//# sourceMappingURL=metrics-registry.js.map