/**
 * The Debian programs isolation is built from, found by absolute path so a
 * task's PATH never decides which binary runs as root. All are tiny C tools
 * from essential packages: util-linux (unshare, nsenter, setpriv, setsid,
 * pivot_root), mount (mount, umount), coreutils (env, chroot), dash (sh).
 */
import { accessSync, constants } from 'node:fs';
import { isErrno } from '../../model/errors.js';
/** Debian package that ships each tool (for error messages and the install step). */
export const TOOL_PACKAGES = {
    sh: 'dash',
    env: 'coreutils',
    unshare: 'util-linux',
    nsenter: 'util-linux',
    setpriv: 'util-linux',
    setsid: 'util-linux',
    mount: 'mount',
    umount: 'mount',
    pivotRoot: 'util-linux',
    chroot: 'coreutils',
};
const NAMES = {
    sh: 'sh',
    env: 'env',
    unshare: 'unshare',
    nsenter: 'nsenter',
    setpriv: 'setpriv',
    setsid: 'setsid',
    mount: 'mount',
    umount: 'umount',
    pivotRoot: 'pivot_root',
    chroot: 'chroot',
};
// Merged-/usr first (Debian 12); the rest covers older layouts.
const DIRS = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'];
/** Finds every tool; throws naming the missing ones and their Debian packages. */
export function findTools(dirs = DIRS) {
    const found = {};
    const missing = [];
    for (const key of Object.keys(NAMES)) {
        const path = dirs.map((d) => `${d}/${NAMES[key]}`).find(isExecutable);
        if (path === undefined)
            missing.push(`${NAMES[key]} (Debian package ${TOOL_PACKAGES[key]})`);
        else
            found[key] = path;
    }
    if (missing.length > 0)
        throw new Error(`isolation tools not found: ${missing.join(', ')}`);
    return found;
}
function isExecutable(path) {
    try {
        accessSync(path, constants.X_OK);
        return true;
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'EACCES', 'ENOTDIR'))
            throw err;
        return false;
    }
}
//# sourceMappingURL=tools.js.map