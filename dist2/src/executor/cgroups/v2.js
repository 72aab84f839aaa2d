/**
 * cgroup v2 (unified) task cgroups: <root>/drover/<task key>. Not nested
 * under the daemon's own cgroup: v2 forbids processes in a cgroup whose
 * controllers are delegated to children, so (like Nomad's nomad.slice) the
 * parent hangs off the root.
 */
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { delay, readNumber, readPids, readText, writeControl } from './fsutil.js';
import { memoryLimits, parseKeyValues } from './types.js';
import { isErrno } from '../../model/errors.js';
const CONTROLLERS = ['cpu', 'memory', 'pids'];
/** Creates <root>/drover/<key> with controllers enabled, then applies limits. */
export function createV2(layout, key, limits) {
    const root = layout.v2Root;
    const parent = join(root, 'drover');
    if (!existsSync(parent)) {
        mkdirSync(parent, { recursive: true });
        enableControllers(root);
        enableControllers(parent);
    }
    const dir = join(parent, key);
    mkdirSync(dir, { recursive: true });
    const cg = { mode: 'v2', dirs: { unified: dir }, owned: true };
    try {
        setLimitsV2(cg, limits);
    }
    catch (err) {
        try {
            rmdirSync(dir);
        }
        catch {
            // best effort
        }
        throw err;
    }
    return cg;
}
/** The existing cgroup named by cgroup_v2_override (a path under the unified root). */
export function overrideV2(layout, path) {
    const dir = join(layout.v2Root, path);
    if (!existsSync(join(dir, 'cgroup.procs')))
        throw new Error(`cgroup_v2_override: ${dir} is not a cgroup`);
    return { mode: 'v2', dirs: { unified: dir }, owned: false };
}
/** memory.max / memory.low, cpu.weight (from shares, as runc converts) and pids.max. */
export function setLimitsV2(cg, limits) {
    const dir = cg.dirs['unified'];
    const { hard, soft } = memoryLimits(limits);
    if (existsSync(join(dir, 'memory.max'))) {
        writeControl(join(dir, 'memory.max'), hard > 0 ? hard : 'max');
        writeControl(join(dir, 'memory.low'), soft);
    }
    if (limits.cpuShares > 0 && existsSync(join(dir, 'cpu.weight')))
        writeControl(join(dir, 'cpu.weight'), sharesToWeight(limits.cpuShares));
    if (existsSync(join(dir, 'pids.max')))
        writeControl(join(dir, 'pids.max'), limits.pidsLimit > 0 ? limits.pidsLimit : 'max');
}
/** cpu.shares [2, 262144] → cpu.weight [1, 10000], the conversion runc and Nomad use. */
export function sharesToWeight(shares) {
    const s = Math.min(262144, Math.max(2, Math.round(shares)));
    return 1 + Math.floor(((s - 2) * 9999) / 262142);
}
/** The pids in the cgroup. */
export function pidsV2(cg) {
    return readPids(join(cg.dirs['unified'], 'cgroup.procs'));
}
/** SIGKILLs the whole cgroup (cgroup.kill on 5.14+, else freeze-kill-thaw) until empty. */
export async function killAllV2(cg, timeoutMs = 5_000) {
    const dir = cg.dirs['unified'];
    const end = Date.now() + timeoutMs;
    const hasKill = existsSync(join(dir, 'cgroup.kill'));
    for (let round = 0;; round++) {
        const pids = pidsV2(cg);
        if (pids.length === 0)
            return true;
        if (Date.now() > end)
            return false;
        if (hasKill) {
            writeControl(join(dir, 'cgroup.kill'), 1);
        }
        else {
            tryWrite(join(dir, 'cgroup.freeze'), '1');
            for (const pid of pids) {
                try {
                    process.kill(pid, 'SIGKILL');
                }
                catch (err) {
                    if (!isErrno(err, 'ESRCH'))
                        throw err;
                    // gone
                }
            }
            tryWrite(join(dir, 'cgroup.freeze'), '0');
        }
        await delay(round < 5 ? 2 : 20);
    }
}
/** Removes the directory of an owned cgroup; false while busy. */
export function removeV2(cg) {
    if (!cg.owned)
        return true;
    try {
        rmdirSync(cg.dirs['unified']);
        return true;
    }
    catch (err) {
        return err.code === 'ENOENT';
    }
}
/** memory.events oom_kill. */
export function oomKillsV2(cg) {
    return parseKeyValues(readText(join(cg.dirs['unified'], 'memory.events')) ?? '').get('oom_kill') ?? 0;
}
/** memory.current / memory.stat / memory.swap.current and cpu.stat (µs → ns). */
export function sampleV2(cg) {
    const dir = cg.dirs['unified'];
    const ms = parseKeyValues(readText(join(dir, 'memory.stat')) ?? '');
    const cs = parseKeyValues(readText(join(dir, 'cpu.stat')) ?? '');
    return {
        rss: ms.get('anon') ?? 0,
        cache: ms.get('file') ?? 0,
        swap: readNumber(join(dir, 'memory.swap.current')),
        usage: readNumber(join(dir, 'memory.current')),
        maxUsage: readNumber(join(dir, 'memory.peak')),
        kernelUsage: ms.get('kernel') ?? 0,
        kernelMaxUsage: 0,
        cpuTotalNs: (cs.get('usage_usec') ?? 0) * 1000,
        cpuUserNs: (cs.get('user_usec') ?? 0) * 1000,
        cpuSystemNs: (cs.get('system_usec') ?? 0) * 1000,
        throttledPeriods: cs.get('nr_throttled') ?? 0,
        throttledTimeNs: (cs.get('throttled_usec') ?? 0) * 1000,
    };
}
function enableControllers(dir) {
    const available = (readText(join(dir, 'cgroup.controllers')) ?? '').trim().split(/\s+/);
    for (const c of CONTROLLERS)
        if (available.includes(c))
            tryWrite(join(dir, 'cgroup.subtree_control'), `+${c}`);
}
function tryWrite(file, value) {
    try {
        writeControl(file, value);
        return true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=v2.js.map