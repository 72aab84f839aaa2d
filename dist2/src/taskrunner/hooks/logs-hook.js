/**
 * Decides where the task's stdout/stderr go (the role of Nomad's logmon hook):
 * alloc/logs/<task>.stdout.N and .stderr.N, rotated by whoever writes them
 * (drover's executor, or the driver) per the task's logs {} block.
 */
import { join } from 'node:path';
import { ensureDir } from './task-dir-hook.js';
export class LogsHook {
    logDir;
    taskName;
    logs;
    name = 'logmon';
    constructor(logDir, taskName, logs) {
        this.logDir = logDir;
        this.taskName = taskName;
        this.logs = logs;
    }
    /** The paths and policy the runner hands to the driver. */
    targets() {
        if (this.logs.disabled)
            return { stdoutPath: '/dev/null', stderrPath: '/dev/null' };
        return {
            stdoutPath: join(this.logDir, `${this.taskName}.stdout.0`),
            stderrPath: join(this.logDir, `${this.taskName}.stderr.0`),
            rotation: { maxFiles: this.logs.maxFiles, maxFileSizeBytes: this.logs.maxFileSizeMb * 1024 * 1024 },
        };
    }
    async prestart(_req) {
        // The alloc may have been rebuilt (or logs removed by hand) since the task dir was built.
        if (!this.logs.disabled)
            ensureDir(this.logDir);
        return {};
    }
}
//# sourceMappingURL=logs-hook.js.map