/** The AsyncIterable streams both VM drivers return (stats, events) and the sleep they share. */
import type { TaskResourceUsage } from '../types.js';
import type { VmHandle } from './vm-handle.js';

/** Resolves true after `ms`, false as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** QEMU's usage every `intervalMs` (first at once) until abort, VM exit or destroy. */
export async function* statsStream(h: VmHandle, intervalMs: number, signal?: AbortSignal): AsyncGenerator<TaskResourceUsage> {
  const stop = signal ? AbortSignal.any([signal, h.disposed]) : h.disposed;
  while (!stop.aborted && h.running) {
    yield h.sample();
    if (!(await sleep(Math.max(1, intervalMs), stop))) return;
  }
}

/** A stream with nothing in it that ends when `signal` aborts (drivers without task events). */
export async function* noEvents<T>(signal?: AbortSignal): AsyncGenerator<T> {
  if (!signal) return await new Promise<never>(() => {}); // no way to end: like an unclosed Go channel
  if (signal.aborted) return;
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Re-emits `build()` at once, then every `periodMs` when it changed, until abort (Nomad's fingerprint loop). */
export async function* periodic<T>(build: () => Promise<T>, periodMs: number, signal?: AbortSignal): AsyncGenerator<T> {
  let last: string | undefined;
  while (!signal?.aborted) {
    const v = await build();
    const key = JSON.stringify(v);
    if (key !== last) {
      last = key;
      yield v;
    }
    if (!(await sleep(periodMs, signal))) return;
  }
}
