import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DroverError, TaskNotFoundError } from '../model/errors.js';
import { runKillSequence } from './kill-sequence.js';
const EXIT = { exitCode: 0, signal: 2, oomKilled: false };
/**
 * A sleep the test resolves by hand: every wait the kill sequence asks for is
 * recorded, so delays and backoffs are asserted exactly and nothing waits.
 */
function manualSleep() {
    const pending = [];
    const asked = [];
    let onAsk = () => { };
    const sleep = (ms, signal) => new Promise((resolve) => {
        asked.push(ms);
        if (signal.aborted)
            return resolve(false);
        const entry = { ms, signal, resolve };
        pending.push(entry);
        signal.addEventListener('abort', () => resolve(false), { once: true });
        onAsk();
    });
    /** Resolves once the sequence is parked in a sleep. */
    const parked = () => (pending.length > 0 ? Promise.resolve() : new Promise((r) => (onAsk = () => r())));
    /** Lets the oldest pending sleep finish as if its time had passed. */
    const elapse = () => pending.shift()?.resolve(true);
    return { sleep, asked, parked, elapse, pending };
}
/** A task whose exit the test triggers; records the calls the sequence makes, in order. */
function fakeTask(stopErrors = []) {
    const calls = [];
    let exit = (_r) => { };
    const exited = new Promise((r) => (exit = r));
    const driver = {
        async stopTask(id, timeoutMs, signal) {
            calls.push(`stop ${id} ${timeoutMs} ${signal}`);
            const err = stopErrors.shift();
            if (err)
                throw err;
            exit(EXIT);
        },
        waitTask: () => exited,
    };
    return { calls, driver, exited, exit: (r) => exit(r) };
}
function input(t, s, over = {}) {
    return {
        driver: t.driver,
        taskId: 'task-1',
        killTimeoutMs: 5_000,
        killSignal: 'SIGINT',
        shutdownDelayMs: 0,
        exit: t.exited,
        preKill: async () => void t.calls.push('prekill'),
        onShutdownDelay: () => t.calls.push('shutdown delay'),
        shutdown: new AbortController().signal,
        sleep: s.sleep,
        ...over,
    };
}
test('KillSequence: PreKill hooks, then StopTask with kill_timeout and kill_signal; no waiting without shutdown_delay', async () => {
    const t = fakeTask();
    const s = manualSleep();
    assert.deepEqual(await runKillSequence(input(t, s)), { result: EXIT, killError: undefined });
    assert.deepEqual(t.calls, ['prekill', 'stop task-1 5000 SIGINT']);
    assert.deepEqual(s.asked, []);
});
test('KillSequence: shutdown_delay is waited out in full before StopTask', async () => {
    const t = fakeTask();
    const s = manualSleep();
    const done = runKillSequence(input(t, s, { shutdownDelayMs: 3_000 }));
    await s.parked();
    assert.deepEqual(s.asked, [3_000]);
    assert.deepEqual(t.calls, ['prekill', 'shutdown delay'], 'no stop while the delay runs');
    s.elapse();
    assert.deepEqual(await done, { result: EXIT, killError: undefined });
    assert.deepEqual(t.calls, ['prekill', 'shutdown delay', 'stop task-1 5000 SIGINT']);
});
test('KillSequence: a task that exits during shutdown_delay is not stopped; the delay timer is released', async () => {
    const t = fakeTask();
    const s = manualSleep();
    const done = runKillSequence(input(t, s, { shutdownDelayMs: 3_000 }));
    await s.parked();
    const own = { exitCode: 7, signal: 0, oomKilled: false };
    t.exit(own);
    assert.deepEqual(await done, { result: own });
    assert.deepEqual(t.calls, ['prekill', 'shutdown delay']);
    assert.equal(s.pending[0]?.signal.aborted, true, 'the delay sleep was cancelled');
});
test('KillSequence: a failing StopTask is retried with backoff 100 ms ×4 up to 5 s, five times, then reported', async () => {
    const errs = Array.from({ length: 5 }, (_, i) => new Error(`stop failed ${i}`));
    const t = fakeTask(errs);
    const s = manualSleep();
    const done = runKillSequence(input(t, s));
    for (let i = 0; i < 5; i++) {
        await s.parked();
        s.elapse();
    }
    assert.deepEqual(s.asked, [100, 400, 1_600, 5_000, 5_000]);
    assert.equal(t.calls.filter((c) => c.startsWith('stop')).length, 5);
    await new Promise((r) => setImmediate(r)); // let the last backoff's continuation run (promises only, no time)
    t.exit(EXIT); // the task ends on its own after all
    assert.deepEqual(await done, { result: EXIT, killError: 'stop failed 4' });
});
test('KillSequence: a retry that succeeds clears the error; an exit during the backoff ends the sequence', async () => {
    const t = fakeTask([new Error('busy')]);
    const s = manualSleep();
    const done = runKillSequence(input(t, s));
    await s.parked();
    s.elapse();
    assert.deepEqual(await done, { result: EXIT, killError: undefined });
    assert.deepEqual(s.asked, [100]);
    const t2 = fakeTask([new Error('busy')]);
    const s2 = manualSleep();
    const done2 = runKillSequence(input(t2, s2));
    await s2.parked();
    t2.exit(EXIT);
    assert.deepEqual(await done2, { result: EXIT });
    assert.equal(t2.calls.filter((c) => c.startsWith('stop')).length, 1, 'no retry after the exit');
});
test('KillSequence: a task the driver no longer knows ends the sequence with no result', async () => {
    const t = fakeTask([new TaskNotFoundError('task-1')]);
    assert.deepEqual(await runKillSequence(input(t, manualSleep())), {});
});
test('KillSequence: agent shutdown stops the waiting and leaves the task alone', async () => {
    const ac = new AbortController();
    const t = fakeTask([new DroverError('internal', 'stuck')]);
    const s = manualSleep();
    const done = runKillSequence(input(t, s, { shutdown: ac.signal }));
    await s.parked();
    ac.abort();
    assert.deepEqual(await done, { killError: 'stuck' });
    assert.equal(t.calls.filter((c) => c.startsWith('stop')).length, 1);
});
test('KillSequence: agent shutdown during shutdown_delay leaves the task running', async () => {
    const ac = new AbortController();
    const t = fakeTask();
    const s = manualSleep();
    const done = runKillSequence(input(t, s, { shutdown: ac.signal, shutdownDelayMs: 3_000 }));
    await s.parked();
    ac.abort();
    assert.deepEqual(await done, {});
    assert.deepEqual(t.calls, ['prekill', 'shutdown delay'], 'never stopped');
});
//# sourceMappingURL=kill-sequence.test.js.map