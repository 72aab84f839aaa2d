/**
 * A task's resource usage, sampled while someone reads it.
 *
 * Nomad samples every task once per collection interval whether or not anyone
 * looks. Here the stats hook takes one sample an interval after the start
 * (the CPU baseline), then samples again only while readers want samples (the
 * stats API, the UI's charts), and for a watch window after their last read.
 * A node of 300 idle tasks spent 16% of a core on samples nobody read (the
 * agent asking, the executor reading cgroup files), and the garbage grew the
 * agent's heap. A read after a quiet spell waits for one fresh sample; its
 * CPU percent covers the time since the previous one.
 */
import type { TaskResourceUsage } from '../model/task-result.js';
import type { StatsSink } from './hooks/types.js';

/** Nomad's telemetry collection_interval default. */
export const DEFAULT_STATS_INTERVAL_MS = 1_000;
/** Reads keep the sampler going for this many intervals after the last one (and at least WATCH_MIN_MS). */
const WATCH_INTERVALS = 10;
const WATCH_MIN_MS = 10_000;
/** How long a read waits for a fresh sample beyond one interval before it takes the latest there is. */
const READ_SLACK_MS = 1_000;

export class TaskStats implements StatsSink {
  private latest: TaskResourceUsage | undefined;
  private latestAt = -Infinity;
  private watchedUntil = -Infinity;
  private wakeSampler: (() => void) | undefined;
  private readonly waiting = new Set<() => void>();

  private readonly watchMs: number;
  private readonly now: () => number;

  /** `watchMs`: how long a read keeps the sampler going (default ten intervals, at least 10 s). */
  constructor(
    private readonly intervalMs: number,
    opts: { readonly watchMs?: number; readonly now?: () => number } = {},
  ) {
    this.watchMs = opts.watchMs ?? Math.max(WATCH_MIN_MS, WATCH_INTERVALS * intervalMs);
    this.now = opts.now ?? (() => performance.now());
  }

  /**
   * A sample no older than one interval: at once when there is one, else after the sampler took a new one
   * (waiting at most an interval and a second, then the latest there is); nothing before the task's first
   * sample, as before it, rather than wait for it. Keeps the sampler going for the watch window.
   */
  async read(): Promise<TaskResourceUsage | undefined> {
    const now = this.now();
    this.watchedUntil = Math.max(this.watchedUntil, now + this.watchMs);
    this.wakeSampler?.();
    if (!this.latest || now - this.latestAt < this.intervalMs) return this.latest;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.intervalMs + READ_SLACK_MS);
      this.waiting.add(done);
    });
    return this.latest;
  }

  update(usage: TaskResourceUsage): void {
    this.latest = usage;
    this.latestAt = this.now();
    for (const done of [...this.waiting]) done();
  }

  wanted(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.now() < this.watchedUntil) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (v: boolean): void => {
        signal.removeEventListener('abort', onAbort);
        if (this.wakeSampler === wake) this.wakeSampler = undefined;
        resolve(v);
      };
      const onAbort = (): void => finish(false);
      const wake = (): void => finish(true);
      this.wakeSampler = wake;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
