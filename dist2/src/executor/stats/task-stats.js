import { sampleCgroup } from '../cgroups/index.js';
import { CLOCK_TICKS_PER_SEC, pageSize, processTree, readProcStat, readSwapBytes } from '../proc.js';
import { CpuTrackers, ticksConsumed } from './cpu-tracker.js';
/** Nomad's ExecutorCgroupV1MeasuredMemStats. */
export const CGROUP_V1_MEM_MEASURED = ['RSS', 'Cache', 'Swap', 'Usage', 'Max Usage', 'Kernel Usage', 'Kernel Max Usage'];
/** Nomad's ExecutorCgroupV2MeasuredMemStats. */
export const CGROUP_V2_MEM_MEASURED = ['Cache', 'Swap', 'Usage'];
/** Nomad's ExecutorCgroupMeasuredCpuStats. */
export const CGROUP_CPU_MEASURED = ['System Mode', 'User Mode', 'Throttled Periods', 'Throttled Time', 'Percent'];
/** Nomad's ExecutorBasicMeasuredMemStats / CpuStats. */
export const BASIC_MEM_MEASURED = ['RSS', 'Swap'];
export const BASIC_CPU_MEASURED = ['System Mode', 'User Mode', 'Percent'];
const NS_PER_TICK = 1e9 / CLOCK_TICKS_PER_SEC;
/** Per-task sampler state: CPU trackers survive between calls so percents are deltas. */
export class TaskStatsSampler {
    cgroupCpu = new CpuTrackers();
    perPid = new Map();
    /** Usage from the cgroup. */
    fromCgroup(cg) {
        const s = sampleCgroup(cg);
        const v1 = cg.mode === 'v1';
        const percent = this.cgroupCpu.total.percent(s.cpuTotalNs);
        return {
            memory: {
                rss: s.rss,
                cache: s.cache,
                swap: s.swap,
                usage: s.usage,
                maxUsage: s.maxUsage,
                kernelUsage: s.kernelUsage,
                kernelMaxUsage: s.kernelMaxUsage,
                measured: v1 ? CGROUP_V1_MEM_MEASURED : CGROUP_V2_MEM_MEASURED,
            },
            cpu: {
                systemMode: this.cgroupCpu.system.percent(s.cpuSystemNs),
                userMode: this.cgroupCpu.user.percent(s.cpuUserNs),
                totalTicks: ticksConsumed(percent),
                throttledPeriods: s.throttledPeriods,
                throttledTime: s.throttledTimeNs,
                percent,
                measured: CGROUP_CPU_MEASURED,
            },
            timestamp: Date.now(),
        };
    }
    /** Usage summed over `pid` and its descendants. */
    fromProcessTree(pid) {
        const page = pageSize();
        const pids = {};
        let rss = 0;
        let swap = 0;
        let sys = 0;
        let user = 0;
        let percent = 0;
        const live = new Set();
        for (const p of processTree(pid)) {
            const st = readProcStat(p);
            if (st === undefined)
                continue;
            live.add(p);
            let t = this.perPid.get(p);
            if (t === undefined)
                this.perPid.set(p, (t = new CpuTrackers()));
            const memory = { ...ZERO_MEM, rss: st.rssPages * page, swap: readSwapBytes(p), measured: BASIC_MEM_MEASURED };
            const cpu = {
                ...ZERO_CPU,
                systemMode: t.system.percent(st.stime * NS_PER_TICK),
                userMode: t.user.percent(st.utime * NS_PER_TICK),
                percent: t.total.percent((st.utime + st.stime) * NS_PER_TICK),
                measured: BASIC_CPU_MEASURED,
            };
            pids[String(p)] = { memory, cpu };
            rss += memory.rss;
            swap += memory.swap;
            sys += cpu.systemMode;
            user += cpu.userMode;
            percent += cpu.percent;
        }
        for (const p of this.perPid.keys())
            if (!live.has(p))
                this.perPid.delete(p);
        return {
            memory: { ...ZERO_MEM, rss, swap, measured: BASIC_MEM_MEASURED },
            cpu: { ...ZERO_CPU, systemMode: sys, userMode: user, percent, totalTicks: ticksConsumed(percent), measured: BASIC_CPU_MEASURED },
            timestamp: Date.now(),
            pids,
        };
    }
}
const ZERO_MEM = { rss: 0, cache: 0, swap: 0, usage: 0, maxUsage: 0, kernelUsage: 0, kernelMaxUsage: 0, measured: [] };
const ZERO_CPU = { systemMode: 0, userMode: 0, totalTicks: 0, throttledPeriods: 0, throttledTime: 0, percent: 0, measured: [] };
//# sourceMappingURL=task-stats.js.map