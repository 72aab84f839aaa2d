/**
 * One run of a fake process (Nomad's mock runCommand): write each output
 * string once at start and `repeat` more times every `repeat_duration`, and
 * exit once run_for has elapsed AND all output is written. A kill ends it at
 * once with the configured result; plugin_exit_after ends it with Nomad's
 * "plugin is shut down" error; a failed write ends it with that error.
 */
import { errorMessage } from '../../model/errors.js';
import { realTimers } from './timers.js';
/** Nomad's bstructs.ErrPluginShutdown text, the ExitResult.err a plugin_exit_after task reports. */
export const PLUGIN_SHUTDOWN_ERR = 'plugin is shut down';
/** The configured exit of a command that ran to completion or was killed. */
export function commandResult(c) {
    return { exitCode: c.exitCode, signal: c.exitSignal, oomKilled: false, ...(c.exitErrMsg !== '' ? { err: c.exitErrMsg } : {}) };
}
/** A running fake process; every timer it arms is cleared when it finishes. */
export class CommandRun {
    opts;
    timers;
    out = { sink: undefined, timer: undefined, done: false };
    err = { sink: undefined, timer: undefined, done: false };
    runForTimer;
    pluginExitTimer;
    runForElapsed = false;
    finished = false;
    constructor(opts) {
        this.opts = opts;
        this.timers = opts.timers ?? realTimers;
    }
    /** True once the run has ended (onExit was called). */
    get done() {
        return this.finished;
    }
    /** Starts output and timers; the first output is written synchronously. */
    start() {
        const c = this.opts.command;
        this.runForTimer = this.timers.after(this.opts.runForMs, () => {
            this.runForTimer = undefined;
            this.runForElapsed = true;
            this.opts.logger.debug('run_for time elapsed; exiting', { run_for_ms: c.runForMs });
            this.maybeExit();
        });
        if (this.opts.pluginExitAfterMs > 0) {
            this.pluginExitTimer = this.timers.after(this.opts.pluginExitAfterMs, () => {
                this.opts.logger.debug('exiting plugin');
                this.finish({ exitCode: 0, signal: 0, oomKilled: false, err: PLUGIN_SHUTDOWN_ERR });
            });
        }
        this.startStream(this.out, c.stdoutString, c.stdoutRepeat, c.stdoutRepeatMs, this.opts.openStdout);
        this.startStream(this.err, c.stderrString, c.stderrRepeat, c.stderrRepeatMs, this.opts.openStderr);
    }
    /** Kill: stop writing and exit now with the configured result (as Nomad's cancelCh). */
    cancel() {
        if (this.finished)
            return;
        this.opts.logger.debug('killed; exiting');
        this.finish(commandResult(this.opts.command));
    }
    /** Releases every stream at once, dropping unflushed output; ends the run first if needed. */
    dispose() {
        this.cancel();
        this.out.sink?.destroy();
        this.err.sink?.destroy();
    }
    startStream(s, text, repeat, repeatMs, open) {
        if (this.finished)
            return;
        if (text === '') {
            s.done = true;
            return;
        }
        const bytes = Buffer.from(text);
        try {
            s.sink = open((e) => this.fail(e));
        }
        catch (e) {
            this.fail(e);
            return;
        }
        if (!this.writeTo(s, bytes))
            return;
        // Absolute deadlines from the first write, so repeats do not drift.
        const t0 = this.timers.now();
        let written = 0;
        const next = () => {
            if (written >= repeat) {
                s.done = true;
                s.timer = undefined;
                s.sink?.close();
                this.maybeExit();
                return;
            }
            s.timer = this.timers.after(t0 + (written + 1) * repeatMs - this.timers.now(), () => {
                written++;
                if (this.writeTo(s, bytes))
                    next();
            });
        };
        next();
    }
    writeTo(s, bytes) {
        try {
            s.sink?.write(bytes);
            return true;
        }
        catch (e) {
            this.fail(e);
            return false;
        }
    }
    fail(e) {
        if (this.finished)
            return;
        this.opts.logger.error('error running mock task; exiting', { error: errorMessage(e) });
        this.finish({ exitCode: 0, signal: 0, oomKilled: false, err: errorMessage(e) });
    }
    maybeExit() {
        if (this.runForElapsed && this.out.done && this.err.done)
            this.finish(commandResult(this.opts.command));
    }
    finish(result) {
        if (this.finished)
            return;
        this.finished = true;
        this.runForTimer?.();
        this.pluginExitTimer?.();
        for (const s of [this.out, this.err]) {
            s.timer?.();
            s.timer = undefined;
            if (!s.done) {
                s.done = true;
                try {
                    s.sink?.close();
                }
                catch (e) {
                    this.opts.logger.warn('closing mock task output failed', { error: errorMessage(e) });
                }
            }
        }
        this.opts.onExit(result);
    }
}
//# sourceMappingURL=command.js.map