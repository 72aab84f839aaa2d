/**
 * Test harness for raw_exec: TaskConfigs on real temp directories, a driver
 * with its own executor data dir, and a cleanup that force-destroys every
 * task and stops the daemon.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../model/logger.js';
import { RawExecDriver } from './driver.js';
let seq = 0;
/** Builds a harness; `enabled` is the plugin config's (default true). */
export async function rawExecHarness(pluginConfig = { enabled: true }, dataDir) {
    const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rx-'));
    const driver = new RawExecDriver({ logger: silentLogger, now: Date.now }, { dataDir: dir });
    await driver.setConfig({ pluginConfig });
    const started = [];
    return {
        driver,
        dataDir: dir,
        taskConfig(driverConfig, over = {}) {
            const name = over.name ?? `task${++seq}`;
            const allocId = `alloc-${process.pid}-${seq}`;
            const allocDir = path.join(dir, 'alloc', allocId);
            const logDir = path.join(allocDir, 'alloc', 'logs');
            const taskDir = path.join(allocDir, name);
            for (const d of [logDir, path.join(taskDir, 'local'), path.join(taskDir, 'secrets'), path.join(taskDir, 'tmp')])
                fs.mkdirSync(d, { recursive: true });
            const cfg = {
                id: `${allocId}/${name}/${Math.random().toString(16).slice(2, 10)}`,
                jobName: 'job',
                jobId: 'job',
                taskGroupName: 'group',
                name,
                namespace: 'default',
                nodeName: 'node',
                nodeId: 'node-1',
                allocId,
                env: { PATH: '/usr/bin:/bin', NOMAD_TASK_NAME: name },
                resources: { cpuShares: 100, cores: 0, memoryMb: 256, memoryMaxMb: 0 },
                user: '',
                allocDir,
                taskDir: { dir: taskDir, sharedAllocDir: path.join(allocDir, 'alloc'), logDir, localDir: path.join(taskDir, 'local'), secretsDir: path.join(taskDir, 'secrets'), tmpDir: path.join(taskDir, 'tmp') },
                stdoutPath: path.join(logDir, `${name}.stdout.0`),
                stderrPath: path.join(logDir, `${name}.stderr.0`),
                logRotation: { maxFiles: 5, maxFileSizeBytes: 1024 * 1024 },
                mounts: [],
                devices: [],
                driverConfig,
                ...over,
            };
            started.push(cfg.id);
            return cfg;
        },
        output(cfg, stream = 'stdout') {
            try {
                return fs.readFileSync(path.join(cfg.taskDir.logDir, `${cfg.name}.${stream}.0`), 'utf8');
            }
            catch {
                return '';
            }
        },
        async cleanup() {
            for (const id of started)
                await driver.destroyTask(id, true).catch(() => undefined);
            await driver.shutdown({});
            if (!dataDir)
                fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
//# sourceMappingURL=testing.js.map