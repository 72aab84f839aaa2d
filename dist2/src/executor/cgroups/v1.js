/**
 * cgroup v1 task cgroups: one directory per controller under this daemon's
 * own cgroup (<parent>/drover/<task key>), so a daemon placed in a cgroup by
 * its host (a systemd unit, a container) keeps its tasks accounted beneath
 * it, while never sitting inside a task's cgroup itself.
 */
import { mkdirSync, rmdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { delay, readNumber, readPids, readText, writeControl } from './fsutil.js';
import { memoryLimits, parseKeyValues } from './types.js';
import { isErrno } from '../../model/errors.js';
/** Creates the task's directories and applies limits; on failure nothing is left behind. */
export function createV1(layout, key, limits) {
    const dirs = {};
    try {
        for (const [ctrl, parent] of Object.entries(layout.v1Parents)) {
            const dir = join(parent, 'drover', key);
            mkdirSync(dir, { recursive: true });
            dirs[ctrl] = dir;
        }
        const cg = { mode: 'v1', dirs, owned: true };
        setLimitsV1(cg, limits);
        return cg;
    }
    catch (err) {
        for (const dir of Object.values(dirs))
            tryRmdir(dir);
        throw err;
    }
}
/** The existing cgroups named by cgroup_v1_override (controller → path under its mount). */
export function overrideV1(layout, paths) {
    const dirs = {};
    for (const [ctrl, p] of Object.entries(paths)) {
        const mount = layout.v1Mounts[ctrl];
        if (mount === undefined)
            throw new Error(`cgroup_v1_override: controller "${ctrl}" is not mounted`);
        const dir = join(mount, p);
        if (!existsSync(join(dir, 'cgroup.procs')))
            throw new Error(`cgroup_v1_override: ${dir} is not a cgroup`);
        dirs[ctrl] = dir;
    }
    return { mode: 'v1', dirs, owned: false };
}
/** memory hard/soft limit, cpu.shares and pids.max. */
export function setLimitsV1(cg, limits) {
    const { hard, soft } = memoryLimits(limits);
    const mem = cg.dirs['memory'];
    if (mem !== undefined) {
        writeControl(join(mem, 'memory.limit_in_bytes'), hard > 0 ? hard : -1);
        writeControl(join(mem, 'memory.soft_limit_in_bytes'), soft > 0 ? soft : -1);
    }
    const cpu = cg.dirs['cpu'];
    if (cpu !== undefined && limits.cpuShares > 0)
        writeControl(join(cpu, 'cpu.shares'), Math.max(2, Math.round(limits.cpuShares)));
    const pids = cg.dirs['pids'];
    if (pids !== undefined)
        writeControl(join(pids, 'pids.max'), limits.pidsLimit > 0 ? limits.pidsLimit : 'max');
}
/** Every pid in any of the task's hierarchies. */
export function pidsV1(cg) {
    const all = new Set();
    for (const dir of Object.values(cg.dirs))
        for (const p of readPids(join(dir, 'cgroup.procs')))
            all.add(p);
    return [...all];
}
/**
 * SIGKILLs everything in the cgroup until it is empty. With the freezer the
 * tree is frozen first, so nothing can fork while being killed.
 */
export async function killAllV1(cg, timeoutMs = 5_000) {
    const freezer = cg.dirs['freezer'];
    const end = Date.now() + timeoutMs;
    for (let round = 0;; round++) {
        const pids = pidsV1(cg);
        if (pids.length === 0)
            return true;
        if (Date.now() > end)
            return false;
        if (freezer !== undefined && round % 2 === 0)
            await freeze(freezer, Math.min(100, end - Date.now()));
        for (const pid of pids) {
            try {
                process.kill(pid, 'SIGKILL');
            }
            catch (err) {
                if (!isErrno(err, 'ESRCH'))
                    throw err;
                // already gone
            }
        }
        if (freezer !== undefined)
            tryWrite(join(freezer, 'freezer.state'), 'THAWED');
        await delay(round < 5 ? 2 : 20);
    }
}
async function freeze(dir, waitMs) {
    if (!tryWrite(join(dir, 'freezer.state'), 'FROZEN'))
        return;
    const end = Date.now() + Math.max(0, waitMs);
    while ((readText(join(dir, 'freezer.state')) ?? '').trim() !== 'FROZEN' && Date.now() < end)
        await delay(1);
}
/** Removes the directories (an owned cgroup only); false when one is still busy. */
export function removeV1(cg) {
    if (!cg.owned)
        return true;
    let ok = true;
    for (const dir of Object.values(cg.dirs))
        ok = tryRmdir(dir) && ok;
    return ok;
}
/** The memory controller's OOM-kill counter (kernel ≥ 4.13). */
export function oomKillsV1(cg) {
    const mem = cg.dirs['memory'];
    if (mem === undefined)
        return 0;
    return parseKeyValues(readText(join(mem, 'memory.oom_control')) ?? '').get('oom_kill') ?? 0;
}
/** Memory and CPU counters (memory.stat, usage files, cpuacct, cpu.stat). */
export function sampleV1(cg) {
    const mem = cg.dirs['memory'];
    const acct = cg.dirs['cpuacct'];
    const cpu = cg.dirs['cpu'];
    const ms = mem === undefined ? new Map() : parseKeyValues(readText(join(mem, 'memory.stat')) ?? '');
    const stat = (k) => ms.get(`total_${k}`) ?? ms.get(k) ?? 0;
    const memFile = (f) => (mem === undefined ? 0 : readNumber(join(mem, f)));
    let user = 0;
    let system = 0;
    let total = 0;
    if (acct !== undefined) {
        total = readNumber(join(acct, 'cpuacct.usage'));
        if (existsSync(join(acct, 'cpuacct.usage_user'))) {
            user = readNumber(join(acct, 'cpuacct.usage_user'));
            system = readNumber(join(acct, 'cpuacct.usage_sys'));
        }
        else {
            const ticks = parseKeyValues(readText(join(acct, 'cpuacct.stat')) ?? '');
            user = (ticks.get('user') ?? 0) * 1e7; // USER_HZ ticks → ns
            system = (ticks.get('system') ?? 0) * 1e7;
        }
    }
    const cs = cpu === undefined ? new Map() : parseKeyValues(readText(join(cpu, 'cpu.stat')) ?? '');
    return {
        rss: stat('rss'),
        cache: stat('cache'),
        swap: stat('swap'),
        usage: memFile('memory.usage_in_bytes'),
        maxUsage: memFile('memory.max_usage_in_bytes'),
        kernelUsage: memFile('memory.kmem.usage_in_bytes'),
        kernelMaxUsage: memFile('memory.kmem.max_usage_in_bytes'),
        cpuTotalNs: total,
        cpuUserNs: user,
        cpuSystemNs: system,
        throttledPeriods: cs.get('nr_throttled') ?? 0,
        throttledTimeNs: cs.get('throttled_time') ?? 0,
    };
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
function tryRmdir(dir) {
    try {
        rmdirSync(dir);
        return true;
    }
    catch (err) {
        return err.code === 'ENOENT';
    }
}
//# sourceMappingURL=v1.js.map