/**
 * Where a mock task's stdout/stderr go: drover-rotated files, a plain file,
 * a FIFO (when a real Nomad client hosts the driver, its logmon reads one),
 * or an exec session's callbacks.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { RotatingWriter } from '../../executor/logs/rotating-writer.js';
import { after } from './timers.js';
/** Opens the task's real log stream: rotated files when the host asks the driver to rotate, else the given path. */
export function openTaskOutput(config, stream, onError) {
    if (config.logRotation) {
        const w = new RotatingWriter({
            dir: config.taskDir.logDir,
            baseName: `${config.name}.${stream}`,
            maxFiles: config.logRotation.maxFiles,
            maxFileSizeBytes: config.logRotation.maxFileSizeBytes,
        });
        return { write: (d) => w.write(d), close: () => w.close(), destroy: () => w.close() };
    }
    const file = stream === 'stdout' ? config.stdoutPath : config.stderrPath;
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFIFO())
        return new FifoSink(file, onError);
    return fileSink(file);
}
/** A sink that hands each chunk to a callback (exec sessions). */
export function callbackSink(cb) {
    return { write: cb, close() { }, destroy() { } };
}
function fileSink(file) {
    let fd = fs.openSync(file, 'a');
    const release = () => {
        if (fd < 0)
            return;
        fs.closeSync(fd);
        fd = -1;
    };
    return {
        write(data) {
            for (let off = 0; off < data.length;)
                off += fs.writeSync(fd, data, off, data.length - off);
        },
        close: release,
        destroy: release,
    };
}
const FIFO_RETRY_MIN_MS = 10;
const FIFO_RETRY_MAX_MS = 1000;
/**
 * Writes to a FIFO without ever blocking. Nomad's mock opens its FIFOs with a
 * blocking open that waits for the reader; in Node that would pin a libuv pool
 * thread (four of them stall every fs call), so the open is non-blocking and
 * retried with backoff while no reader is attached, holding output meanwhile.
 */
class FifoSink {
    file;
    onError;
    socket;
    pending = [];
    closing = false;
    released = false;
    retry;
    delayMs = FIFO_RETRY_MIN_MS;
    constructor(file, onError) {
        this.file = file;
        this.onError = onError;
        this.open();
    }
    write(data) {
        if (this.socket)
            this.socket.write(data);
        else
            this.pending.push(Buffer.from(data));
    }
    close() {
        this.closing = true;
        if (this.socket)
            this.socket.end();
        // Never opened and nothing to deliver: stop waiting for a reader.
        else if (this.pending.length === 0)
            this.destroy();
    }
    destroy() {
        this.released = true;
        this.retry?.();
        this.retry = undefined;
        this.pending = [];
        this.socket?.destroy();
    }
    open() {
        fs.open(this.file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK, (err, fd) => {
            if (this.released) {
                if (!err)
                    fs.close(fd, () => { });
                return;
            }
            if (err) {
                if (err.code === 'ENXIO') {
                    // No reader yet. Unref'd: waiting on a reader alone must not keep the process up.
                    this.retry = after(this.delayMs, () => this.open(), { unref: true });
                    this.delayMs = Math.min(this.delayMs * 2, FIFO_RETRY_MAX_MS);
                    return;
                }
                this.released = true;
                this.onError(err);
                return;
            }
            const socket = new net.Socket({ fd, readable: false, writable: true });
            socket.on('error', (e) => {
                if (!this.released)
                    this.onError(e);
            });
            this.socket = socket;
            for (const chunk of this.pending)
                socket.write(chunk);
            this.pending = [];
            if (this.closing)
                socket.end();
        });
    }
}
//# sourceMappingURL=output.js.map