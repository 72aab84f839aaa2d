/**
 * Waiting in tests without guessing how fast the machine is (Nomad's
 * testutil.WaitForResult and TestMultiplier). Tests wait for a condition, never
 * for a fixed time, and every timeout is only a hang guard: it is multiplied by
 * DROVER_TEST_MULTIPLIER so a loaded CI machine (set it to 3) gets more room
 * without any test changing. Imported by tests only.
 */

/** DROVER_TEST_MULTIPLIER from the environment (a positive number), default 1. */
export const TEST_MULTIPLIER = parseMultiplier(process.env['DROVER_TEST_MULTIPLIER']);

function parseMultiplier(raw: string | undefined): number {
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(n) && n > 0 ? n : 1;
}

/** `ms` stretched by TEST_MULTIPLIER: use it for every hang guard a test passes on. */
export function scaled(ms: number): number {
  return Math.ceil(ms * TEST_MULTIPLIER);
}

export interface EventuallyOptions {
  /** Give up after this long (before TEST_MULTIPLIER); default 10 s. */
  readonly timeoutMs?: number;
  /** Pause between attempts; default 10 ms. */
  readonly intervalMs?: number;
  /** What was awaited, for the timeout error. */
  readonly message?: string;
}

/** What `eventually` hands back: the first result that counted as holding. */
export type Held<T> = Exclude<T, false | null | undefined>;

/**
 * Calls `fn` until it holds, and returns what it returned then. It holds when
 * it neither throws nor returns `false`, `null` or `undefined`: a predicate
 * (`() => x.done`), a finder (`() => list.find(...)`), or assertions ending in
 * `return true`. On timeout the last assertion error is rethrown with
 * `message` in front (so its actual/expected diff survives); a condition that
 * never held throws an Error naming the last value.
 */
export async function eventually<T>(fn: () => T | Promise<T>, opts: EventuallyOptions = {}): Promise<Held<T>> {
  const timeoutMs = scaled(opts.timeoutMs ?? 10_000);
  const intervalMs = opts.intervalMs ?? 10;
  const what = opts.message ?? 'condition';
  const end = performance.now() + timeoutMs;
  for (;;) {
    let last: { value: T } | { error: unknown };
    try {
      const value = await fn();
      if (holds(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (performance.now() >= end) throw timeoutError(what, timeoutMs, last);
    await pause(intervalMs);
  }
}

function holds<T>(v: T): v is Held<T> {
  return v !== false && v !== null && v !== undefined;
}

function timeoutError(what: string, timeoutMs: number, last: { value: unknown } | { error: unknown }): Error {
  const prefix = `timed out after ${timeoutMs} ms waiting for ${what}`;
  if ('error' in last) {
    if (last.error instanceof Error) {
      last.error.message = `${prefix}: ${last.error.message}`;
      return last.error;
    }
    return new Error(`${prefix}: ${String(last.error)}`);
  }
  return new Error(`${prefix}; last value: ${describe(last.value)}`);
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Settles as `p` does, or rejects once `ms` (before TEST_MULTIPLIER) passed
 * first, naming `what`. A hang guard for one awaited operation, not a speed
 * check; the timer is cleared either way so it holds no test open.
 */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  const limit = scaled(ms);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${limit} ms`)), limit);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
