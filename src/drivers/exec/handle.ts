/**
 * One exec task as the driver tracks it (Nomad's exec taskHandle): running
 * until the executor reports its exit, then exited (or unknown when the
 * executor could not tell).
 */
import type { ExitResult, Logger, TaskConfig, TaskStatus, TaskStatusState } from '../types.js';
import type { Executor, LaunchedTask } from '../../executor/types.js';
import { waitUnlessAborted } from '../shared/abort.js';

/** What a handle is built from. */
export interface ExecTaskHandleOptions {
  readonly config: TaskConfig;
  readonly launched: LaunchedTask;
  readonly executor: Executor;
  /** Which daemon supervises the task. */
  readonly executorDataDir: string;
  readonly logger: Logger;
  readonly now: () => number;
}

/** A launched exec task and its exit, once known. */
export class ExecTaskHandle {
  readonly config: TaskConfig;
  readonly launched: LaunchedTask;
  /** The executor supervising the task (the driver calls it for everything but waiting). */
  readonly executor: Executor;
  readonly executorDataDir: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private procState: TaskStatusState = 'running';
  private completedAt = 0;
  private exitResult: ExitResult | undefined;
  private readonly exited: Promise<ExitResult>;
  private resolveExited!: (r: ExitResult) => void;
  private readonly disposal = new AbortController();
  private readonly exitedCtl = new AbortController();

  constructor(o: ExecTaskHandleOptions) {
    this.config = o.config;
    this.launched = o.launched;
    this.executor = o.executor;
    this.executorDataDir = o.executorDataDir;
    this.logger = o.logger;
    this.now = o.now;
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
  }

  /** Starts waiting on the executor in the background (Nomad's handle.run). */
  start(): void {
    this.executor.wait(this.launched.taskId, { signal: this.disposal.signal }).then(
      (r) => this.finish('exited', r),
      (err: unknown) => {
        if (this.disposal.signal.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        this.logger.error('error waiting on task', { task_id: this.config.id, error: message });
        this.finish('unknown', { exitCode: -1, signal: 0, oomKilled: false, err: `executor: error waiting on process: ${message}` });
      },
    );
  }

  /** Whether the task still runs. */
  get running(): boolean {
    return this.procState === 'running';
  }

  /** Aborts when the handle is destroyed, so streams tied to it (stats) end. */
  get disposed(): AbortSignal {
    return this.disposal.signal;
  }

  /** Aborts once the exit is known. */
  get exitedSignal(): AbortSignal {
    return this.exitedCtl.signal;
  }

  /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
  wait(signal?: AbortSignal): Promise<ExitResult> {
    if (this.exitResult) return Promise.resolve(this.exitResult);
    return waitUnlessAborted(this.exited, signal);
  }

  /** Stops waiting; the handle is forgotten. */
  dispose(): void {
    this.disposal.abort();
  }

  /** Nomad's TaskStatus, with the pid as its only driver attribute. */
  status(): TaskStatus {
    return {
      id: this.config.id,
      name: this.config.name,
      state: this.procState,
      startedAt: this.launched.startedAt,
      completedAt: this.completedAt,
      ...(this.exitResult ? { exitResult: this.exitResult } : {}),
      driverAttributes: { pid: String(this.launched.pid) },
    };
  }

  private finish(state: TaskStatusState, r: ExitResult): void {
    this.exitResult = r;
    this.procState = state;
    this.completedAt = this.now();
    this.resolveExited(r);
    this.exitedCtl.abort();
  }
}

