/**
 * A small client for the QEMU Machine Protocol (QMP) over a unix socket:
 * greeting, qmp_capabilities, then commands answered in order and
 * asynchronous events. One JSON object per line (QEMU ends lines with \r\n).
 *
 * Why QMP rather than Nomad's human monitor (`-monitor`, "system_powerdown\n"):
 * QMP answers each command (so a failed powerdown is an error, not silence)
 * and lets recovery ask QEMU who it is and whether it runs (query-name,
 * query-status) before reattaching.
 */
import { connect } from 'node:net';
import { DroverError, ErrorCode } from '../../model/errors.js';
/** An error QEMU returned for a command ({"error": {"class", "desc"}}). */
export class QmpError extends DroverError {
    errorClass;
    constructor(errorClass, desc) {
        super(ErrorCode.internal, `QMP error ${errorClass}: ${desc}`);
        this.errorClass = errorClass;
    }
}
/** One negotiated QMP session. */
export class QmpClient {
    socket;
    pending = new Map();
    listeners = new Set();
    nextId = 1;
    buffer = '';
    greeted;
    closedError;
    /** Resolves when the socket closes (QEMU exited, or close() was called). */
    closed;
    constructor(socket) {
        this.socket = socket;
        this.closed = new Promise((resolve) => {
            socket.on('close', () => {
                this.closedError ??= new Error('QMP connection closed');
                for (const p of this.pending.values())
                    p.reject(this.closedError);
                this.pending.clear();
                this.greeted?.reject(this.closedError);
                resolve();
            });
        });
        socket.on('error', (err) => {
            // A reset when QEMU exits is just the connection closing; say so either way.
            this.closedError = new Error(`QMP connection closed: ${err.message}`, { cause: err });
        });
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => this.onData(chunk));
    }
    /** Connects to `path`, waits for the greeting and negotiates capabilities. */
    static async connect(path, opts = {}) {
        const deadline = Date.now() + (opts.timeoutMs ?? 0);
        for (;;) {
            opts.signal?.throwIfAborted();
            try {
                const socket = await openSocket(path);
                const client = new QmpClient(socket);
                try {
                    await client.handshake(opts.greetingTimeoutMs ?? 5_000);
                }
                catch (err) {
                    client.close();
                    throw err;
                }
                return client;
            }
            catch (err) {
                const code = err.code;
                const retryable = code === 'ENOENT' || code === 'ECONNREFUSED';
                if (!retryable || Date.now() >= deadline)
                    throw err;
                await new Promise((r) => setTimeout(r, 50));
            }
        }
    }
    /** Runs one command; resolves with its "return" value, rejects with QmpError. */
    execute(command, args) {
        if (this.closedError)
            return Promise.reject(this.closedError);
        const id = this.nextId++;
        const msg = JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id });
        return new Promise((resolve, reject) => {
            this.pending.set(id, { resolve: (v) => resolve(v), reject });
            this.socket.write(`${msg}\n`);
        });
    }
    /** Calls `cb` for every event until the returned function is called. */
    onEvent(cb) {
        this.listeners.add(cb);
        return () => this.listeners.delete(cb);
    }
    /** Closes the session (QEMU keeps running). */
    close() {
        this.socket.destroy();
    }
    async handshake(timeoutMs) {
        let timer;
        try {
            await new Promise((resolve, reject) => {
                this.greeted = { resolve, reject };
                timer = setTimeout(() => reject(new Error(`no QMP greeting within ${timeoutMs} ms (is another client connected?)`)), timeoutMs);
            });
        }
        finally {
            clearTimeout(timer);
        }
        await this.execute('qmp_capabilities');
    }
    onData(chunk) {
        this.buffer += chunk;
        let nl;
        while ((nl = this.buffer.indexOf('\n')) >= 0) {
            const line = this.buffer.slice(0, nl).trim();
            this.buffer = this.buffer.slice(nl + 1);
            if (line !== '')
                this.onMessage(line);
        }
    }
    onMessage(line) {
        let msg;
        try {
            msg = JSON.parse(line);
        }
        catch {
            return; // QEMU never sends partial JSON on a line; ignore anything else
        }
        if ('QMP' in msg) {
            this.greeted?.resolve(msg);
            this.greeted = undefined;
            return;
        }
        if (typeof msg['event'] === 'string') {
            const e = { event: msg['event'], ...(isRecord(msg['data']) ? { data: msg['data'] } : {}) };
            for (const cb of this.listeners)
                cb(e);
            return;
        }
        const id = typeof msg['id'] === 'number' ? msg['id'] : undefined;
        const p = id === undefined ? undefined : this.pending.get(id);
        if (!p || id === undefined)
            return;
        this.pending.delete(id);
        if ('error' in msg) {
            const e = isRecord(msg['error']) ? msg['error'] : {};
            const text = (v, dflt) => (typeof v === 'string' ? v : dflt);
            p.reject(new QmpError(text(e['class'], 'GenericError'), text(e['desc'], 'unknown error')));
        }
        else {
            p.resolve(msg['return']);
        }
    }
}
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function openSocket(path) {
    return new Promise((resolve, reject) => {
        const s = connect(path);
        s.once('connect', () => {
            s.removeListener('error', reject);
            resolve(s);
        });
        s.once('error', reject);
    });
}
/** Connects, runs one command and closes. */
export async function qmpOnce(path, command, args, opts = {}) {
    const c = await QmpClient.connect(path, opts);
    try {
        return await c.execute(command, args);
    }
    finally {
        c.close();
    }
}
//# sourceMappingURL=qmp.js.map