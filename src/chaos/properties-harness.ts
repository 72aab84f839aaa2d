/**
 * Shared pieces of the property-based scenarios (issue 16, hostile input):
 * the seed and run counts for the two forms, and the one check every
 * property makes: an input gives a result or the module's own error type,
 * never a TypeError, RangeError, stack overflow or a hang.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { LONG, budget } from './campaign.js';
import { ValidationError } from '../model/errors.js';
import { scaled } from '../model/testing/eventually.js';

/** Fixed in the short form so a failure in `make test` replays; random (and printed) in the long form. */
export const SEED: number = LONG ? (Math.random() * 0x7fffffff) | 0 : 0x16_0c_4a05;

/** Mostly `a`, sometimes `b`: near-valid inputs with a random extra now and then. */
export function mostly<A, B>(a: fc.Arbitrary<A>, b: fc.Arbitrary<B>): fc.Arbitrary<A | B> {
  return fc.oneof({ weight: 3, arbitrary: a }, { weight: 1, arbitrary: b });
}

/** `short` runs in make test, 100 times as many under npm run chaos. */
export function runs(short: number): number {
  return budget(short, short * 100);
}

/** fast-check parameters for one property. */
export function params(short: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: runs(short) };
}

/** How long one input may take before it counts as a hang (the slowest healthy inputs take milliseconds). */
export const PER_INPUT_MS = scaled(2000);

/** Tallies what a property saw, for report(). */
export class Tally {
  ok = 0;
  refused = 0;
  slowestMs = 0;
  /** The first failure's summary, for the report's result column. */
  failure: string | undefined;

  /** Runs the scenario's assertions, remembering a failure for the report. */
  async run(fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (err) {
      // fast-check keeps the property's own error as `cause`, which node:test does not print.
      const cause = err instanceof Error && err.cause !== undefined ? err.cause : undefined;
      const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : err instanceof Error ? err.message : String(err);
      this.failure ??= `FAIL: ${why.split('\n')[0]?.slice(0, 200) ?? ''}`;
      if (err instanceof Error && cause !== undefined) err.message += `\nCaused by: ${cause instanceof Error ? (cause.stack ?? why) : why}`;
      throw err;
    }
  }

  get result(): string {
    return this.failure ?? 'pass';
  }

  get runs(): number {
    return this.ok + this.refused;
  }

  figures(): Record<string, number | string> {
    return { seed: SEED, ok: this.ok, refused: this.refused, 'slowest ms': Math.round(this.slowestMs) };
  }
}

/** The errors a module documents; anything else thrown is a bug. */
export type Accept = (err: unknown) => boolean;

/** drover's ValidationError with at least one problem, each with a message. */
export const validationError: Accept = (err) =>
  err instanceof ValidationError && err.problems.length > 0 && err.problems.every((p) => p.message.trim() !== '');

/** Rethrows anything `accept` does not allow, so fast-check shrinks and reports it. */
function judge(err: unknown, accept: Accept, tally: Tally): void {
  if (!accept(err)) throw err;
  // A message must say something about the input, not leak an object or an undefined.
  const message = err instanceof Error ? err.message : String(err);
  assert.doesNotMatch(message, /\[object Object\]|\bundefined\b(?! variable)/, `unhelpful message: ${message}`);
  tally.refused++;
}

function timed(tally: Tally, t0: number, what: string): void {
  const ms = performance.now() - t0;
  tally.slowestMs = Math.max(tally.slowestMs, ms);
  assert.ok(ms <= PER_INPUT_MS, `one input took ${Math.round(ms)} ms (hang guard ${PER_INPUT_MS} ms): ${what}`);
}

/** Runs one synchronous input: a result or an accepted error, within the hang guard. */
export function check<T>(tally: Tally, accept: Accept, run: () => T, verify?: (result: T) => void): void {
  const t0 = performance.now();
  let result: T;
  try {
    result = run();
  } catch (err) {
    timed(tally, t0, 'refused');
    judge(err, accept, tally);
    return;
  }
  timed(tally, t0, 'accepted');
  verify?.(result);
  tally.ok++;
}

/** Runs one asynchronous input: a result or an accepted error, within the hang guard. */
export async function checkAsync<T>(tally: Tally, accept: Accept, run: () => Promise<T>, verify?: (result: T) => void): Promise<void> {
  const t0 = performance.now();
  let result: T;
  try {
    result = await run();
  } catch (err) {
    timed(tally, t0, 'refused');
    judge(err, accept, tally);
    return;
  }
  timed(tally, t0, 'accepted');
  verify?.(result);
  tally.ok++;
}

/** Identifiers: mostly from `names` (so decoders go deep), sometimes anything HCL allows. */
export function identFrom(names: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,12}$/) },
  );
}

/** Strings that tend to break things: empty, huge, NUL, unicode, escapes, interpolations, numbers, durations. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '', ' ', '\u0000', '\\', '"', '${', '}', '%{', '$${x}', '%%{x}', '${var.x}', '${NOMAD_ALLOC_ID}', '${attr.kernel.name}', '${meta.x}',
    '10s', '-1s', '0s', '1e9h', '9999999999999h', '1.5m', '1h30m', 'inf', 'NaN', '1e309', '-0', '0x10', '9007199254740993', '18446744073709551616',
    '*/5 * * * *', '@daily', 'x'.repeat(10_000), '../../etc/passwd', '/abs', 'SIGTERM', 'SIGFOO', '1/2', 'a.b.c', '[]', '{}', 'true', 'null',
  ),
);

/** Numbers that tend to break things. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -5, max: 100 }),
  fc.constantFrom(0, -1, 0.5, 1e9, 1e12, 1e21, 1e308, -1e308, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 63, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, 65536),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** JSON-like values nested at random, their object keys drawn from `keys` (the names a decoder or template looks up). */
export function jsonLike(keys: fc.Arbitrary<string>, maxKeys: number): fc.Arbitrary<unknown> {
  return fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      nastyString,
      nastyNumber,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(keys, tie('v'), { maxKeys }),
    ),
  })).v;
}
