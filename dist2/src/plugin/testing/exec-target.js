/** exec as a conformance target: in process, and served by a plugin process (root with working isolation only). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecDriver } from '../../drivers/exec/driver.js';
import { silentLogger } from '../../model/logger.js';
import { loadExternalDriver } from '../client/supervisor.js';
import { installPluginShims } from '../install.js';
const sh = (script) => ({ command: '/bin/sh', args: ['-c', script] });
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
// Inside the chroot only chroot_env (/bin, /usr, …) and the task's own dirs exist, so tasks
// use nothing else; no host marker file either (tasksSurvivePluginCrash stays off: raw_exec's
// target proves run-once on the same executor path).
const tasks = {
    run: ({ ms, exitCode = 0, stdout }) => sh(`${stdout ? `printf %s ${q(stdout)}; ` : ''}sleep ${ms / 1000}; exit ${exitCode}`),
    // PID 1 of its namespace ignores SIGTERM anyway; only the SIGKILL after the timeout ends it.
    stubborn: {
        config: sh(`trap '' TERM INT; echo ready; while :; do sleep 0.05; done`),
        readyOutput: 'ready',
        timeoutMs: 300,
        minStopMs: 300,
        check: (r) => assert.equal(r.signal, 9),
    },
    invalid: { command: '/bin/true', no_such_option: true },
    exec: { config: sh('sleep 5'), cmd: ['/bin/echo', 'hi'], expect: /^hi\n$/ },
    streamingExec: { config: sh('sleep 5'), cmd: ['/bin/cat'], stdin: 'hello', expect: /^hello$/ },
    statsMemory: false,
};
const pluginConfig = {
    invalid: { default_pid_mode: 'sideways' },
    valid: { default_pid_mode: 'private' },
    check: (d) => assert.equal(d.capabilities().fsIsolation, 'chroot'),
};
/** exec in this process, on its own executor data dir. */
export function inProcessExec() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dxe-'));
    return {
        name: 'exec in process',
        driverName: 'exec',
        tasks,
        pluginConfig,
        async open() {
            const driver = new ExecDriver({ logger: silentLogger, now: Date.now }, { dataDir });
            await driver.setConfig({ pluginConfig: {} });
            return { driver, dispose: () => driver.shutdown({}) };
        },
    };
}
/** exec served by `drover plugin serve exec -data-dir DIR`, launched from a plugin_dir shim. */
export function servedExec() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dxes-'));
    let shim;
    return {
        name: 'exec served over go-plugin gRPC',
        driverName: 'exec',
        tasks,
        pluginConfig,
        async open() {
            shim ??= installPluginShims(fs.mkdtempSync(path.join(os.tmpdir(), 'drover-plugin-dir-')), { drivers: ['exec'] })[0];
            const ext = await loadExternalDriver({ path: shim, args: ['-data-dir', dataDir], logger: silentLogger, config: {}, restart: { initialBackoffMs: 50 } });
            return {
                driver: ext.driver,
                dispose: async () => {
                    await ext.driver.shutdown({}).catch(() => { });
                    await ext.kill();
                },
                crash: () => ext.driver.crash(),
                restarts: () => ext.restarts(),
                pid: () => ext.pid(),
                shutdown: () => ext.kill(),
            };
        },
    };
}
//# sourceMappingURL=exec-target.js.map