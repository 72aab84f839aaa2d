import { msToTimestamp, timestampToMs } from './time.js';
/** drover → wire. */
export function taskEventToPb(e) {
    return {
        task_id: e.taskId,
        alloc_id: e.allocId,
        task_name: e.taskName,
        timestamp: msToTimestamp(e.timestamp),
        message: e.message,
        annotations: { ...e.annotations },
    };
}
/** wire → drover. */
export function taskEventFromPb(m) {
    return {
        taskId: m.task_id,
        allocId: m.alloc_id,
        taskName: m.task_name,
        timestamp: timestampToMs(m.timestamp),
        message: m.message,
        annotations: { ...m.annotations },
    };
}
//# sourceMappingURL=task-event.js.map