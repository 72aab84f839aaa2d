/**
 * Writes a NoCloud seed as an ISO 9660 image labelled "cidata" (Rock Ridge
 * and Joliet names, so "meta-data" keeps its name), the form cloud-init's
 * docs and nomad-driver-virt use; it is attached to the VM as a CD-ROM.
 * Made with genisoimage, or xorriso's mkisofs mode when only that is there
 * (both Debian packages).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
const run = promisify(execFile);
/** The volume label cloud-init's NoCloud datasource looks for. */
export const SEED_LABEL = 'cidata';
/** Writes `files` into a new ISO at `isoPath` (replacing it). */
export async function writeSeedIso(isoPath, files) {
    const staging = await mkdtemp(join(dirname(isoPath), '.seed-'));
    try {
        const names = Object.keys(files);
        for (const name of names)
            await writeFile(join(staging, name), files[name]);
        const args = ['-quiet', '-output', isoPath, '-volid', SEED_LABEL, '-joliet', '-rock', ...names.map((n) => join(staging, n))];
        await mkisofs(args);
    }
    finally {
        await rm(staging, { recursive: true, force: true });
    }
}
async function mkisofs(args) {
    const tools = [
        ['genisoimage', args],
        ['xorriso', ['-as', 'mkisofs', ...args]],
    ];
    let missing = 0;
    for (const [bin, argv] of tools) {
        try {
            await run(bin, argv);
            return;
        }
        catch (err) {
            const e = err;
            if (e.code === 'ENOENT') {
                missing++;
                continue;
            }
            throw new Error(`${bin} failed writing the cloud-init seed: ${(e.stderr ?? e.message).trim()}`);
        }
    }
    if (missing === tools.length)
        throw new Error('cannot write the cloud-init seed: neither genisoimage nor xorriso is installed (Debian package genisoimage)');
}
//# sourceMappingURL=seed-iso.js.map