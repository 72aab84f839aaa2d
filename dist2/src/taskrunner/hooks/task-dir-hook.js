/**
 * Builds the task directory (Nomad's task_dir hook): <alloc>/<task>/{local,secrets,tmp}
 * beside the shared <alloc>/alloc/{logs,tmp,data}. Done after the first success.
 */
import { mkdirSync } from 'node:fs';
import { newEvent } from '../../model/task-event.js';
export class TaskDirHook {
    events;
    now;
    name = 'task_dir';
    constructor(events, now) {
        this.events = events;
        this.now = now;
    }
    async prestart(req) {
        this.events.emit(newEvent('Task Setup', this.now(), { message: 'Building Task Directory' }));
        buildTaskDir(req.taskDir);
        return { done: true };
    }
}
/**
 * Creates every directory of the layout; idempotent. Synchronous on purpose:
 * a mkdir is a few microseconds, while a round trip through libuv's four
 * file-system threads costs more than the call and made task starts queue
 * behind each other under load (measured with bench/taskrunner.ts).
 */
export function buildTaskDir(dirs) {
    ensureDir(dirs.logDir);
    ensureDir(dirs.dir);
    ensureDir(dirs.localDir);
    ensureDir(dirs.tmpDir);
    // Secrets are the task's own: keep other users out (Nomad mounts a tmpfs here when it can).
    ensureDir(dirs.secretsDir, 0o700);
}
/** mkdir that tries the one-syscall path first and only walks parents when they are missing. */
export function ensureDir(path, mode = 0o755) {
    try {
        mkdirSync(path, { mode });
    }
    catch (err) {
        const code = err.code;
        if (code === 'EEXIST')
            return;
        if (code !== 'ENOENT')
            throw err;
        mkdirSync(path, { recursive: true, mode });
    }
}
//# sourceMappingURL=task-dir-hook.js.map