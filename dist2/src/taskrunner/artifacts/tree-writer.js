/**
 * Writes an archive's (or a local directory's) entries into a fresh staging
 * directory, enforcing the sandbox rules on every entry and the
 * decompression limits (Nomad's decompression_file_count_limit and
 * decompression_size_limit) across the whole artifact.
 */
import { createWriteStream } from 'node:fs';
import { chmod, link, lstat, rm, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UnsafeEntryError, entryParts, escapingSymlinks, lstatBeneath, mkdirBeneath, symlinkStaysWithin } from './safe-path.js';
import { ignoreErrno } from '../../model/errors.js';
/** Masks setuid/setgid (Nomad's getter umask) and keeps the rest of the permission bits. */
const safeMode = (mode, fallback) => ((mode ?? fallback) & 0o1777) || fallback;
/** Writes validated entries under `root`; call finish() once all are written. */
export class TreeWriter {
    root;
    limits;
    files = 0;
    bytes = 0;
    dirModes = new Map();
    constructor(root, limits) {
        this.root = root;
        this.limits = limits;
    }
    /** A directory entry; its mode is applied at the end so children can still be written. */
    async dir(name, mode) {
        const parts = this.count(name);
        if (parts.length === 0)
            return;
        const path = await mkdirBeneath(this.root, parts, 0o755, name);
        if (mode !== undefined)
            this.dirModes.set(path, safeMode(mode, 0o755));
    }
    /** A regular file: a later entry of the same name replaces the earlier one (as tar does). */
    async file(name, data, opts = {}) {
        const { path } = await this.prepare(name);
        const limit = this.limits.maxBytes;
        const before = this.bytes;
        let written = 0;
        // Count the real bytes: declared sizes can lie (zip), and a stream has none.
        async function* counted(src) {
            for await (const chunk of src) {
                written += chunk.length;
                if (limit > 0 && before + written > limit)
                    throw new Error(`archive unpacks to more than the limit of ${limit} bytes`);
                yield chunk;
            }
        }
        // 'wx' is O_CREAT|O_EXCL: it never opens through a symlink planted at this name.
        await pipeline(data, counted, createWriteStream(path, { flags: 'wx', mode: safeMode(opts.mode, 0o644) }));
        this.bytes += written;
        // createWriteStream's mode is subject to the umask; the archive's bits are what the task expects.
        await chmod(path, safeMode(opts.mode, 0o644));
        if (opts.mtime && !Number.isNaN(opts.mtime.getTime()))
            await utimes(path, opts.mtime, opts.mtime);
    }
    /** A symlink: the target must be relative and resolve inside the root (checked again in finish()). */
    async symlink(name, target) {
        const { path, parts } = await this.prepare(name);
        if (target === '' || target.includes('\0'))
            throw new UnsafeEntryError(name, 'empty or invalid symlink target');
        if (target.startsWith('/'))
            throw new UnsafeEntryError(name, `symlink to the absolute path "${target}"`);
        await symlink(target, path);
        if (!(await symlinkStaysWithin(this.root, parts))) {
            await rm(path, { force: true });
            throw new UnsafeEntryError(name, `symlink to "${target}" points outside the destination`);
        }
    }
    /** A hard link to an earlier regular-file entry of the same archive. */
    async hardlink(name, target) {
        let targetParts;
        try {
            targetParts = entryParts(target);
        }
        catch {
            throw new UnsafeEntryError(name, `hard link to "${target}" points outside the destination`);
        }
        const targetPath = join(this.root, ...targetParts);
        // The target's parents must be real directories too, or the link could reach outside.
        const st = await lstatBeneath(this.root, targetParts);
        if (!st?.isFile())
            throw new UnsafeEntryError(name, `hard link target "${target}" is not a file extracted from this archive`);
        const { path } = await this.prepare(name);
        await link(targetPath, path);
    }
    /** Any other entry kind (devices, FIFOs, sockets): refused. */
    reject(name, kind) {
        throw new UnsafeEntryError(name, `${kind} entries are not allowed`);
    }
    /** Applies directory modes and re-checks every symlink now that the tree is complete. */
    async finish() {
        const escaping = await escapingSymlinks(this.root);
        if (escaping[0] !== undefined)
            throw new UnsafeEntryError(escaping[0], 'symlink points outside the destination');
        // Deepest first, so a read-only parent does not stop chmod of its children.
        for (const [path, mode] of [...this.dirModes].sort((a, b) => b[0].length - a[0].length))
            await chmod(path, mode);
    }
    count(name) {
        const parts = entryParts(name);
        this.files++;
        if (this.limits.maxFiles > 0 && this.files > this.limits.maxFiles)
            throw new Error(`archive contains more than ${this.limits.maxFiles} files`);
        return parts;
    }
    /** Validates the name, creates real parent dirs and clears whatever the name held (never following it). */
    async prepare(name) {
        const parts = this.count(name);
        if (parts.length === 0)
            throw new UnsafeEntryError(name, 'entry names the destination itself');
        await mkdirBeneath(this.root, parts.slice(0, -1), 0o755, name);
        const path = join(this.root, ...parts);
        const st = await lstat(path).catch(ignoreErrno('ENOENT'));
        if (st?.isDirectory())
            throw new UnsafeEntryError(name, 'a directory of that name already exists');
        if (st)
            await rm(path);
        return { path, parts };
    }
}
//# sourceMappingURL=tree-writer.js.map