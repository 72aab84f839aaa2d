/**
 * Builds the test guest from Debian packages only, and caches it:
 *
 *   apt-get download linux-image-<abi>-amd64 busybox-static
 *   dpkg-deb -x                  → vmlinuz, modules, busybox
 *   initrd.gz                    ← busybox + init-script.ts + the modules it needs (cpio newc, gzip)
 *   disk.raw                     ← FAT filesystem (mtools) with vmlinuz, initrd.gz and
 *                                  syslinux.cfg, made bootable by `syslinux --install`
 *   disk.qcow2                   ← qemu-img convert of disk.raw
 *
 * Why a bootable disk rather than -kernel/-initrd in args: the virt driver
 * boots images only, and a Nomad qemu job boots image_path; the same disk
 * serves both, exactly as a cloud image would. The FAT image needs no
 * partition table: SeaBIOS runs the syslinux boot sector directly.
 *
 * Cached under .cache/test-guest/<key>/, the key hashing the package
 * versions and the init script, so repeated runs reuse it; a lock directory
 * keeps parallel test files from building it twice.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, chmodSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DroverError, ErrorCode } from '../../../model/errors.js';
import { convertImage } from '../qemu-img.js';
import { ensureHostTools } from './host-tools.js';
import { initScript } from './init-script.js';
import { GUEST_MODULES, builtinModules, indexModules, resolveModules } from './modules.js';
const run = promisify(execFile);
/** Bumped when the build itself changes in a way the key would not see. */
const BUILDER_VERSION = 3;
const KERNEL_META = 'linux-image-amd64';
const BUSYBOX = 'busybox-static';
/** Kernel command line: serial console, quiet so boot is not slowed by printing. */
// no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer check can time out and panic the boot ("IO-APIC + timer doesn't work").
const KERNEL_APPEND = 'console=ttyS0 quiet no_timer_check';
/** Thrown when no guest can be had here; the message is the reason to skip. */
export class GuestUnavailableError extends DroverError {
    constructor(reason) {
        super(ErrorCode.unavailable, reason);
    }
}
/** Returns the cached guest for the current package versions, building it first if needed. */
export async function ensureTestGuest(opts = {}) {
    const log = opts.log ?? (() => { });
    const root = resolve(opts.cacheRoot ?? process.env['DROVER_TEST_GUEST_DIR'] ?? join(process.cwd(), '.cache', 'test-guest'));
    const missing = await ensureHostTools(log);
    if (missing !== undefined)
        throw new GuestUnavailableError(missing);
    const packages = await resolvePackages(log);
    const key = createHash('sha256')
        .update(JSON.stringify({ BUILDER_VERSION, packages, init: initScript(GUEST_MODULES), KERNEL_APPEND }))
        .digest('hex')
        .slice(0, 16);
    const dir = join(root, key);
    const cached = readManifest(dir);
    if (cached)
        return cached;
    mkdirSync(root, { recursive: true });
    const unlock = await lock(join(root, `${key}.lock`));
    try {
        const again = readManifest(dir);
        if (again)
            return again;
        const tmp = join(root, `${key}.build-${process.pid}`);
        rmSync(tmp, { recursive: true, force: true });
        mkdirSync(tmp, { recursive: true });
        log(`building test guest ${key} from ${Object.entries(packages).map(([p, v]) => `${p}=${v}`).join(' ')}`);
        await build(tmp, packages);
        writeFileSync(join(tmp, 'manifest.json'), JSON.stringify({ packages }, null, 2));
        rmSync(dir, { recursive: true, force: true });
        renameSync(tmp, dir);
        const built = readManifest(dir);
        if (!built)
            throw new Error(`test guest build in ${dir} left no manifest`);
        return built;
    }
    finally {
        unlock();
    }
}
function readManifest(dir) {
    try {
        const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
        return { dir, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.gz'), rawDisk: join(dir, 'disk.raw'), qcow2Disk: join(dir, 'disk.qcow2'), packages: m.packages };
    }
    catch {
        return undefined;
    }
}
/** The kernel package behind linux-image-amd64 and busybox-static, with their candidate versions. */
async function resolvePackages(log) {
    let meta;
    try {
        meta = await aptShow(KERNEL_META);
    }
    catch {
        if (process.getuid?.() !== 0)
            throw new GuestUnavailableError(`apt-cache knows no ${KERNEL_META} (run apt-get update as root)`);
        log('apt-get update (no package lists)');
        await run('apt-get', ['update', '-qq']);
        meta = await aptShow(KERNEL_META);
    }
    const kernel = /^Depends:.*?\b(linux-image-[0-9][^\s,]*)/m.exec(meta)?.[1];
    if (!kernel)
        throw new GuestUnavailableError(`cannot tell which kernel package ${KERNEL_META} depends on`);
    const out = {};
    for (const p of [kernel, BUSYBOX])
        out[p] = fieldOf(await aptShow(p), 'Version');
    return out;
}
async function aptShow(pkg) {
    const { stdout } = await run('apt-cache', ['show', '--no-all-versions', pkg], { maxBuffer: 16 * 1024 * 1024 });
    if (stdout.trim() === '')
        throw new Error(`apt-cache show ${pkg}: nothing`);
    return stdout;
}
function fieldOf(control, field) {
    const v = new RegExp(`^${field}: (.+)$`, 'm').exec(control)?.[1];
    if (!v)
        throw new Error(`no ${field} in package record`);
    return v.trim();
}
async function build(dir, packages) {
    const debs = join(dir, 'debs');
    mkdirSync(debs);
    try {
        await run('apt-get', ['download', ...Object.entries(packages).map(([p, v]) => `${p}=${v}`)], { cwd: debs, maxBuffer: 16 * 1024 * 1024 });
    }
    catch (err) {
        throw new GuestUnavailableError(`apt-get download failed: ${(err.stderr ?? err.message).trim()}`);
    }
    const x = join(dir, 'x');
    for (const deb of readdirSync(debs))
        await run('dpkg-deb', ['-x', join(debs, deb), x]);
    const vmlinuz = readdirSync(join(x, 'boot')).find((f) => f.startsWith('vmlinuz-'));
    if (!vmlinuz)
        throw new Error('no vmlinuz in the kernel package');
    const kver = vmlinuz.slice('vmlinuz-'.length);
    copyFileSync(join(x, 'boot', vmlinuz), join(dir, 'vmlinuz'));
    const modDir = join(x, 'lib', 'modules', kver);
    const builtin = builtinModules(readIfExists(join(modDir, 'modules.builtin')));
    const modules = resolveModules(GUEST_MODULES, indexModules(join(modDir, 'kernel')), builtin);
    // The initramfs tree.
    const rootfs = join(dir, 'rootfs');
    const busybox = join(x, 'bin', 'busybox');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    mkdirSync(join(rootfs, 'lib', 'modules'), { recursive: true });
    copyFileSync(busybox, join(rootfs, 'bin', 'busybox'));
    chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
    for (const m of modules)
        copyFileSync(m.path, join(rootfs, 'lib', 'modules', `${m.name}.ko`));
    writeFileSync(join(rootfs, 'init'), initScript(modules.map((m) => m.name)), { mode: 0o755 });
    await cpioGzip(busybox, rootfs, join(dir, 'initrd.gz'));
    await bootDisk(dir);
    await convertImage(join(dir, 'disk.raw'), 'raw', join(dir, 'disk.qcow2'), 'qcow2');
    for (const d of ['debs', 'x', 'rootfs'])
        rmSync(join(dir, d), { recursive: true, force: true });
}
/** `find . | busybox cpio -o -H newc -R 0:0 | gzip -9`, with the package's own busybox. */
async function cpioGzip(busybox, rootfs, out) {
    const files = listTree(rootfs).join('\n');
    const script = `"$0" cpio -o -H newc -R 0:0 --renumber-inodes --ignore-devno 2>/dev/null | gzip -9 -n > "$1"`;
    await new Promise((res, rej) => {
        const child = execFile('/bin/sh', ['-c', script, busybox, out], { cwd: rootfs }, (err) => (err ? rej(new Error(err.message, { cause: err })) : res()));
        child.stdin?.end(`${files}\n`);
    });
    if (statSync(out).size < 1024)
        throw new Error('initramfs came out empty');
}
function listTree(root, rel = '.') {
    const out = [rel];
    const abs = join(root, rel);
    if (statSync(abs).isDirectory())
        for (const e of readdirSync(abs).sort())
            out.push(...listTree(root, `${rel}/${e}`));
    return out;
}
/** A FAT image holding the kernel, initramfs and syslinux.cfg, with syslinux's boot sector. */
async function bootDisk(dir) {
    const img = join(dir, 'disk.raw');
    const payload = statSync(join(dir, 'vmlinuz')).size + statSync(join(dir, 'initrd.gz')).size;
    const mib = Math.max(16, Math.ceil(payload / 2 ** 20) + 8);
    const cfg = ['DEFAULT linux', 'PROMPT 0', 'TIMEOUT 0', 'LABEL linux', '  KERNEL vmlinuz', '  INITRD initrd.gz', `  APPEND ${KERNEL_APPEND}`, ''].join('\n');
    writeFileSync(join(dir, 'syslinux.cfg'), cfg);
    // 64 heads × 32 sectors: a geometry every BIOS accepts; -C creates the file.
    await run('mformat', ['-i', img, '-C', '-T', String(mib * 2048), '-h', '64', '-s', '32', '-v', 'DROVERGUEST', '::']);
    await run('mcopy', ['-i', img, join(dir, 'vmlinuz'), join(dir, 'initrd.gz'), join(dir, 'syslinux.cfg'), '::/']);
    await run('syslinux', ['--install', img]);
}
function readIfExists(p) {
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
}
/** A directory lock shared by processes; waits for a holder, breaks one older than 15 minutes. */
async function lock(path) {
    for (;;) {
        try {
            mkdirSync(path);
            return () => rmSync(path, { recursive: true, force: true });
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err;
            try {
                if (Date.now() - statSync(path).mtimeMs > 15 * 60_000)
                    rmSync(path, { recursive: true, force: true });
            }
            catch {
                // released meanwhile
            }
            await new Promise((r) => setTimeout(r, 500));
        }
    }
}
//# sourceMappingURL=build.js.map