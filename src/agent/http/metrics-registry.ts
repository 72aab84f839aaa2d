/** Counters the HTTP layer keeps (requests by route and status); gauges are read from the agent on demand. */

export interface CounterValue {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly count: number;
}

export class Metrics {
  private readonly counts = new Map<string, { name: string; labels: Record<string, string>; count: number }>();

  /** Adds to a counter. */
  inc(name: string, labels: Record<string, string>, by = 1): void {
    const key = `${name}|${JSON.stringify(labels)}`;
    const c = this.counts.get(key);
    if (c) c.count += by;
    else this.counts.set(key, { name, labels, count: by });
  }

  counters(): CounterValue[] {
    return [...this.counts.values()];
  }
}
