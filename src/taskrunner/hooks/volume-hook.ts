/**
 * Nomad's volume_hook (client/allocrunner/taskrunner/volume_hook.go): turns
 * the task's volume_mount blocks into driver mounts from the node's host
 * volumes. It checks again at every start that the host volumes exist (the
 * agent may have restarted without one), and refuses a driver that takes no
 * mounts, as Nomad does (raw_exec, qemu, mock_driver: "does not support host
 * volumes"). A mount is read-only when the mount, the group volume or the
 * host volume says so. As Nomad's, it interpolates each mount's volume,
 * destination and propagation_mode with the task's env first.
 */
import { hostVolumeSource, type HostVolumeConfig, type Task, type TaskGroup } from '../../model/index.js';
import { DroverError, ErrorCode } from '../../model/errors.js';
import type { MountConfig } from '../../drivers/types.js';
import { envLookup, interpolate, type NodeFacts } from '../task-env.js';
import type { PrestartHook, PrestartRequest, PrestartResponse } from './types.js';

export interface VolumeHookConfig {
  readonly group: TaskGroup;
  readonly task: Task;
  readonly allocIndex: number;
  /** The node's host volumes by name (client host_volume blocks). */
  readonly hostVolumes: Readonly<Record<string, HostVolumeConfig>>;
  /** Whether the task's driver takes mounts (DriverCapabilities.MountConfigs). */
  readonly driverMounts: 'all' | 'none';
  /** For ${attr.*} and ${meta.*} in mounts; absent: the task env only. */
  readonly node?: NodeFacts;
}

/** Builds the task's host volume mounts; see the file comment. `expand` interpolates a mount's text. */
export function hostVolumeMounts(c: VolumeHookConfig, expand: (text: string) => string = (t) => t): MountConfig[] {
  const volumes = new Map((c.group.volumes ?? []).filter((v) => v.type === 'host').map((v) => [v.name, v]));
  const missing = [...volumes.values()].map((v) => hostVolumeSource(v, c.allocIndex)).filter((s) => c.hostVolumes[s] === undefined);
  if (missing.length > 0) {
    throw new DroverError(ErrorCode.validation, `host volume validation error: ${missing.map((s) => `missing ${s}`).join(', ')}`);
  }
  const mounts: MountConfig[] = [];
  for (const written of c.task.volumeMounts ?? []) {
    const m = { ...written, volume: expand(written.volume), destination: expand(written.destination), propagationMode: expand(written.propagationMode) };
    const req = volumes.get(m.volume);
    if (!req) continue; // a mount of another volume type (none run in drover)
    const host = c.hostVolumes[hostVolumeSource(req, c.allocIndex)] as HostVolumeConfig;
    mounts.push({ hostPath: host.path, taskPath: m.destination, readonly: host.readOnly || req.readOnly || m.readOnly, propagationMode: m.propagationMode, ...(m.selinuxLabel ? { selinuxLabel: m.selinuxLabel } : {}) });
  }
  if (mounts.length > 0 && c.driverMounts === 'none') {
    throw new DroverError(ErrorCode.validation, `task driver "${c.task.driver}" for "${c.task.name}" does not support host volumes`);
  }
  return mounts;
}

export class VolumeHook implements PrestartHook {
  readonly name = 'volumes';

  constructor(private readonly config: VolumeHookConfig) {}

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    const lookup = envLookup(req.env, this.config.node ?? { attributes: {}, datacenter: '' });
    return { mounts: hostVolumeMounts(this.config, (text) => interpolate(text, lookup)) };
  }
}
