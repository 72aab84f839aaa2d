/**
 * Builds the task directory (Nomad's task_dir hook): <alloc>/<task>/{local,secrets,tmp}
 * beside the shared <alloc>/alloc/{logs,tmp,data}. Done after the first success.
 */
import { mkdir } from 'node:fs/promises';
import type { TaskDirPaths } from '../../drivers/types.js';
import { newEvent } from '../../model/task-event.js';
import type { EventEmitter, PrestartHook, PrestartRequest, PrestartResponse } from './types.js';

export class TaskDirHook implements PrestartHook {
  readonly name = 'task_dir';

  constructor(private readonly events: EventEmitter, private readonly now: () => number) {}

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    this.events.emit(newEvent('Task Setup', this.now(), { message: 'Building Task Directory' }));
    await buildTaskDir(req.taskDir);
    return { done: true };
  }
}

/** Creates every directory of the layout; idempotent. */
export async function buildTaskDir(dirs: TaskDirPaths): Promise<void> {
  await Promise.all([
    mkdir(dirs.logDir, { recursive: true }),
    mkdir(dirs.localDir, { recursive: true }),
    mkdir(dirs.tmpDir, { recursive: true }),
    // Secrets are the task's own: keep other users out (Nomad mounts a tmpfs here when it can).
    mkdir(dirs.secretsDir, { recursive: true, mode: 0o700 }),
  ]);
}
