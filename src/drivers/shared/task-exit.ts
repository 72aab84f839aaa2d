/**
 * The exit bookkeeping every task handle needs, whatever runs the task: the
 * process state, when it ended, its ExitResult, a promise that settles on
 * the exit, and Nomad's TaskStatus built from them. One copy for all
 * drivers, so "running", "wait" and "status" mean the same everywhere.
 */
import { ABORTED } from '../../model/errors.js';
import type { ExitResult, TaskConfig, TaskStatus, TaskStatusState } from '../types.js';

/** A task's exit: unknown until `finish` records it, exactly once. */
export class TaskExit {
  /** Settles with the exit result (never rejects). */
  readonly exited: Promise<ExitResult>;
  private procState: TaskStatusState = 'running';
  private completedAt = 0;
  private result: ExitResult | undefined;
  private resolveExit!: (r: ExitResult) => void;

  constructor(private readonly now: () => number) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** Whether the task still runs. */
  get running(): boolean {
    return this.procState === 'running';
  }

  /** The exit, once known. */
  get exitResult(): ExitResult | undefined {
    return this.result;
  }

  /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
  wait(signal?: AbortSignal): Promise<ExitResult> {
    if (this.result) return Promise.resolve(this.result);
    return waitUnlessAborted(this.exited, signal);
  }

  /** Records the exit; later calls are ignored (the first report wins). */
  finish(r: ExitResult, state: TaskStatusState = 'exited'): void {
    if (this.result) return;
    this.result = r;
    this.procState = state;
    this.completedAt = this.now();
    this.resolveExit(r);
  }

  /** True once the task has exited, false if `ms` passes first. */
  exitsWithin(ms: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      void this.exited.then(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Nomad's TaskStatus for `config`, started at `startedAt` (unix ms). */
  status(config: TaskConfig, startedAt: number, driverAttributes: Readonly<Record<string, string>>): TaskStatus {
    return {
      id: config.id,
      name: config.name,
      state: this.procState,
      startedAt,
      completedAt: this.completedAt,
      ...(this.result ? { exitResult: this.result } : {}),
      driverAttributes,
    };
  }
}

/** The error a wait rejects with when its signal aborts (name "AbortError", as DOM APIs use). */
export function abortError(): Error {
  return ABORTED;
}

/**
 * Resolves as `exited` does, or rejects with an AbortError when `signal`
 * aborts first; the listener is removed either way, so long-lived signals
 * do not collect one per wait.
 */
export function waitUnlessAborted<T>(exited: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return exited;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    void exited.then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
