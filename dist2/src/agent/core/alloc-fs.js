/**
 * Safe access to files under an allocation directory for the fs API. Paths
 * are relative to the alloc dir ("/" is its root, as in Nomad); a path that
 * leaves it, by `..` or through a symlink, is refused after resolving every
 * link (realpath), and task secrets/ dirs cannot be read.
 */
import { open, readdir, realpath, stat, lstat } from 'node:fs/promises';
import { dirname, join, relative, sep, isAbsolute } from 'node:path';
import { DroverError, isErrno } from '../../model/errors.js';
import { NotFoundError, PermissionDeniedError } from './errors.js';
/** Why a path was refused. */
export class PathEscapeError extends PermissionDeniedError {
    constructor() {
        super('Path escapes the alloc directory');
    }
}
/** Resolves `userPath` inside `allocDir` to a real path; throws PathEscapeError, NotFoundError or a 400. */
export async function resolveInAlloc(allocDir, userPath, opts = {}) {
    if (userPath.includes('\0'))
        throw new DroverError('validation', 'path: contains a NUL byte');
    const joined = join(allocDir, userPath);
    if (escapes(allocDir, joined))
        throw new PathEscapeError();
    let rootReal;
    let real;
    try {
        rootReal = await realpath(allocDir);
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ENOTDIR'))
            throw err;
        throw new NotFoundError('alloc directory does not exist');
    }
    try {
        real = await realpath(joined);
    }
    catch (err) {
        if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR')
            throw err;
        // Missing: still an escape if the nearest existing ancestor (links resolved) is outside,
        // or if the path itself is a dangling link.
        if (await lstat(joined).then(() => true, () => false))
            throw new PathEscapeError();
        if (escapes(rootReal, await nearestReal(joined)))
            throw new PathEscapeError();
        throw new NotFoundError(`stat ${userPath}: no such file or directory`);
    }
    if (escapes(rootReal, real))
        throw new PathEscapeError();
    if (opts.forRead && relative(rootReal, real).split(sep)[1] === 'secrets') {
        throw new PermissionDeniedError(`Reading secret file prohibited: ${userPath}`);
    }
    return real;
}
/** realpath of the longest existing prefix of `p`. */
async function nearestReal(p) {
    for (let cur = dirname(p);; cur = dirname(cur)) {
        try {
            return await realpath(cur);
        }
        catch (err) {
            if (!isErrno(err, 'ENOENT', 'ENOTDIR'))
                throw err;
            if (dirname(cur) === cur)
                return cur;
        }
    }
}
function escapes(root, p) {
    const rel = relative(root, p);
    return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
/** Nomad's AllocFileInfo for one path. */
export async function fileInfo(real, name) {
    const st = await stat(real);
    return {
        Name: name,
        IsDir: st.isDirectory(),
        Size: st.isDirectory() ? 4096 : st.size,
        FileMode: goFileMode(st),
        ModTime: st.mtime.toISOString(),
        ContentType: st.isDirectory() ? '' : await contentType(real, st),
    };
}
/** Lists a directory (Nomad's FileSystem.List). */
export async function listDir(real) {
    const st = await stat(real);
    if (!st.isDirectory())
        throw new DroverError('validation', 'path is not a directory');
    const names = (await readdir(real)).sort();
    const out = [];
    for (const n of names) {
        try {
            out.push(await fileInfo(join(real, n), n));
        }
        catch (err) {
            if (!isErrno(err, 'ENOENT'))
                throw err;
            // Vanished between readdir and stat (a rotated log): skip it.
        }
    }
    return out;
}
/** Go's os.FileMode.String(): "drwxr-xr-x", "-rw-r--r--". */
function goFileMode(st) {
    const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'L' : st.isFIFO() ? 'p' : st.isSocket() ? 'S' : st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'D' : '-';
    const bits = 'rwxrwxrwx';
    let perm = '';
    for (let i = 0; i < 9; i++)
        perm += st.mode & (1 << (8 - i)) ? bits[i] : '-';
    return kind + perm;
}
/** A small http.DetectContentType: text unless the first 512 bytes hold a NUL. */
async function contentType(real, st) {
    if (!st.isFile() || st.size === 0)
        return 'text/plain; charset=utf-8';
    const fh = await open(real, 'r');
    try {
        const buf = Buffer.alloc(Math.min(512, st.size));
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        return buf.subarray(0, bytesRead).includes(0) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
    }
    finally {
        await fh.close();
    }
}
//# sourceMappingURL=alloc-fs.js.map