import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../model/logger.js';
import type { TaskEvent } from '../../model/task-event.js';
import { CheckRestartWatcher } from './check-restart.js';

function watcher(policy: { limit: number; graceMs: number; ignoreWarnings?: boolean }) {
  let now = 1_000;
  const restarts: Array<{ event: TaskEvent; failure: boolean }> = [];
  const w = new CheckRestartWatcher({
    checkName: 'api',
    policy: { ignoreWarnings: false, ...policy },
    restarter: { restart: async (event, failure) => void restarts.push({ event, failure }) },
    now: () => now,
    logger: silentLogger,
  });
  return { w, restarts, advance: (ms: number) => (now += ms) };
}

test('check_restart: restarts on the limit-th unhealthy result in a row, as a failure, with Nomad\'s event', () => {
  const { w, restarts } = watcher({ limit: 3, graceMs: 0 });
  assert.deepEqual(['critical', 'pending'].map((s) => w.observe(s as 'critical')), [false, false]);
  assert.equal(w.observe('critical'), true);
  assert.deepEqual(restarts, [{ event: { type: 'Restart Signaled', time: 1_000, restartReason: 'healthcheck: check "api" unhealthy' }, failure: true }]);
  // One restart per watcher: the next registration watches afresh.
  assert.equal(w.observe('critical'), false);
  assert.equal(restarts.length, 1);
});

test('check_restart: a passing result clears the count', () => {
  const { w, restarts } = watcher({ limit: 2, graceMs: 0 });
  assert.deepEqual(['critical', 'passing', 'critical', 'passing', 'critical'].map((s) => w.observe(s as 'critical')), [false, false, false, false, false]);
  assert.equal(w.observe('critical'), true);
  assert.equal(restarts.length, 1);
});

test('check_restart: nothing counts during grace; the count starts when it ends', () => {
  const { w, restarts, advance } = watcher({ limit: 2, graceMs: 10_000 });
  assert.equal(w.observe('critical'), false);
  advance(9_999);
  assert.equal(w.observe('critical'), false);
  advance(1);
  assert.equal(w.observe('critical'), false, 'first counted result');
  assert.equal(w.observe('critical'), true);
  assert.equal(restarts.length, 1);
});

test('check_restart: warnings count unless ignore_warnings, which treats them as healthy', () => {
  const strict = watcher({ limit: 2, graceMs: 0 });
  assert.deepEqual([strict.w.observe('warning'), strict.w.observe('warning')], [false, true]);
  const lenient = watcher({ limit: 2, graceMs: 0, ignoreWarnings: true });
  assert.deepEqual([lenient.w.observe('critical'), lenient.w.observe('warning'), lenient.w.observe('critical')], [false, false, false]);
  assert.equal(lenient.restarts.length, 0);
});
