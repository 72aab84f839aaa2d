/**
 * TaskConfig + decoded exec config → the executor's LaunchSpec with
 * isolation: the chroot is the task dir, Nomad's chroot_env read-only, and
 * /alloc /local /secrets /tmp (plus the prestart hooks' mounts) inside.
 */
import type { IsolatedMount, IsolationSpec, LaunchSpec, MountPropagation } from '../../executor/types.js';
import { ValidationError } from '../../model/errors.js';
import { taskNetns, taskOutput } from '../shared/executor-task.js';
import type { MountConfig, TaskConfig } from '../types.js';
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
      ...cfg.mounts.map((m) => ({ hostPath: m.hostPath, taskPath: m.taskPath, readonly: m.readonly, ...propagationOf(m) })),
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

const PROPAGATION_MODES = ['private', 'host-to-task', 'bidirectional'] as const satisfies readonly MountPropagation[];

function isPropagation(s: string): s is MountPropagation {
  return (PROPAGATION_MODES as readonly string[]).includes(s);
}

/**
 * A mount's propagation_mode for the executor: "" (or absent) is private, as
 * in Nomad. Nomad's jobspec refuses other values, but a task config from a
 * Nomad client is checked here too. selinux_label is not applied: Nomad's
 * exec driver ignores it as well, with SELinux or without.
 */
function propagationOf(m: MountConfig): Pick<IsolatedMount, 'propagation'> {
  const mode = m.propagationMode ?? '';
  if (mode === '' || mode === 'private') return {};
  if (!isPropagation(mode)) {
    throw new ValidationError([{ field: 'volume_mount.propagation_mode', message: `mount ${m.taskPath}: invalid propagation mode ${JSON.stringify(mode)} (one of ${PROPAGATION_MODES.join(', ')})` }]);
  }
  return { propagation: mode };
}
