/**
 * TaskConfig + decoded exec config → the executor's LaunchSpec with
 * isolation: the chroot is the task dir, Nomad's chroot_env read-only, and
 * /alloc /local /secrets /tmp (plus the prestart hooks' mounts) inside.
 */
import type { IsolationSpec, LaunchSpec } from '../../executor/types.js';
import { taskNetns, taskOutput } from '../shared/executor-task.js';
import type { TaskConfig } from '../types.js';
import type { ExecPluginConfig, ExecTaskConfig } from './config.js';

/** Builds the launch; `user` and `capabilities` were validated by the caller. */
export function buildLaunchSpec(cfg: TaskConfig, task: ExecTaskConfig, plugin: ExecPluginConfig, user: string, capabilities: readonly string[]): LaunchSpec {
  const d = cfg.taskDir;
  const isolation: IsolationSpec = {
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
    // As Nomad's exec (a NEWNET namespace by path in the container config): the allocation's network, the task's own everything else.
    ...taskNetns(cfg),
  };
}
