/** raw_exec as a conformance target: in process, and served by a plugin process. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RawExecDriver } from '../../drivers/raw-exec/driver.js';
import { silentLogger } from '../../model/logger.js';
import { loadExternalDriver } from '../client/supervisor.js';
import { installPluginShims } from '../install.js';
const sh = (script) => ({ command: '/bin/sh', args: ['-c', script] });
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const tasks = {
    run: ({ ms, exitCode = 0, stdout, marker }) => sh(`${marker ? `echo started >> ${q(marker)}; ` : ''}${stdout ? `printf %s ${q(stdout)}; ` : ''}sleep ${ms / 1000}; exit ${exitCode}`),
    // Ignores SIGTERM (its short sleeps die, the loop goes on): only the SIGKILL after the timeout ends it.
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
    // Memory comes from the task's cgroup, whose first samples may still read 0.
    statsMemory: false,
};
const pluginConfig = {
    invalid: { enabled: true, denied_host_uids: 'not-a-range' },
    valid: { enabled: true, denied_host_uids: '60000-60010' },
    check: (d) => assert.equal(d.capabilities().fsIsolation, 'none'),
};
/** raw_exec in this process, on its own executor data dir. */
export function inProcessRawExec() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dxr-'));
    return {
        name: 'raw_exec in process',
        driverName: 'raw_exec',
        tasks,
        pluginConfig,
        async open() {
            const driver = new RawExecDriver({ logger: silentLogger, now: Date.now }, { dataDir });
            await driver.setConfig({ pluginConfig: { enabled: true } });
            // Driver shutdown stops the executor daemon once its tasks are gone: no process outlives the tests.
            return { driver, dispose: () => driver.shutdown({}) };
        },
    };
}
/** raw_exec served by `drover plugin serve raw_exec -data-dir DIR`, launched from a plugin_dir shim. */
export function servedRawExec() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dxs-'));
    let shim;
    return {
        name: 'raw_exec served over go-plugin gRPC',
        driverName: 'raw_exec',
        tasks,
        pluginConfig,
        tasksSurvivePluginCrash: true,
        async open() {
            shim ??= installPluginShims(fs.mkdtempSync(path.join(os.tmpdir(), 'drover-plugin-dir-')), { drivers: ['raw_exec'] })[0];
            const ext = await loadExternalDriver({ path: shim, args: ['-data-dir', dataDir], logger: silentLogger, config: { enabled: true }, restart: { initialBackoffMs: 50 } });
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
//# sourceMappingURL=raw-exec-target.js.map