/** Devices a task gets, bound from the host (runc's and Nomad's minimal set, less console). */
export const TASK_DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];
// Kernel interfaces Nomad's exec driver hides or makes read-only (libcontainer MaskPaths / ReadonlyPaths).
const PROC_MASKED = ['/proc/kcore', '/proc/keys', '/proc/timer_list'];
const PROC_READONLY = ['/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus'];
const SPECIAL_FLAGS = 'nosuid,nodev,noexec';
/** Builds the ordered mount list for `iso`. */
export function planMounts(iso, host) {
    const root = trimSlash(iso.root);
    const at = (p) => `${root}${p === '/' ? '' : p}`;
    const out = [{ source: root, target: root, fstype: 'none', options: 'rbind', prepare: 'none' }];
    for (const [src, dst] of byDepth(Object.entries(iso.chrootEnv), ([, d]) => d)) {
        const kind = host.kind(src);
        if (kind === undefined)
            continue; // Nomad skips chroot_env entries the host lacks
        out.push({ source: src, target: at(normal(dst)), fstype: 'none', options: 'bind,ro', prepare: kind });
    }
    for (const m of byDepth(iso.mounts, (x) => x.taskPath)) {
        const target = at(normal(m.taskPath));
        if (!m.readonly && trimSlash(m.hostPath) === target)
            continue; // already there through the root bind
        const kind = host.kind(m.hostPath) ?? 'dir';
        out.push({ source: m.hostPath, target, fstype: 'none', options: m.readonly ? 'bind,ro' : 'bind', prepare: kind });
    }
    // <root>/dev holds only mount points and links (rootfs.ts); read-only, so a task cannot add nodes.
    out.push({ source: at('/dev'), target: at('/dev'), fstype: 'none', options: 'bind,ro', prepare: 'none' });
    for (const d of TASK_DEVICES)
        out.push({ source: `/dev/${d}`, target: at(`/dev/${d}`), fstype: 'none', options: 'bind', prepare: 'none' });
    // A read-only mount does not stop writes to a device node (only the devices cgroup would); ro still freezes its metadata.
    for (const d of iso.devices ?? []) {
        out.push({ source: d.hostPath, target: at(normal(d.taskPath)), fstype: 'none', options: d.permissions.includes('w') ? 'bind' : 'bind,ro', prepare: 'file' });
    }
    out.push({ source: 'devpts', target: at('/dev/pts'), fstype: 'devpts', options: 'newinstance,ptmxmode=0666,mode=0620,nosuid,noexec', prepare: 'none' }, { source: 'shm', target: at('/dev/shm'), fstype: 'tmpfs', options: `${SPECIAL_FLAGS},mode=1777,size=65536k`, prepare: 'none' }, { source: 'mqueue', target: at('/dev/mqueue'), fstype: 'mqueue', options: SPECIAL_FLAGS, prepare: 'none' }, 
    // A fresh proc: it shows the pid namespace of its mounter, i.e. the task's.
    { source: 'proc', target: at('/proc'), fstype: 'proc', options: SPECIAL_FLAGS, prepare: 'dir' });
    for (const p of PROC_MASKED)
        if (host.kind(p) !== undefined)
            out.push({ source: '/dev/null', target: at(p), fstype: 'none', options: 'bind', prepare: 'none' });
    for (const p of PROC_READONLY)
        if (host.kind(p) !== undefined)
            out.push({ source: at(p), target: at(p), fstype: 'none', options: 'bind,ro', prepare: 'none' });
    out.push({ source: 'sysfs', target: at('/sys'), fstype: 'sysfs', options: `ro,${SPECIAL_FLAGS}`, prepare: 'dir' });
    if (host.kind('/sys/firmware') === 'dir')
        out.push({ source: 'tmpfs', target: at('/sys/firmware'), fstype: 'tmpfs', options: 'ro', prepare: 'none' });
    return out;
}
/** Renders entries as fstab text, paths escaped the way libmount unescapes them. */
export function renderFstab(entries) {
    return entries.map((e) => `${mangle(e.source)} ${mangle(e.target)} ${e.fstype} ${e.options} 0 0\n`).join('');
}
/** fstab's octal escapes for characters that would split or end a field. */
export function mangle(s) {
    return s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}
/** "/a/b/" → "/a/b"; "/" → "" (so root + "/x" never doubles the slash). */
function trimSlash(p) {
    return p.replace(/\/+$/, '');
}
/** Absolute, without trailing slash or empty / dot segments ("local/" → "/local"). */
function normal(p) {
    const parts = p.split('/').filter((s) => s !== '' && s !== '.');
    if (parts.includes('..'))
        throw new Error(`path "${p}" must not contain ".."`);
    return `/${parts.join('/')}`;
}
/** Parents before children, so a mount never hides one made earlier. */
function byDepth(items, path) {
    const depth = (t) => normal(path(t)).split('/').length;
    return [...items].sort((a, b) => depth(a) - depth(b));
}
//# sourceMappingURL=mount-plan.js.map