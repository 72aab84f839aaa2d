/**
 * qemu driver against real VMs: the test guest (Debian kernel + busybox,
 * see vm-shared/guest) booted from image_path, with its NoCloud seed passed
 * as a CD-ROM in args (Nomad's qemu has no cloud-init of its own).
 */
import { decodeExecutorState } from '../shared/executor-task.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { renderSeed } from '../vm-shared/cloud-init.js';
import { writeSeedIso } from '../vm-shared/seed-iso.js';
import { GUEST_READY, IGNORE_ACPI_CMD } from '../vm-shared/guest/init-script.js';
import { qemuProcesses, removeVmTaskDirs, startInChild, taskLog, vmTaskConfig, vmTestEnv, waitForLog } from '../vm-shared/testing.js';
import { KILL_GRACE_MS } from '../vm-shared/vm-task.js';
import { silentLogger } from '../../model/logger.js';
import { QemuDriver } from './driver.js';
let env;
let skip;
const executorDir = mkdtempSync('/tmp/dxq-');
const drivers = [];
const started = [];
/** Task id → alloc dir, which every QEMU command line of that task names. */
const allocOf = new Map();
before(async () => {
    const e = await vmTestEnv();
    if (typeof e === 'string') {
        skip = e;
        process.stderr.write(`# qemu VM tests skipped: ${e}\n`);
    }
    else
        env = e;
});
after(async () => {
    for (const { d, id } of started)
        await d.destroyTask(id, true).catch(() => undefined);
    for (const d of drivers)
        await d.shutdown({});
    const stray = started.flatMap(({ id }) => qemuProcesses(allocOf.get(id) ?? id));
    rmSync(executorDir, { recursive: true, force: true });
    removeVmTaskDirs();
    assert.deepEqual(stray, [], `QEMU processes left behind: ${stray.join(', ')}`);
});
function driver() {
    const d = new QemuDriver({ logger: silentLogger, now: Date.now }, { dataDir: executorDir });
    drivers.push(d);
    return d;
}
/** A task booting the test guest, with a seed ISO in its task dir carrying `cmds` and `hostname`. */
async function guestTask(e, o) {
    const probe = vmTaskConfig({ driverConfig: {} });
    const seed = join(probe.taskDir.localDir, 'seed.iso');
    await writeSeedIso(seed, renderSeed({ instanceId: o.hostname, hostname: o.hostname, runcmd: o.cmds, bootcmd: [], files: [] }));
    const cfg = vmTaskConfig({
        allocDir: probe.allocDir,
        driverConfig: {
            image_path: e.guest.qcow2Disk,
            accelerator: e.accelerator,
            graceful_shutdown: o.graceful ?? true,
            // -snapshot: writes go to a temp file, so parallel tests share the cached image safely.
            args: ['-snapshot', '-drive', `file=${seed},if=ide,media=cdrom,readonly=on`],
        },
    });
    allocOf.set(cfg.id, cfg.allocDir);
    return cfg;
}
function skipped(t) {
    if (skip !== undefined)
        t.skip(skip);
    return skip !== undefined;
}
test('qemu: the guest reports its hostname and cmds on the serial console; ACPI shutdown ends it with exit 0', async (t) => {
    if (skipped(t) || !env)
        return;
    const d = driver();
    await d.setConfig({ pluginConfig: { image_paths: [env.guest.dir] } });
    const cfg = await guestTask(env, { hostname: 'qemu-guest-1', cmds: ['echo "cmd says $((6 * 7))"'] });
    const { handle } = await d.startTask(cfg);
    started.push({ d, id: cfg.id });
    assert.equal(handle.state, 'running');
    const log = await waitForLog(cfg, GUEST_READY, env.bootTimeoutMs);
    assert.match(log, /drover-guest: hostname=qemu-guest-1/);
    assert.match(log, /^cmd says 42\r?$/m);
    const status = await d.inspectTask(cfg.id);
    assert.equal(status.state, 'running');
    assert.ok(Number(status.driverAttributes['pid']) > 0);
    for await (const s of d.taskStats(cfg.id, 100, {})) {
        assert.ok(s.memory.rss > 32 * 2 ** 20, `QEMU RSS ${s.memory.rss}`);
        break;
    }
    const killTimeoutMs = 20_000;
    const t0 = Date.now();
    await d.stopTask(cfg.id, killTimeoutMs, 'SIGINT');
    const elapsed = Date.now() - t0;
    const exit = await d.waitTask(cfg.id, {});
    assert.deepEqual(exit, { exitCode: 0, signal: 0, oomKilled: false });
    assert.ok(elapsed < killTimeoutMs, `graceful stop took ${elapsed} ms`);
    assert.match(taskLog(cfg), /power button pressed, powering off/);
    assert.equal((await d.inspectTask(cfg.id)).state, 'exited');
    await d.destroyTask(cfg.id, false);
    await assert.rejects(d.inspectTask(cfg.id), { code: 'task_not_found' });
});
test('qemu: a guest that ignores ACPI is killed after the kill timeout', async (t) => {
    if (skipped(t) || !env)
        return;
    const d = driver();
    await d.setConfig({ pluginConfig: { image_paths: [env.guest.dir] } });
    const cfg = await guestTask(env, { hostname: 'stubborn', cmds: [IGNORE_ACPI_CMD] });
    await d.startTask(cfg);
    started.push({ d, id: cfg.id });
    await waitForLog(cfg, GUEST_READY, env.bootTimeoutMs);
    const killTimeoutMs = 3_000;
    const t0 = Date.now();
    await d.stopTask(cfg.id, killTimeoutMs, '');
    const elapsed = Date.now() - t0;
    await d.waitTask(cfg.id, {});
    assert.ok(elapsed >= killTimeoutMs, `stopped after ${elapsed} ms, before the kill timeout`);
    assert.ok(elapsed < killTimeoutMs + KILL_GRACE_MS, `stopped after ${elapsed} ms`);
    assert.match(taskLog(cfg), /ignoring power button/);
    assert.doesNotMatch(taskLog(cfg), /powering off/);
    assert.match(taskLog(cfg, 'stderr'), /terminating on signal/);
});
test('qemu: after kill -9 of the driver process a new driver recovers the running VM and stops it', async (t) => {
    if (skipped(t) || !env)
        return;
    const cfg = await guestTask(env, { hostname: 'survivor', cmds: [] });
    const child = await startInChild(new URL('./driver.js', import.meta.url).href, 'QemuDriver', {
        executorDataDir: executorDir,
        pluginConfig: { image_paths: [env.guest.dir] },
        task: cfg,
    });
    const d = driver();
    started.push({ d, id: cfg.id });
    try {
        await waitForLog(cfg, GUEST_READY, env.bootTimeoutMs);
    }
    finally {
        child.child.kill('SIGKILL');
    }
    await new Promise((r) => child.child.once('exit', r));
    const pid = decodeExecutorState(child.handle.driverState).state.pid;
    assert.ok(qemuProcesses(cfg.allocDir).includes(pid), 'the VM died with the driver process');
    await d.setConfig({ pluginConfig: { image_paths: [env.guest.dir] } });
    await d.recoverTask(child.handle);
    const status = await d.inspectTask(cfg.id);
    assert.equal(status.state, 'running');
    assert.equal(status.driverAttributes['pid'], String(pid));
    await d.stopTask(cfg.id, 20_000, '');
    assert.deepEqual(await d.waitTask(cfg.id, {}), { exitCode: 0, signal: 0, oomKilled: false });
    assert.match(taskLog(cfg), /powering off/);
});
//# sourceMappingURL=driver.linux.test.js.map