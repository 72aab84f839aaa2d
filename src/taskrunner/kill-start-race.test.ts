/**
 * A kill that lands while the task runner is (re)starting the task: the order
 * seen in the services end-to-end test, where check_restart restarted the
 * task, the agent stopped during the restart delay, the next agent restored
 * the alloc and started the task again, and `job stop` arrived while the
 * driver was starting it. The driver's start is held on a promise so the kill
 * (and an agent shutdown after it) land at exactly that point.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DriverPlugin, StartResult, TaskConfig } from '../drivers/types.js';
import type { MockDriver } from '../drivers/mock/driver.js';
import { MemoryStateStore } from './state-store.js';
import { allocHarness, makeJob, makeTask, mockDriver } from './testing.js';
import { ManualClock, RecordingHandler, RecordingSink, makeCheck, makeService } from './checks/testing.js';

/**
 * mock_driver whose startTask, once the task runs in the driver, waits for
 * `release()` before returning to the runner; `started` resolves with the
 * task id at that point. Stops are recorded.
 */
function holdingStart(inner: MockDriver) {
  let entered!: (id: string) => void;
  const started = new Promise<string>((r) => (entered = r));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const stopped: string[] = [];
  const driver = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'startTask') {
        return async (cfg: TaskConfig): Promise<StartResult> => {
          const r = await target.startTask(cfg);
          entered(cfg.id);
          await gate;
          return r;
        };
      }
      if (prop === 'stopTask') {
        return (id: string, timeoutMs: number, signal: string): Promise<void> => {
          stopped.push(id);
          return target.stopTask(id, timeoutMs, signal);
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as DriverPlugin;
  return { driver, started, release, stopped };
}

/**
 * A task that fails fast and restarts after a delay no test waits out; with a script check,
 * as the e2e job's task (checks run on a ManualClock: no timer of a check loop left running
 * by a failing test keeps the test process alive).
 */
function flakyTask() {
  const service = makeService({ name: 'flaky', taskName: 'server', checks: [makeCheck({ name: 'script', type: 'script', command: '/bin/true', intervalMs: 60_000, timeoutMs: 5_000 })] });
  return makeTask('server', { run_for: '10ms', exit_code: 1 }, { services: [service], restart: { attempts: 10, intervalMs: 600_000, delayMs: 60_000, mode: 'delay' } });
}

/**
 * The first agent: the task ran, failed, and the runner is in its restart delay
 * when the agent shuts down. Returns the store a second agent restores from.
 */
async function restartingThenShutdown(): Promise<{ store: MemoryStateStore; dir: string }> {
  const store = new MemoryStateStore();
  const h = allocHarness(makeJob([flakyTask()]), await mockDriver(), { store, checkClock: new ManualClock(), services: { handler: new RecordingHandler(), checks: new RecordingSink() } });
  const run = h.runner.run();
  await h.waitFor(() => h.types('server').includes('Restarting'));
  await h.runner.shutdown();
  await run;
  assert.deepEqual(h.types('server'), ['Received', 'Task Setup', 'Started', 'Terminated', 'Restarting']);
  return { store, dir: h.dir };
}

test('kill during the restart delay: the task is not started again and ends dead', async () => {
  const h = allocHarness(makeJob([flakyTask()]), await mockDriver());
  const run = h.runner.run();
  await h.waitFor(() => h.types('server').includes('Restarting'));
  await h.runner.kill();
  await run;
  assert.deepEqual(h.types('server').slice(-2), ['Restarting', 'Killing']);
  assert.equal(h.runner.task('server')!.state().state, 'dead');
  assert.equal(h.runner.clientStatus(), 'complete');
});

test('restored during its restart delay, killed while the driver starts it: the start that lands after the kill is killed (Started, Terminated, Killed; dead)', async () => {
  const { store, dir } = await restartingThenShutdown();
  const inner = await mockDriver();
  const held = holdingStart(inner);
  const handler = new RecordingHandler();
  const h = allocHarness(makeJob([flakyTask()]), held.driver, { store, dir, checkClock: new ManualClock(), services: { handler, checks: new RecordingSink() } });
  const run = h.runner.run();
  const id = await held.started;
  const killed = h.runner.kill();
  await h.waitFor(() => h.types('server').includes('Killing'));
  held.release();
  await killed;
  await run;
  assert.deepEqual(h.types('server'), ['Killing', 'Started', 'Terminated', 'Killed']);
  assert.deepEqual(held.stopped, [id]);
  assert.equal(h.runner.task('server')!.state().state, 'dead');
  assert.equal(h.runner.clientStatus(), 'complete');
  // The services registered by the late start left with the kill.
  assert.deepEqual(handler.all(), []);
});

test('killed while the driver starts it, then the agent shuts down before the start returns: the kill still wins and the task does not run on', async () => {
  const { store, dir } = await restartingThenShutdown();
  const inner = await mockDriver();
  const held = holdingStart(inner);
  const handler = new RecordingHandler();
  const h = allocHarness(makeJob([flakyTask()]), held.driver, { store, dir, checkClock: new ManualClock(), services: { handler, checks: new RecordingSink() } });
  const run = h.runner.run();
  const id = await held.started;
  const killed = h.runner.kill();
  await h.waitFor(() => h.types('server').includes('Killing'));
  // The agent stops (SIGTERM) while the start is still in flight: supervision ends, but not before the kill.
  const shutdown = h.runner.shutdown();
  held.release();
  await Promise.all([killed, shutdown, run]);
  assert.deepEqual(held.stopped, [id], 'the task started after the kill was stopped');
  assert.equal((await inner.inspectTask(id)).state, 'exited');
  assert.deepEqual(handler.all(), []);
});
