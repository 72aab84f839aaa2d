/** strconv's integer parsing with its messages, shared by parseInt, parseUint and loop. */
import { goQuote } from './go-values.js';

/** strconv.ParseInt(s, 10, 64) (or ParseUint), as a JS number (exact up to 2^53), empty meaning 0 as consul-template's parseInt. */
export function parseIntegerArg(name: string, s: string, unsigned = false): number {
  if (s === '') return 0;
  const fnName = unsigned ? 'ParseUint' : 'ParseInt';
  if (!(unsigned ? /^[0-9]+$/ : /^[+-]?[0-9]+$/).test(s)) {
    throw new Error(`${name}: strconv.${fnName}: parsing ${goQuote(s)}: invalid syntax`);
  }
  const n = BigInt(s);
  const [lo, hi] = unsigned ? [0n, (1n << 64n) - 1n] : [-(1n << 63n), (1n << 63n) - 1n];
  if (n < lo || n > hi) throw new Error(`${name}: strconv.${fnName}: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}
