/**
 * When a periodic job launches next, said as Nomad's CLI says it: the time in
 * the job's own zone (Nomad formats `Next` in `Periodic.GetLocation()`), and
 * the whole seconds between now and then, both truncated to the second
 * (formatTimeDifference).
 */
import { formatDuration } from '../model/duration.js';

/** RFC 3339 to the second with the zone's offset at that instant ("Z" for zero), as Go's "2006-01-02T15:04:05Z07:00". */
export function formatTimeInZone(ms: number, timeZone: string): string {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone === '' ? 'UTC' : timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
  const part = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  // longOffset is "GMT-05:00", or "GMT" / "GMT+00:00" at zero, which Go writes as "Z".
  const gmt = String(part['timeZoneName']).slice(3);
  const offset = gmt === '' || gmt === '+00:00' || gmt === '-00:00' ? 'Z' : gmt;
  return `${part['year']}-${part['month']}-${part['day']}T${part['hour']}:${part['minute']}:${part['second']}${offset}`;
}

/** "2026-12-07T03:00:00-05:00 (17h2m3s from now)". */
export function launchText(atMs: number, nowMs: number, timeZone: string): string {
  const seconds = Math.floor(atMs / 1000) - Math.floor(nowMs / 1000);
  return `${formatTimeInZone(atMs, timeZone)} (${formatDuration(Math.max(0, seconds) * 1000)} from now)`;
}
