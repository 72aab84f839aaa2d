import { lstat, mkdir, readdir, readlink } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { DroverError, ErrorCode, ignoreErrno } from '../../model/errors.js';
/** An archive entry (or local file) that would land outside the destination or is of a forbidden kind. */
export class UnsafeEntryError extends DroverError {
    entry;
    constructor(entry, reason) {
        super(ErrorCode.validation, `unsafe entry "${entry}": ${reason}`);
        this.entry = entry;
    }
}
/** Whether absolute path `p` is `root` itself or below it (lexically). */
export function isWithin(root, p) {
    const rel = relative(root, p);
    return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
/**
 * Validates an archive entry name and returns its components: relative, no
 * `..`, no NUL. Leading "./" and empty components are dropped ("./a//b" → a/b).
 */
export function entryParts(name) {
    if (name.includes('\0'))
        throw new UnsafeEntryError(name, 'name contains a NUL byte');
    if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name))
        throw new UnsafeEntryError(name, 'absolute path');
    const parts = name.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
    if (parts.includes('..'))
        throw new UnsafeEntryError(name, "path contains '..'");
    return parts;
}
/**
 * Creates root/parts… as real directories. An existing symlink on the way is
 * an error, never followed: that is how "symlink to /etc, then a file through
 * it" is stopped. Returns the absolute path.
 */
export async function mkdirBeneath(root, parts, mode = 0o755, entry = parts.join('/')) {
    let cur = root;
    for (const part of parts) {
        cur = join(cur, part);
        const st = await lstat(cur).catch((err) => {
            if (err.code === 'ENOENT')
                return undefined;
            throw err;
        });
        if (st === undefined)
            await mkdir(cur, { mode });
        else if (st.isSymbolicLink())
            throw new UnsafeEntryError(entry, `path goes through the symlink "${relative(root, cur)}"`);
        else if (!st.isDirectory())
            throw new UnsafeEntryError(entry, `"${relative(root, cur)}" is not a directory`);
    }
    return cur;
}
/** lstat of root/parts… when every parent is a real directory; undefined when missing or reached through a symlink. */
export async function lstatBeneath(root, parts) {
    let cur = root;
    for (const [i, part] of parts.entries()) {
        cur = join(cur, part);
        const st = await lstat(cur).catch(ignoreErrno('ENOENT'));
        if (st === undefined || i === parts.length - 1)
            return st;
        if (!st.isDirectory())
            return undefined;
    }
    return undefined;
}
/**
 * Whether the symlink at root/linkParts resolves, following symlinks found
 * under root (as the kernel would), to a path beneath root. Absolute targets
 * and `..` above root fail. Missing components are taken lexically, so a
 * dangling link is judged by where it would point.
 */
export async function symlinkStaysWithin(root, linkParts) {
    const at = [...linkParts.slice(0, -1)];
    let pending = (await readlink(join(root, ...linkParts))).split('/');
    if (pending[0] === '')
        return false;
    for (let hops = 0; pending.length > 0;) {
        const c = pending.shift();
        if (c === '' || c === '.')
            continue;
        if (c === '..') {
            if (at.length === 0)
                return false;
            at.pop();
            continue;
        }
        at.push(c);
        const st = await lstat(join(root, ...at)).catch(ignoreErrno('ENOENT', 'ENOTDIR'));
        if (!st?.isSymbolicLink())
            continue;
        // Linux gives up after 40 links; so do we, and call it unsafe.
        if (++hops > 40)
            return false;
        const target = await readlink(join(root, ...at));
        if (target.startsWith('/'))
            return false;
        at.pop();
        pending = [...target.split('/'), ...pending];
    }
    return true;
}
/** Every symlink under root (relative paths) that resolves outside it. */
export async function escapingSymlinks(root, under = []) {
    const out = [];
    for (const d of await readdir(join(root, ...under), { withFileTypes: true })) {
        const parts = [...under, d.name];
        if (d.isSymbolicLink()) {
            if (!(await symlinkStaysWithin(root, parts)))
                out.push(parts.join('/'));
        }
        else if (d.isDirectory()) {
            out.push(...(await escapingSymlinks(root, parts)));
        }
    }
    return out;
}
//# sourceMappingURL=safe-path.js.map