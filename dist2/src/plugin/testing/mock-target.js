/** mock_driver as a conformance target: in process, and served by a plugin process. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MockDriver } from '../../drivers/mock/driver.js';
import { silentLogger } from '../../model/logger.js';
import { loadExternalDriver } from '../client/supervisor.js';
import { installPluginShims } from '../install.js';
const tasks = {
    run: ({ ms, exitCode = 0, stdout }) => ({ run_for: `${ms}ms`, exit_code: exitCode, ...(stdout ? { stdout_string: stdout } : {}) }),
    // mock_driver's stop waits kill_after, then kills; the exit is the configured one.
    stubborn: {
        config: { run_for: '10s', kill_after: '300ms', exit_signal: 9 },
        timeoutMs: 100,
        minStopMs: 300,
        check: (r) => assert.equal(r.signal, 9),
    },
    startError: (recoverable) => ({ start_error: 'mock start failure', start_error_recoverable: recoverable }),
    signalError: { run_for: '5s', signal_error: 'mock signal failure' },
    invalid: { run_for: '1s', no_such_option: true },
    exec: { config: { run_for: '5s' }, cmd: ['echo', 'hi'], expect: /^Exec\("web", \["echo" "hi"\]\)$/ },
    streamingExec: { config: { run_for: '5s', exec_command: [{ run_for: '10ms' }] }, cmd: ['showinput'], stdin: 'hello', expect: /TTY: false\nStdin:\nhello/ },
    statsMemory: true,
};
const pluginConfig = {
    invalid: { fs_isolation: 'bogus' },
    valid: { fs_isolation: 'chroot' },
    check: (d) => assert.equal(d.capabilities().fsIsolation, 'chroot'),
};
/** mock_driver in this process. */
export const inProcessMock = {
    name: 'mock_driver in process',
    driverName: 'mock_driver',
    tasks,
    pluginConfig,
    async open() {
        const driver = new MockDriver({ logger: silentLogger, now: Date.now });
        await driver.setConfig({ pluginConfig: {} });
        return { driver, dispose: async () => { } };
    },
};
/** mock_driver served by `drover plugin serve`, launched from a plugin_dir shim as Nomad launches it. */
export function servedMock() {
    let shim;
    return {
        name: 'mock_driver served over go-plugin gRPC',
        driverName: 'mock_driver',
        tasks,
        pluginConfig,
        async open() {
            shim ??= installPluginShims(fs.mkdtempSync(path.join(os.tmpdir(), 'drover-plugin-dir-')), { drivers: ['mock_driver'] })[0];
            const ext = await loadExternalDriver({ path: shim, logger: silentLogger, config: {}, restart: { initialBackoffMs: 50 } });
            return {
                driver: ext.driver,
                dispose: async () => void (await ext.kill()),
                crash: () => ext.driver.crash(),
                restarts: () => ext.restarts(),
                pid: () => ext.pid(),
                shutdown: () => ext.kill(),
            };
        },
    };
}
//# sourceMappingURL=mock-target.js.map