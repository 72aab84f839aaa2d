import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTimeInZone, launchText } from './periodic-time.js';

test('formatTimeInZone: the job zone\'s offset at that instant, "Z" at zero (Go\'s Z07:00)', () => {
  const winter = Date.UTC(2026, 11, 7, 8, 0, 0);
  const summer = Date.UTC(2026, 6, 1, 0, 0, 0);
  assert.equal(formatTimeInZone(winter, 'UTC'), '2026-12-07T08:00:00Z');
  assert.equal(formatTimeInZone(winter, ''), '2026-12-07T08:00:00Z');
  assert.equal(formatTimeInZone(winter, 'America/New_York'), '2026-12-07T03:00:00-05:00');
  assert.equal(formatTimeInZone(summer, 'America/New_York'), '2026-06-30T20:00:00-04:00');
  assert.equal(formatTimeInZone(winter, 'Europe/London'), '2026-12-07T08:00:00Z');
  assert.equal(formatTimeInZone(summer, 'Europe/London'), '2026-07-01T01:00:00+01:00');
  assert.equal(formatTimeInZone(winter, 'Asia/Kolkata'), '2026-12-07T13:30:00+05:30');
});

test('launchText: whole seconds between the two instants truncated to the second (formatTimeDifference)', () => {
  const at = Date.UTC(2026, 11, 7, 9, 2, 3);
  assert.equal(launchText(at, at - 3_723_000 + 999, 'UTC'), '2026-12-07T09:02:03Z (1h2m3s from now)');
  assert.equal(launchText(at + 999, at - 1, 'UTC'), '2026-12-07T09:02:03Z (1s from now)');
  assert.equal(launchText(at, at, 'UTC'), '2026-12-07T09:02:03Z (0s from now)');
});
