import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../model/testing/manual-clock.js';
import { silentLogger } from '../../model/logger.js';
import { CommandRun, PLUGIN_SHUTDOWN_ERR } from './command.js';
import { emptyCommand } from './config.js';
/**
 * mock_driver's timing logic on a manual clock: every write and the exit are
 * recorded with the manual time they happened at, so the schedule is exact.
 */
function harness(command, opts = {}) {
    const clock = new ManualClock(1_000);
    const writes = [];
    const closed = [];
    let exit;
    const sink = (stream) => ({
        write: (d) => void writes.push({ stream, at: clock.now() - 1_000, text: Buffer.from(d).toString() }),
        close: () => void closed.push(stream),
        destroy: () => { },
    });
    const cmd = { ...emptyCommand, ...command };
    const run = new CommandRun({
        command: cmd,
        runForMs: cmd.runForMs,
        pluginExitAfterMs: 0,
        openStdout: () => sink('stdout'),
        openStderr: () => sink('stderr'),
        logger: silentLogger,
        onExit: (result) => {
            assert.equal(exit, undefined, 'onExit once');
            exit = { at: clock.now() - 1_000, result };
        },
        timers: clock,
        ...opts,
    });
    return { clock, run, writes, closed, exit: () => exit, at: (stream) => writes.filter((w) => w.stream === stream).map((w) => w.at) };
}
test('CommandRun: run_for ends the run exactly then, with the configured result', () => {
    const h = harness({ runForMs: 200, exitCode: 7, exitSignal: 9, exitErrMsg: 'the application crashed' });
    h.run.start();
    h.clock.advance(199);
    assert.equal(h.exit(), undefined);
    assert.equal(h.run.done, false);
    h.clock.advance(1);
    assert.deepEqual(h.exit(), { at: 200, result: { exitCode: 7, signal: 9, oomKilled: false, err: 'the application crashed' } });
    assert.equal(h.run.done, true);
    assert.equal(h.clock.pending(), 0, 'no timer left');
});
test('CommandRun: run_for 0 exits on the next turn, writes nothing, opens nothing', () => {
    const h = harness({}, { openStdout: () => assert.fail('opened stdout'), openStderr: () => assert.fail('opened stderr') });
    h.run.start();
    assert.equal(h.exit(), undefined, 'not synchronously');
    h.clock.advance(0);
    assert.deepEqual(h.exit(), { at: 0, result: { exitCode: 0, signal: 0, oomKilled: false } });
});
test('CommandRun: output once at start and `repeat` more times every repeat_duration; the exit waits for it', () => {
    const h = harness({ stdoutString: 'hello\n', stdoutRepeat: 3, stdoutRepeatMs: 60, stderrString: 'err!', stderrRepeat: 1, stderrRepeatMs: 20 });
    h.run.start();
    assert.deepEqual(h.writes.map((w) => w.text), ['hello\n', 'err!'], 'first writes are synchronous');
    h.clock.advance(1_000);
    assert.deepEqual(h.at('stdout'), [0, 60, 120, 180]);
    assert.deepEqual(h.at('stderr'), [0, 20]);
    assert.deepEqual(h.closed.sort(), ['stderr', 'stdout']);
    assert.equal(h.exit()?.at, 180, 'as Nomad: run_for 0 still waits for the output to finish');
});
test('CommandRun: repeats keep absolute deadlines when the loop fires them late (no drift)', () => {
    const h = harness({ stdoutString: 'x', stdoutRepeat: 5, stdoutRepeatMs: 40 });
    h.run.start();
    h.clock.jump(55); // the 40 ms write runs 15 ms late ...
    h.clock.jump(25); // ... yet the next is still due at 80, not 95
    h.clock.jump(100);
    h.clock.jump(40);
    assert.deepEqual(h.at('stdout'), [0, 55, 80, 180, 180, 220]);
    assert.equal(h.exit()?.at, 220);
});
test('CommandRun: run_for longer than the output keeps the run going', () => {
    const h = harness({ runForMs: 150, stdoutString: 'a' });
    h.run.start();
    h.clock.advance(149);
    assert.equal(h.exit(), undefined);
    h.clock.advance(1);
    assert.equal(h.exit()?.at, 150);
    assert.deepEqual(h.at('stdout'), [0]);
});
test('CommandRun: plugin_exit_after ends the run with "plugin is shut down" at that time', () => {
    const h = harness({ runForMs: 10_000, exitCode: 5 }, { pluginExitAfterMs: 120 });
    h.run.start();
    h.clock.advance(119);
    assert.equal(h.exit(), undefined);
    h.clock.advance(1);
    assert.deepEqual(h.exit(), { at: 120, result: { exitCode: 0, signal: 0, oomKilled: false, err: PLUGIN_SHUTDOWN_ERR } });
    assert.equal(h.clock.pending(), 0);
});
test('CommandRun: cancel ends at once with the configured result, stops output and clears every timer', () => {
    const h = harness({ runForMs: 10_000, exitCode: 3, exitSignal: 15, stdoutString: 'x', stdoutRepeat: 100, stdoutRepeatMs: 1_000 }, { pluginExitAfterMs: 5_000 });
    h.run.start();
    h.clock.advance(1_500);
    h.run.cancel();
    assert.deepEqual(h.exit(), { at: 1_500, result: { exitCode: 3, signal: 15, oomKilled: false } });
    assert.equal(h.clock.pending(), 0);
    h.clock.advance(10_000);
    assert.deepEqual(h.at('stdout'), [0, 1_000]);
});
//# sourceMappingURL=command.test.js.map