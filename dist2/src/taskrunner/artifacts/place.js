/**
 * Moves a staged artifact into its destination. Staging happens on the same
 * filesystem, so each move is a rename: nothing is half-written at the
 * destination, and nothing existing there is ever followed if it is a symlink.
 */
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UnsafeEntryError, escapingSymlinks, isWithin, mkdirBeneath, symlinkStaysWithin } from './safe-path.js';
import { ignoreErrno } from '../../model/errors.js';
/** Splits `path` (inside `sandbox`) into components below it. */
function partsBelow(sandbox, path) {
    if (!isWithin(sandbox, path))
        throw new Error(`${path} is outside ${sandbox}`);
    return relative(sandbox, path).split(sep).filter((p) => p !== '');
}
/** Puts the staged regular file at `target`, replacing a file or symlink there (not a directory). */
export async function placeFile(sandbox, staged, target) {
    const parts = partsBelow(sandbox, target);
    if (parts.length === 0)
        throw new Error(`destination ${target} is a directory`);
    await mkdirBeneath(sandbox, parts.slice(0, -1), 0o755, parts.join('/'));
    const st = await lstat(target).catch(ignoreErrno('ENOENT'));
    if (st?.isDirectory())
        throw new Error(`destination ${target} is a directory; use mode "dir" or name a file`);
    await rename(staged, target);
}
/**
 * Merges the staged tree into the `dest` directory (Nomad's
 * mergeDirectories): real directories merge, anything else is replaced. Then
 * every symlink moved in is resolved again in its new place, since it now
 * sits beside what was there before; one that escapes is removed and fails.
 */
export async function mergeTree(sandbox, staged, dest) {
    const destParts = partsBelow(sandbox, dest);
    await mkdirBeneath(sandbox, destParts, 0o755, destParts.join('/') || '.');
    const moved = await mergeDir(staged, dest, []);
    for (const parts of moved) {
        const st = await lstat(join(dest, ...parts));
        const bad = st.isSymbolicLink() ? ((await symlinkStaysWithin(dest, parts)) ? [] : [parts.join('/')]) : st.isDirectory() ? await escapingSymlinks(dest, parts) : [];
        if (bad[0] !== undefined) {
            await Promise.all(bad.map((b) => rm(join(dest, b), { force: true })));
            throw new UnsafeEntryError(bad[0], 'symlink points outside the destination once merged with its existing contents');
        }
    }
}
/** Moves src/under/* into dst/under/*; returns what was moved as a whole. */
async function mergeDir(src, dst, under) {
    const moved = [];
    for (const d of await readdir(join(src, ...under), { withFileTypes: true })) {
        const parts = [...under, d.name];
        const to = join(dst, ...parts);
        const existing = await lstat(to).catch(ignoreErrno('ENOENT'));
        if (existing?.isDirectory() && d.isDirectory()) {
            moved.push(...(await mergeDir(src, dst, parts)));
            continue;
        }
        // rm on a symlink removes the link itself, never its target.
        if (existing)
            await rm(to, { recursive: true, force: true });
        await rename(join(src, ...parts), to);
        moved.push(parts);
    }
    return moved;
}
//# sourceMappingURL=place.js.map