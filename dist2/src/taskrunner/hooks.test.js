import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockDriver } from '../drivers/mock/driver.js';
import { silentLogger } from '../model/logger.js';
import { displayMessage } from '../model/task-event.js';
import { DroverError } from '../model/errors.js';
import { TaskRunner } from './task-runner.js';
import { MemoryStateStore } from './state-store.js';
import { TaskDirHook } from './hooks/task-dir-hook.js';
import { LogsHook } from './hooks/logs-hook.js';
import { makeJob, makeTask } from './testing.js';
import { eventually } from '../model/testing/eventually.js';
/** A hook that implements every phase and records what it was given. */
class RecordingHook {
    name;
    opts;
    calls = [];
    previousStates = [];
    attempts = 0;
    constructor(name, opts = {}) {
        this.name = name;
        this.opts = opts;
    }
    async prestart(req) {
        this.calls.push('prestart');
        this.previousStates.push(req.previousState);
        const n = Number(req.previousState?.runs ?? '0') + 1;
        this.attempts++;
        if (this.opts.failPrestart !== undefined && this.attempts <= this.opts.failPrestart) {
            throw new DroverError('internal', `not yet (${this.attempts})`, { recoverable: this.opts.recoverable ?? false });
        }
        return { env: { [`HOOK_${this.name.toUpperCase()}`]: String(n) }, state: { runs: String(n) }, done: this.opts.done };
    }
    async poststart() {
        this.calls.push('poststart');
    }
    async preKilling() {
        this.calls.push('prekill');
    }
    async exited() {
        this.calls.push('exited');
    }
    async update() {
        this.calls.push('update');
    }
    async stop(req) {
        this.calls.push(`stop:${req.existingState?.runs ?? '-'}`);
    }
}
async function harness(task, hooks, store = new MemoryStateStore()) {
    const driver = new MockDriver({ logger: silentLogger, now: Date.now });
    await driver.setConfig({ pluginConfig: {} });
    const job = makeJob([task]);
    const dir = mkdtempSync(join(tmpdir(), 'drover-hooks-'));
    const events = [];
    const logs = new LogsHook(join(dir, 'alloc', 'logs'), task.name, task.logs);
    const runner = new TaskRunner({
        alloc: { id: 'a1b2c3d4-0000-4000-8000-000000000000', index: 0, dir, job, group: job.groups[0] },
        task,
        driver,
        hooks: (ev) => [new TaskDirHook(ev, Date.now), ...hooks, logs],
        logTargets: () => logs.targets(),
        store,
        node: { id: 'n', name: 'n', datacenter: 'dc1', attributes: {} },
        now: Date.now,
        random: () => 0,
        logger: silentLogger,
        onUpdate: (_n, _s, e) => e && events.push(e),
    });
    return { runner, events, driver, store };
}
/** Runs until the task is dead, then kills the runner as its alloc would (dead runners wait for an alloc restart). */
async function runToDeath(runner) {
    const run = runner.run();
    await waitFor(() => runner.state().state === 'dead');
    await runner.kill();
    await run;
}
const waitFor = (pred) => eventually(() => pred() || undefined, { message: 'the task runner' });
test('hooks: phases run in lifecycle order and prestart state carries across restarts', async () => {
    const h1 = new RecordingHook('one');
    const task = makeTask('t', { run_for: '20ms', exit_code: 1 }, { restart: { attempts: 1, intervalMs: 60_000, delayMs: 5, mode: 'fail' } });
    const { runner, events } = await harness(task, [h1]);
    await runToDeath(runner);
    assert.deepEqual(h1.calls, ['prestart', 'poststart', 'exited', 'prestart', 'poststart', 'exited', 'stop:2']);
    assert.deepEqual(h1.previousStates, [undefined, { runs: '1' }]);
    // Task Setup is emitted once: the task_dir hook is done after its first success.
    assert.equal(events.filter((e) => e.type === 'Task Setup').length, 1);
});
test('hooks: a hook marked done is skipped on restart but its env is kept', async () => {
    const done = new RecordingHook('once', { done: true });
    const task = makeTask('t', { run_for: '10ms', exit_code: 1, stdout_string: '${HOOK_ONCE}', stdout_repeat: 1 }, { restart: { attempts: 1, intervalMs: 60_000, delayMs: 5, mode: 'fail' } });
    const { runner } = await harness(task, [done]);
    await runToDeath(runner);
    assert.deepEqual(done.calls.filter((c) => c === 'prestart'), ['prestart']);
    assert.equal(runner.state().restarts, 1);
});
test('hooks: a failing prestart hook emits "Task hook failed" and follows the restart policy', async () => {
    const flaky = new RecordingHook('flaky', { failPrestart: 1, recoverable: true });
    const task = makeTask('t', { run_for: '10ms' }, { restart: { attempts: 2, intervalMs: 60_000, delayMs: 5, mode: 'fail' } });
    const { runner, events } = await harness(task, [flaky]);
    const run = runner.run();
    await waitFor(() => events.some((e) => e.type === 'Started'));
    const failed = events.find((e) => e.type === 'Task hook failed');
    assert.ok(failed);
    assert.equal(displayMessage(failed), 'flaky: not yet (1)');
    assert.deepEqual(events.map((e) => e.type).slice(0, 5), ['Received', 'Task Setup', 'Task hook failed', 'Restarting', 'Started']);
    await runner.kill();
    await run;
});
test('hooks: a non-recoverable prestart failure is fatal', async () => {
    const bad = new RecordingHook('bad', { failPrestart: 99, recoverable: false });
    const { runner, events } = await harness(makeTask('t', { run_for: '10ms' }), [bad]);
    await runToDeath(runner);
    assert.deepEqual(events.map((e) => e.type), ['Received', 'Task Setup', 'Task hook failed', 'Not Restarting']);
    assert.equal(runner.state().failed, true);
    assert.deepEqual(bad.calls, ['prestart', 'stop:-']);
});
test('hooks: kill runs PreKill before stopping, then Exited and Stop exactly once', async () => {
    const h = new RecordingHook('k');
    const { runner } = await harness(makeTask('t', { run_for: '10s' }), [h]);
    const run = runner.run();
    await waitFor(() => h.calls.includes('poststart'));
    await runner.update(makeTask('t', { run_for: '10s' }));
    await runner.kill();
    await run;
    assert.deepEqual(h.calls, ['prestart', 'poststart', 'update', 'prekill', 'exited', 'stop:1']);
});
test('hooks: prestart state is persisted to the store', async () => {
    const store = new MemoryStateStore();
    const h = new RecordingHook('persist');
    // Long enough to be still running when checked, however late the check comes.
    const { runner } = await harness(makeTask('t', { run_for: '10s' }), [h], store);
    const run = runner.run();
    await waitFor(() => h.calls.includes('poststart'));
    const local = store.getLocalState('a1b2c3d4-0000-4000-8000-000000000000', 't');
    assert.deepEqual(local?.hooks.persist?.data, { runs: '1' });
    assert.equal(local?.hooks.task_dir?.prestartDone, true);
    assert.ok(local?.handle, 'driver handle persisted while running');
    await runner.kill();
    await run;
    assert.equal(store.getLocalState('a1b2c3d4-0000-4000-8000-000000000000', 't')?.runComplete, true);
});
test('hooks: env, mounts and devices from prestart hooks are merged into the task the driver starts', async () => {
    const mounting = {
        name: 'mounting',
        async prestart() {
            return {
                env: { FROM_HOOK: 'yes' },
                mounts: [{ hostPath: '/srv/data', taskPath: '/data', readonly: true }],
                devices: [{ hostPath: '/dev/fuse', taskPath: '/dev/fuse', permissions: 'rw' }],
            };
        },
    };
    const { runner, driver } = await harness(makeTask('t', { run_for: '5ms' }), [mounting]);
    await runToDeath(runner);
    const started = driver.getTaskConfig()?.config;
    assert.equal(started?.env.FROM_HOOK, 'yes');
    assert.deepEqual(started?.mounts, [{ hostPath: '/srv/data', taskPath: '/data', readonly: true }]);
    assert.deepEqual(started?.devices, [{ hostPath: '/dev/fuse', taskPath: '/dev/fuse', permissions: 'rw' }]);
});
//# sourceMappingURL=hooks.test.js.map