/** The tasks a driver holds, by task id, with Nomad's errors for a missing or duplicate id. */
import { TaskAlreadyExistsError, TaskNotFoundError } from '../../model/errors.js';

/** What the table needs of a handle: a way to release it. */
export interface Disposable {
  dispose(): void;
}

/** Task handles by TaskConfig.id. */
export class TaskTable<H extends Disposable> {
  private readonly handles = new Map<string, H>();

  /** The handle of `taskId`; TaskNotFoundError (Nomad's ErrTaskNotFound) when there is none. */
  get(taskId: string): H {
    const h = this.handles.get(taskId);
    if (!h) throw new TaskNotFoundError(taskId);
    return h;
  }

  /** The handle of `taskId`, if held. */
  find(taskId: string): H | undefined {
    return this.handles.get(taskId);
  }

  has(taskId: string): boolean {
    return this.handles.has(taskId);
  }

  /** Throws TaskAlreadyExistsError when `taskId` is held (startTask checks before and after slow work). */
  checkNew(taskId: string): void {
    if (this.handles.has(taskId)) throw new TaskAlreadyExistsError(taskId);
  }

  /** Holds `h` under `taskId`; a duplicate id is refused. */
  add(taskId: string, h: H): void {
    this.checkNew(taskId);
    this.handles.set(taskId, h);
  }

  /** Forgets `taskId` and disposes its handle. */
  remove(taskId: string): void {
    const h = this.handles.get(taskId);
    this.handles.delete(taskId);
    h?.dispose();
  }

  /** Disposes and forgets every handle (driver shutdown: the tasks themselves keep running). */
  clear(): void {
    for (const h of this.handles.values()) h.dispose();
    this.handles.clear();
  }
}
