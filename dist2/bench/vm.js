/**
 * VM benchmark, through the qemu driver and the executor daemon as a job
 * would run: the test guest (vm-shared/guest) with 128 MiB of RAM.
 *  - StartTask → first byte of serial output (SeaBIOS), → the guest's init
 *    running ("drover-guest: booting"), → guest ready; with TCG and with KVM.
 *    KVM figures are NaN when /dev/kvm is absent, and the "ready" ones when
 *    KVM opens but does not boot the guest (the probe's reason is printed).
 *  - QEMU's own footprint once the guest is up: RSS and PSS of the QEMU
 *    process (guest RAM the guest touched + QEMU itself), and of a VM
 *    created paused (-S: QEMU's fixed cost, no guest memory touched yet).
 * Each VM gets a NoCloud seed as a CD-ROM, as a cloud image would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { QemuDriver } from '../src/drivers/qemu/driver.js';
import { silentLogger } from '../src/model/logger.js';
import { renderSeed } from '../src/drivers/vm-shared/cloud-init.js';
import { GUEST_PREFIX, GUEST_READY } from '../src/drivers/vm-shared/guest/init-script.js';
import { writeSeedIso } from '../src/drivers/vm-shared/seed-iso.js';
import { removeVmTaskDirs, taskLog, vmTaskConfig, vmTestEnv } from '../src/drivers/vm-shared/testing.js';
import { qmpOnce } from '../src/drivers/vm-shared/qmp.js';
import { readFootprint } from '../src/drivers/vm-shared/vm-stats.js';
const MiB = 2 ** 20;
let noted = false;
/** One round: a TCG boot and (when /dev/kvm opens) a KVM boot. */
export async function benchVm() {
    const env = await vmTestEnv();
    if (typeof env === 'string') {
        console.error(`vm bench skipped: ${env}`);
        return [];
    }
    if (!noted) {
        noted = true;
        console.error(`vm bench: KVM ${env.kvm.works ? 'boots the guest' : `does not boot the guest here (${env.kvm.reason})`}`);
    }
    const executorDir = mkdtempSync('/tmp/dxb-');
    const d = new QemuDriver({ logger: silentLogger, now: Date.now }, { dataDir: executorDir });
    await d.setConfig({ pluginConfig: { image_paths: [env.guest.dir] } });
    try {
        const pausedMiB = await paused(d, env);
        const tcg = await boot(d, env, 'tcg', true);
        const kvm = env.kvm.reason === '/dev/kvm cannot be opened' ? undefined : await boot(d, env, 'kvm', env.kvm.works);
        return [
            { name: 'TCG: StartTask → first serial output', value: tcg.firstOutputMs, unit: 'ms' },
            { name: 'TCG: StartTask → guest init running', value: tcg.initMs, unit: 'ms' },
            { name: 'TCG: StartTask → guest ready', value: tcg.readyMs, unit: 'ms' },
            { name: 'KVM: StartTask → first serial output', value: kvm?.firstOutputMs ?? NaN, unit: 'ms' },
            { name: 'KVM: StartTask → guest ready', value: kvm?.readyMs ?? NaN, unit: 'ms' },
            { name: 'QEMU RSS per VM, 128 MiB guest booted (TCG)', value: tcg.rssMiB, unit: 'MiB' },
            { name: 'QEMU PSS per VM, 128 MiB guest booted (TCG)', value: tcg.pssMiB, unit: 'MiB' },
            { name: 'QEMU RSS per VM, 128 MiB guest booted (KVM)', value: kvm?.rssMiB ?? NaN, unit: 'MiB' },
            { name: 'QEMU RSS per VM, 128 MiB guest created paused (-S)', value: pausedMiB.rss, unit: 'MiB' },
            { name: 'QEMU PSS per VM, 128 MiB guest created paused (-S)', value: pausedMiB.pss, unit: 'MiB' },
        ];
    }
    finally {
        await d.shutdown({});
        rmSync(executorDir, { recursive: true, force: true });
        removeVmTaskDirs();
    }
}
/** A task booting the test guest with a seed; `extraArgs` go to QEMU. */
async function guestTask(env, name, accelerator, extraArgs = []) {
    const probe = vmTaskConfig({ name, driverConfig: {} });
    const seed = join(probe.taskDir.localDir, 'seed.iso');
    await writeSeedIso(seed, renderSeed({ instanceId: name, hostname: name, runcmd: ['echo bench'], bootcmd: [], files: [] }));
    return vmTaskConfig({
        name,
        allocDir: probe.allocDir,
        driverConfig: {
            image_path: env.guest.qcow2Disk,
            accelerator,
            graceful_shutdown: true,
            args: ['-snapshot', '-drive', `file=${seed},if=ide,media=cdrom,readonly=on`, ...extraArgs],
        },
        resources: { memoryMb: 128, cores: 1 },
    });
}
/** RSS/PSS of a VM created paused, once QEMU answers QMP. */
async function paused(d, env) {
    const cfg = await guestTask(env, 'bench-paused', 'tcg', ['-S']);
    await d.startTask(cfg);
    try {
        const pid = Number((await d.inspectTask(cfg.id)).driverAttributes['pid']);
        await qmpOnce(join(cfg.taskDir.dir, 'qm.sock'), 'query-status', undefined, { timeoutMs: 10_000 });
        const fp = readFootprint(pid);
        return { rss: fp ? round(fp.rssBytes / MiB) : NaN, pss: fp ? round(fp.pssBytes / MiB) : NaN };
    }
    finally {
        await d.stopTask(cfg.id, 0, '');
        await d.destroyTask(cfg.id, true);
    }
}
/** Boots one VM and measures it; `expectBoot` false only waits for the first output. */
async function boot(d, env, accelerator, expectBoot) {
    const cfg = await guestTask(env, `bench-${accelerator}`, accelerator);
    const t0 = performance.now();
    await d.startTask(cfg);
    try {
        const firstOutputMs = await until(() => taskLog(cfg).length > 0, t0, 30_000);
        const initMs = expectBoot ? await until(() => taskLog(cfg).includes(GUEST_PREFIX), t0, env.bootTimeoutMs) : NaN;
        const readyMs = expectBoot ? await until(() => taskLog(cfg).includes(GUEST_READY), t0, env.bootTimeoutMs) : NaN;
        const pid = Number((await d.inspectTask(cfg.id)).driverAttributes['pid']);
        const fp = expectBoot ? readFootprint(pid) : undefined;
        return { firstOutputMs, initMs, readyMs, rssMiB: fp ? round(fp.rssBytes / MiB) : NaN, pssMiB: fp ? round(fp.pssBytes / MiB) : NaN };
    }
    finally {
        await d.stopTask(cfg.id, expectBoot ? 20_000 : 0, '');
        await d.destroyTask(cfg.id, true);
        rmSync(join(cfg.allocDir), { recursive: true, force: true });
    }
}
/** Polls `pred` every 5 ms; the ms since t0 when it turned true (NaN after `timeoutMs`). */
async function until(pred, t0, timeoutMs) {
    while (!pred()) {
        if (performance.now() - t0 > timeoutMs)
            return NaN;
        await new Promise((r) => setTimeout(r, 5));
    }
    return Math.round(performance.now() - t0);
}
function round(x) {
    return Math.round(x * 10) / 10;
}
//# sourceMappingURL=vm.js.map