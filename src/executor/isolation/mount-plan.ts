/**
 * The mounts that turn a task dir into the task's root, as one fstab that a
 * single `mount -a -T` applies inside the new mount namespace (one exec for
 * every mount instead of one per mount). Order matters: the root is bound
 * onto itself first (pivot_root needs a mount point), then chroot_env
 * read-only, the task's own dirs, /dev, /proc and /sys with their masks.
 *
 * Propagation: the namespace is made with `unshare --propagation slave`, so
 * every copy of a host mount stays a slave of the host's (where the host's is
 * shared) and a bind of one is a slave too. Each bind then says its own
 * propagation (libmount applies it after the bind): the root tree and
 * chroot_env private, as they always were; a host volume what its
 * propagation_mode asks, as libcontainer does it for Nomad's exec driver.
 * A private namespace could not do this: its copies have lost the host as
 * master for good.
 */
import type { IsolationSpec, MountPropagation } from '../types.js';

/** One fstab line; `prepare` says what must exist at the target on the host first. */
export interface MountEntry {
  readonly source: string;
  /** Absolute host path (under the root). */
  readonly target: string;
  readonly fstype: string;
  readonly options: string;
  readonly prepare: 'dir' | 'file' | 'none';
}

/** What the plan needs to know about the host. */
export interface HostFacts {
  /** Type of a host path, following symlinks; undefined when absent. */
  kind(path: string): 'dir' | 'file' | undefined;
}

/** Devices a task gets, bound from the host (runc's and Nomad's minimal set, less console). */
export const TASK_DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'] as const;

// Kernel interfaces Nomad's exec driver hides or makes read-only (libcontainer MaskPaths / ReadonlyPaths).
const PROC_MASKED = ['/proc/kcore', '/proc/keys', '/proc/timer_list'];
const PROC_READONLY = ['/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus'];
const SPECIAL_FLAGS = 'nosuid,nodev,noexec';

/**
 * Nomad's propagation_mode as libmount's option (Nomad's executor:
 * userMountToUnixMount). "bidirectional" makes the bind shared on top of
 * being the host's slave: host mounts still arrive, but mounts made in the
 * task do not reach the host, exactly as under Nomad's exec driver, whose
 * container root is rslave too (and a task needs CAP_SYS_ADMIN to mount).
 */
const PROPAGATION_FLAG: Readonly<Record<MountPropagation, string>> = { private: 'rprivate', 'host-to-task': 'rslave', bidirectional: 'rshared' };

/** Builds the ordered mount list for `iso`. */
export function planMounts(iso: IsolationSpec, host: HostFacts): MountEntry[] {
  const root = trimSlash(iso.root);
  const at = (p: string): string => `${root}${p === '/' ? '' : p}`;
  const out: MountEntry[] = [{ source: root, target: root, fstype: 'none', options: 'rbind,rprivate', prepare: 'none' }];

  for (const [src, dst] of byDepth(Object.entries(iso.chrootEnv), ([, d]) => d)) {
    const kind = host.kind(src);
    if (kind === undefined) continue; // Nomad skips chroot_env entries the host lacks
    out.push({ source: src, target: at(normal(dst)), fstype: 'none', options: 'bind,ro,private', prepare: kind });
  }
  for (const m of byDepth(iso.mounts, (x) => x.taskPath)) {
    const target = at(normal(m.taskPath));
    if (!m.readonly && trimSlash(m.hostPath) === target) continue; // already there through the root bind
    const kind = host.kind(m.hostPath) ?? 'dir';
    checkUnderChrootEnv(iso.chrootEnv, m.taskPath, host);
    out.push({ source: m.hostPath, target, fstype: 'none', options: `${m.readonly ? 'bind,ro' : 'bind'},${PROPAGATION_FLAG[m.propagation ?? 'private']}`, prepare: kind });
  }

  // <root>/dev holds only mount points and links (rootfs.ts); read-only, so a task cannot add nodes.
  out.push({ source: at('/dev'), target: at('/dev'), fstype: 'none', options: 'bind,ro', prepare: 'none' });
  for (const d of TASK_DEVICES) out.push({ source: `/dev/${d}`, target: at(`/dev/${d}`), fstype: 'none', options: 'bind,private', prepare: 'none' });
  // A read-only mount does not stop writes to a device node (only the devices cgroup would); ro still freezes its metadata.
  for (const d of iso.devices ?? []) {
    out.push({ source: d.hostPath, target: at(normal(d.taskPath)), fstype: 'none', options: d.permissions.includes('w') ? 'bind,private' : 'bind,ro,private', prepare: 'file' });
  }
  out.push(
    { source: 'devpts', target: at('/dev/pts'), fstype: 'devpts', options: 'newinstance,ptmxmode=0666,mode=0620,nosuid,noexec', prepare: 'none' },
    { source: 'shm', target: at('/dev/shm'), fstype: 'tmpfs', options: `${SPECIAL_FLAGS},mode=1777,size=65536k`, prepare: 'none' },
    { source: 'mqueue', target: at('/dev/mqueue'), fstype: 'mqueue', options: SPECIAL_FLAGS, prepare: 'none' },
    // A fresh proc: it shows the pid namespace of its mounter, i.e. the task's.
    { source: 'proc', target: at('/proc'), fstype: 'proc', options: SPECIAL_FLAGS, prepare: 'dir' },
  );
  for (const p of PROC_MASKED) if (host.kind(p) !== undefined) out.push({ source: '/dev/null', target: at(p), fstype: 'none', options: 'bind', prepare: 'none' });
  for (const p of PROC_READONLY) if (host.kind(p) !== undefined) out.push({ source: at(p), target: at(p), fstype: 'none', options: 'bind,ro', prepare: 'none' });
  out.push({ source: 'sysfs', target: at('/sys'), fstype: 'sysfs', options: `ro,${SPECIAL_FLAGS}`, prepare: 'dir' });
  if (host.kind('/sys/firmware') === 'dir') out.push({ source: 'tmpfs', target: at('/sys/firmware'), fstype: 'tmpfs', options: 'ro', prepare: 'none' });
  return out;
}

/**
 * A mount point inside a chroot_env entry would have to be made on the host:
 * the entry is the host's own directory bound read-only (Nomad copies it into
 * the task dir instead). Refuse it plainly rather than let mount(8) say
 * "mount point does not exist".
 */
function checkUnderChrootEnv(chrootEnv: Readonly<Record<string, string>>, taskPath: string, host: HostFacts): void {
  const target = normal(taskPath);
  let deepest: [string, string] | undefined;
  for (const [src, dst] of Object.entries(chrootEnv)) {
    const d = normal(dst);
    if ((target === d || target.startsWith(d === '/' ? '/' : `${d}/`)) && (!deepest || d.length > normal(deepest[1]).length)) deepest = [src, dst];
  }
  if (!deepest || host.kind(deepest[0]) === undefined) return;
  const [src, dst] = deepest;
  const onHost = `${trimSlash(src)}${target.slice(normal(dst).length)}`;
  if (host.kind(onHost) === undefined) {
    throw new Error(`mount destination ${target} lies in ${normal(dst)}, which the exec driver binds read-only from the host's ${src} (chroot_env), and ${onHost} does not exist there: choose a destination outside chroot_env or create ${onHost} on the host`);
  }
}

/** Renders entries as fstab text, paths escaped the way libmount unescapes them. */
export function renderFstab(entries: readonly MountEntry[]): string {
  return entries.map((e) => `${mangle(e.source)} ${mangle(e.target)} ${e.fstype} ${e.options} 0 0\n`).join('');
}

/** fstab's octal escapes for characters that would split or end a field. */
export function mangle(s: string): string {
  return s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** "/a/b/" → "/a/b"; "/" → "" (so root + "/x" never doubles the slash). */
function trimSlash(p: string): string {
  return p.replace(/\/+$/, '');
}

/** Absolute, without trailing slash or empty / dot segments ("local/" → "/local"). */
function normal(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw new Error(`path "${p}" must not contain ".."`);
  return `/${parts.join('/')}`;
}

/** Parents before children, so a mount never hides one made earlier. */
function byDepth<T>(items: readonly T[], path: (t: T) => string): T[] {
  const depth = (t: T): number => normal(path(t)).split('/').length;
  return [...items].sort((a, b) => depth(a) - depth(b));
}
