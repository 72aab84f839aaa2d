/**
 * What the host offers for VMs: the qemu-system-* emulators on PATH, their
 * version, and whether KVM can be opened.
 */
import { execFile } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
const run = promisify(execFile);
/** Nomad's versionRegex. */
const VERSION_RE = /version (\d[.\d+]+)/;
/** The emulator used when a task names none (Nomad's default). */
export const DEFAULT_EMULATOR = 'x86_64';
/**
 * Emulator names ("x86_64", "aarch64") from the first PATH directory that
 * holds any qemu-system-* binary, filtered by `allowlist` when non-empty
 * (Nomad's findEmulators).
 */
export function findEmulators(allowlist, path = process.env['PATH'] ?? '') {
    for (const dir of path.split(delimiter)) {
        if (dir === '')
            continue;
        let names;
        try {
            names = readdirSync(dir).filter((n) => n.startsWith('qemu-system-'));
        }
        catch {
            continue;
        }
        if (names.length === 0)
            continue;
        return names
            .map((n) => n.slice('qemu-system-'.length))
            .filter((e) => allowlist.length === 0 || allowlist.includes(e))
            .sort();
    }
    return [];
}
/** The absolute, symlink-free path of `bin` on PATH; undefined when absent. */
export function lookPath(bin, path = process.env['PATH'] ?? '') {
    for (const dir of path.split(delimiter)) {
        if (dir === '')
            continue;
        const p = join(dir, bin);
        try {
            accessSync(p, constants.X_OK);
            return realpathSync(p);
        }
        catch {
            // not here
        }
    }
    return undefined;
}
/** "7.2.22" from `qemu-system-<emulator> --version`; throws with the reason. */
export async function qemuVersion(emulator) {
    const { stdout } = await run(`qemu-system-${emulator}`, ['--version']);
    const m = VERSION_RE.exec(stdout.trim());
    if (!m?.[1])
        throw new Error(`Failed to parse qemu version from ${stdout.trim()}`);
    return m[1];
}
/** libvirt's integer form of a version: major*1e6 + minor*1e3 + micro (7.2.22 → 7002022). */
export function versionNumber(v) {
    const [a = 0, b = 0, c = 0] = v.split('.').map((x) => Number.parseInt(x, 10) || 0);
    return a * 1_000_000 + b * 1_000 + c;
}
/**
 * Whether /dev/kvm can be opened read-write, the precondition for
 * accelerator "kvm". (A nested or paravirtual KVM may open and still fail
 * to run a given guest; the test suite probes that separately.)
 */
export function kvmAvailable(device = '/dev/kvm') {
    try {
        closeSync(openSync(device, 'r+'));
        return true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=qemu-host.js.map