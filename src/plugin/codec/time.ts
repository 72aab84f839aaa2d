/**
 * google.protobuf.Timestamp and Duration ↔ drover's milliseconds. drover
 * uses 0 for "no time"; Nomad uses Go's zero time, 0001-01-01T00:00:00Z.
 */
import type { Duration } from '../wire/google/protobuf/duration.js';
import type { Timestamp } from '../wire/google/protobuf/timestamp.js';

/** Seconds of Go's zero time.Time since the Unix epoch. */
export const GO_ZERO_TIME_SECONDS = -62135596800;

/** Unix ms → Timestamp; 0 → Go's zero time (what Nomad sends for "not yet"). */
export function msToTimestamp(ms: number): Timestamp {
  if (ms === 0) return { seconds: GO_ZERO_TIME_SECONDS, nanos: 0 };
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Timestamp → Unix ms; absent or Go's zero time → 0. */
export function timestampToMs(t: Timestamp | null | undefined): number {
  if (!t || (t.seconds === GO_ZERO_TIME_SECONDS && t.nanos === 0)) return 0;
  return t.seconds * 1000 + t.nanos / 1e6;
}

/** ms → Duration. */
export function msToDuration(ms: number): Duration {
  const seconds = Math.trunc(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Duration → ms; absent → 0. */
export function durationToMs(d: Duration | null | undefined): number {
  if (!d) return 0;
  return d.seconds * 1000 + d.nanos / 1e6;
}
