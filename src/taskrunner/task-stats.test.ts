/** The stats hook samples a real raw_exec task once, then only while someone reads its stats. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskResourceUsage } from '../model/task-result.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { rawExecHarness } from '../drivers/raw-exec/testing.js';
import { StatsHook } from './hooks/stats-hook.js';
import { TaskStats } from './task-stats.js';

const h = await rawExecHarness();
after(() => h.cleanup());

const INTERVAL_MS = 50;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('TaskStats: one baseline sample, then samples only while read, and a busy task reads as busy after a quiet spell', async () => {
  // A busy loop: whatever the CPU percent covers, it is near a full core.
  const cfg = h.taskConfig({ command: '/bin/sh', args: ['-c', 'while :; do :; done'] });
  await h.driver.startTask(cfg);
  const stats = new TaskStats(INTERVAL_MS, { watchMs: 400 });
  const taken: TaskResourceUsage[] = [];
  const count = (): number => taken.length;
  const sink = { update: (u: TaskResourceUsage) => (taken.push(u), stats.update(u)), wanted: (s: AbortSignal) => stats.wanted(s) };
  const hook = new StatsHook(INTERVAL_MS, sink, silentLogger);
  const ac = new AbortController();
  await hook.poststart({ task: undefined as never, running: { driver: h.driver, taskId: cfg.id }, env: {}, signal: ac.signal });
  try {
    await eventually(() => taken.length === 1, { message: 'the baseline sample' });
    // Twenty intervals with no reader: a sampler that kept polling would have taken ~20 more.
    await settle(20 * INTERVAL_MS);
    assert.equal(count(), 1, 'no samples while no one reads them');

    const before = Date.now();
    const fresh = await stats.read();
    assert.ok(fresh && fresh.timestamp >= before, 'a read after a quiet spell waits for a new sample');
    assert.equal(count(), 2);
    // The percent covers the quiet spell since the baseline, in which the loop kept a core busy (shared, on a loaded host).
    assert.ok(fresh.cpu.percent > 10, `CPU ${fresh.cpu.percent}% over the spell`);

    // Within the watch window the sampler keeps going at the interval.
    await eventually(() => taken.length >= 4, { message: 'samples while watched' });
    // After the window it stops again.
    await eventually(
      async () => {
        const n = taken.length;
        await settle(10 * INTERVAL_MS);
        return taken.length === n;
      },
      { message: 'sampling to stop once the window passed', timeoutMs: 10_000 },
    );
    const n: number = taken.length;
    const woken = await stats.read();
    assert.equal(count(), n + 1, 'a read wakes the sampler for one new sample');
    assert.equal(woken, taken.at(-1));
  } finally {
    ac.abort();
    await hook.stop();
    await h.driver.stopTask(cfg.id, 0, 'SIGKILL');
    await h.driver.destroyTask(cfg.id, true);
  }
});

test('TaskStats: a read before the first sample answers at once with nothing (a task that just started), and wakes the sampler', async () => {
  const stats = new TaskStats(60_000);
  assert.equal(await stats.read(), undefined, 'no wait of up to an interval for a sample that is not due yet');
  const ac = new AbortController();
  assert.equal(await stats.wanted(ac.signal), true, 'samples are wanted after the read');
});
