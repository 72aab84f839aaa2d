import { ValidateHook } from './validate-hook.js';
import { TaskDirHook } from './task-dir-hook.js';
import { EnvHook } from './env-hook.js';
import { LogsHook } from './logs-hook.js';
import { ArtifactHook } from './artifact-hook.js';
import { StatsHook } from './stats-hook.js';
/** The hooks for one task, plus the logs hook the runner asks for log targets. */
export function builtinHooks(d) {
    const logs = new LogsHook(d.logDir, d.task.name, d.task.logs);
    const hooks = [
        new ValidateHook(d.validate),
        new TaskDirHook(d.events, d.now),
        new EnvHook({
            job: d.job,
            group: d.group,
            allocId: d.allocId,
            allocIndex: d.allocIndex,
            allocDir: d.allocDir,
            node: d.node,
            fsIsolation: d.fsIsolation,
            hostEnv: d.hostEnv,
        }),
        logs,
        new ArtifactHook({ ...d.artifacts, events: d.events, now: d.now, node: d.node }),
        new StatsHook(d.statsIntervalMs, d.stats, d.logger),
    ];
    return { hooks, logs };
}
//# sourceMappingURL=index.js.map