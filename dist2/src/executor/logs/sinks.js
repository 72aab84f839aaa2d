/**
 * Where the executor copies a task stream: drover's rotated files, or a path
 * given by the host (a regular file, /dev/null, or a FIFO Nomad's logmon
 * reads). Sinks that are files can be rolled back to a recorded position,
 * which is what makes the copy exactly-once across a daemon crash.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RotatingWriter } from './rotating-writer.js';
import { isErrno } from '../../model/errors.js';
/** Opens the sink, first truncating away anything written after `rollbackTo` (a crash mid-copy). */
export function openSink(target, rollbackTo) {
    if (target.kind === 'rotate') {
        fs.mkdirSync(target.dir, { recursive: true });
        if (rollbackTo)
            rollbackRotated(target.dir, target.baseName, rollbackTo);
        return new RotateSink(new RotatingWriter(target));
    }
    let st;
    try {
        st = fs.statSync(target.path);
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            throw err;
        st = undefined;
    }
    if (st === undefined || st.isFile()) {
        if (rollbackTo && st !== undefined && st.size > rollbackTo.size)
            fs.truncateSync(target.path, rollbackTo.size);
        return new FileSink(fs.openSync(target.path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o644));
    }
    // O_RDWR on a FIFO never blocks or fails for want of a reader; O_NONBLOCK makes a full pipe an EAGAIN, not a hang.
    const flags = st.isFIFO() ? fs.constants.O_RDWR : fs.constants.O_WRONLY;
    return new StreamSink(fs.openSync(target.path, flags | fs.constants.O_NONBLOCK));
}
class RotateSink {
    w;
    constructor(w) {
        this.w = w;
    }
    write(chunk) {
        this.w.write(chunk);
        return chunk.length;
    }
    position() {
        return { index: this.w.currentIndex, size: this.w.currentSize };
    }
    close() {
        this.w.close();
    }
}
class FileSink {
    fd;
    size;
    constructor(fd) {
        this.fd = fd;
        this.size = fs.fstatSync(fd).size;
    }
    write(chunk) {
        let off = 0;
        while (off < chunk.length)
            off += fs.writeSync(this.fd, chunk, off, chunk.length - off);
        this.size += chunk.length;
        return chunk.length;
    }
    position() {
        return { index: 0, size: this.size };
    }
    close() {
        fs.closeSync(this.fd);
    }
}
class StreamSink {
    fd;
    constructor(fd) {
        this.fd = fd;
    }
    write(chunk) {
        try {
            return fs.writeSync(this.fd, chunk, 0, chunk.length);
        }
        catch (err) {
            if (err.code === 'EAGAIN')
                return 0;
            throw err;
        }
    }
    position() {
        return undefined;
    }
    close() {
        fs.closeSync(this.fd);
    }
}
/** Deletes rotated files newer than `pos.index` and truncates that one to `pos.size`. */
function rollbackRotated(dir, baseName, pos) {
    const prefix = `${baseName}.`;
    for (const name of fs.readdirSync(dir)) {
        if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length)))
            continue;
        const index = Number(name.slice(prefix.length));
        const file = path.join(dir, name);
        if (index > pos.index)
            fs.rmSync(file, { force: true });
        else if (index === pos.index && fs.statSync(file).size > pos.size)
            fs.truncateSync(file, pos.size);
    }
}
//# sourceMappingURL=sinks.js.map