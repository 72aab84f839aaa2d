/**
 * Does KVM really run the test guest here? /dev/kvm opening is not enough:
 * a nested or paravirtual KVM (this project's CI host runs kvm-pvm) can
 * accept the VM and then fail in the BIOS or hang in the kernel. The probe
 * boots the guest once with accel=kvm and waits for its first line; the
 * verdict is cached beside the guest, keyed by host kernel and QEMU.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { kvmAvailable } from '../qemu-host.js';
import { GUEST_PREFIX } from './init-script.js';
const PROBE_TIMEOUT_MS = 30_000;
/** Probes (or reads the cached verdict); `qemuVersion` keys the cache. */
export async function probeKvm(guest, qemuVersion) {
    if (!kvmAvailable())
        return { works: false, reason: '/dev/kvm cannot be opened' };
    const file = join(guest.dir, `kvm-probe-${release()}-${qemuVersion}.json`.replace(/[^A-Za-z0-9._-]/g, '_'));
    try {
        return JSON.parse(readFileSync(file, 'utf8'));
    }
    catch {
        // not probed yet
    }
    const verdict = await boot(guest);
    writeFileSync(file, JSON.stringify(verdict));
    return verdict;
}
function boot(guest) {
    return new Promise((resolve) => {
        const args = ['-machine', 'pc,accel=kvm', '-m', '128', '-nographic', '-nodefaults', '-serial', 'stdio', '-snapshot', '-drive', `file=${guest.qcow2Disk},if=virtio`];
        const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        let done = false;
        const finish = (v) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            child.kill('SIGKILL');
            resolve(v);
        };
        const timer = setTimeout(() => {
            const hint = err.split('\n').find((l) => /KVM|kvm|error/.test(l)) ?? 'no guest output';
            finish({ works: false, reason: `KVM opens but the guest did not boot within ${PROBE_TIMEOUT_MS / 1000} s (${hint.trim()})` });
        }, PROBE_TIMEOUT_MS);
        child.stdout.setEncoding('utf8').on('data', (c) => {
            out += c;
            if (out.includes(GUEST_PREFIX))
                finish({ works: true, reason: '' });
        });
        child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
        child.on('exit', (code) => finish({ works: false, reason: `QEMU with KVM exited (${code ?? 'signal'}): ${err.trim().split('\n').slice(-2).join(' ')}` }));
    });
}
//# sourceMappingURL=kvm-probe.js.map