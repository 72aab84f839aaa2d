/** The AsyncIterable streams drivers return (fingerprints, stats, events) and the abortable sleep they share. */
import type { TaskResourceUsage } from '../types.js';

/** Resolves true after `ms`, false as soon as any of `signals` aborts. */
export function sleep(ms: number, ...signals: ReadonlyArray<AbortSignal | undefined>): Promise<boolean> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  if (live.some((s) => s.aborted)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean): void => {
      clearTimeout(t);
      for (const s of live) s.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const onAbort = (): void => done(false);
    const t = setTimeout(() => done(true), ms);
    for (const s of live) s.addEventListener('abort', onAbort, { once: true });
  });
}

/** A stream with nothing in it that ends when `signal` aborts (drivers without task events). */
export async function* noEvents<T>(signal?: AbortSignal): AsyncGenerator<T> {
  if (!signal) return await new Promise<never>(() => {}); // no way to end: like an unclosed Go channel
  if (signal.aborted) return;
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** What wakes a fingerprint loop early: the driver's config changed. */
export class ChangeSignal {
  private readonly target = new EventTarget();

  /** Wakes every waiter. */
  fire(): void {
    this.target.dispatchEvent(new Event('change'));
  }

  /** Resolves on the next fire, after `ms` (never when undefined), or on abort. */
  next(ms: number | undefined, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const t = ms === undefined ? undefined : setTimeout(() => done(), ms);
      const done = (): void => {
        if (t !== undefined) clearTimeout(t);
        signal?.removeEventListener('abort', done);
        this.target.removeEventListener('change', done);
        resolve();
      };
      if (signal?.aborted) return done();
      signal?.addEventListener('abort', done, { once: true });
      this.target.addEventListener('change', done, { once: true });
    });
  }
}

/**
 * Nomad's fingerprint loop: emits `build()` at once, then again whenever it
 * changed, re-checking every `periodMs` (never, when undefined) and on every
 * `changes` fire, until `signal` aborts.
 */
export async function* fingerprintLoop<T>(build: () => T | Promise<T>, periodMs: number | undefined, changes: ChangeSignal, signal?: AbortSignal): AsyncGenerator<T> {
  let last: string | undefined;
  while (!signal?.aborted) {
    const v = await build();
    const key = JSON.stringify(v);
    if (key !== last) {
      last = key;
      yield v;
      continue; // re-check after the consumer resumes: time may have passed
    }
    await changes.next(periodMs, signal);
  }
}

/** What a stats loop samples. */
export interface StatsSource {
  readonly taskId: string;
  running(): boolean;
  /** One sample; may throw while the task races its exit or the daemon restarts. */
  sample(): Promise<TaskResourceUsage> | TaskResourceUsage;
  /** Aborts when the driver forgets the task or the task exits. */
  readonly ended: AbortSignal;
}

/** A sample every intervalMs (the first after one interval) until abort, exit or destroy; a failed sample of a live task is skipped. */
export async function* pollStats(s: StatsSource, intervalMs: number, signal: AbortSignal | undefined, onSkip: (err: unknown) => void): AsyncGenerator<TaskResourceUsage> {
  const every = Math.max(1, intervalMs);
  // The first sample after one interval, not at once: a task that lives less than that (a crash loop
  // restarting at once) costs no stats round trip to its executor per start.
  if (!(await sleep(every, signal, s.ended))) return;
  while (!signal?.aborted && !s.ended.aborted && s.running()) {
    const at = performance.now();
    let usage: TaskResourceUsage | undefined;
    try {
      usage = await s.sample();
    } catch (err) {
      if (!s.running() || s.ended.aborted || signal?.aborted) return; // the task is gone: the stream ends
      onSkip(err);
    }
    if (usage) yield usage;
    // One sample per interval, counted from the last: a consumer that paused (stats no one read) gets the next at once.
    if (!(await sleep(Math.max(0, at + every - performance.now()), signal, s.ended))) return;
  }
}
