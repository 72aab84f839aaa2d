/**
 * Unpacks zip archives with yauzl. Names are decoded and validated here (not
 * by yauzl) so every rejection reads the same; Unix modes in the external
 * attributes decide directories, symlinks and refused special files.
 */
import yauzl from 'yauzl';
/** Longest symlink target read from an entry: Linux's PATH_MAX. */
const MAX_LINK = 4096;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** Unpacks the zip at `file` into `writer`, in central-directory order. */
export async function unpackZip(file, writer) {
    let zip;
    try {
        // validateEntrySizes: a stream that inflates past its declared size fails (zip bombs lie).
        zip = await yauzl.openPromise(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
    }
    catch (err) {
        throw new Error(`invalid zip archive: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    try {
        if (zip.entryCount === 0)
            throw new Error('empty archive');
        for await (const entry of zip.eachEntry()) {
            const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
            // Only "made by Unix" entries carry a meaningful st_mode in the high 16 bits.
            const unixMode = entry.versionMadeBy >> 8 === 3 ? entry.externalFileAttributes >>> 16 : 0;
            const type = unixMode & S_IFMT;
            const mode = unixMode & 0o7777 || undefined;
            if (type === S_IFDIR || (type === 0 && name.endsWith('/'))) {
                await writer.dir(name, mode);
            }
            else if (type === S_IFLNK) {
                await writer.symlink(name, await readSmall(zip, entry, name));
            }
            else if (type === S_IFREG || type === 0) {
                if (entry.isEncrypted())
                    throw new Error(`zip entry "${name}" is encrypted`);
                await writer.file(name, await zip.openReadStreamPromise(entry), { mode, mtime: entry.getLastModDate() });
            }
            else {
                writer.reject(name, 'special file');
            }
        }
    }
    finally {
        zip.close();
    }
}
/** Reads a symlink entry's target (its content), refusing absurd lengths. */
async function readSmall(zip, entry, name) {
    if (entry.uncompressedSize > MAX_LINK)
        throw new Error(`zip entry "${name}": symlink target longer than ${MAX_LINK} bytes`);
    const chunks = [];
    for await (const c of await zip.openReadStreamPromise(entry))
        chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
}
//# sourceMappingURL=unpack-zip.js.map