/**
 * A task's client-side state, as Nomad's TaskState: pending → running → dead,
 * with restarts counted and events appended.
 */
import type { TaskEvent } from './task-event.js';

export type TaskStateName = 'pending' | 'running' | 'dead';

export interface TaskState {
  state: TaskStateName;
  /** Set once a failure is final (Nomad's Failed). */
  failed: boolean;
  restarts: number;
  /** Unix ms, 0 when never. */
  lastRestart: number;
  startedAt: number;
  finishedAt: number;
  events: TaskEvent[];
}

export function newTaskState(): TaskState {
  return { state: 'pending', failed: false, restarts: 0, lastRestart: 0, startedAt: 0, finishedAt: 0, events: [] };
}

/** Nomad keeps the last 10 events per task. */
export const MAX_TASK_EVENTS = 10;
