import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { displayMessage, newEvent } from '../model/task-event.js';
import { within } from '../model/testing/eventually.js';
import { allocHarness, makeJob, makeTask, mockDriver } from './testing.js';
const driver = mockDriver;
test('TaskRunner: the mock kill_timeout example yields Received, Task Setup, Started, Terminated, Restarting', async () => {
    const task = makeTask('task', {
        exit_code: 0,
        exit_err_msg: 'error on exit',
        exit_signal: 9,
        kill_after: '300ms',
        run_for: '400ms',
        signal_error: 'got signal',
        start_block_for: '150ms',
        stdout_repeat: 1,
        stdout_repeat_duration: '100ms',
        stdout_string: 'hello, world!\n',
    }, { killTimeoutMs: 1_000, restart: { attempts: 2, intervalMs: 30 * 60_000, delayMs: 200, mode: 'fail' } });
    const h = allocHarness(makeJob([task]), await driver(), { random: () => 0.5 });
    const run = h.runner.run();
    await h.waitFor(() => h.types('task').includes('Restarting'));
    assert.deepEqual(h.types('task'), ['Received', 'Task Setup', 'Started', 'Terminated', 'Restarting']);
    const setup = h.first('task', 'Task Setup');
    const started = h.first('task', 'Started');
    const terminated = h.first('task', 'Terminated');
    const restarting = h.first('task', 'Restarting');
    assert.equal(displayMessage(setup.event), 'Building Task Directory');
    assert.ok(started.at - setup.at >= 145, `start_block_for: started ${started.at - setup.at} ms after setup`);
    // Lower bounds only: the task cannot end before start_block_for + run_for have passed.
    assert.ok(terminated.at - setup.at >= 545, `run_for: terminated ${terminated.at - setup.at} ms after setup`);
    assert.equal(displayMessage(terminated.event), 'Exit Code: 0, Signal: 9, Exit Message: "error on exit"');
    // delay 200ms + 0.5 × 25% jitter = 225ms
    assert.equal(displayMessage(restarting.event), 'Task restarting in 225ms');
    assert.equal(h.runner.task('task').state().restarts, 1);
    // Output went to the task's real log file.
    await h.waitFor(() => h.types('task').filter((t) => t === 'Started').length === 2);
    assert.match(readFileSync(join(h.dir, 'alloc', 'logs', 'task.stdout.0'), 'utf8'), /^hello, world!\n/);
    // Stopping: Killing, then the mock's kill_after delays the exit, then Killed.
    const t0 = performance.now();
    await h.runner.kill();
    await run;
    assert.ok(performance.now() - t0 >= 290, `kill_after honoured (${performance.now() - t0} ms)`);
    const tail = h.types('task').slice(-3);
    assert.deepEqual(tail, ['Killing', 'Terminated', 'Killed']);
    assert.equal(displayMessage(h.events.find((e) => e.event.type === 'Killing').event), 'Sent interrupt. Waiting 1s before force killing');
    assert.equal(h.runner.task('task').state().state, 'dead');
    assert.equal(h.runner.task('task').state().failed, false);
    assert.equal(h.runner.clientStatus(), 'complete');
});
test('TaskRunner: a batch task that exits 0 completes without restarting', async () => {
    const h = allocHarness(makeJob([makeTask('t', { run_for: '10ms' })], { type: 'batch' }), await driver());
    await h.runner.run();
    assert.deepEqual(h.types('t'), ['Received', 'Task Setup', 'Started', 'Terminated']);
    assert.equal(h.runner.clientStatus(), 'complete');
    const s = h.runner.task('t').state();
    assert.equal(s.state, 'dead');
    assert.ok(s.startedAt > 0 && s.finishedAt >= s.startedAt);
});
test('TaskRunner: failing past the restart policy ends in Not Restarting and a failed alloc', async () => {
    const task = makeTask('t', { run_for: '5ms', exit_code: 3 }, { restart: { attempts: 2, intervalMs: 60_000, delayMs: 10, mode: 'fail' } });
    const h = allocHarness(makeJob([task], { type: 'batch' }), await driver());
    await h.runner.run();
    assert.deepEqual(h.types('t'), [
        'Received', 'Task Setup', 'Started', 'Terminated', 'Restarting',
        'Started', 'Terminated', 'Restarting', 'Started', 'Terminated', 'Not Restarting',
    ]);
    const last = h.events[h.events.length - 1].event;
    assert.equal(displayMessage(last), 'Exceeded allowed attempts 2 in interval 1m0s and mode is "fail"');
    assert.equal(h.runner.clientStatus(), 'failed');
    assert.equal(h.runner.task('t').state().restarts, 2);
});
test('TaskRunner: a non-recoverable start error is a Driver Failure that is not retried', async () => {
    const h = allocHarness(makeJob([makeTask('t', { start_error: 'no such image' })]), await driver());
    await h.runner.run();
    assert.deepEqual(h.types('t'), ['Received', 'Task Setup', 'Driver Failure', 'Not Restarting']);
    assert.equal(displayMessage(h.first('t', 'Driver Failure').event), 'no such image');
    assert.equal(displayMessage(h.first('t', 'Not Restarting').event), 'Error was unrecoverable');
    assert.equal(h.runner.clientStatus(), 'failed');
});
test('TaskRunner: a recoverable start error is retried per the policy', async () => {
    const task = makeTask('t', { start_error: 'busy', start_error_recoverable: true }, { restart: { attempts: 1, intervalMs: 60_000, delayMs: 10, mode: 'fail' } });
    const h = allocHarness(makeJob([task]), await driver());
    await h.runner.run();
    assert.deepEqual(h.types('t'), ['Received', 'Task Setup', 'Driver Failure', 'Restarting', 'Driver Failure', 'Not Restarting']);
});
test('TaskRunner: driver config is interpolated from the task env at start', async () => {
    const task = makeTask('t', { run_for: '10ms', stdout_string: '${NOMAD_TASK_NAME} in ${NOMAD_GROUP_NAME} ${NOMAD_META_owner} ${attr.kernel.name}\n' }, { meta: { owner: 'ops' } });
    const h = allocHarness(makeJob([task], { type: 'batch' }), await driver());
    await h.runner.run();
    assert.equal(readFileSync(join(h.dir, 'alloc', 'logs', 't.stdout.0'), 'utf8'), 't in g ops linux\n');
    for (const d of ['t/local', 't/secrets', 't/tmp', 'alloc/logs', 'alloc/data', 'alloc/tmp'])
        assert.ok(existsSync(join(h.dir, d)), d);
});
test('TaskRunner: a config that is bad only after interpolation fails validation at start', async () => {
    const task = makeTask('t', { run_for: '${NOMAD_META_wait}' }, { meta: { wait: 'soon' } });
    const h = allocHarness(makeJob([task]), await driver());
    await h.runner.run();
    assert.deepEqual(h.types('t'), ['Received', 'Task Setup', 'Failed Validation', 'Not Restarting']);
    assert.match(displayMessage(h.first('t', 'Failed Validation').event), /config\.run_for: invalid duration "soon"/);
});
test('TaskRunner: restart() restarts at once without counting against the policy', async () => {
    const task = makeTask('t', { run_for: '10s' }, { restart: { attempts: 0, intervalMs: 60_000, delayMs: 10, mode: 'fail' } });
    const h = allocHarness(makeJob([task]), await driver());
    const run = h.runner.run();
    await h.waitFor(() => h.types('t').includes('Started'));
    const tr = h.runner.task('t');
    await tr.restart(newEvent('Restart Signaled', Date.now(), { restartReason: 'User requested restart' }), false);
    await h.waitFor(() => h.types('t').filter((x) => x === 'Started').length === 2);
    assert.deepEqual(h.types('t'), ['Received', 'Task Setup', 'Started', 'Restart Signaled', 'Terminated', 'Restarting', 'Started']);
    assert.equal(displayMessage(h.first('t', 'Restarting').event), 'Task restarting in 0s');
    await h.runner.kill();
    await run;
});
test('TaskRunner: signal() emits Signaling and surfaces the task error', async () => {
    const h = allocHarness(makeJob([makeTask('t', { run_for: '10s', signal_error: 'got signal' })]), await driver());
    const run = h.runner.run();
    await h.waitFor(() => h.types('t').includes('Started'));
    await assert.rejects(h.runner.task('t').signal(newEvent('Signaling', Date.now(), { taskSignal: 'SIGHUP', taskSignalReason: '' }), 'SIGHUP'), /got signal/);
    assert.ok(h.types('t').includes('Signaling'));
    await h.runner.kill();
    await run;
});
test('TaskRunner: shutdown leaves the task running in the driver', async () => {
    const d = await driver();
    const h = allocHarness(makeJob([makeTask('t', { run_for: '10s' })]), d);
    const run = h.runner.run();
    await h.waitFor(() => h.types('t').includes('Started'));
    const id = h.runner.task('t').taskId;
    await h.runner.shutdown();
    await run;
    assert.equal((await d.inspectTask(id)).state, 'running');
    assert.ok(!h.types('t').includes('Killing'));
    await d.stopTask(id, 0, 'SIGKILL');
    await d.destroyTask(id, true);
});
test('TaskRunner: killing during the restart delay ends the task without another start', async () => {
    // A delay no test run could sit through: finishing at all shows the kill cut it short.
    const delayMs = 3_600_000;
    const task = makeTask('t', { run_for: '5ms', exit_code: 1 }, { restart: { attempts: 3, intervalMs: 60_000, delayMs, mode: 'fail' } });
    const h = allocHarness(makeJob([task]), await driver());
    const run = h.runner.run();
    await h.waitFor(() => h.types('t').includes('Restarting'));
    const t0 = performance.now();
    await h.runner.kill();
    await within(run, 60_000, 'the alloc runner after a kill during the restart delay');
    assert.ok(performance.now() - t0 < delayMs, 'did not wait out the delay');
    assert.equal(h.types('t').filter((x) => x === 'Started').length, 1);
    assert.equal(h.runner.task('t').state().state, 'dead');
});
//# sourceMappingURL=task-runner.test.js.map