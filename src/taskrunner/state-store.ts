/**
 * Where task runners persist what must survive an agent restart: the task's
 * state and events, hook state, and the driver handle. The agent backs this
 * with SQLite; `drover run` and tests use the in-memory store.
 */
import type { TaskState } from '../model/task-state.js';
import type { DriverNetwork, TaskConfig, TaskHandle } from '../drivers/types.js';
import type { HookState } from './hooks/types.js';

/** Runner-private state (Nomad's taskrunner state.LocalState). */
export interface LocalTaskState {
  readonly hooks: Readonly<Record<string, HookState>>;
  readonly handle?: TaskHandle;
  readonly network?: DriverNetwork;
  /**
   * A start under way: the config handed to the driver, written before the
   * driver is asked (and cleared once its handle is stored or the start
   * failed). An agent killed in between may have a task running that no
   * handle names; the next agent finishes that start with the same task id
   * (an executor's launch is idempotent per id) rather than starting another.
   */
  readonly launching?: TaskConfig;
  /** The runner finished for good (stop hooks ran). */
  readonly runComplete: boolean;
}

export interface TaskStateStore {
  putTaskState(allocId: string, taskName: string, state: TaskState): void;
  putLocalState(allocId: string, taskName: string, local: LocalTaskState): void;
  getTaskState(allocId: string, taskName: string): TaskState | undefined;
  getLocalState(allocId: string, taskName: string): LocalTaskState | undefined;
}

/**
 * Keeps everything in memory (foreground runs and tests). Task states are
 * kept by reference (the runner owns them) and copied only when read back.
 */
export class MemoryStateStore implements TaskStateStore {
  private readonly states = new Map<string, TaskState>();
  private readonly locals = new Map<string, LocalTaskState>();

  putTaskState(allocId: string, taskName: string, state: TaskState): void {
    this.states.set(`${allocId}/${taskName}`, state);
  }

  putLocalState(allocId: string, taskName: string, local: LocalTaskState): void {
    this.locals.set(`${allocId}/${taskName}`, local);
  }

  getTaskState(allocId: string, taskName: string): TaskState | undefined {
    const s = this.states.get(`${allocId}/${taskName}`);
    return s && structuredClone(s);
  }

  getLocalState(allocId: string, taskName: string): LocalTaskState | undefined {
    return this.locals.get(`${allocId}/${taskName}`);
  }
}
