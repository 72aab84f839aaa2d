/**
 * One supervised task inside the daemon: its journal entry, output pumps,
 * stats sampler and exit. A task is either our child (exit code from
 * waitpid, exact) or adopted after a daemon restart (exit seen by polling
 * /proc; its code is unknowable, see UNKNOWN_EXIT).
 */
import type { ExitResult } from '../../model/task-result.js';
import type { TaskOutput } from '../logs/task-output.js';
import { TaskStatsSampler } from '../stats/task-stats.js';
import type { LaunchedTask, TaskInspect } from '../types.js';
import { writeRecord, type TaskRecord } from './journal.js';

/**
 * The exit of a task that ended while the daemon was not its parent. The
 * kernel tells the exit status only to the parent, which after a daemon
 * restart is init. Exit code -1 (as Nomad's raw_exec reports an exit it
 * could not observe) and `err` set, so it never reads as a success.
 */
export const UNKNOWN_EXIT: ExitResult = Object.freeze({
  exitCode: -1,
  signal: 0,
  oomKilled: false,
  err: 'exit status unknown: executor restarted while the task was running',
});

/** In-memory state of one task. */
export class SupervisedTask {
  rec: TaskRecord;
  readonly dir: string;
  output: TaskOutput | undefined;
  /** Whether the process is our child (its exit status comes from waitpid), not adopted. */
  ownChild = false;
  readonly sampler = new TaskStatsSampler();
  private readonly waiters = new Set<(r: ExitResult) => void>();

  constructor(dir: string, rec: TaskRecord) {
    this.dir = dir;
    this.rec = rec;
  }

  get id(): string {
    return this.rec.spec.taskId;
  }

  get pid(): number {
    return this.rec.pid;
  }

  get exited(): boolean {
    return this.rec.exit !== undefined;
  }

  /** What launch returned (also the answer to a repeated launch of the same id). */
  launched(): LaunchedTask {
    return {
      taskId: this.id,
      pid: this.rec.pid,
      startedAt: this.rec.startedAt,
      procStartTicks: this.rec.procStartTicks,
      ...(this.rec.cgroup ? { cgroup: Object.values(this.rec.cgroup.dirs)[0] } : {}),
    };
  }

  inspect(): TaskInspect {
    const exit = this.rec.exit;
    return {
      taskId: this.id,
      state: exit ? 'exited' : 'running',
      pid: this.rec.pid,
      startedAt: this.rec.startedAt,
      completedAt: exit?.completedAt ?? 0,
      ...(exit ? { exitResult: exit.result } : {}),
    };
  }

  /** Resolves at exit; `signal` removes the waiter and rejects. */
  wait(signal?: AbortSignal): Promise<ExitResult> {
    const exit = this.rec.exit;
    if (exit) return Promise.resolve(exit.result);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(done);
        const err = new Error('wait aborted');
        err.name = 'AbortError';
        reject(err);
      };
      const done = (r: ExitResult): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(done);
    });
  }

  /** Records the exit in the journal, then wakes every waiter. */
  finish(result: ExitResult, completedAt: number): void {
    if (this.rec.exit) return;
    this.ownChild = false;
    this.rec = { ...this.rec, exit: { result, completedAt } };
    writeRecord(this.dir, this.rec);
    for (const w of [...this.waiters]) w(result);
    this.waiters.clear();
  }
}
