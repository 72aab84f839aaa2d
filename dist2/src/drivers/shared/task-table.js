/** The tasks a driver holds, by task id, with Nomad's errors for a missing or duplicate id. */
import { TaskAlreadyExistsError, TaskNotFoundError } from '../../model/errors.js';
/** Task handles by TaskConfig.id. */
export class TaskTable {
    handles = new Map();
    /** The handle of `taskId`; TaskNotFoundError (Nomad's ErrTaskNotFound) when there is none. */
    get(taskId) {
        const h = this.handles.get(taskId);
        if (!h)
            throw new TaskNotFoundError(taskId);
        return h;
    }
    /** The handle of `taskId`, if held. */
    find(taskId) {
        return this.handles.get(taskId);
    }
    has(taskId) {
        return this.handles.has(taskId);
    }
    /** Throws TaskAlreadyExistsError when `taskId` is held (startTask checks before and after slow work). */
    checkNew(taskId) {
        if (this.handles.has(taskId))
            throw new TaskAlreadyExistsError(taskId);
    }
    /** Holds `h` under `taskId`; a duplicate id is refused. */
    add(taskId, h) {
        this.checkNew(taskId);
        this.handles.set(taskId, h);
    }
    /** Forgets `taskId` and disposes its handle. */
    remove(taskId) {
        const h = this.handles.get(taskId);
        this.handles.delete(taskId);
        h?.dispose();
    }
    /** Disposes and forgets every handle (driver shutdown: the tasks themselves keep running). */
    clear() {
        for (const h of this.handles.values())
            h.dispose();
        this.handles.clear();
    }
}
//# sourceMappingURL=task-table.js.map