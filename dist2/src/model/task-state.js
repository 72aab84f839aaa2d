export function newTaskState() {
    return { state: 'pending', failed: false, restarts: 0, lastRestart: 0, startedAt: 0, finishedAt: 0, events: [] };
}
/** Nomad keeps the last 10 events per task. */
export const MAX_TASK_EVENTS = 10;
//# sourceMappingURL=task-state.js.map