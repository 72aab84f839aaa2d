/**
 * Decides where the task's stdout/stderr go (the role of Nomad's logmon hook):
 * alloc/logs/<task>.stdout.N and .stderr.N, rotated by whoever writes them
 * (drover's executor, or the driver) per the task's logs {} block.
 */
import { join } from 'node:path';
import type { LogConfig } from '../../model/job.js';
import type { LogRotation } from '../../drivers/types.js';
import type { PrestartHook, PrestartRequest, PrestartResponse } from './types.js';
import { ensureDir } from './task-dir-hook.js';

/** Where a task's output goes. */
export interface LogTargets {
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** Undefined when logs {} disables collection. */
  readonly rotation?: LogRotation;
}

export class LogsHook implements PrestartHook {
  readonly name = 'logmon';

  constructor(private readonly logDir: string, private readonly taskName: string, private readonly logs: LogConfig) {}

  /** The paths and policy the runner hands to the driver. */
  targets(): LogTargets {
    if (this.logs.disabled) return { stdoutPath: '/dev/null', stderrPath: '/dev/null' };
    return {
      stdoutPath: join(this.logDir, `${this.taskName}.stdout.0`),
      stderrPath: join(this.logDir, `${this.taskName}.stderr.0`),
      rotation: { maxFiles: this.logs.maxFiles, maxFileSizeBytes: this.logs.maxFileSizeMb * 1024 * 1024 },
    };
  }

  async prestart(_req: PrestartRequest): Promise<PrestartResponse> {
    // The alloc may have been rebuilt (or logs removed by hand) since the task dir was built.
    if (!this.logs.disabled) ensureDir(this.logDir);
    return {};
  }
}
