/**
 * Local sources (file:// URLs and absolute paths). Nomad's getter runs under
 * landlock, which limits what it can read to the alloc dir plus configured
 * extra paths; drover enforces the same with an allowlist of roots checked
 * against the real path (symlinks resolved), and always copies: never links
 * the task's files to the host's.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isWithin } from './safe-path.js';
import { writeStreamToFile } from './write-file.js';
import { ignoreErrno } from '../../model/errors.js';
/** Resolves `path` and checks it lies under one of `roots`; returns the real path. */
export async function allowedLocalPath(path, roots) {
    const real = await realpath(path).catch((err) => {
        throw new Error(`source path error: ${err.code === 'ENOENT' ? `${path} does not exist` : err.message}`);
    });
    for (const root of roots) {
        const realRoot = await realpath(root).catch(ignoreErrno('ENOENT', 'ENOTDIR'));
        if (realRoot !== undefined && isWithin(realRoot, real))
            return real;
    }
    throw new Error(`local source ${path} is outside the directories artifacts may be read from`);
}
/** Whether the (allowed, real) path is a directory. */
export async function isLocalDir(realPath) {
    return (await stat(realPath)).isDirectory();
}
/** Copies one local file into the new file `dst`, hashing as it goes. */
export async function copyLocalFile(realPath, dst, opts) {
    if (!(await stat(realPath)).isFile())
        throw new Error(`source path must be a file: ${realPath}`);
    return writeStreamToFile(createReadStream(realPath), dst, opts);
}
/** Copies a local directory tree through the writer, which applies the archive rules (symlinks must stay inside). */
export async function copyLocalDir(realDir, writer, under = []) {
    for (const d of await readdir(join(realDir, ...under), { withFileTypes: true })) {
        const parts = [...under, d.name];
        const full = join(realDir, ...parts);
        const name = parts.join('/');
        if (d.isDirectory()) {
            await writer.dir(name, (await lstat(full)).mode);
            await copyLocalDir(realDir, writer, parts);
        }
        else if (d.isFile()) {
            const st = await lstat(full);
            await writer.file(name, createReadStream(full), { mode: st.mode, mtime: st.mtime });
        }
        else if (d.isSymbolicLink()) {
            await writer.symlink(name, await readlink(full));
        }
        else {
            writer.reject(name, 'special file');
        }
    }
}
//# sourceMappingURL=file.js.map