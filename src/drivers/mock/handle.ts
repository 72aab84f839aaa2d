/**
 * Per-task state of mock_driver (Nomad's drivers/mock taskHandle): the fake
 * process run, its exit, and what driverState must carry to recreate it,
 * since there is no real process to reattach to.
 */
import type { ExitResult, TaskConfig, TaskStatus } from '../types.js';
import type { Logger } from '../../model/logger.js';
import { CommandRun } from './command.js';
import type { MockCommand } from './config.js';
import { openTaskOutput } from './output.js';
import type { MockTimers } from './timers.js';
import { TaskExit } from '../shared/task-exit.js';

/** driverState contents (Nomad's MockTaskState): the start time and the decoded config needed to re-run. */
export interface MockTaskState {
  /** Unix ms. */
  readonly startedAt: number;
  readonly command: MockCommand;
  readonly execCommand?: MockCommand;
  readonly pluginExitAfterMs: number;
  readonly killAfterMs: number;
}

/** Serializes driverState as JSON bytes. */
export function encodeTaskState(s: MockTaskState): Uint8Array {
  return Buffer.from(JSON.stringify(s));
}

/** Parses driverState bytes; throws an Error saying what is wrong. */
export function decodeTaskState(bytes: Uint8Array): MockTaskState {
  const v: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  const obj = asRecord(v, 'driver state');
  num(obj, 'startedAt');
  num(obj, 'pluginExitAfterMs');
  num(obj, 'killAfterMs');
  checkCommand(obj['command'], 'command');
  if (obj['execCommand'] !== undefined) checkCommand(obj['execCommand'], 'execCommand');
  return obj as unknown as MockTaskState;
}

const COMMAND_NUMBERS = ['runForMs', 'exitCode', 'exitSignal', 'stdoutRepeat', 'stdoutRepeatMs', 'stderrRepeat', 'stderrRepeatMs'] as const;
const COMMAND_STRINGS = ['exitErrMsg', 'signalError', 'stdoutString', 'stderrString'] as const;

function checkCommand(v: unknown, name: string): void {
  const c = asRecord(v, name);
  for (const k of COMMAND_NUMBERS) num(c, k, name);
  for (const k of COMMAND_STRINGS) if (typeof c[k] !== 'string') throw new Error(`${name}.${k} is not a string`);
}

function asRecord(v: unknown, name: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${name} is not an object`);
  return v as Record<string, unknown>;
}

function num(o: Record<string, unknown>, k: string, prefix?: string): void {
  if (typeof o[k] !== 'number') throw new Error(`${prefix ? `${prefix}.` : ''}${k} is not a number`);
}

/** What a handle is built from. */
export interface MockTaskHandleOptions {
  readonly config: TaskConfig;
  readonly state: MockTaskState;
  /** Remaining run_for: state.command.runForMs, minus the time already run when recovered. */
  readonly runForMs: number;
  /** Remaining exec_command run_for (Nomad shortens it on recovery too). */
  readonly execRunForMs?: number;
  readonly recovered: boolean;
  readonly logger: Logger;
  readonly now: () => number;
  /** What run_for, repeats, plugin_exit_after and kill_after are timed with. */
  readonly timers: MockTimers;
}

/** One mock task: running until run_for (and its output) completes, a kill, or plugin_exit_after. */
export class MockTaskHandle {
  readonly config: TaskConfig;
  readonly command: MockCommand;
  readonly execCommand: MockCommand | undefined;
  readonly killAfterMs: number;
  readonly startedAt: number;
  /** True when created by recoverTask. */
  readonly recovered: boolean;
  private readonly exit: TaskExit;
  private readonly timers: MockTimers;
  private readonly run: CommandRun;
  private disposal: AbortController | undefined;

  constructor(o: MockTaskHandleOptions) {
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
  start(): void {
    this.run.start();
  }

  /** Whether the task still runs. */
  get running(): boolean {
    return this.exit.running;
  }

  /** Aborts when the handle is destroyed, so streams tied to it (stats) end. */
  get disposed(): AbortSignal {
    this.disposal ??= new AbortController();
    return this.disposal.signal;
  }

  /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
  wait(signal?: AbortSignal): Promise<ExitResult> {
    return this.exit.wait(signal);
  }

  /**
   * Nomad's mock StopTask: kill at once, or with kill_after wait that long
   * (or until the task exits by itself) first. Resolves once the task has exited.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    if (this.killAfterMs <= 0) {
      this.kill();
      return;
    }
    const cancel = this.timers.after(this.killAfterMs, () => this.kill());
    await this.exit.exited;
    cancel();
  }

  /** Ends the task now with its configured exit result. */
  kill(): void {
    this.run.cancel();
  }

  /** Kills if needed and releases every timer and file, so nothing of this task keeps the process alive. */
  dispose(): void {
    this.run.dispose();
    this.disposal?.abort();
  }

  /** Nomad's TaskStatus for this task. */
  status(): TaskStatus {
    return this.exit.status(this.config, this.startedAt, {});
  }
}
