/**
 * What the template hook may do to its task (Nomad's TaskLifecycle plus the
 * handle's Exec): the task runner implements it; the alloc runner wires it.
 */
import type { TaskEvent } from '../../../model/task-event.js';
import type { ExecTaskResult } from '../../../drivers/types.js';

export interface TemplateLifecycle {
  /** Restarts the running task; `failure` counts it against the restart policy. */
  restart(event: TaskEvent, failure: boolean): Promise<void>;
  /** Signals the running task; rejects with code "not_running" when it is not. */
  signal(event: TaskEvent, sig: string): Promise<void>;
  /** Kills the task for good (not awaited: the hook may be inside the runner's prestart). */
  kill(event: TaskEvent): void;
  /** Runs a command inside the running task (change_script). */
  exec(cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult>;
  /** Whether the task is running now (a render then is a change to act on). */
  isRunning(): boolean;
}
