/**
 * How the host mount holding a path propagates, from mountinfo's optional
 * fields ("shared:N", "master:N"). A host volume's host-to-task or
 * bidirectional propagation_mode only works when that mount is shared or a
 * slave: the task's bind is a slave of it, and a private mount has nothing
 * to pass on. systemd makes / shared; plain containers and some VMs leave
 * it private, and then nothing says why the task sees no new mounts.
 */

/** The mount holding a path, and whether mounts made under it reach copies of it. */
export interface HostMountPropagation {
  readonly mountPoint: string;
  /** shared: has a peer group; slave: receives from a master only; private: neither. */
  readonly propagation: 'shared' | 'slave' | 'private';
}

/** The mount `path` (absolute, symlinks resolved) lies on, as `mountinfo` (/proc/self/mountinfo text) shows it; undefined when none does. */
export function hostMountPropagation(path: string, mountinfo: string): HostMountPropagation | undefined {
  let best: HostMountPropagation | undefined;
  for (const line of mountinfo.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    const point = unmangle(f[4] ?? '');
    if (dash < 6 || !contains(point, path)) continue;
    // Later lines are mounted over earlier ones at the same point, so ">=" keeps the visible one.
    if (best && point.length < best.mountPoint.length) continue;
    const optional = f.slice(6, dash);
    const propagation = optional.some((o) => o.startsWith('shared:')) ? 'shared' : optional.some((o) => o.startsWith('master:')) ? 'slave' : 'private';
    best = { mountPoint: point, propagation };
  }
  return best;
}

function contains(mountPoint: string, path: string): boolean {
  return mountPoint === '/' || path === mountPoint || path.startsWith(`${mountPoint}/`);
}

function unmangle(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
