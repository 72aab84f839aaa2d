/**
 * A virt task's cloud-init configuration, assembled as nomad-driver-virt
 * does: meta-data names the VM, the task's user_data file is the user-data,
 * and vendor-data carries cmds (runcmd), the default user's password and
 * ssh key, the timezone, the task environment as /etc/profile.d/virt.sh and
 * bootcmd lines mounting the alloc, local and secrets dirs over 9p.
 */
import type { TaskConfig } from '../types.js';
import { envProfile, isValidHostname, type CloudInitConfig } from '../vm-shared/cloud-init.js';
import type { VirtTaskConfig } from './config.js';

/** A host directory shared with the guest over virtio-9p (read-only unless `readonly` is false). */
export interface GuestMount {
  readonly hostPath: string;
  readonly tag: string;
  readonly guestPath: string;
  /** Only host volumes may be writable; the task dirs are shared read-only as nomad-driver-virt does. */
  readonly readonly?: boolean;
}

/**
 * nomad-driver-virt's three mounts (alloc, local, secrets), at the paths the
 * task's env names, then the task's host volume mounts (tag hostVolume<i>),
 * writable when the volume mount is.
 */
export function guestMounts(cfg: TaskConfig): GuestMount[] {
  return [
    { hostPath: cfg.taskDir.sharedAllocDir, tag: 'allocDir', guestPath: cfg.env['NOMAD_ALLOC_DIR'] ?? '/alloc' },
    { hostPath: cfg.taskDir.localDir, tag: 'localDir', guestPath: cfg.env['NOMAD_TASK_DIR'] ?? '/local' },
    { hostPath: cfg.taskDir.secretsDir, tag: 'secretsDir', guestPath: cfg.env['NOMAD_SECRETS_DIR'] ?? '/secrets' },
    ...cfg.mounts.map((m, i) => ({ hostPath: m.hostPath, tag: `hostVolume${i}`, guestPath: m.taskPath, readonly: m.readonly })),
  ];
}

/** nomad-driver-virt's default hostname, "nomad-<vm name>", made a valid host label. */
export function defaultHostname(vmName: string): string {
  const h = `nomad-${vmName}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, '');
  return isValidHostname(h) ? h : 'nomad-vm';
}

/** The seed for one VM; `userData` is the user_data file's contents, when set. */
export function seedConfig(cfg: TaskConfig, task: VirtTaskConfig, vmName: string, userData: string | undefined): CloudInitConfig {
  const mounts = guestMounts(cfg);
  return {
    instanceId: vmName,
    hostname: task.hostname || defaultHostname(vmName),
    ...(userData !== undefined ? { userData } : {}),
    ...(task.password ? { password: task.password } : {}),
    ...(task.sshKey ? { sshAuthorizedKey: task.sshKey } : {}),
    ...(task.timezone ? { timezone: task.timezone } : {}),
    runcmd: task.cmds,
    bootcmd: mounts.flatMap((m) => {
      const at = shellWord(m.guestPath);
      return [`mkdir -p ${at}`, `mountpoint -q ${at} || mount -t 9p -o trans=virtio,${m.readonly === false ? 'rw' : 'ro'} ${m.tag} ${at}`];
    }),
    files: [{ path: '/etc/profile.d/virt.sh', content: envProfile(cfg.env), permissions: '0644' }],
  };
}

/** A path as one shell word: as is when plain, else single-quoted (a volume_mount destination is the job's text). */
function shellWord(p: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}
