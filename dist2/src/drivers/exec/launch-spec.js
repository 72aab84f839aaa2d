import { taskOutput } from '../shared/executor-task.js';
/** Builds the launch; `user` and `capabilities` were validated by the caller. */
export function buildLaunchSpec(cfg, task, plugin, user, capabilities) {
    const d = cfg.taskDir;
    const isolation = {
        root: d.dir,
        chrootEnv: plugin.chrootEnv,
        mounts: [
            { hostPath: d.sharedAllocDir, taskPath: '/alloc', readonly: false },
            { hostPath: d.localDir, taskPath: '/local', readonly: false },
            { hostPath: d.secretsDir, taskPath: '/secrets', readonly: false },
            { hostPath: d.tmpDir, taskPath: '/tmp', readonly: false },
            ...cfg.mounts.map((m) => ({ hostPath: m.hostPath, taskPath: m.taskPath, readonly: m.readonly })),
        ],
        devices: cfg.devices.map((x) => ({ hostPath: x.hostPath, taskPath: x.taskPath, permissions: x.permissions })),
        pidMode: task.pidMode || plugin.defaultPidMode,
        ipcMode: task.ipcMode || plugin.defaultIpcMode,
        // Nomad's exec tasks see the node's hostname; the UTS namespace only keeps them from changing it.
        hostname: '',
        capabilities,
        noPivotRoot: plugin.noPivotRoot,
    };
    return {
        taskId: cfg.id,
        command: task.command,
        args: task.args,
        env: cfg.env,
        cwd: task.workDir || '/',
        user,
        output: taskOutput(cfg),
        resources: {
            cpuShares: cfg.resources.cpuShares,
            memoryMb: cfg.resources.memoryMb,
            memoryMaxMb: cfg.resources.memoryMaxMb,
            pidsLimit: plugin.pidsLimit,
        },
        cgroup: true,
        isolation,
    };
}
//# sourceMappingURL=launch-spec.js.map