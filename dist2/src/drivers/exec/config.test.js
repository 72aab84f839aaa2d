import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../model/errors.js';
import { DEFAULT_CHROOT_ENV } from '../../executor/isolation/index.js';
import { decodePluginConfig, decodeTaskConfig } from './config.js';
import { NOMAD_DEFAULT_CAPS } from './capabilities.js';
function problem(fn) {
    try {
        fn();
    }
    catch (err) {
        assert.ok(err instanceof ValidationError, String(err));
        return { field: err.field, message: err.problems[0]?.message ?? '' };
    }
    throw new Error('expected a ValidationError');
}
test('plugin config defaults are Nomad\'s (plus drover\'s chroot_env and pids_limit)', () => {
    const c = decodePluginConfig({});
    assert.equal(c.noPivotRoot, false);
    assert.equal(c.defaultPidMode, 'private');
    assert.equal(c.defaultIpcMode, 'private');
    assert.deepEqual(c.allowCaps, NOMAD_DEFAULT_CAPS);
    assert.deepEqual(c.chrootEnv, DEFAULT_CHROOT_ENV);
    assert.equal(c.pidsLimit, 0);
});
test('plugin config errors name the field with Nomad\'s messages', () => {
    assert.deepEqual(problem(() => decodePluginConfig({ default_pid_mode: 'shared' })), {
        field: 'config.default_pid_mode',
        message: 'default_pid_mode must be "private" or "host", got "shared"',
    });
    assert.equal(problem(() => decodePluginConfig({ allow_caps: ['chown', 'warp'] })).message, 'allow_caps configured with capabilities not supported by system: warp');
    assert.equal(problem(() => decodePluginConfig({ denied_host_uids: 'a-b' })).field, 'config.denied_host_uids');
    assert.equal(problem(() => decodePluginConfig({ pids_limit: -1 })).field, 'config.pids_limit');
    assert.equal(problem(() => decodePluginConfig({ no_pivot: true })).field, 'config.no_pivot');
});
test('task config: Nomad\'s fields and validation', () => {
    const t = decodeTaskConfig({ command: '/bin/sleep', args: ['1'], pid_mode: 'host', cap_add: ['net_raw'], work_dir: '/local' });
    assert.deepEqual(t, { command: '/bin/sleep', args: ['1'], pidMode: 'host', ipcMode: '', capAdd: ['net_raw'], capDrop: [], workDir: '/local' });
    assert.equal(problem(() => decodeTaskConfig({})).field, 'config.command');
    assert.deepEqual(problem(() => decodeTaskConfig({ command: 'x', ipc_mode: 'none' })), { field: 'config.ipc_mode', message: 'ipc_mode must be "private" or "host", got "none"' });
    assert.deepEqual(problem(() => decodeTaskConfig({ command: 'x', cap_drop: ['nope'] })), { field: 'config.cap_drop', message: 'cap_drop configured with capabilities not supported by system: nope' });
    assert.deepEqual(problem(() => decodeTaskConfig({ command: 'x', work_dir: 'local' })), { field: 'config.work_dir', message: 'work_dir must be absolute but got relative path "local"' });
});
//# sourceMappingURL=config.test.js.map