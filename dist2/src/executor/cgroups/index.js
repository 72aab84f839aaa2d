/**
 * Task cgroups behind one face, whatever the host's layout: create (or join
 * an override), limits, membership, kill-all, removal, OOM count, counters.
 */
import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { createV1, killAllV1, oomKillsV1, overrideV1, pidsV1, removeV1, sampleV1, setLimitsV1 } from './v1.js';
import { createV2, killAllV2, oomKillsV2, overrideV2, pidsV2, removeV2, sampleV2, setLimitsV2 } from './v2.js';
import { isErrno } from '../../model/errors.js';
export { detectCgroups } from './detect.js';
/** A new owned cgroup for the task, or the override it must join. Throws when the layout has no cgroups. */
export function createTaskCgroup(layout, key, limits, override) {
    if (layout.mode === 'v1') {
        if (override?.v1 && Object.keys(override.v1).length > 0)
            return overrideV1(layout, override.v1);
        return createV1(layout, key, limits);
    }
    if (layout.mode === 'v2') {
        if (override?.v2)
            return overrideV2(layout, override.v2);
        return createV2(layout, key, limits);
    }
    throw new Error('cgroups are not available on this host');
}
/** The cgroup drover would have created for `key` (to clean up after a launch the daemon died in). */
export function ownedCgroupOf(layout, key) {
    if (layout.mode === 'v1') {
        const dirs = {};
        for (const [ctrl, parent] of Object.entries(layout.v1Parents))
            dirs[ctrl] = join(parent, 'drover', key);
        return { mode: 'v1', dirs, owned: true };
    }
    if (layout.mode === 'v2' && layout.v2Root)
        return { mode: 'v2', dirs: { unified: join(layout.v2Root, 'drover', key) }, owned: true };
    return undefined;
}
/** The cgroup.procs files a process writes its pid into to join. */
export function joinFiles(cg) {
    return Object.values(cg.dirs).map((d) => `${d}/cgroup.procs`);
}
/** Re-applies limits (UpdateResources); overrides are left alone. */
export function setLimits(cg, limits) {
    if (!cg.owned)
        return;
    if (cg.mode === 'v1')
        setLimitsV1(cg, limits);
    else
        setLimitsV2(cg, limits);
}
/** Pids in the cgroup. */
export function cgroupPids(cg) {
    return cg.mode === 'v1' ? pidsV1(cg) : pidsV2(cg);
}
/** Kills every process of an owned cgroup; true once empty. An override is shared, so it is never mass-killed. */
export function killAll(cg, timeoutMs) {
    if (!cg.owned)
        return Promise.resolve(true);
    return cg.mode === 'v1' ? killAllV1(cg, timeoutMs) : killAllV2(cg, timeoutMs);
}
/** Removes an owned cgroup; false while a process remains. */
export function removeCgroup(cg) {
    return cg.mode === 'v1' ? removeV1(cg) : removeV2(cg);
}
/** Removes the empty drover/ parent dirs (daemon exit with no task left); busy ones stay. */
export function removeParents(layout) {
    const parents = layout.mode === 'v1' ? Object.values(layout.v1Parents) : layout.v2Root ? [layout.v2Root] : [];
    for (const p of parents) {
        try {
            rmdirSync(join(p, 'drover'));
        }
        catch (err) {
            if (!isErrno(err, 'EBUSY', 'ENOENT', 'ENOTEMPTY'))
                throw err;
            // other tasks (or another daemon's) still there
        }
    }
}
/** OOM kills counted in the task's memory cgroup. */
export function oomKills(cg) {
    return cg.mode === 'v1' ? oomKillsV1(cg) : oomKillsV2(cg);
}
/** The cgroup's counters now. */
export function sampleCgroup(cg) {
    return cg.mode === 'v1' ? sampleV1(cg) : sampleV2(cg);
}
//# sourceMappingURL=index.js.map