/**
 * The host tools VM tests need, and installing the missing ones from Debian
 * when running as root with apt (what `make` does through
 * scripts/install-deps.sh); otherwise a reason to skip.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { lookPath } from '../qemu-host.js';
const run = promisify(execFile);
/** Tool → the Debian package that provides it. */
export const TOOL_PACKAGES = {
    'qemu-system-x86_64': 'qemu-system-x86',
    'qemu-img': 'qemu-utils',
    genisoimage: 'genisoimage',
    mformat: 'mtools',
    mcopy: 'mtools',
    syslinux: 'syslinux',
    'apt-get': 'apt',
    'dpkg-deb': 'dpkg',
    gzip: 'gzip',
};
/** Tools missing from PATH. */
export function missingTools(tools = Object.keys(TOOL_PACKAGES)) {
    return tools.filter((t) => lookPath(t) === undefined);
}
/**
 * Installs the packages of missing tools when root with apt-get; returns
 * undefined when everything is there afterwards, else why not.
 */
export async function ensureHostTools(log = () => { }) {
    let missing = missingTools();
    if (missing.length === 0)
        return undefined;
    const pkgs = [...new Set(missing.map((t) => TOOL_PACKAGES[t] ?? t))];
    if (process.getuid?.() !== 0 || lookPath('apt-get') === undefined) {
        return `missing ${missing.join(', ')} (Debian packages: ${pkgs.join(' ')}) and not root with apt-get to install them`;
    }
    log(`installing ${pkgs.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
        await run('apt-get', ['update', '-qq'], { env, maxBuffer: 64 * 1024 * 1024 });
        await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env, maxBuffer: 64 * 1024 * 1024 });
    }
    catch (err) {
        return `apt-get install ${pkgs.join(' ')} failed: ${err.message.split('\n')[0] ?? ''}`;
    }
    missing = missingTools();
    return missing.length === 0 ? undefined : `still missing after apt-get: ${missing.join(', ')}`;
}
//# sourceMappingURL=host-tools.js.map