/**
 * drover's TaskState and TaskEvent → Nomad's api.TaskState / api.TaskEvent:
 * per-type fields go into Details under Nomad's keys (structs.TaskEvent's
 * Set* methods) and into the deprecated flat fields Nomad still fills.
 */
import { displayMessage, type TaskEvent } from '../../model/task-event.js';
import type { TaskState } from '../../model/task-state.js';
import type { ApiTaskEvent, ApiTaskState } from '../../model/nomad-api/index.js';

const NS_PER_MS = 1_000_000;
/** Go's zero time.Time as JSON. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Unix ms → RFC 3339, or Go's zero time for 0. */
export function goTime(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : GO_ZERO_TIME;
}

export function toApiTaskState(s: Readonly<TaskState>): ApiTaskState {
  return {
    State: s.state,
    Failed: s.failed,
    Restarts: s.restarts,
    LastRestart: goTime(s.lastRestart),
    StartedAt: goTime(s.startedAt),
    FinishedAt: goTime(s.finishedAt),
    Events: s.events.map(toApiTaskEvent),
  };
}

export function toApiTaskEvent(e: TaskEvent): ApiTaskEvent {
  const out: ApiTaskEvent = {
    Type: e.type,
    Time: e.time * NS_PER_MS,
    DisplayMessage: displayMessage(e),
    Details: {},
    Message: '',
    FailsTask: false,
    RestartReason: '',
    SetupError: '',
    DriverError: '',
    DriverMessage: '',
    ExitCode: 0,
    Signal: 0,
    KillReason: '',
    KillTimeout: 0,
    KillError: '',
    StartDelay: 0,
    DownloadError: '',
    ValidationError: '',
    DiskLimit: 0,
    DiskSize: 0,
    FailedSibling: '',
    VaultError: '',
    TaskSignalReason: '',
    TaskSignal: '',
    GenericSource: '',
  };
  const d = out.Details;
  if ('failsTask' in e && e.failsTask) {
    out.FailsTask = true;
    d['fails_task'] = 'true';
  }
  switch (e.type) {
    case 'Task Setup':
    case 'Task hook failed':
    case 'Task hook message':
    case 'Failed Restoring Task':
      out.Message = e.message;
      d['message'] = e.message;
      break;
    case 'Terminated':
      out.ExitCode = e.exitCode;
      out.Signal = e.signal;
      d['exit_code'] = String(e.exitCode);
      d['signal'] = String(e.signal);
      d['oom_killed'] = String(e.oomKilled);
      if (e.message !== '') {
        d['exit_message'] = e.message;
        out.Message = e.message;
      }
      break;
    case 'Restarting':
      out.RestartReason = e.restartReason;
      out.StartDelay = e.startDelayMs * NS_PER_MS;
      d['restart_reason'] = e.restartReason;
      d['start_delay'] = String(e.startDelayMs * NS_PER_MS);
      break;
    case 'Not Restarting':
    case 'Restart Signaled':
      out.RestartReason = e.restartReason;
      d['restart_reason'] = e.restartReason;
      break;
    case 'Killing':
      out.KillTimeout = e.killTimeoutMs * NS_PER_MS;
      out.KillReason = e.killReason;
      d['kill_timeout'] = goDuration(e.killTimeoutMs);
      if (e.killReason !== '') d['kill_reason'] = e.killReason;
      break;
    case 'Killed':
      if (e.killError !== '') {
        out.KillError = e.killError;
        d['kill_error'] = e.killError;
      }
      break;
    case 'Driver Failure':
      out.DriverError = e.driverError;
      d['driver_error'] = e.driverError;
      break;
    case 'Setup Failure':
      out.SetupError = e.setupError;
      d['setup_error'] = e.setupError;
      break;
    case 'Failed Validation':
      out.ValidationError = e.validationError;
      d['validation_error'] = e.validationError;
      break;
    case 'Signaling':
      out.TaskSignal = e.taskSignal;
      out.TaskSignalReason = e.taskSignalReason;
      d['task_signal'] = e.taskSignal;
      d['task_signal_reason'] = e.taskSignalReason;
      break;
    case 'Sibling Task Failed':
      out.FailedSibling = e.failedSibling;
      d['failed_sibling'] = e.failedSibling;
      break;
    case 'Failed Artifact Download':
      out.DownloadError = e.downloadError;
      d['download_error'] = e.downloadError;
      break;
    case 'Driver':
      out.DriverMessage = e.driverMessage;
      d['driver_message'] = e.driverMessage;
      break;
    case 'Received':
    case 'Started':
    case 'Leader Task Dead':
    case 'Main Tasks Dead':
    case 'Downloading Artifacts':
    case 'Waiting for shutdown delay':
    // Nomad sets only the display message on consul-template's events.
    case 'Template':
      break;
    default: {
      const never: never = e;
      return never;
    }
  }
  return out;
}

/** Go's time.Duration.String() for whole milliseconds ("5s", "1m30s", "250ms"). */
function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let rest = ms / 1000;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const s = `${Math.round(rest * 1000) / 1000}s`;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}`;
}
