import { exitResultFromPb, exitResultToPb } from './exit-result.js';
import { networkFromPb, networkToPb } from './network.js';
import { taskStateFromPb, taskStateToPb } from './task-handle.js';
import { msToTimestamp, timestampToMs } from './time.js';
/** drover → wire. */
export function taskStatusToPb(s) {
    return {
        task: {
            id: s.id,
            name: s.name,
            state: taskStateToPb(s.state),
            started_at: msToTimestamp(s.startedAt),
            completed_at: msToTimestamp(s.completedAt),
            result: exitResultToPb(s.exitResult),
        },
        driver: { attributes: { ...s.driverAttributes } },
        network_override: networkToPb(s.network),
    };
}
/** wire → drover; the exit result is kept once the task has exited. */
export function taskStatusFromPb(m) {
    const t = m.task;
    if (!t)
        throw new Error('InspectTask response has no task');
    const state = taskStateFromPb(t.state);
    const completedAt = timestampToMs(t.completed_at);
    const network = networkFromPb(m.network_override);
    return {
        id: t.id,
        name: t.name,
        state,
        startedAt: timestampToMs(t.started_at),
        completedAt,
        ...(state === 'exited' || completedAt !== 0 ? { exitResult: exitResultFromPb(t.result) } : {}),
        driverAttributes: { ...(m.driver?.attributes ?? {}) },
        ...(network ? { network } : {}),
    };
}
//# sourceMappingURL=task-status.js.map