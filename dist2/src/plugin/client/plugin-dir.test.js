import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../model/logger.js';
import { installPluginShims } from '../install.js';
import { testTaskConfig } from '../testing/task-config.js';
import { loadPluginDir } from './plugin-dir.js';
test('loadPluginDir: loads configured executables under their plugin names, skips the rest, reattaches', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-plugin-dir-'));
    installPluginShims(dir, { drivers: ['mock_driver'] });
    fs.writeFileSync(path.join(dir, 'README'), 'not a plugin');
    fs.writeFileSync(path.join(dir, 'unconfigured'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const res = await loadPluginDir({
        pluginDir: dir,
        plugins: { 'drover-driver-mock_driver': { config: { fs_isolation: 'chroot' } } },
        logger: silentLogger,
    });
    assert.deepEqual(Object.keys(res.errors), []);
    const ext = res.drivers.get('mock_driver');
    assert.ok(ext);
    assert.equal(ext.file, 'drover-driver-mock_driver');
    assert.equal(ext.driver.capabilities().fsIsolation, 'chroot');
    const cfg = testTaskConfig({ run_for: '400ms', exit_code: 2 });
    await ext.driver.startTask(cfg);
    // A new host adopts the running plugin from its reattach config, as Nomad after an agent restart.
    const rc = ext.reattachConfig();
    ext.detach();
    const again = await loadPluginDir({ pluginDir: dir, plugins: { 'drover-driver-mock_driver': {} }, logger: silentLogger, reattach: () => rc });
    const adopted = again.drivers.get('mock_driver');
    assert.equal(adopted?.pid(), ext.pid());
    assert.equal((await adopted?.driver.waitTask(cfg.id, {}))?.exitCode, 2);
    await adopted?.kill();
    assert.deepEqual((await loadPluginDir({ pluginDir: path.join(dir, 'missing'), plugins: {}, logger: silentLogger })).drivers.size, 0);
});
//# sourceMappingURL=plugin-dir.test.js.map