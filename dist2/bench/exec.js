/**
 * exec benchmark, root only.
 * Isolation alone (spawned straight from buildIsolatedLaunch as the daemon
 * does, no cgroup: the part any runtime would add):
 *  - /bin/true: launch → exit, p50/p99 over 100 (the whole setup + teardown).
 *  - sleep: launch → the task runs its program (it prints "up" just before
 *    exec'ing sleep), p50/p99 over 100 started one after another and left
 *    running; then the PSS of the per-task waiter (the dash script).
 *  - runc run /bin/true (when runc is installed) on an equivalent bundle, for reference.
 * Through the exec driver and the executor daemon (cgroup included):
 *  - startTask → resolved and startTask → "up" in the task's log, p50/p99 over 100 paced starts;
 *  - 100 startTasks at once: starts/s, and time until all 100 run;
 *  - daemon PSS idle and with 100 exec tasks.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutorClient } from '../src/executor/client.js';
import { buildIsolatedLaunch, DEFAULT_CHROOT_ENV, removeIsolatedRoot } from '../src/executor/isolation/index.js';
import { ExecDriver } from '../src/drivers/exec/driver.js';
import { execTaskConfig } from '../src/drivers/exec/testing.js';
import { silentLogger } from '../src/model/logger.js';
import { percentile } from './stats.js';
const N = Number(process.env.BENCH_EXEC_N ?? 100);
function spec(root, command, args) {
    return {
        taskId: root,
        command,
        args,
        env: { PATH: '/usr/bin:/bin' },
        cwd: '/',
        user: 'nobody',
        output: { kind: 'paths', stdoutPath: '/dev/null', stderrPath: '/dev/null' },
        resources: { cpuShares: 0, memoryMb: 0, memoryMaxMb: 0, pidsLimit: 0 },
        cgroup: false,
        isolation: {
            root,
            chrootEnv: DEFAULT_CHROOT_ENV,
            mounts: [{ hostPath: join(root, 'local'), taskPath: '/local', readonly: false }],
            pidMode: 'private',
            ipcMode: 'private',
            hostname: '',
            capabilities: ['chown', 'kill'],
            noPivotRoot: false,
        },
    };
}
function taskRoot(base, i) {
    const root = join(base, `t${i}`);
    mkdirSync(join(root, 'local'), { recursive: true });
    chmodSync(root, 0o755);
    return root;
}
async function launch(s, stdout) {
    const c = await buildIsolatedLaunch(s);
    return spawn(c.file, c.args, { env: s.env, detached: true, stdio: ['ignore', stdout, 'ignore'] });
}
function exited(child) {
    return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
function pssKiB(pid) {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : NaN;
}
async function benchTrue(base) {
    const times = [];
    const root = taskRoot(base, 0);
    for (let i = 0; i < N; i++) {
        const t0 = performance.now();
        const code = await exited(await launch(spec(root, '/bin/true', []), 'ignore'));
        if (code !== 0)
            throw new Error(`isolated /bin/true exited ${code}`);
        times.push(performance.now() - t0);
    }
    return times;
}
async function benchSleep(base) {
    const times = [];
    const children = [];
    for (let i = 0; i < N; i++) {
        const root = taskRoot(base, i + 1);
        const t0 = performance.now();
        const child = await launch(spec(root, '/bin/sh', ['-c', 'echo up; exec sleep 600']), 'pipe');
        await new Promise((resolve, reject) => {
            child.stdout?.once('data', () => resolve());
            child.once('exit', (code) => reject(new Error(`sleep task exited ${code}`)));
        });
        times.push(performance.now() - t0);
        child.stdout?.destroy();
        children.push(child);
    }
    const waiterPss = children.map((c) => pssKiB(c.pid));
    return { times, waiterPss, children };
}
function stopChildren(children) {
    return Promise.all(children.map((c) => {
        const done = exited(c);
        try {
            process.kill(-c.pid, 'SIGKILL');
        }
        catch {
            // already gone
        }
        return done;
    }));
}
function runcBundle(base) {
    if (spawnSync('runc', ['--version']).status !== 0)
        return undefined;
    const dir = join(base, 'runc');
    mkdirSync(join(dir, 'rootfs'), { recursive: true });
    if (spawnSync('runc', ['spec'], { cwd: dir }).status !== 0)
        return undefined;
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    cfg.process.terminal = false;
    cfg.process.args = ['/bin/true'];
    for (const p of ['/bin', '/etc', '/lib', '/lib64', '/sbin', '/usr'])
        cfg.mounts.push({ destination: p, type: 'bind', source: p, options: ['rbind', 'ro'] });
    cfg.linux.namespaces = cfg.linux.namespaces.filter((n) => ['pid', 'ipc', 'uts', 'mount'].includes(n.type));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
    return dir;
}
async function benchRunc(dir) {
    const times = [];
    for (let i = 0; i < N; i++) {
        const t0 = performance.now();
        const code = await exited(spawn('runc', ['run', `drover-bench-${process.pid}-${i}`], { cwd: dir, stdio: 'ignore' }));
        if (code !== 0)
            throw new Error(`runc run exited ${code}`);
        times.push(performance.now() - t0);
    }
    return times;
}
/** Polls a task's stdout log until it holds `text` (1 ms steps). */
async function logged(c, text) {
    for (;;) {
        try {
            if (readFileSync(c.stdoutPath, 'utf8').includes(text))
                return;
        }
        catch {
            // not created yet
        }
        await new Promise((r) => setTimeout(r, 1));
    }
}
async function benchDriver(base, ms, results) {
    const dataDir = join(base, 'data');
    const d = new ExecDriver({ logger: silentLogger, now: Date.now }, { dataDir });
    await d.setConfig({ pluginConfig: {} });
    const client = new ExecutorClient({ dataDir });
    const configs = [];
    const cfg = () => {
        const c = execTaskConfig({ command: '/bin/sh', args: ['-c', 'echo up; exec sleep 600'] }, { allocDir: join(base, `alloc${configs.length}`) });
        configs.push(c);
        return c;
    };
    const stopAll = async (cs) => {
        await Promise.all(cs.map((c) => d.stopTask(c.id, 0, 'SIGKILL').then(() => d.destroyTask(c.id, true))));
    };
    try {
        const warm = cfg(); // starts the daemon: not part of the figures
        await d.startTask(warm);
        await logged(warm, 'up');
        await stopAll([warm]);
        const daemonPid = (await client.status()).pid;
        const idlePss = pssKiB(daemonPid);
        const paced = [];
        const resolved = [];
        const running = [];
        for (let i = 0; i < N; i++) {
            const c = cfg();
            const t0 = performance.now();
            await d.startTask(c);
            resolved.push(performance.now() - t0);
            await logged(c, 'up');
            running.push(performance.now() - t0);
            paced.push(c);
        }
        ms(`driver startTask → resolved (n=${N}, paced)`, resolved);
        ms(`driver startTask → task running (n=${N}, paced)`, running);
        const busyPss = pssKiB(daemonPid);
        results.push({ name: 'executor daemon PSS idle', value: idlePss, unit: 'KiB' });
        results.push({ name: `executor daemon PSS per extra exec task (${N} running)`, value: Math.round((busyPss - idlePss) / N), unit: 'KiB' });
        await stopAll(paced);
        const burst = Array.from({ length: N }, cfg);
        const t0 = performance.now();
        await Promise.all(burst.map((c) => d.startTask(c)));
        const allStarted = performance.now() - t0;
        await Promise.all(burst.map((c) => logged(c, 'up')));
        const allRunning = performance.now() - t0;
        results.push({ name: `driver burst: ${N} startTask at once, starts/s`, value: Math.round((N / allStarted) * 1000), unit: '/s' });
        results.push({ name: `driver burst: all ${N} running after`, value: Math.round(allRunning), unit: 'ms' });
        await stopAll(burst);
    }
    finally {
        for (const c of configs)
            await d.destroyTask(c.id, true).catch(() => undefined);
        client.close();
        await d.shutdown({});
        for (const c of configs)
            removeIsolatedRoot(c.taskDir.dir);
    }
}
/** The suite's entry for bench/run.ts. */
export async function benchExec() {
    if (process.getuid?.() !== 0) {
        console.log('exec bench skipped: isolation needs root');
        return [];
    }
    const base = mkdtempSync(join(tmpdir(), 'drover-bench-exec-'));
    chmodSync(base, 0o755);
    const results = [];
    const ms = (name, xs) => {
        results.push({ name: `${name} p50`, value: percentile(xs, 50), unit: 'ms' }, { name: `${name} p99`, value: percentile(xs, 99), unit: 'ms' });
    };
    let children = [];
    try {
        ms(`isolated /bin/true launch→exit (n=${N})`, await benchTrue(base));
        const sleep = await benchSleep(base);
        children = sleep.children;
        ms(`isolated sleep launch→running (n=${N})`, sleep.times);
        results.push({ name: 'waiter (dash) PSS per task (median)', value: percentile(sleep.waiterPss, 50), unit: 'KiB' });
        const bundle = runcBundle(base);
        if (bundle)
            ms(`reference: runc run /bin/true (n=${N})`, await benchRunc(bundle));
        await stopChildren(children);
        children = [];
        await benchDriver(base, ms, results);
    }
    finally {
        await stopChildren(children);
        for (let i = 0; i <= N; i++)
            removeIsolatedRoot(join(base, `t${i}`));
        rmSync(base, { recursive: true, force: true });
    }
    return results;
}
//# sourceMappingURL=exec.js.map