/** MaxRunDurationHook on a manual clock: the deadline is create time + duration, exact to the ms, and survives nothing it should not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../model/testing/manual-clock.js';
import { silentLogger } from '../../model/logger.js';
import type { JobType } from '../../model/job.js';
import type { CheckClock } from '../checks/types.js';
import { MaxRunDurationHook } from './max-run-duration-hook.js';

/** A CheckClock over a ManualClock: sleep resolves true when the time comes, false on abort. */
function checkClock(m: ManualClock): CheckClock {
  return {
    now: m.now,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve(false);
        const cancel = m.after(ms, () => resolve(true));
        signal.addEventListener('abort', () => (cancel(), resolve(false)), { once: true });
      }),
  };
}

function setup(o: { startMs: number; createTime?: number; ms?: number; type?: JobType }) {
  const m = new ManualClock(o.startMs);
  const shutdown = new AbortController();
  const fired: Array<{ deadline: number; at: number }> = [];
  const hook = new MaxRunDurationHook({
    jobType: o.type ?? 'batch',
    maxRunDurationMs: o.ms,
    createTime: o.createTime,
    clock: checkClock(m),
    signal: shutdown.signal,
    onTimeout: (deadline) => fired.push({ deadline, at: m.now() }),
    logger: silentLogger,
  });
  return { m, shutdown, fired, hook };
}

/** Lets the hook's async timer loop run (promise callbacks, no real time). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

test('fires exactly at create time + max_run_duration, not at prerun + duration', async () => {
  const { m, fired, hook } = setup({ startMs: 10_000, createTime: 9_000, ms: 5_000 });
  assert.equal(hook.deadline(), 14_000);
  await hook.prerun();
  await settle();
  m.advance(3_999);
  await settle();
  assert.deepEqual(fired, []);
  m.advance(1);
  await settle();
  assert.deepEqual(fired, [{ deadline: 14_000, at: 14_000 }]);
});

test('a deadline that passed before prerun (agent down) fires at once', async () => {
  const { fired, hook } = setup({ startMs: 60_000, createTime: 1_000, ms: 5_000 });
  await hook.prerun();
  await settle();
  assert.deepEqual(fired, [{ deadline: 6_000, at: 60_000 }]);
});

test('no deadline for service and system jobs, without a duration or a create time', async () => {
  for (const o of [{ type: 'service' as const, ms: 1 }, { type: 'system' as const, ms: 1 }, { ms: undefined }, { ms: 1, createTime: 0 }]) {
    const { m, fired, hook } = setup({ startMs: 0, createTime: 1, ...o });
    assert.equal(hook.deadline(), undefined);
    await hook.prerun();
    m.advance(10_000);
    await settle();
    assert.deepEqual(fired, []);
    assert.equal(m.pending(), 0);
  }
});

test('postrun and agent shutdown disarm the timer', async () => {
  for (const end of ['postrun', 'shutdown'] as const) {
    const { m, shutdown, fired, hook } = setup({ startMs: 0, createTime: 1, ms: 1_000 });
    await hook.prerun();
    await settle();
    if (end === 'postrun') await hook.postrun();
    else shutdown.abort();
    m.advance(5_000);
    await settle();
    assert.deepEqual(fired, [], end);
    assert.equal(m.pending(), 0, end);
  }
});

test('an in-place update moves the deadline from the create time; removing the duration disarms it', async () => {
  const a = setup({ startMs: 0, createTime: 1_000, ms: 10_000 });
  await a.hook.prerun();
  await settle();
  a.m.advance(2_000);
  await a.hook.update({ maxRunDurationMs: 3_000 });
  await settle();
  a.m.advance(1_999);
  await settle();
  assert.deepEqual(a.fired, []);
  a.m.advance(1);
  await settle();
  assert.deepEqual(a.fired, [{ deadline: 4_000, at: 4_000 }]);

  const b = setup({ startMs: 0, createTime: 1_000, ms: 10_000 });
  await b.hook.prerun();
  await settle();
  await b.hook.update({});
  await settle();
  b.m.advance(60_000);
  await settle();
  assert.deepEqual(b.fired, []);
  assert.equal(b.m.pending(), 0);
});

test('a deadline beyond the 24.8-day timer limit is slept in pieces and still hit exactly', async () => {
  const day = 86_400_000;
  const { m, fired, hook } = setup({ startMs: 0, createTime: 1, ms: 30 * day });
  await hook.prerun();
  await settle();
  m.advance(25 * day);
  await settle();
  assert.deepEqual(fired, []);
  m.advance(5 * day);
  await settle();
  assert.deepEqual(fired, []);
  m.advance(1);
  await settle();
  assert.deepEqual(fired, [{ deadline: 30 * day + 1, at: 30 * day + 1 }]);
});
