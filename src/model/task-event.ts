/**
 * Task events, one variant per Nomad event type with only that type's fields.
 * `displayMessage` renders them exactly as `nomad alloc status` does.
 */
import { formatDuration } from './duration.js';

interface Base {
  /** Unix milliseconds. */
  readonly time: number;
}

export type TaskEvent = Base &
  (
    | { readonly type: 'Received' }
    | { readonly type: 'Task Setup'; readonly message: string }
    | { readonly type: 'Started' }
    | { readonly type: 'Terminated'; readonly exitCode: number; readonly signal: number; readonly message: string; readonly oomKilled: boolean }
    | { readonly type: 'Restarting'; readonly restartReason: string; readonly startDelayMs: number }
    | { readonly type: 'Not Restarting'; readonly restartReason: string; readonly failsTask: boolean }
    /** `display`: Nomad's SetDisplayMessage override (a max_run_duration stop). */
    | { readonly type: 'Killing'; readonly killTimeoutMs: number; readonly killReason: string; readonly failsTask?: boolean; readonly display?: string }
    | { readonly type: 'Killed'; readonly killError: string }
    | { readonly type: 'Driver Failure'; readonly driverError: string; readonly failsTask: boolean }
    | { readonly type: 'Setup Failure'; readonly setupError: string; readonly failsTask: boolean }
    | { readonly type: 'Failed Validation'; readonly validationError: string; readonly failsTask: boolean }
    /** `display`: Nomad's SetDisplayMessage override (templates signal with "Template re-rendered"). */
    | { readonly type: 'Signaling'; readonly taskSignal: string; readonly taskSignalReason: string; readonly display?: string }
    | { readonly type: 'Restart Signaled'; readonly restartReason: string }
    | { readonly type: 'Sibling Task Failed'; readonly failedSibling: string }
    | { readonly type: 'Leader Task Dead' }
    | { readonly type: 'Main Tasks Dead' }
    | { readonly type: 'Task hook failed'; readonly message: string; readonly failsTask: boolean }
    | { readonly type: 'Task hook message'; readonly message: string }
    | { readonly type: 'Downloading Artifacts' }
    | { readonly type: 'Failed Artifact Download'; readonly downloadError: string }
    | { readonly type: 'Driver'; readonly driverMessage: string }
    | { readonly type: 'Waiting for shutdown delay' }
    | { readonly type: 'Failed Restoring Task'; readonly message: string }
    /** consul-template's source name: "Missing: ..." while a template waits for data. */
    | { readonly type: 'Template'; readonly message: string }
  );

export type TaskEventType = TaskEvent['type'];

/** Fields of one variant, without type and time: what `newEvent` needs. */
export type EventFields<T extends TaskEventType> = Omit<Extract<TaskEvent, { type: T }>, 'type' | 'time'>;

/** Builds an event stamped with `time` (pass the injected clock's now()). */
export function newEvent<T extends TaskEventType>(type: T, time: number, fields: EventFields<T>): Extract<TaskEvent, { type: T }> {
  return { type, time, ...fields } as unknown as Extract<TaskEvent, { type: T }>;
}

/** The human description Nomad shows in the "Recent Events" table. */
export function displayMessage(e: TaskEvent): string {
  switch (e.type) {
    case 'Received':
      return 'Task received by client';
    case 'Task Setup':
      return e.message;
    case 'Started':
      return 'Task started by client';
    case 'Terminated': {
      const parts = [`Exit Code: ${e.exitCode}`];
      if (e.signal !== 0) parts.push(`Signal: ${e.signal}`);
      // Nomad says nothing of an OOM kill here: it is in Details["oom_killed"] only.
      if (e.message !== '') parts.push(`Exit Message: ${JSON.stringify(e.message)}`);
      return parts.join(', ');
    }
    case 'Restarting': {
      const within = `Task restarting in ${formatDuration(e.startDelayMs)}`;
      return e.restartReason !== '' && e.restartReason !== 'Restart within policy' ? `${e.restartReason} - ${within}` : within;
    }
    case 'Not Restarting':
      return e.restartReason || 'Task exceeded restart policy';
    case 'Killing':
      if (e.display) return e.display;
      if (e.killReason) return e.killReason;
      return e.killTimeoutMs > 0 ? `Sent interrupt. Waiting ${formatDuration(e.killTimeoutMs)} before force killing` : 'Sent interrupt';
    case 'Killed':
      return e.killError || 'Task successfully killed';
    case 'Driver Failure':
      return e.driverError || 'Failed to start task';
    case 'Setup Failure':
      return e.setupError || 'Task setup failed';
    case 'Failed Validation':
      return e.validationError || 'Validation of task failed';
    case 'Signaling':
      if (e.display) return e.display;
      if (!e.taskSignal && !e.taskSignalReason) return 'Task being sent a signal';
      if (!e.taskSignal) return e.taskSignalReason;
      if (!e.taskSignalReason) return `Task being sent signal ${e.taskSignal}`;
      return `Task being sent signal ${e.taskSignal}: ${e.taskSignalReason}`;
    case 'Restart Signaled':
      return e.restartReason || 'Task signaled to restart';
    case 'Sibling Task Failed':
      return e.failedSibling ? `Task's sibling ${JSON.stringify(e.failedSibling)} failed` : "Task's sibling failed";
    case 'Leader Task Dead':
      return 'Leader Task in Group dead';
    case 'Main Tasks Dead':
      return 'Main tasks in the group died';
    case 'Task hook failed':
    case 'Task hook message':
    case 'Failed Restoring Task':
    case 'Template':
      return e.message;
    case 'Downloading Artifacts':
      return 'Client is downloading artifacts';
    case 'Failed Artifact Download':
      return e.downloadError || 'Failed to download artifacts';
    case 'Driver':
      return e.driverMessage;
    case 'Waiting for shutdown delay':
      return 'Waiting for shutdown delay';
    default: {
      const never: never = e;
      return String(never);
    }
  }
}

/** Whether this event marks the task as failed (Nomad's FailsTask). */
export function failsTask(e: TaskEvent): boolean {
  return 'failsTask' in e && e.failsTask === true;
}
