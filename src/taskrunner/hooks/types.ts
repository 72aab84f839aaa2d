/**
 * Task lifecycle hooks, mirroring Nomad's task_lifecycle.go:
 *
 *                               Restart
 *   +--------------------------------------------------------+
 *   |                                                        |
 *   |                      *Update                           |
 *   |                     +-------+                          |
 *   |                     |       |                          |
 *   |                  +--v-------+----+                     |
 *   +----v----+        |    Running    |     +----+-----+    +--------------+
 *   |         | *Prestart  |-------------| *Exited |      | *Stop  |          |
 *   | Pending +-----------> *Poststart run +--^----------> Exited +----------> Terminal |
 *   |         |        |  upon entering  |  |          |  NoRestart|          |
 *   +---------+        |  running        |  |          +----------+          +
 *                      +--------+--------+  |
 *                               |           |
 *                               +-----------+
 *                                  *Kill (forces terminal)
 *
 * Each phase is a one-method interface a hook opts into; the runner checks
 * for it with the guards below. Every method gets an AbortSignal that fires
 * when the task is killed or the agent shuts down.
 */
import type { Task } from '../../model/job.js';
import type { TaskEvent } from '../../model/task-event.js';
import type { DeviceConfig, DriverNetwork, DriverPlugin, MountConfig, TaskDirPaths, TaskResourceUsage } from '../../drivers/types.js';
import { DroverError, ErrorCode } from '../../model/errors.js';

export interface TaskHook {
  readonly name: string;
}


export interface PrestartRequest {
  readonly task: Task;
  readonly taskDir: TaskDirPaths;
  /** The task env built so far (earlier hooks' env included). */
  readonly env: Readonly<Record<string, string>>;
  /** What this hook stored last time; copy it into the response's state to keep it. */
  readonly previousState?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface PrestartResponse {
  readonly env?: Readonly<Record<string, string>>;
  readonly mounts?: readonly MountConfig[];
  readonly devices?: readonly DeviceConfig[];
  /** Persisted and handed back as previousState on the next run. */
  readonly state?: Readonly<Record<string, string>>;
  /** The hook succeeded for good: skip it on later restarts (its env is still applied). */
  readonly done?: boolean;
}

export interface PrestartHook extends TaskHook {
  prestart(req: PrestartRequest): Promise<PrestartResponse | void>;
}

/** The running task as poststart hooks may use it. */
export interface RunningTask {
  readonly taskId: string;
  readonly driver: Pick<DriverPlugin, 'execTask' | 'taskStats' | 'signalTask'>;
  readonly network?: DriverNetwork;
}

export interface PoststartRequest {
  readonly task: Task;
  readonly running: RunningTask;
  readonly env: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface PoststartHook extends TaskHook {
  poststart(req: PoststartRequest): Promise<void>;
}

export interface PreKillHook extends TaskHook {
  /** Called right before a kill or restart; may run without prestart having run. */
  preKilling(req: { readonly signal: AbortSignal }): Promise<void>;
}

export interface ExitedHook extends TaskHook {
  /** Called after the task exits, whether or not it will restart. */
  exited(req: { readonly signal: AbortSignal }): Promise<void>;
}

export interface UpdateRequest {
  readonly task: Task;
  readonly env: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface UpdateHook extends TaskHook {
  /** The job changed in place; runs concurrently with everything else. */
  update(req: UpdateRequest): Promise<void>;
}

export interface StopHook extends TaskHook {
  /** The task will not start again. Always runs once the runner ran; must be idempotent. */
  stop(req: { readonly existingState?: Readonly<Record<string, string>>; readonly signal: AbortSignal }): Promise<void>;
}

export type AnyHook = TaskHook & Partial<PrestartHook & PoststartHook & PreKillHook & ExitedHook & UpdateHook & StopHook>;

export const isPrestartHook = (h: TaskHook): h is PrestartHook => typeof (h as AnyHook).prestart === 'function';
export const isPoststartHook = (h: TaskHook): h is PoststartHook => typeof (h as AnyHook).poststart === 'function';
export const isPreKillHook = (h: TaskHook): h is PreKillHook => typeof (h as AnyHook).preKilling === 'function';
export const isExitedHook = (h: TaskHook): h is ExitedHook => typeof (h as AnyHook).exited === 'function';
export const isUpdateHook = (h: TaskHook): h is UpdateHook => typeof (h as AnyHook).update === 'function';
export const isStopHook = (h: TaskHook): h is StopHook => typeof (h as AnyHook).stop === 'function';

/** A hook failure that carries its own event (Nomad's HookError), e.g. "Failed Artifact Download". */
export class HookError extends DroverError {
  readonly event: TaskEvent;
  /** Progress to keep despite the failure (handed back as previousState on the retry). */
  readonly state?: Readonly<Record<string, string>>;
  constructor(
    message: string,
    event: TaskEvent,
    opts: { code?: ErrorCode; recoverable?: boolean; cause?: unknown; state?: Readonly<Record<string, string>> } = {},
  ) {
    super(opts.code ?? ErrorCode.internal, message, opts);
    this.event = event;
    this.state = opts.state;
  }
}

/** Persisted per hook (Nomad's HookState). */
export interface HookState {
  readonly prestartDone: boolean;
  readonly data?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
}

/** What hooks use to report events (the runner implements it). */
export interface EventEmitter {
  emit(event: TaskEvent): void;
}

/** Where the stats hook puts its samples, and learns whether anyone wants more. */
export interface StatsSink {
  update(usage: TaskResourceUsage): void;
  /** true at once while samples are wanted, else once they are wanted again; false when `signal` aborts first. */
  wanted(signal: AbortSignal): Promise<boolean>;
}
