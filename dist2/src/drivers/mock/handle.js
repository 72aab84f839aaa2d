import { CommandRun } from './command.js';
import { openTaskOutput } from './output.js';
import { TaskExit } from '../shared/task-exit.js';
/** Serializes driverState as JSON bytes. */
export function encodeTaskState(s) {
    return Buffer.from(JSON.stringify(s));
}
/** Parses driverState bytes; throws an Error saying what is wrong. */
export function decodeTaskState(bytes) {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8'));
    const obj = asRecord(v, 'driver state');
    num(obj, 'startedAt');
    num(obj, 'pluginExitAfterMs');
    num(obj, 'killAfterMs');
    checkCommand(obj['command'], 'command');
    if (obj['execCommand'] !== undefined)
        checkCommand(obj['execCommand'], 'execCommand');
    return obj;
}
const COMMAND_NUMBERS = ['runForMs', 'exitCode', 'exitSignal', 'stdoutRepeat', 'stdoutRepeatMs', 'stderrRepeat', 'stderrRepeatMs'];
const COMMAND_STRINGS = ['exitErrMsg', 'signalError', 'stdoutString', 'stderrString'];
function checkCommand(v, name) {
    const c = asRecord(v, name);
    for (const k of COMMAND_NUMBERS)
        num(c, k, name);
    for (const k of COMMAND_STRINGS)
        if (typeof c[k] !== 'string')
            throw new Error(`${name}.${k} is not a string`);
}
function asRecord(v, name) {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new Error(`${name} is not an object`);
    return v;
}
function num(o, k, prefix) {
    if (typeof o[k] !== 'number')
        throw new Error(`${prefix ? `${prefix}.` : ''}${k} is not a number`);
}
/** One mock task: running until run_for (and its output) completes, a kill, or plugin_exit_after. */
export class MockTaskHandle {
    config;
    command;
    execCommand;
    killAfterMs;
    startedAt;
    /** True when created by recoverTask. */
    recovered;
    exit;
    timers;
    run;
    disposal;
    constructor(o) {
        this.config = o.config;
        this.command = o.state.command;
        this.execCommand = o.state.execCommand && { ...o.state.execCommand, runForMs: o.execRunForMs ?? o.state.execCommand.runForMs };
        this.killAfterMs = o.state.killAfterMs;
        this.startedAt = o.state.startedAt;
        this.recovered = o.recovered;
        this.exit = new TaskExit(o.now);
        this.timers = o.timers;
        this.run = new CommandRun({
            command: o.state.command,
            runForMs: o.runForMs,
            pluginExitAfterMs: o.state.pluginExitAfterMs,
            openStdout: (onError) => openTaskOutput(o.config, 'stdout', onError),
            openStderr: (onError) => openTaskOutput(o.config, 'stderr', onError),
            logger: o.logger,
            onExit: (r) => this.exit.finish(r),
            timers: o.timers,
        });
    }
    /** Starts the fake process (writes the first output synchronously). */
    start() {
        this.run.start();
    }
    /** Whether the task still runs. */
    get running() {
        return this.exit.running;
    }
    /** Aborts when the handle is destroyed, so streams tied to it (stats) end. */
    get disposed() {
        this.disposal ??= new AbortController();
        return this.disposal.signal;
    }
    /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
    wait(signal) {
        return this.exit.wait(signal);
    }
    /**
     * Nomad's mock StopTask: kill at once, or with kill_after wait that long
     * (or until the task exits by itself) first. Resolves once the task has exited.
     */
    async stop() {
        if (!this.running)
            return;
        if (this.killAfterMs <= 0) {
            this.kill();
            return;
        }
        const cancel = this.timers.after(this.killAfterMs, () => this.kill());
        await this.exit.exited;
        cancel();
    }
    /** Ends the task now with its configured exit result. */
    kill() {
        this.run.cancel();
    }
    /** Kills if needed and releases every timer and file, so nothing of this task keeps the process alive. */
    dispose() {
        this.run.dispose();
        this.disposal?.abort();
    }
    /** Nomad's TaskStatus for this task. */
    status() {
        return this.exit.status(this.config, this.startedAt, {});
    }
}
//# sourceMappingURL=handle.js.map