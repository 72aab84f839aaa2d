/**
 * Finds a task's command the way Nomad's exec driver does (lookupTaskBin):
 * in /local, at the task root, in the task's mounts, then (bare names only)
 * in /usr/local/bin, /usr/bin and /bin of the chroot, never the agent's PATH.
 * The chroot does not exist yet, so task paths are mapped to host paths
 * through the binds that will make it.
 */
import { chmodSync, lstatSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { isErrno } from '../../model/errors.js';
const RESTRICTED_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];
/** Resolves `command`; throws Nomad's "file X not found under path" when absent. */
export function resolveTaskCommand(iso, command) {
    const candidates = ['/local', '/', ...iso.mounts.map((m) => m.taskPath)].map((dir) => posix.join('/', dir, command));
    if (!command.includes('/'))
        candidates.push(...RESTRICTED_PATH.map((dir) => posix.join(dir, command)));
    for (const taskPath of candidates) {
        const host = hostPathOf(iso, taskPath);
        if (isRegular(host.path)) {
            if (host.writable)
                makeExecutable(host.path);
            return { taskPath, hostPath: host.path };
        }
    }
    if (command.includes('/'))
        throw new Error(`file ${command} not found under path ${iso.root}`);
    throw new Error(`file ${command} not found under path`);
}
/** Where a chroot path will come from: the longest matching bind, else the task dir itself. */
export function hostPathOf(iso, taskPath) {
    let best = { prefix: '/', path: posix.join(iso.root, taskPath), writable: true };
    const consider = (inside, host, writable) => {
        const prefix = posix.join('/', inside);
        const under = taskPath === prefix || taskPath.startsWith(prefix === '/' ? '/' : `${prefix}/`);
        if (under && prefix.length > best.prefix.length)
            best = { prefix, path: posix.join(host, posix.relative(prefix, taskPath)), writable };
    };
    for (const [src, dst] of Object.entries(iso.chrootEnv))
        consider(dst, src, false);
    for (const m of iso.mounts)
        consider(m.taskPath, m.hostPath, !m.readonly);
    return { path: best.path, writable: best.writable };
}
function isRegular(path) {
    try {
        return statSync(path).isFile();
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ENOTDIR'))
            throw err;
        return false;
    }
}
/**
 * Nomad marks the task's own binaries executable (artifacts often lose the
 * bit). Only a plain file: chmod follows symlinks, and a task could plant
 * one in /local pointing at a host file.
 */
function makeExecutable(path) {
    const st = lstatSync(path);
    if (!st.isFile())
        return;
    const mode = st.mode & 0o7777;
    if ((mode & 0o111) !== 0o111)
        chmodSync(path, mode | 0o111);
}
//# sourceMappingURL=task-command.js.map