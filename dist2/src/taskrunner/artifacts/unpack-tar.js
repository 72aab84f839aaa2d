/**
 * Unpacks tar, tar.gz/tgz (gzip is detected by node-tar) and, through the
 * Debian `bzip2`/`xz` binaries when present, tar.bz2/tar.xz. Entries are
 * handled one at a time by the TreeWriter, which refuses anything unsafe.
 */
import { spawn } from 'node:child_process';
import { createReadStream, openSync, closeSync } from 'node:fs';
import { Parser } from 'tar';
/** Streams the archive at `file` into `writer`; rejects on the first bad entry without reading further. */
export async function unpackTar(file, writer, filter) {
    const input = openInput(file, filter);
    const parser = new Parser({ strict: true });
    let failed = false;
    let chain = Promise.resolve();
    await new Promise((resolve, reject) => {
        const fail = (err) => {
            if (failed)
                return;
            failed = true;
            input.stream.destroy();
            reject(err);
        };
        // The parser emits the next entry only after this one has been consumed, so the chain stays in archive order.
        parser.on('entry', (entry) => {
            chain = chain
                .then(() => (failed ? undefined : writeEntry(entry, writer)))
                .catch(fail)
                .finally(() => entry.resume());
        });
        parser.on('error', (err) => fail(new Error(`invalid tar archive: ${err instanceof Error ? err.message : String(err)}`)));
        parser.on('end', () => void chain.then(() => input.done).then(resolve, fail));
        input.stream.on('error', fail);
        input.done.catch(fail);
        input.stream.pipe(parser);
    });
}
async function writeEntry(entry, writer) {
    const name = entry.path;
    switch (entry.type) {
        case 'File':
        case 'OldFile':
        case 'ContiguousFile':
            return writer.file(name, entry, { mode: entry.mode, mtime: entry.mtime });
        case 'Directory':
        case 'GNUDumpDir':
            return writer.dir(name, entry.mode);
        case 'SymbolicLink':
            return writer.symlink(name, entry.linkpath ?? '');
        case 'Link':
            return writer.hardlink(name, entry.linkpath ?? '');
        case 'CharacterDevice':
        case 'BlockDevice':
            return writer.reject(name, 'device');
        case 'FIFO':
            return writer.reject(name, 'FIFO');
        default:
            return writer.reject(name, `tar type ${entry.type}`);
    }
}
/** The archive bytes, decompressed by a child process for bzip2/xz; `done` settles when that child exits. */
function openInput(file, filter) {
    if (filter === 'none')
        return { stream: createReadStream(file), done: Promise.resolve() };
    const fd = openSync(file, 'r');
    const child = spawn(filter, ['-dc'], { stdio: [fd, 'pipe', 'pipe'] });
    closeSync(fd);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s) => (stderr = (stderr + s).slice(-1024)));
    const done = new Promise((resolve, reject) => {
        child.on('error', (err) => reject(new Error(err.code === 'ENOENT' ? `unpacking this archive needs the ${filter} binary, which is not installed` : `${filter}: ${err.message}`)));
        child.on('close', (code, sig) => (code === 0 || sig === 'SIGTERM' ? resolve() : reject(new Error(`${filter} failed (${sig ?? `exit status ${code}`}): ${stderr.trim()}`))));
    });
    // Killed when the unpack fails early, so the child does not keep decompressing.
    child.stdout.on('close', () => child.kill());
    return { stream: child.stdout, done };
}
//# sourceMappingURL=unpack-tar.js.map