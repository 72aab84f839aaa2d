import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayMessage } from '../model/task-event.js';
import { allocHarness, makeJob, makeTask, mockDriver } from './testing.js';
const driver = mockDriver;
test('AllocRunner: prestart tasks finish before main starts; poststart after main starts; poststop last', async () => {
    const job = makeJob([
        makeTask('init', { run_for: '150ms' }, { lifecycle: { hook: 'prestart', sidecar: false } }),
        makeTask('side', { run_for: '10s' }, { lifecycle: { hook: 'prestart', sidecar: true } }),
        makeTask('main', { run_for: '200ms', start_block_for: '50ms' }),
        makeTask('after', { run_for: '20ms' }, { lifecycle: { hook: 'poststart', sidecar: false } }),
        makeTask('cleanup', { run_for: '20ms' }, { lifecycle: { hook: 'poststop', sidecar: false } }),
    ], { type: 'batch' });
    const h = allocHarness(job, await driver());
    await h.runner.run();
    const at = (task, type) => {
        const e = h.first(task, type);
        assert.ok(e, `${task} ${type} missing: ${h.types(task).join(',')}`);
        return e.at;
    };
    // Every task was received at once; main waits for init to finish and side to run.
    assert.ok(at('main', 'Started') >= at('init', 'Terminated'), 'main after init');
    assert.ok(at('main', 'Started') >= at('side', 'Started'), 'main after sidecar started');
    assert.ok(at('init', 'Terminated') - at('init', 'Task Setup') >= 145, 'init ran its run_for');
    assert.ok(at('after', 'Started') >= at('main', 'Started'), 'poststart after main started');
    assert.ok(!h.types('after').includes('Restarting'));
    // When main ends, only the sidecar is left: it is stopped with "Main Tasks Dead".
    assert.ok(h.types('side').includes('Main Tasks Dead'));
    assert.ok(at('side', 'Killing') >= at('main', 'Terminated'));
    // Poststop runs only after everything else is dead.
    assert.ok(at('cleanup', 'Started') >= at('side', 'Killed'), 'poststop after the sidecar is gone');
    assert.deepEqual(h.types('cleanup'), ['Received', 'Task Setup', 'Started', 'Terminated']);
    assert.equal(h.runner.clientStatus(), 'complete');
});
test('AllocRunner: a failed prestart task keeps main from starting and fails the alloc', async () => {
    const job = makeJob([
        makeTask('init', { run_for: '5ms', exit_code: 1 }, { lifecycle: { hook: 'prestart', sidecar: false }, restart: { attempts: 0, intervalMs: 60_000, delayMs: 10, mode: 'fail' } }),
        makeTask('main', { run_for: '10s' }),
    ], { type: 'batch' });
    const h = allocHarness(job, await driver());
    await h.runner.run();
    assert.deepEqual(h.types('main'), ['Received', 'Sibling Task Failed', 'Killing']);
    assert.equal(displayMessage(h.first('main', 'Sibling Task Failed').event), `Task's sibling "init" failed`);
    assert.equal(h.runner.clientStatus(), 'failed');
});
test('AllocRunner: when the leader dies the other tasks are killed with "Leader Task Dead"', async () => {
    const job = makeJob([makeTask('leader', { run_for: '50ms' }, { leader: true }), makeTask('follower', { run_for: '10s' })], { type: 'batch' });
    const h = allocHarness(job, await driver());
    await h.runner.run();
    assert.deepEqual(h.types('follower'), ['Received', 'Task Setup', 'Started', 'Leader Task Dead', 'Killing', 'Terminated', 'Killed']);
    assert.equal(h.runner.clientStatus(), 'complete');
});
test('AllocRunner: a failed task kills its siblings with "Sibling Task Failed"', async () => {
    const job = makeJob([
        makeTask('bad', { start_error: 'cannot start' }),
        makeTask('good', { run_for: '10s', start_block_for: '20ms' }),
    ]);
    const h = allocHarness(job, await driver());
    await h.runner.run();
    assert.ok(h.types('good').includes('Sibling Task Failed'));
    assert.equal(h.runner.task('good').state().state, 'dead');
    assert.equal(h.runner.clientStatus(), 'failed');
});
test('AllocRunner: kill stops the leader first, then the rest, then sidecars, and still runs poststop', async () => {
    const job = makeJob([
        makeTask('web', { run_for: '10s', kill_after: '100ms' }, { leader: true }),
        makeTask('worker', { run_for: '10s' }),
        makeTask('proxy', { run_for: '10s' }, { lifecycle: { hook: 'prestart', sidecar: true } }),
        makeTask('cleanup', { run_for: '10ms' }, { lifecycle: { hook: 'poststop', sidecar: false } }),
    ]);
    const h = allocHarness(job, await driver());
    const run = h.runner.run();
    await h.waitFor(() => ['web', 'worker', 'proxy'].every((t) => h.types(t).includes('Started')));
    await h.runner.kill();
    await run;
    const killed = (t) => h.first(t, 'Killed').at;
    assert.ok(killed('web') <= h.first('worker', 'Killing').at, 'leader killed before the others are signalled');
    assert.ok(killed('worker') <= h.first('proxy', 'Killing').at, 'sidecar killed last');
    assert.deepEqual(h.types('cleanup'), ['Received', 'Task Setup', 'Started', 'Terminated']);
    assert.equal(h.runner.clientStatus(), 'complete');
});
//# sourceMappingURL=alloc-runner.test.js.map