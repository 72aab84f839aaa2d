/**
 * Builds the task directory (Nomad's task_dir hook): <alloc>/<task>/{local,secrets,tmp}
 * beside the shared <alloc>/alloc/{logs,tmp,data}. Done after the first success.
 */
import { mkdirSync } from 'node:fs';
import type { TaskDirPaths } from '../../drivers/types.js';
import { newEvent } from '../../model/task-event.js';
import type { EventEmitter, PrestartHook, PrestartRequest, PrestartResponse } from './types.js';

export class TaskDirHook implements PrestartHook {
  readonly name = 'task_dir';

  constructor(private readonly events: EventEmitter, private readonly now: () => number) {}

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    this.events.emit(newEvent('Task Setup', this.now(), { message: 'Building Task Directory' }));
    buildTaskDir(req.taskDir);
    return { done: true };
  }
}

/**
 * Creates every directory of the layout; idempotent. Synchronous on purpose:
 * a round trip through libuv's four file-system threads made task starts
 * queue behind each other under load (measured with bench/taskrunner.ts).
 * A mkdir is 20–50 µs on most disks, but up to ~0.5 ms on an ext4 without a
 * journal that has freed many inodes in the last 30 s (its allocator scans
 * past them); the agent starts allocs one at a time (agent.ts,
 * startSupervisor) so the executor is not kept waiting on all of them.
 */
export function buildTaskDir(dirs: TaskDirPaths): void {
  ensureDir(dirs.logDir);
  ensureDir(dirs.dir);
  ensureDir(dirs.localDir);
  ensureDir(dirs.tmpDir);
  // Secrets are the task's own: keep other users out (Nomad mounts a tmpfs here when it can).
  ensureDir(dirs.secretsDir, 0o700);
}

/** mkdir that tries the one-syscall path first and only walks parents when they are missing. */
export function ensureDir(path: string, mode = 0o755): void {
  try {
    mkdirSync(path, { mode });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw err;
    mkdirSync(path, { recursive: true, mode });
  }
}
