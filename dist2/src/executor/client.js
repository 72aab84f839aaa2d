import { Connection } from './client/connection.js';
import { daemonPaths } from './paths.js';
import { fromB64, toB64 } from './protocol.js';
/** A client for the executor daemon of one data dir. */
export class ExecutorClient {
    conn;
    /** The data dir, as given. */
    dataDir;
    constructor(opts) {
        this.dataDir = opts.dataDir;
        this.conn = new Connection(daemonPaths(opts.dataDir), opts);
    }
    /** Daemon version and protocol version. */
    version() {
        return this.call('version', {}, true);
    }
    /** Daemon pid, task counts and cgroup mode. */
    status() {
        return this.call('status', {}, true);
    }
    /** Starts a task; safe to retry with the same task id. */
    launch(spec) {
        return this.call('launch', { spec }, true, spec.taskId);
    }
    /** Resolves at the task's exit; rejects with an AbortError when `signal` aborts first. */
    wait(taskId, opts = {}) {
        const signal = opts.signal;
        if (signal?.aborted)
            return Promise.reject(abortError());
        const { id, result } = this.conn.request('wait', { taskId }, { retry: true, taskId });
        if (!signal)
            return result;
        return new Promise((resolve, reject) => {
            const onAbort = () => {
                this.conn.input(id, 'cancel');
                reject(abortError());
            };
            signal.addEventListener('abort', onAbort, { once: true });
            result.then((r) => {
                signal.removeEventListener('abort', onAbort);
                resolve(r);
            }, (e) => {
                signal.removeEventListener('abort', onAbort);
                reject(e);
            });
        });
    }
    /** Signal (default SIGINT) to the group, SIGKILL to the whole tree after graceMs; resolves once gone. */
    shutdown(taskId, signal, graceMs) {
        return this.call('shutdown', { taskId, signal, graceMs }, true, taskId);
    }
    /** New cgroup limits. */
    updateResources(taskId, resources) {
        return this.call('updateResources', { taskId, resources }, true, taskId);
    }
    /** One usage sample. */
    stats(taskId) {
        return this.call('stats', { taskId }, true, taskId);
    }
    /** Sends a signal ("SIGHUP") to the task. */
    signal(taskId, signal) {
        return this.call('signal', { taskId, signal }, false, taskId);
    }
    /** Runs a command in the task's context; `deadlineMs` is a Unix ms deadline (0: none). */
    async exec(taskId, deadlineMs, command, args) {
        const r = await this.call('exec', { taskId, deadlineMs, command, args }, false, taskId);
        return { output: fromB64(r.output), exitCode: r.exitCode };
    }
    /** Interactive exec: stdin and resizes flow to the daemon, output back through the callbacks. */
    async execStreaming(taskId, opts) {
        if (opts.signal?.aborted)
            throw abortError();
        const { id, result } = this.conn.request('execStreaming', { taskId, command: opts.command, tty: opts.tty }, {
            retry: false,
            taskId,
            onEvent: (ev, data) => (ev === 'stdout' ? opts.stdout : opts.stderr)(fromB64(data)),
        });
        let finished = false;
        const settled = result.finally(() => {
            finished = true;
        });
        settled.catch(() => undefined);
        if (opts.stdin)
            void forward(opts.stdin, () => finished, (b) => this.conn.input(id, 'stdin', toB64(b)), () => this.conn.input(id, 'stdin-end'));
        if (opts.resize)
            void forward(opts.resize, () => finished, (s) => this.conn.input(id, 'resize', { height: s.height, width: s.width }), () => undefined);
        if (!opts.signal)
            return settled;
        const signal = opts.signal;
        return new Promise((resolve, reject) => {
            const onAbort = () => {
                this.conn.input(id, 'cancel');
                reject(abortError());
            };
            signal.addEventListener('abort', onAbort, { once: true });
            settled.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
        });
    }
    /** State and exit of a task. */
    inspect(taskId) {
        return this.call('inspect', { taskId }, true, taskId);
    }
    /** Forgets an exited task (cgroup, spools, journal); idempotent; refuses a running task. */
    destroy(taskId) {
        return this.call('destroy', { taskId }, true, taskId);
    }
    /**
     * Stops the daemon if it supervises no running task (e.g. when `drover run`
     * ends). True when it stopped or was not running.
     */
    async stopDaemonIfIdle() {
        const probe = new Connection(daemonPaths(this.dataDir), { autoStart: false, connectTimeoutMs: 0 });
        try {
            const r = await probe.request('stopIfIdle', {}, { retry: false }).result;
            return r.stopped;
        }
        catch (err) {
            // Nothing listening: nothing to stop.
            if (/no executor daemon|not answering/.test(err.message))
                return true;
            throw err;
        }
        finally {
            probe.close();
        }
    }
    /** Closes the connection (the daemon and its tasks keep running). */
    close() {
        this.conn.close();
    }
    call(method, params, retry, taskId) {
        return this.conn.request(method, params, { retry, ...(taskId === undefined ? {} : { taskId }) }).result;
    }
}
/** Feeds an async iterable to `send` until it ends or `stop()` turns true. */
async function forward(src, stop, send, end) {
    const it = src[Symbol.asyncIterator]();
    try {
        for (;;) {
            const n = await it.next();
            if (stop())
                break;
            if (n.done) {
                end();
                break;
            }
            send(n.value);
        }
    }
    catch {
        // the caller's stream failed: stop feeding
    }
    finally {
        if (stop())
            await it.return?.();
    }
}
function abortError() {
    const err = new Error('The operation was aborted');
    err.name = 'AbortError';
    return err;
}
//# sourceMappingURL=client.js.map