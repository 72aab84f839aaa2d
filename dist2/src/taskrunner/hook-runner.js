import { newEvent } from '../model/task-event.js';
import { DroverError, errorMessage, isRecoverable } from '../model/errors.js';
import { HookError, isExitedHook, isPoststartHook, isPreKillHook, isPrestartHook, isStopHook, isUpdateHook, } from './hooks/types.js';
export class HookRunner {
    deps;
    /** Per-hook persisted state (Nomad's LocalState.Hooks). */
    hookStates;
    constructor(deps, restored = {}) {
        this.deps = deps;
        this.hookStates = { ...restored };
    }
    /**
     * Runs prestart hooks; returns the env, mounts and devices they built. Hooks marked done are
     * skipped but their env is still applied. Throws a recoverable error when
     * the failing hook's error was recoverable (Nomad's WrapRecoverable).
     */
    async prestart(task, taskDir, signal) {
        const env = {};
        const mounts = [];
        const devices = [];
        for (const hook of this.deps.hooks) {
            if (!isPrestartHook(hook))
                continue;
            const prev = this.hookStates[hook.name];
            if (prev?.prestartDone) {
                Object.assign(env, prev.env);
                continue;
            }
            let resp;
            try {
                resp = await this.timed('prestart', hook.name, () => hook.prestart({ task, taskDir, env: { ...env }, previousState: prev?.data, signal }));
            }
            catch (err) {
                // A hook may keep partial progress (artifacts fetched before the one that failed).
                const partial = err.cause;
                if (partial instanceof HookError && partial.state)
                    this.saveHookState(hook.name, prev, { prestartDone: false, data: partial.state, env: prev?.env });
                throw err;
            }
            this.saveHookState(hook.name, prev, { prestartDone: resp?.done === true, data: resp?.state, env: resp?.env });
            Object.assign(env, resp?.env);
            mounts.push(...(resp?.mounts ?? []));
            devices.push(...(resp?.devices ?? []));
        }
        return { env, mounts, devices };
    }
    saveHookState(name, prev, next) {
        if (sameHookState(prev, next))
            return;
        this.hookStates = { ...this.hookStates, [name]: next };
        this.deps.saveHookState(this.hookStates);
    }
    async poststart(task, running, env, signal) {
        for (const hook of this.deps.hooks) {
            if (isPoststartHook(hook))
                await this.timed('poststart', hook.name, () => hook.poststart({ task, running, env, signal }));
        }
    }
    /** PreKill, Exited, Update and Stop: every hook runs even if an earlier one failed; failures are reported, not thrown. */
    async runAll(phase, ctx) {
        for (const hook of this.deps.hooks) {
            try {
                if (phase === 'prekill' && isPreKillHook(hook))
                    await this.timed(phase, hook.name, () => hook.preKilling({ signal: ctx.signal }));
                else if (phase === 'exited' && isExitedHook(hook))
                    await this.timed(phase, hook.name, () => hook.exited({ signal: ctx.signal }));
                else if (phase === 'update' && isUpdateHook(hook))
                    await this.timed(phase, hook.name, () => hook.update(ctx));
                else if (phase === 'stop' && isStopHook(hook))
                    await this.timed(phase, hook.name, () => hook.stop({ existingState: this.hookStates[hook.name]?.data, signal: ctx.signal }));
            }
            catch {
                // Already reported by timed(); the remaining hooks must still run.
            }
        }
    }
    async timed(phase, name, fn) {
        const start = performance.now();
        try {
            return await fn();
        }
        catch (err) {
            this.reportFailure(name, err);
            throw wrapHookError(phase, name, err);
        }
        finally {
            this.deps.logger.debug('hook finished', { phase, hook: name, ms: Math.round((performance.now() - start) * 1000) / 1000 });
        }
    }
    reportFailure(name, err) {
        if (err instanceof HookError)
            this.deps.events.emit(err.event);
        else
            this.deps.events.emit(newEvent('Task hook failed', this.deps.now(), { message: `${name}: ${errorMessage(err)}`, failsTask: false }));
    }
}
function wrapHookError(phase, name, err) {
    const recoverable = err instanceof HookError ? err.recoverable : isRecoverable(err);
    return new DroverError('internal', `${phase} hook "${name}" failed: ${errorMessage(err)}`, { recoverable, cause: err });
}
function sameHookState(a, b) {
    if (a === undefined)
        return !b.prestartDone && b.data === undefined && b.env === undefined;
    return a.prestartDone === b.prestartDone && sameMap(a.data, b.data) && sameMap(a.env, b.env);
}
function sameMap(a, b) {
    if (a === b)
        return true;
    if (a === undefined || b === undefined)
        return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
//# sourceMappingURL=hook-runner.js.map