/**
 * One raw_exec task as the driver sees it (Nomad's rawexec taskHandle): the
 * executor's task, its status, and a background wait that records the exit.
 */
import type { ExecutorClient } from '../../executor/client.js';
import { errorMessage } from '../../model/errors.js';
import type { ExitResult, TaskConfig, TaskStatus, TaskStatusState } from '../types.js';
import { waitUnlessAborted } from '../shared/abort.js';

/** What a handle is built from. */
export interface RawExecHandleOptions {
  readonly config: TaskConfig;
  readonly client: ExecutorClient;
  readonly pid: number;
  /** Unix ms. */
  readonly startedAt: number;
  readonly now: () => number;
}

/** A running (or finished) raw_exec task. */
export class RawExecTaskHandle {
  readonly config: TaskConfig;
  readonly client: ExecutorClient;
  readonly pid: number;
  readonly startedAt: number;
  /** Settles with the exit result (never rejects). */
  readonly exited: Promise<ExitResult>;
  private readonly now: () => number;
  private procState: TaskStatusState = 'running';
  private completedAt = 0;
  private exitResult: ExitResult | undefined;
  private readonly disposal = new AbortController();
  private resolveExit!: (r: ExitResult) => void;

  constructor(o: RawExecHandleOptions) {
    this.config = o.config;
    this.client = o.client;
    this.pid = o.pid;
    this.startedAt = o.startedAt;
    this.now = o.now;
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** Starts waiting on the executor (re-sent across daemon restarts by the client). */
  start(): void {
    this.client.wait(this.config.id, { signal: this.disposal.signal }).then(
      (r) => this.finish('exited', r),
      (err: unknown) => {
        if (this.disposal.signal.aborted) return;
        // As Nomad's handleWait: the wait itself failed, so the exit is unknown.
        this.finish('unknown', { exitCode: -1, signal: 0, oomKilled: false, err: `executor: error waiting on process: ${errorMessage(err)}` });
      },
    );
  }

  /** Whether the task still runs. */
  get running(): boolean {
    return this.procState === 'running';
  }

  /** Aborted when the handle is destroyed (ends stats streams). */
  get disposed(): AbortSignal {
    return this.disposal.signal;
  }

  /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
  wait(signal?: AbortSignal): Promise<ExitResult> {
    if (this.exitResult) return Promise.resolve(this.exitResult);
    return waitUnlessAborted(this.exited, signal);
  }

  /** Nomad's TaskStatus, with the pid as a driver attribute. */
  status(): TaskStatus {
    return {
      id: this.config.id,
      name: this.config.name,
      state: this.procState,
      startedAt: this.startedAt,
      completedAt: this.completedAt,
      ...(this.exitResult ? { exitResult: this.exitResult } : {}),
      driverAttributes: { pid: String(this.pid) },
    };
  }

  /** Stops the background wait and ends streams tied to this task. */
  dispose(): void {
    this.disposal.abort();
  }

  private finish(state: TaskStatusState, r: ExitResult): void {
    if (this.exitResult) return;
    this.exitResult = r;
    this.procState = state;
    this.completedAt = this.now();
    this.resolveExit(r);
  }
}

