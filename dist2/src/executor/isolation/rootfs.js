/**
 * Host-side preparation before the namespace exists: mount points inside the
 * task dir (directories or empty files, as Nomad's chroot would have them),
 * refusing any symlink on the way so a task cannot redirect a later mount
 * onto the host, and the task's /dev.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { TASK_DEVICES } from './mount-plan.js';
import { isErrno } from '../../model/errors.js';
/** Type of a host path, following symlinks (for HostFacts.kind). */
export function pathKind(path) {
    try {
        return statSync(path).isDirectory() ? 'dir' : 'file';
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ENOTDIR'))
            throw err;
        return undefined;
    }
}
/** Creates every mount point the plan needs under `root`; throws on a symlink or a type clash. */
export function prepareMountPoints(root, entries) {
    for (const e of entries)
        if (e.prepare !== 'none')
            ensureUnder(root, e.target, e.prepare);
}
/**
 * Walks `target` from `root` one component at a time with lstat, creating
 * what is missing; a symlink anywhere below the root is refused (mount(8)
 * would follow it, possibly out of the task dir).
 */
function ensureUnder(root, target, kind) {
    const rel = relative(root, target);
    if (rel === '')
        return;
    if (rel.startsWith('..'))
        throw new Error(`mount target ${target} is outside the task root ${root}`);
    const parts = rel.split(sep);
    let path = root;
    parts.forEach((part, i) => {
        path = `${path}/${part}`;
        const last = i === parts.length - 1;
        const want = last ? kind : 'dir';
        let st;
        try {
            st = lstatSync(path);
        }
        catch (err) {
            if (!isErrno(err, 'ENOENT'))
                throw err;
            if (want === 'dir')
                mkdirSync(path, { mode: 0o755 });
            else
                closeSync(openSync(path, 'a', 0o644));
            return;
        }
        if (st.isSymbolicLink())
            throw new Error(`refusing to mount over symlink ${path} in the task dir`);
        if (want === 'dir' && !st.isDirectory())
            throw new Error(`mount point ${path} exists and is not a directory`);
        if (want === 'file' && st.isDirectory())
            throw new Error(`mount point ${path} is a directory but ${target} needs a file`);
    });
}
/**
 * Fills <root>/dev (idempotent): empty files the host devices are bound
 * over, dirs for pts/shm/mqueue, and the usual links. Bound read-only into
 * the task, so it stays what we made it. The ptmx link is made last: its
 * presence means the dir is complete and the per-launch cost is one lstat.
 */
export function ensureDevDir(root) {
    const dir = `${root}/dev`;
    if (exists(`${dir}/ptmx`))
        return;
    ensureUnder(root, dir, 'dir');
    for (const d of TASK_DEVICES)
        ensureUnder(root, `${dir}/${d}`, 'file');
    for (const d of ['pts', 'shm', 'mqueue'])
        ensureUnder(root, `${dir}/${d}`, 'dir');
    const links = [
        ['fd', '/proc/self/fd'],
        ['stdin', '/proc/self/fd/0'],
        ['stdout', '/proc/self/fd/1'],
        ['stderr', '/proc/self/fd/2'],
        ['ptmx', 'pts/ptmx'],
    ];
    for (const [name, to] of links) {
        try {
            symlinkSync(to, `${dir}/${name}`);
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err;
        }
    }
}
/** lstat-based existence (the skeleton's links dangle on the host). */
function exists(path) {
    try {
        lstatSync(path);
        return true;
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ENOTDIR'))
            throw err;
        return false;
    }
}
/** Mount points at or under `dir` as this process's mount namespace sees them. */
export function mountsUnder(dir, mountinfo = '/proc/self/mountinfo') {
    const prefix = dir.replace(/\/+$/, '');
    return readFileSync(mountinfo, 'utf8')
        .split('\n')
        .map((line) => unmangle(line.split(' ')[4] ?? ''))
        .filter((p) => p === prefix || p.startsWith(`${prefix}/`));
}
/**
 * Deletes a task root made for an isolated run, after checking that nothing
 * is mounted inside it here: a bind of /usr that leaked would otherwise be
 * emptied on the host by a recursive delete.
 */
export function removeIsolatedRoot(dir) {
    const mounted = mountsUnder(dir);
    if (mounted.length > 0)
        throw new Error(`refusing to delete ${dir}: still mounted at ${mounted.join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
}
function unmangle(s) {
    return s.replace(/\\([0-7]{3})/g, (_, oct) => String.fromCharCode(parseInt(oct, 8)));
}
//# sourceMappingURL=rootfs.js.map