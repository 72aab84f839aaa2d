import { DriverStartError, DroverError, ErrorCode, NotSupportedError, ValidationError, errorMessage, isRecoverable } from '../../model/errors.js';
import { ExecutorPool } from './executor-pool.js';
import { decodeExecutorState, encodeExecutorState } from './executor-task.js';
import { ChangeSignal, fingerprintLoop, noEvents, pollStats } from './streams.js';
import { TaskTable } from './task-table.js';
/** Handle format version the executor-backed drivers write and read. */
const TASK_HANDLE_VERSION = 1;
/** An executor-backed DriverPlugin; subclasses supply config decoding, fingerprint, launch and reattach. */
export class ExecutorDriver {
    ctx;
    spec;
    config;
    tasks = new TaskTable();
    executors;
    configChanged = new ChangeSignal();
    fingerprintPeriodMs;
    constructor(ctx, spec, opts) {
        this.ctx = ctx;
        this.spec = spec;
        this.config = spec.defaultConfig;
        this.executors = new ExecutorPool(opts.dataDir, opts.executor);
        this.fingerprintPeriodMs = opts.fingerprintPeriodMs ?? spec.fingerprintPeriodMs;
    }
    /** What the driver must undo besides the executor's record when a task is destroyed (networks, files). */
    async cleanup(_task) { }
    /** Plugin metadata (Nomad's PluginInfo). */
    pluginInfo() {
        return this.spec.info;
    }
    /** Schema of the plugin "NAME" config block. */
    configSchema() {
        return this.spec.pluginConfigSchema;
    }
    /** Applies the plugin config and re-fingerprints. */
    async setConfig(cfg) {
        this.config = await this.decodeConfig(cfg.pluginConfig);
        this.configChanged.fire();
    }
    /** Schema of a task's config {} block. */
    taskConfigSchema() {
        return this.spec.taskConfigSchema;
    }
    capabilities() {
        return this.spec.capabilities;
    }
    /** Emits the fingerprint at once, then on every change (re-checked periodically and on setConfig), until aborted. */
    fingerprint(opts) {
        return fingerprintLoop(() => this.buildFingerprint(), this.fingerprintPeriodMs, this.configChanged, opts.signal);
    }
    /** Reattaches to a task the executor daemon still supervises (running, or exited while nobody watched). */
    async recoverTask(handle) {
        const id = handle.config.id;
        if (this.tasks.has(id))
            return;
        let decoded;
        try {
            decoded = decodeExecutorState(handle.driverState);
        }
        catch (err) {
            this.ctx.logger.error('failed to decode task state from handle', { error: errorMessage(err), task_id: id });
            throw new DroverError(ErrorCode.internal, `failed to decode task state from handle: ${errorMessage(err)}`, { cause: err });
        }
        const { state, extra } = decoded;
        const on = this.executors.get(state.executorDataDir);
        let info;
        try {
            info = await on.executor.inspect(id);
        }
        catch (err) {
            this.ctx.logger.error('failed to reattach to executor', { error: errorMessage(err), task_id: id });
            throw new DroverError(ErrorCode.internal, `failed to reattach to executor: ${errorMessage(err)}`, { cause: err });
        }
        if (info.pid !== state.pid)
            throw new DroverError(ErrorCode.internal, `failed to reattach to executor: task runs as pid ${info.pid}, handle says ${state.pid}`);
        const task = await this.reattach(handle.config, state, extra, on, info);
        this.tasks.add(id, task);
        task.start();
    }
    /** Launches the task through the executor daemon. */
    async startTask(cfg) {
        this.tasks.checkNew(cfg.id);
        const { task, extra, network } = await this.launch(cfg, this.executors.get());
        this.tasks.add(cfg.id, task);
        task.start();
        const driverState = encodeExecutorState({ ...extra, ...task.state });
        return { handle: { version: TASK_HANDLE_VERSION, config: cfg, state: 'running', driverState }, ...(network ? { network } : {}) };
    }
    /** Resolves with the task's exit (at once if it already exited). */
    waitTask(taskId, opts) {
        try {
            return this.tasks.get(taskId).wait(opts.signal);
        }
        catch (err) {
            return Promise.reject(err);
        }
    }
    /** Stops the task (kill_signal, then SIGKILL after timeoutMs); resolves once it has exited. */
    async stopTask(taskId, timeoutMs, signal) {
        await this.tasks.get(taskId).stop(timeoutMs, signal);
    }
    /** Forgets the task; a running one needs force (it is then killed and waited for). */
    async destroyTask(taskId, force) {
        const t = this.tasks.get(taskId);
        if (t.running && !force)
            throw new DroverError(ErrorCode.internal, 'cannot destroy running task');
        await t.kill();
        await t.forget();
        await this.cleanup(t);
        this.tasks.remove(taskId);
    }
    /** Nomad's TaskStatus. */
    async inspectTask(taskId) {
        return this.tasks.get(taskId).status();
    }
    /** Usage every intervalMs (the first at once) until abort, exit or destroy. */
    taskStats(taskId, intervalMs, opts) {
        const t = this.tasks.get(taskId);
        const source = { taskId, running: () => t.running, sample: () => t.sample(), ended: t.ended };
        return pollStats(source, intervalMs, opts.signal, (err) => {
            if (err instanceof ValidationError)
                throw err;
            // A daemon restart or a sample racing the exit: skip this one.
            this.ctx.logger.debug('skipping a stats sample', { error: errorMessage(err), task_id: taskId });
        });
    }
    /** Executor-backed drivers emit no driver events; the stream ends on abort. */
    taskEvents(opts) {
        return noEvents(opts.signal);
    }
    /** Sends a signal; an unknown name becomes SIGINT (with a warning), as Nomad. */
    async signalTask(taskId, signal) {
        if (!this.spec.capabilities.sendSignals)
            throw new NotSupportedError(this.spec.unsupported?.signal ?? 'driver does not support signals');
        await this.tasks.get(taskId).signal(signal);
    }
    /** Runs a command beside the task; output (stdout+stderr, last 4 KiB) and exit code. */
    async execTask(taskId, cmd, timeoutMs) {
        this.checkExec();
        return this.tasks.get(taskId).exec(cmd, timeoutMs);
    }
    /** Interactive exec, on a real TTY when asked. */
    async execTaskStreaming(taskId, opts) {
        this.checkExec();
        return this.tasks.get(taskId).execStreaming(opts);
    }
    /** Host shutdown: handles are released and idle executor daemons stopped; running tasks keep running. */
    async shutdown(_opts) {
        this.tasks.clear();
        await this.executors.close(this.ctx.logger);
    }
    /** Runs `spec` on `on`; a failure is Nomad's "failed to launch command with executor", recoverable when the cause is. */
    async launchOn(on, spec) {
        try {
            return await on.executor.launch(spec);
        }
        catch (err) {
            throw new DriverStartError(`failed to launch command with executor: ${errorMessage(err)}`, { recoverable: isRecoverable(err), cause: err });
        }
    }
    checkExec() {
        if (!this.spec.capabilities.exec)
            throw new NotSupportedError(this.spec.unsupported?.exec ?? 'driver does not support exec');
    }
}
//# sourceMappingURL=executor-driver.js.map