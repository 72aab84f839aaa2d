import { signalNumber } from '../../executor/signals.js';
import { DroverError, ErrorCode, TaskNotFoundError, errorMessage } from '../../model/errors.js';
import { isRecord, parseShape, shape } from '../../model/shape.js';
import { TaskExit } from './task-exit.js';
/** A launched (or recovered) executor task; `start()` begins waiting for its exit. */
export class ExecutorTask {
    config;
    executor;
    state;
    logger;
    exit;
    attributes;
    /** Aborted on dispose, and once the exit is known: stats streams end on it. */
    endCtl = new AbortController();
    disposal = new AbortController();
    waiting = false;
    constructor(o) {
        this.config = o.config;
        this.executor = o.executor;
        this.state = o.state;
        this.logger = o.logger;
        this.attributes = o.attributes ?? {};
        this.exit = new TaskExit(o.now);
        void this.exit.exited.then(() => this.endCtl.abort());
    }
    get pid() {
        return this.state.pid;
    }
    /** The executor's id for the task. */
    get taskId() {
        return this.config.id;
    }
    /** Starts waiting on the executor in the background (re-sent across daemon restarts by the client); idempotent. */
    start() {
        if (this.waiting)
            return;
        this.waiting = true;
        this.executor.wait(this.taskId, { signal: this.disposal.signal }).then((r) => this.exit.finish(r), (err) => {
            if (this.disposal.signal.aborted)
                return;
            // As Nomad's handle.run: the wait itself failed, so the exit is unknown.
            this.logger.error('error waiting on task', { task_id: this.taskId, error: errorMessage(err) });
            this.exit.finish({ exitCode: -1, signal: 0, oomKilled: false, err: `executor: error waiting on process: ${errorMessage(err)}` }, 'unknown');
        });
    }
    get running() {
        return this.exit.running;
    }
    /** Settles with the exit (never rejects). */
    get exited() {
        return this.exit.exited;
    }
    /** Aborts when the task exits or the handle is disposed. */
    get ended() {
        return this.endCtl.signal;
    }
    /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
    wait(signal) {
        return this.exit.wait(signal);
    }
    /** Nomad's TaskStatus, with the pid as a driver attribute. */
    status() {
        return this.exit.status(this.config, this.state.startedAt, { pid: String(this.pid), ...this.attributes });
    }
    /**
     * `signal` (SIGINT when empty) to the task's process group, SIGKILL to the
     * whole tree after `timeoutMs`; resolves once it has exited. A task the
     * executor no longer knows is already gone.
     */
    async stop(timeoutMs, signal) {
        if (!this.running)
            return;
        this.start();
        try {
            await this.executor.shutdown(this.taskId, signal, timeoutMs);
        }
        catch (err) {
            if (err instanceof TaskNotFoundError)
                return;
            throw new DroverError(ErrorCode.internal, `executor Shutdown failed: ${errorMessage(err)}`, { cause: err });
        }
        await this.exited;
    }
    /** SIGKILL to the whole tree now; resolves once it has exited (a failure to kill is logged: the exit then never comes from us). */
    async kill() {
        if (!this.running)
            return;
        this.start();
        try {
            await this.executor.shutdown(this.taskId, 'SIGKILL', 0);
        }
        catch (err) {
            if (err instanceof TaskNotFoundError)
                return;
            this.logger.error('killing task failed', { task_id: this.taskId, error: errorMessage(err) });
            return;
        }
        await this.exited;
    }
    /** Drops the executor's record and cgroup of an exited task; an unknown task is already forgotten. */
    async forget() {
        try {
            await this.executor.destroy(this.taskId);
        }
        catch (err) {
            if (!(err instanceof TaskNotFoundError))
                this.logger.warn('executor destroy failed', { task_id: this.taskId, error: errorMessage(err) });
        }
    }
    /** Forwards a signal; an unknown name becomes SIGINT with a warning, as Nomad does. */
    async signal(signal) {
        let sig = signal;
        if (signalNumber(signal) === undefined || !/^SIG/i.test(signal)) {
            this.logger.warn('unknown signal to send to task, using SIGINT instead', { signal, task_id: this.taskId });
            sig = 'SIGINT';
        }
        await this.executor.signal(this.taskId, sig);
    }
    /** Runs a command in the task's context; stdout and stderr interleaved (last 4 KiB) on stdout, as Nomad. */
    async exec(cmd, timeoutMs) {
        const [command, ...args] = requireCommand(cmd);
        // The daemon compares the deadline with its own clock: wall time, not an injected clock.
        const r = await this.executor.exec(this.taskId, timeoutMs > 0 ? Date.now() + timeoutMs : 0, command, args);
        return { stdout: r.output, stderr: new Uint8Array(0), exitResult: { exitCode: r.exitCode, signal: 0, oomKilled: false } };
    }
    /** Interactive exec, on a real TTY when asked. */
    execStreaming(opts) {
        requireCommand(opts.command);
        return this.executor.execStreaming(this.taskId, opts);
    }
    /** One usage sample (the executor's cgroup or process-tree figures). */
    sample() {
        return this.executor.stats(this.taskId);
    }
    /** Stops the background wait and ends streams tied to this task. */
    dispose() {
        this.disposal.abort();
        this.endCtl.abort();
    }
}
function requireCommand(cmd) {
    const [command, ...args] = cmd;
    if (command === undefined)
        throw new DroverError(ErrorCode.validation, 'error cmd must have at least one value');
    return [command, ...args];
}
/** The driver_state of a task just launched on the daemon of `executorDataDir`. */
export function launchedState(executorDataDir, l) {
    return { executorDataDir, pid: l.pid, procStartTicks: l.procStartTicks, startedAt: l.startedAt, ...(l.cgroup !== undefined ? { cgroup: l.cgroup } : {}) };
}
/** drover's rotated files when the host asks the driver to rotate; otherwise the paths as given (FIFOs under Nomad). */
export function taskOutput(cfg) {
    if (cfg.logRotation) {
        return { kind: 'rotate', dir: cfg.taskDir.logDir, taskName: cfg.name, maxFiles: cfg.logRotation.maxFiles, maxFileSizeBytes: cfg.logRotation.maxFileSizeBytes };
    }
    return { kind: 'paths', stdoutPath: cfg.stdoutPath, stderrPath: cfg.stderrPath };
}
/** Bumped when the layout changes incompatibly. */
const STATE_VERSION = 1;
/** JSON bytes for TaskHandle.driverState, tagged with the layout version. */
export function encodeExecutorState(s) {
    return Buffer.from(JSON.stringify({ v: STATE_VERSION, ...s }));
}
/**
 * Parses driver_state bytes: the common fields checked, the driver's own
 * fields returned in `extra` for it to check. Handles written before the
 * drivers shared this layout are read too (raw_exec's had no version,
 * exec's nested the process under `launched`), so tasks started by an
 * older drover are still recovered.
 */
export function decodeExecutorState(bytes) {
    const raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (!isRecord(raw))
        throw new Error('driver state is not an object');
    const { v, launched, ...rest } = raw;
    if (v !== undefined && v !== STATE_VERSION)
        throw new Error(`unsupported driver state version ${JSON.stringify(v)}`);
    const o = isRecord(launched) ? { ...rest, ...launched } : rest;
    const state = parseShape(STATE_SHAPE, o, 'driver state');
    const extra = Object.fromEntries(Object.entries(o).filter(([k]) => !(k in STATE_SHAPE.fields) && k !== 'taskId'));
    return { state, extra };
}
const STATE_SHAPE = shape.object({
    executorDataDir: shape.string(),
    pid: shape.integer(),
    procStartTicks: shape.integer(),
    startedAt: shape.number(),
    cgroup: shape.optional(shape.string()),
});
//# sourceMappingURL=executor-task.js.map