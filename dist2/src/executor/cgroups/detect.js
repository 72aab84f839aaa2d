/**
 * Which cgroup layout this host has. Pure v2 (cgroup2 on /sys/fs/cgroup) →
 * v2; any v1 controller hierarchy mounted (v1 or the hybrid layout, where
 * cgroup2 at /sys/fs/cgroup/unified holds no controllers) → v1; else none.
 */
import { readFileSync } from 'node:fs';
import { isErrno } from '../../model/errors.js';
/** The v1 controllers a task cgroup gets when mounted. */
export const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'pids', 'freezer'];
/** Reads the layout from /proc/self/mountinfo and /proc/self/cgroup. */
export function detectCgroups() {
    let mountinfo = '';
    let own = '';
    try {
        mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
        own = readFileSync('/proc/self/cgroup', 'utf8');
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            throw err;
        return { mode: 'none', v1Parents: {}, v1Mounts: {} };
    }
    return layoutFrom(mountinfo, own);
}
/** The layout from the text of mountinfo and /proc/self/cgroup (pure, for tests). */
export function layoutFrom(mountinfo, ownCgroups) {
    const mounts = parseMountinfo(mountinfo);
    const v1Mounts = {};
    const v1Parents = {};
    const ownPaths = parseOwnCgroups(ownCgroups);
    for (const ctrl of V1_CONTROLLERS) {
        const m = mounts.find((x) => x.fstype === 'cgroup' && x.superOpts.includes(ctrl));
        if (!m)
            continue;
        v1Mounts[ctrl] = m.point;
        // This process's path in that hierarchy, relative to what the mount shows (containers mount a subtree).
        let rel = ownPaths.get(ctrl) ?? '/';
        if (m.root !== '/' && rel.startsWith(m.root))
            rel = rel.slice(m.root.length) || '/';
        v1Parents[ctrl] = rel === '/' ? m.point : `${m.point}${rel}`;
    }
    if (v1Mounts['memory'] !== undefined || v1Mounts['cpu'] !== undefined)
        return { mode: 'v1', v1Parents, v1Mounts };
    const unified = mounts.find((x) => x.fstype === 'cgroup2' && x.point === '/sys/fs/cgroup') ?? mounts.find((x) => x.fstype === 'cgroup2');
    if (unified)
        return { mode: 'v2', v1Parents: {}, v1Mounts: {}, v2Root: unified.point };
    return { mode: 'none', v1Parents: {}, v1Mounts: {} };
}
function parseMountinfo(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const f = line.split(' ');
        const dash = f.indexOf('-');
        if (dash < 0 || f.length < dash + 4)
            continue;
        out.push({ root: unescape(f[3] ?? '/'), point: unescape(f[4] ?? ''), fstype: f[dash + 1] ?? '', superOpts: (f[dash + 3] ?? '').split(',') });
    }
    return out;
}
/** controller → path, from "4:memory:/a/b" lines (v2's "0::/x" lands under ""). */
function parseOwnCgroups(text) {
    const out = new Map();
    for (const line of text.split('\n')) {
        const first = line.indexOf(':');
        const second = line.indexOf(':', first + 1);
        if (first < 0 || second < 0)
            continue;
        const path = line.slice(second + 1);
        for (const c of line.slice(first + 1, second).split(','))
            out.set(c, path);
    }
    return out;
}
/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescape(s) {
    return s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
}
//# sourceMappingURL=detect.js.map