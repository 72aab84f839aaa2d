import { buildTaskEnv } from '../task-env.js';
export class EnvHook {
    config;
    name = 'env';
    constructor(config) {
        this.config = config;
    }
    async prestart(req) {
        const c = this.config;
        const isolated = c.fsIsolation !== 'none';
        const dirs = isolated
            ? { alloc: '/alloc', local: '/local', secrets: '/secrets' }
            : { alloc: req.taskDir.sharedAllocDir, local: req.taskDir.localDir, secrets: req.taskDir.secretsDir };
        const env = buildTaskEnv({
            job: c.job,
            group: c.group,
            task: req.task,
            allocId: c.allocId,
            allocIndex: c.allocIndex,
            dirs,
            node: c.node,
            hookEnv: req.env,
            hostEnv: c.fsIsolation === 'image' ? undefined : c.hostEnv,
        });
        // Not done: the task's env may change with an in-place update, so rebuild each start.
        return { env };
    }
}
//# sourceMappingURL=env-hook.js.map