/**
 * Runs one lifecycle phase across the task's hooks: in order, with timing in
 * the debug log, persisted hook state for prestart, and one place that turns
 * a hook's failure into Nomad's "Task hook failed" event.
 */
import type { Task } from '../model/job.js';
import { newEvent } from '../model/task-event.js';
import { DroverError, errorMessage, isRecoverable } from '../model/errors.js';
import type { DeviceConfig, MountConfig, TaskDirPaths } from '../drivers/types.js';
import type { Logger } from '../model/logger.js';
import {
  HookError,
  isExitedHook,
  isPoststartHook,
  isPreKillHook,
  isPrestartHook,
  isStopHook,
  isUpdateHook,
  type EventEmitter,
  type HookState,
  type RunningTask,
  type TaskHook,
} from './hooks/types.js';

/** What prestart hooks contribute to the task. */
export interface PrestartResult {
  readonly env: Record<string, string>;
  readonly mounts: readonly MountConfig[];
  readonly devices: readonly DeviceConfig[];
}

export type Phase = 'prestart' | 'poststart' | 'prekill' | 'exited' | 'update' | 'stop';

export interface HookRunnerDeps {
  readonly hooks: readonly TaskHook[];
  readonly events: EventEmitter;
  readonly logger: Logger;
  readonly now: () => number;
  /** Persists hook state after a prestart hook changed it. */
  readonly saveHookState: (hooks: Readonly<Record<string, HookState>>) => void;
}

export class HookRunner {
  /** Per-hook persisted state (Nomad's LocalState.Hooks). */
  hookStates: Record<string, HookState>;

  constructor(private readonly deps: HookRunnerDeps, restored: Readonly<Record<string, HookState>> = {}) {
    this.hookStates = { ...restored };
  }

  /**
   * Runs prestart hooks; returns the env, mounts and devices they built. Hooks marked done are
   * skipped but their env is still applied. Throws a recoverable error when
   * the failing hook's error was recoverable (Nomad's WrapRecoverable).
   */
  async prestart(task: Task, taskDir: TaskDirPaths, signal: AbortSignal): Promise<PrestartResult> {
    const env: Record<string, string> = {};
    const mounts: MountConfig[] = [];
    const devices: DeviceConfig[] = [];
    for (const hook of this.deps.hooks) {
      if (!isPrestartHook(hook)) continue;
      const prev = this.hookStates[hook.name];
      if (prev?.prestartDone) {
        Object.assign(env, prev.env);
        continue;
      }
      let resp;
      try {
        resp = await this.timed('prestart', hook.name, () => hook.prestart({ task, taskDir, env: { ...env }, previousState: prev?.data, signal }));
      } catch (err) {
        // A hook may keep partial progress (artifacts fetched before the one that failed).
        const partial = (err as { cause?: unknown }).cause;
        if (partial instanceof HookError && partial.state) this.saveHookState(hook.name, prev, { prestartDone: false, data: partial.state, env: prev?.env });
        throw err;
      }
      this.saveHookState(hook.name, prev, { prestartDone: resp?.done === true, data: resp?.state, env: resp?.env });
      Object.assign(env, resp?.env);
      mounts.push(...(resp?.mounts ?? []));
      devices.push(...(resp?.devices ?? []));
    }
    return { env, mounts, devices };
  }

  private saveHookState(name: string, prev: HookState | undefined, next: HookState): void {
    if (sameHookState(prev, next)) return;
    this.hookStates = { ...this.hookStates, [name]: next };
    this.deps.saveHookState(this.hookStates);
  }

  async poststart(task: Task, running: RunningTask, env: Readonly<Record<string, string>>, signal: AbortSignal): Promise<void> {
    for (const hook of this.deps.hooks) {
      if (isPoststartHook(hook)) await this.timed('poststart', hook.name, () => hook.poststart({ task, running, env, signal }));
    }
  }

  /** PreKill, Exited, Update and Stop: every hook runs even if an earlier one failed; failures are reported, not thrown. */
  async runAll(phase: 'prekill' | 'exited' | 'update' | 'stop', ctx: { task: Task; env: Readonly<Record<string, string>>; signal: AbortSignal }): Promise<void> {
    for (const hook of this.deps.hooks) {
      try {
        if (phase === 'prekill' && isPreKillHook(hook)) await this.timed(phase, hook.name, () => hook.preKilling({ signal: ctx.signal }));
        else if (phase === 'exited' && isExitedHook(hook)) await this.timed(phase, hook.name, () => hook.exited({ signal: ctx.signal }));
        else if (phase === 'update' && isUpdateHook(hook)) await this.timed(phase, hook.name, () => hook.update(ctx));
        else if (phase === 'stop' && isStopHook(hook))
          await this.timed(phase, hook.name, () => hook.stop({ existingState: this.hookStates[hook.name]?.data, signal: ctx.signal }));
      } catch {
        // Already reported by timed(); the remaining hooks must still run.
      }
    }
  }

  private async timed<T>(phase: Phase, name: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } catch (err) {
      this.reportFailure(name, err);
      throw wrapHookError(phase, name, err);
    } finally {
      this.deps.logger.debug('hook finished', { phase, hook: name, ms: Math.round((performance.now() - start) * 1000) / 1000 });
    }
  }

  private reportFailure(name: string, err: unknown): void {
    if (err instanceof HookError) this.deps.events.emit(err.event);
    else this.deps.events.emit(newEvent('Task hook failed', this.deps.now(), { message: `${name}: ${errorMessage(err)}`, failsTask: false }));
  }
}

function wrapHookError(phase: Phase, name: string, err: unknown): DroverError {
  const recoverable = err instanceof HookError ? err.recoverable : isRecoverable(err);
  return new DroverError('internal', `${phase} hook "${name}" failed: ${errorMessage(err)}`, { recoverable, cause: err });
}

function sameHookState(a: HookState | undefined, b: HookState): boolean {
  if (a === undefined) return !b.prestartDone && b.data === undefined && b.env === undefined;
  return a.prestartDone === b.prestartDone && sameMap(a.data, b.data) && sameMap(a.env, b.env);
}

function sameMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
