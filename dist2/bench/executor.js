/**
 * Executor and raw_exec benchmarks (issue 3):
 *  - raw_exec submit→Started through the task runner: 100 `sleep 1000`
 *    allocs in a burst (starts/s) and paced one by one (p50/p99);
 *  - time for the raw_exec driver to start 100 and 300 `sleep` tasks at once;
 *  - executor daemon PSS (smaps_rollup) idle and with 10/100/300 tasks;
 *  - crash→restart: a task exiting 1 with restart delay 0, from its exit
 *    (as the daemon saw it) to the next start, through the task runner;
 *  - log throughput: 512 MiB written by one task, through the spool into
 *    rotated files (MiB/s until the last byte is in the logs), daemon peak RSS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutorClient } from '../src/executor/client.js';
import { RawExecDriver } from '../src/drivers/raw-exec/driver.js';
import { silentLogger } from '../src/model/logger.js';
import { AllocRunner } from '../src/taskrunner/alloc-runner.js';
import { MemoryStateStore } from '../src/taskrunner/state-store.js';
import { makeJob, makeTask } from '../src/taskrunner/testing.js';
import { percentile } from './stats.js';
const MiB = 1024 * 1024;
function tmp(prefix) {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
async function rawExec(dataDir) {
    const d = new RawExecDriver({ logger: silentLogger, now: Date.now }, { dataDir });
    await d.setConfig({ pluginConfig: { enabled: true } });
    return d;
}
/** Proportional set size of a process, KiB. */
function pssKiB(pid) {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : NaN;
}
/** Memory private to a process (USS: Private_Clean + Private_Dirty), KiB; unlike PSS it does not depend on how many other node processes share the binary. */
function ussKiB(pid) {
    const t = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const get = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(t)?.[1] ?? NaN);
    return get('Private_Clean') + get('Private_Dirty');
}
function hwmKiB(pid) {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
/** A bare TaskConfig for driver-level benchmarks. */
function taskConfig(root, driverConfig) {
    const name = `t${++seq}`;
    const allocDir = path.join(root, name);
    const logDir = path.join(allocDir, 'alloc', 'logs');
    const dir = path.join(allocDir, name);
    fs.mkdirSync(logDir, { recursive: true });
    fs.mkdirSync(dir, { recursive: true });
    return {
        id: `bench-${seq}/${name}/x`,
        jobName: 'bench',
        jobId: 'bench',
        taskGroupName: 'g',
        name,
        namespace: 'default',
        nodeName: 'n',
        nodeId: 'n',
        allocId: `bench-${seq}`,
        env: { PATH: '/usr/bin:/bin' },
        resources: { cpuShares: 100, cores: 0, memoryMb: 300, memoryMaxMb: 0 },
        user: '',
        allocDir,
        taskDir: { dir, sharedAllocDir: path.join(allocDir, 'alloc'), logDir, localDir: path.join(dir, 'local'), secretsDir: path.join(dir, 'secrets'), tmpDir: path.join(dir, 'tmp') },
        stdoutPath: path.join(logDir, `${name}.stdout.0`),
        stderrPath: path.join(logDir, `${name}.stderr.0`),
        logRotation: { maxFiles: 10, maxFileSizeBytes: 10 * MiB },
        mounts: [],
        devices: [],
        driverConfig,
    };
}
/** Daemon memory with 0/10/100/300 tasks and the time to start 100 and 300 at once. */
async function benchSupervision(results) {
    const dataDir = tmp('bx-');
    const d = await rawExec(dataDir);
    const client = new ExecutorClient({ dataDir });
    const pid = (await client.status()).pid;
    await sleep(500);
    const idle = pssKiB(pid);
    results.push({ name: 'executor daemon PSS idle', value: idle, unit: 'KiB' });
    const idleUss = ussKiB(pid);
    results.push({ name: 'executor daemon USS (private memory) idle', value: idleUss, unit: 'KiB' });
    const running = [];
    const pss = {};
    for (const n of [10, 100, 300]) {
        const cfgs = Array.from({ length: n - running.length }, () => taskConfig(dataDir, { command: '/bin/sleep', args: ['1000'] }));
        const t0 = performance.now();
        await Promise.all(cfgs.map((c) => d.startTask(c)));
        const ms = performance.now() - t0;
        running.push(...cfgs.map((c) => c.id));
        if (n === 100)
            results.push({ name: 'raw_exec: start 100 sleep tasks at once (0 → 100)', value: Math.round(ms), unit: 'ms' });
        await sleep(500);
        pss[n] = pssKiB(pid);
        results.push({ name: `executor daemon PSS with ${n} tasks`, value: pss[n], unit: 'KiB' });
    }
    results.push({ name: 'executor daemon PSS per extra task (300 vs idle)', value: Math.round((pss[300] - idle) / 300), unit: 'KiB' });
    results.push({ name: 'executor daemon USS with 300 tasks', value: ussKiB(pid), unit: 'KiB' });
    await Promise.all(running.map((id) => d.destroyTask(id, true)));
    // 300 from zero, on the warm daemon.
    const cfgs = Array.from({ length: 300 }, () => taskConfig(dataDir, { command: '/bin/sleep', args: ['1000'] }));
    const t0 = performance.now();
    await Promise.all(cfgs.map((c) => d.startTask(c)));
    results.push({ name: 'raw_exec: start 300 sleep tasks at once', value: Math.round(performance.now() - t0), unit: 'ms' });
    await Promise.all(cfgs.map((c) => d.destroyTask(c.id, true)));
    client.close();
    await d.shutdown({});
    fs.rmSync(dataDir, { recursive: true, force: true });
}
function allocRunner(dir, i, task, driver, store, onEvent, jobType = 'service') {
    const job = makeJob([task], { type: jobType });
    return new AllocRunner({
        alloc: { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, index: 0, dir: path.join(dir, String(i)), job, group: job.groups[0] },
        driver: () => driver,
        store,
        node: { id: 'n', name: 'n', datacenter: 'dc1', attributes: {} },
        validate: { userDenylist: [], checkedDrivers: [] },
        statsIntervalMs: 60_000,
        now: Date.now,
        random: Math.random,
        logger: silentLogger,
        onTaskUpdate: (_a, _t, _s, e) => {
            if (e)
                onEvent(e.type);
        },
    });
}
/** submit→Started through the task runner: a burst of 100 and 100 paced. */
async function benchSubmit(results) {
    const dataDir = tmp('bx-');
    const d = await rawExec(dataDir);
    const sleeper = makeTask('t', { command: '/bin/sleep', args: ['1000'] }, { driver: 'raw_exec' });
    const store = new MemoryStateStore();
    const runners = [];
    const runs = [];
    // Warm the daemon (first start spawns it).
    {
        let started;
        const up = new Promise((r) => (started = r));
        const a = allocRunner(dataDir, 10_000, sleeper, d, store, (t) => t === 'Started' && started());
        runners.push(a);
        runs.push(a.run());
        await up;
    }
    {
        let n = 0;
        let last = 0;
        const t0 = performance.now();
        const batch = Array.from({ length: 100 }, (_, i) => allocRunner(dataDir, i, sleeper, d, store, (t) => {
            if (t !== 'Started')
                return;
            n++;
            last = performance.now();
        }));
        runners.push(...batch);
        runs.push(...batch.map((a) => a.run()));
        while (n < 100)
            await sleep(2);
        results.push({ name: 'raw_exec burst (100 allocs, task runner): starts/s', value: Math.round(100 / ((last - t0) / 1000)), unit: 'starts/s' });
    }
    {
        const lat = [];
        for (let i = 0; i < 100; i++) {
            const t0 = performance.now();
            await new Promise((resolve) => {
                const a = allocRunner(dataDir, 1_000 + i, sleeper, d, store, (t) => {
                    if (t === 'Started') {
                        lat.push(performance.now() - t0);
                        resolve();
                    }
                });
                runners.push(a);
                runs.push(a.run());
            });
        }
        results.push({ name: 'raw_exec submit→Started p50 (100, paced)', value: percentile(lat, 50), unit: 'ms' });
        results.push({ name: 'raw_exec submit→Started p99 (100, paced)', value: percentile(lat, 99), unit: 'ms' });
    }
    await Promise.all(runners.map((a) => a.kill()));
    await Promise.all(runs);
    await d.shutdown({});
    fs.rmSync(dataDir, { recursive: true, force: true });
}
/** Exit → next start of a task exiting 1 with restart delay 0, from the daemon's own (sub-ms) timestamps. */
async function benchRestart(results) {
    const dataDir = tmp('bx-');
    const d = await rawExec(dataDir);
    const client = new ExecutorClient({ dataDir });
    const runs = [];
    // The task runner destroys each run after its exit: read the daemon's record of it first.
    const recording = new Proxy(d, {
        get(target, prop, receiver) {
            if (prop === 'destroyTask') {
                return async (id, force) => {
                    const info = await client.inspect(id);
                    runs.push({ startedAt: info.startedAt, completedAt: info.completedAt });
                    return target.destroyTask(id, force);
                };
            }
            const v = Reflect.get(target, prop, receiver);
            return typeof v === 'function' ? v.bind(target) : v;
        },
    });
    const RESTARTS = 60;
    const task = makeTask('crash', { command: '/bin/sh', args: ['-c', 'exit 1'] }, {
        driver: 'raw_exec',
        restart: { attempts: RESTARTS, intervalMs: 3_600_000, delayMs: 0, mode: 'fail' },
    });
    const a = allocRunner(dataDir, 1, task, recording, new MemoryStateStore(), () => undefined);
    await a.run();
    runs.sort((x, y) => x.startedAt - y.startedAt);
    const gaps = [];
    for (let i = 1; i < runs.length; i++)
        gaps.push(runs[i].startedAt - runs[i - 1].completedAt);
    results.push({ name: `crash→restart, delay 0 (${gaps.length} restarts) p50`, value: percentile(gaps, 50), unit: 'ms' });
    results.push({ name: `crash→restart, delay 0 (${gaps.length} restarts) p99`, value: percentile(gaps, 99), unit: 'ms' });
    client.close();
    await d.shutdown({});
    fs.rmSync(dataDir, { recursive: true, force: true });
}
/** 512 MiB through one task's stdout into rotated files. */
async function benchLogs(results) {
    const dataDir = tmp('bx-');
    const logs = path.join(dataDir, 'logs');
    fs.mkdirSync(logs);
    const client = new ExecutorClient({ dataDir });
    const pid = (await client.status()).pid;
    const total = 512 * MiB;
    const spec = {
        taskId: 'bench/logs/1',
        command: '/bin/dd',
        args: ['if=/dev/zero', 'bs=1M', `count=${total / MiB}`, 'status=none'],
        env: {},
        cwd: dataDir,
        user: '',
        output: { kind: 'rotate', dir: logs, taskName: 'big', maxFiles: 10, maxFileSizeBytes: 64 * MiB },
        resources: { cpuShares: 100, memoryMb: 0, memoryMaxMb: 0, pidsLimit: 0 },
        cgroup: false,
    };
    const t0 = performance.now();
    await client.launch(spec);
    await client.wait(spec.taskId);
    const secs = (performance.now() - t0) / 1000;
    const written = fs.readdirSync(logs).reduce((s, f) => s + fs.statSync(path.join(logs, f)).size, 0);
    if (written !== total)
        throw new Error(`log bench lost data: ${written} of ${total} bytes`);
    results.push({ name: 'log capture 512 MiB (dd bs=1M → rotated files)', value: Math.round(total / MiB / secs), unit: 'MiB/s' });
    results.push({ name: 'executor daemon peak RSS during log capture', value: Math.round(hwmKiB(pid) / 1024), unit: 'MiB' });
    await client.destroy(spec.taskId);
    await client.stopDaemonIfIdle();
    client.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
}
export async function benchExecutor() {
    const results = [];
    await benchSubmit(results);
    await benchSupervision(results);
    await benchRestart(results);
    await benchLogs(results);
    return results;
}
//# sourceMappingURL=executor.js.map