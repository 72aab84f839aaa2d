import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../model/errors.js';
import { decodePluginConfig, decodeTaskConfig, emptyCommand } from './config.js';
test('decodeTaskConfig: defaults match Nomad (everything zero, no exec_command)', () => {
    const c = decodeTaskConfig({});
    assert.deepEqual(c, {
        command: emptyCommand,
        pluginExitAfterMs: 0,
        startError: '',
        startErrorRecoverable: false,
        startBlockForMs: 0,
        killAfterMs: 0,
        driverIp: '',
        driverAdvertise: false,
    });
});
test('decodeTaskConfig: every field, durations decoded to ms once', () => {
    const c = decodeTaskConfig({
        run_for: '1m30s',
        exit_code: 7,
        exit_signal: 9,
        exit_err_msg: 'the application crashed',
        signal_error: 'got signal',
        stdout_string: 'hello\n',
        stdout_repeat: 2,
        stdout_repeat_duration: '250ms',
        stderr_string: 'oops\n',
        stderr_repeat: 1,
        stderr_repeat_duration: '1s',
        kill_after: '3s',
        plugin_exit_after: '30s',
        start_block_for: '1.5s',
        start_error: 'boom',
        start_error_recoverable: true,
        driver_ip: '10.0.0.1',
        driver_advertise: true,
        driver_port_map: 'http:8080',
        exec_command: [{ run_for: '10ms', exit_code: 2, stdout_string: 'out', stderr_string: 'err' }],
    });
    assert.deepEqual(c.command, {
        runForMs: 90_000,
        exitCode: 7,
        exitSignal: 9,
        exitErrMsg: 'the application crashed',
        signalError: 'got signal',
        stdoutString: 'hello\n',
        stdoutRepeat: 2,
        stdoutRepeatMs: 250,
        stderrString: 'oops\n',
        stderrRepeat: 1,
        stderrRepeatMs: 1000,
    });
    assert.deepEqual(c.execCommand, { ...emptyCommand, runForMs: 10, exitCode: 2, stdoutString: 'out', stderrString: 'err' });
    assert.equal(c.killAfterMs, 3000);
    assert.equal(c.pluginExitAfterMs, 30_000);
    assert.equal(c.startBlockForMs, 1500);
    assert.equal(c.startError, 'boom');
    assert.equal(c.startErrorRecoverable, true);
    assert.equal(c.driverIp, '10.0.0.1');
    assert.equal(c.driverAdvertise, true);
    assert.deepEqual(c.driverPortMap, { label: 'http', port: 8080 });
});
test('decodeTaskConfig: an empty exec_command block is present; "" durations mean zero as in Nomad', () => {
    const c = decodeTaskConfig({ exec_command: [{ run_for: '' }], run_for: '', kill_after: '' });
    assert.deepEqual(c.execCommand, emptyCommand);
    assert.equal(c.command.runForMs, 0);
    assert.equal(c.killAfterMs, 0);
});
test('decodeTaskConfig: problems are reported with their field paths', () => {
    const err = (raw) => {
        try {
            decodeTaskConfig(raw);
        }
        catch (e) {
            assert.ok(e instanceof ValidationError);
            return e;
        }
        assert.fail('expected a ValidationError');
    };
    assert.equal(err({ run_for: '10' }).field, 'config.run_for');
    assert.match(err({ run_for: '10' }).message, /missing unit/);
    assert.equal(err({ run_fro: '1s' }).field, 'config.run_fro');
    assert.match(err({ run_fro: '1s' }).message, /did you mean "run_for"/);
    assert.equal(err({ exit_code: 1.5 }).field, 'config.exit_code');
    assert.equal(err({ stdout_repeat: -1 }).field, 'config.stdout_repeat');
    assert.equal(err({ exec_command: [{ run_for: 'x' }] }).field, 'config.exec_command.run_for');
    assert.equal(err({ driver_port_map: 'http' }).field, 'config.driver_port_map');
    assert.match(err({ driver_port_map: 'a:b:1' }).message, /malformed port map: "a:b:1"/);
    assert.match(err({ driver_port_map: 'http:x' }).message, /malformed port map/);
    assert.equal(err({ kill_after: '1s', plugin_exit_after: 'soon' }).field, 'config.plugin_exit_after');
    assert.equal(err({ run_for: 'x', exit_code: 'y' }).problems.length, 2);
});
test('decodePluginConfig: defaults, seconds, and fs_isolation checked by name', () => {
    assert.deepEqual(decodePluginConfig({}), { fsIsolation: 'none', shutdownPeriodicAfter: false, shutdownPeriodicDurationMs: 0 });
    assert.deepEqual(decodePluginConfig({ fs_isolation: 'image', shutdown_periodic_after: true, shutdown_periodic_duration: 2.5 }), {
        fsIsolation: 'image',
        shutdownPeriodicAfter: true,
        shutdownPeriodicDurationMs: 2500,
    });
    assert.throws(() => decodePluginConfig({ fs_isolation: 'jail' }), (e) => e instanceof ValidationError && e.field === 'config.fs_isolation' && /"none", "chroot", "image"/.test(e.message));
    assert.throws(() => decodePluginConfig({ shutdown_periodic_duration: -1 }), ValidationError);
    assert.throws(() => decodePluginConfig({ bogus: 1 }), ValidationError);
});
//# sourceMappingURL=config.test.js.map