/**
 * Plugin bridge benchmark (issue 5):
 *  - launch → handshake: spawning a plugin_dir shim (`drover plugin serve
 *    mock_driver`) until its handshake line, as Nomad's loader waits for it;
 *  - load: handshake + connect + health + PluginInfo + schemas + SetConfig;
 *  - StartTask round trip, p50/p99, mock_driver run_for "0s": in process vs
 *    over the plugin boundary (gRPC on a unix socket, codecs both ways).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MockDriver } from '../src/drivers/mock/driver.js';
import { silentLogger } from '../src/model/logger.js';
import { launchPlugin } from '../src/plugin/client/launch.js';
import { loadExternalDriver } from '../src/plugin/client/supervisor.js';
import { installPluginShims } from '../src/plugin/install.js';
import { testTaskConfig } from '../src/plugin/testing/task-config.js';
import { median, percentile } from './stats.js';
const LAUNCHES = 8;
const STARTS = 300;
/** Start latencies (ms) of `n` mock tasks, each waited for and destroyed untimed. */
async function startLatencies(d, n) {
    const configs = Array.from({ length: n }, () => testTaskConfig({ run_for: '0s' }));
    const out = [];
    for (const cfg of configs) {
        const t0 = performance.now();
        await d.startTask(cfg);
        out.push(performance.now() - t0);
        await d.waitTask(cfg.id, {});
        await d.destroyTask(cfg.id, false);
    }
    for (const cfg of configs)
        fs.rmSync(cfg.allocDir, { recursive: true, force: true });
    return out;
}
export async function benchPlugin() {
    const shim = installPluginShims(fs.mkdtempSync(path.join(os.tmpdir(), 'drover-bench-plugins-')), { drivers: ['mock_driver'] })[0];
    const handshakes = [];
    for (let i = 0; i < LAUNCHES; i++) {
        const p = await launchPlugin({ path: shim, logger: silentLogger });
        handshakes.push(p.handshakeMs);
        p.child.kill('SIGKILL');
        await p.exited;
    }
    const loads = [];
    for (let i = 0; i < LAUNCHES; i++) {
        const t0 = performance.now();
        const ext = await loadExternalDriver({ path: shim, logger: silentLogger });
        loads.push(performance.now() - t0);
        await ext.kill();
    }
    const local = new MockDriver({ logger: silentLogger, now: Date.now });
    await local.setConfig({ pluginConfig: {} });
    await startLatencies(local, 20); // warm-up
    const inProcess = await startLatencies(local, STARTS);
    const ext = await loadExternalDriver({ path: shim, logger: silentLogger });
    await startLatencies(ext.driver, 20);
    const remote = await startLatencies(ext.driver, STARTS);
    await ext.kill();
    const r = (x) => Math.round(x * 1000) / 1000;
    return [
        { name: 'plugin launch → handshake line (median)', value: r(median(handshakes)), unit: 'ms' },
        { name: 'plugin load: handshake+connect+info+SetConfig (median)', value: r(median(loads)), unit: 'ms' },
        { name: `StartTask in process p50 (mock run_for 0s, n=${STARTS})`, value: r(percentile(inProcess, 50)), unit: 'ms' },
        { name: `StartTask in process p99`, value: r(percentile(inProcess, 99)), unit: 'ms' },
        { name: `StartTask over the plugin boundary p50`, value: r(percentile(remote, 50)), unit: 'ms' },
        { name: `StartTask over the plugin boundary p99`, value: r(percentile(remote, 99)), unit: 'ms' },
    ];
}
//# sourceMappingURL=plugin.js.map