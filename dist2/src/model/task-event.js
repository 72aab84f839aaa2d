/**
 * Task events, one variant per Nomad event type with only that type's fields.
 * `displayMessage` renders them exactly as `nomad alloc status` does.
 */
import { formatDuration } from './duration.js';
/** Builds an event stamped with `time` (pass the injected clock's now()). */
export function newEvent(type, time, fields) {
    return { type, time, ...fields };
}
/** The human description Nomad shows in the "Recent Events" table. */
export function displayMessage(e) {
    switch (e.type) {
        case 'Received':
            return 'Task received by client';
        case 'Task Setup':
            return e.message;
        case 'Started':
            return 'Task started by client';
        case 'Terminated': {
            const parts = [`Exit Code: ${e.exitCode}`];
            if (e.signal !== 0)
                parts.push(`Signal: ${e.signal}`);
            if (e.oomKilled)
                parts.push('OOM Killed: true');
            if (e.message !== '')
                parts.push(`Exit Message: ${JSON.stringify(e.message)}`);
            return parts.join(', ');
        }
        case 'Restarting': {
            const within = `Task restarting in ${formatDuration(e.startDelayMs)}`;
            return e.restartReason !== '' && e.restartReason !== 'Restart within policy' ? `${e.restartReason} - ${within}` : within;
        }
        case 'Not Restarting':
            return e.restartReason || 'Task exceeded restart policy';
        case 'Killing':
            if (e.killReason)
                return e.killReason;
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
            if (!e.taskSignal && !e.taskSignalReason)
                return 'Task being sent a signal';
            if (!e.taskSignal)
                return e.taskSignalReason;
            if (!e.taskSignalReason)
                return `Task being sent signal ${e.taskSignal}`;
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
            const never = e;
            return String(never);
        }
    }
}
/** Whether this event marks the task as failed (Nomad's FailsTask). */
export function failsTask(e) {
    return 'failsTask' in e && e.failsTask === true;
}
//# sourceMappingURL=task-event.js.map