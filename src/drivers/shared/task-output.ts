/** Where an executor-backed task's stdout and stderr go. */
import type { OutputSpec } from '../../executor/types.js';
import type { TaskConfig } from '../types.js';

/** drover's rotated files when the host asks the driver to rotate; otherwise the paths as given (FIFOs under Nomad). */
export function taskOutput(cfg: TaskConfig): OutputSpec {
  if (cfg.logRotation) {
    return { kind: 'rotate', dir: cfg.taskDir.logDir, taskName: cfg.name, maxFiles: cfg.logRotation.maxFiles, maxFileSizeBytes: cfg.logRotation.maxFileSizeBytes };
  }
  return { kind: 'paths', stdoutPath: cfg.stdoutPath, stderrPath: cfg.stderrPath };
}
