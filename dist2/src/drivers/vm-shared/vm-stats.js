/**
 * A VM's resource usage as the host sees it: the QEMU process (all its
 * vCPU and I/O threads are one process) from /proc/<pid>/stat (CPU time,
 * resident set) and /proc/<pid>/status (swap). Guest-internal figures are
 * not visible without an agent in the guest; what QEMU costs the host is
 * what Nomad's scheduler cares about.
 */
import { readFileSync } from 'node:fs';
import { CLOCK_TICKS_PER_SEC, pageSize, readProcStat, readSwapBytes } from '../../executor/proc.js';
import { CpuTrackers, ticksConsumed } from '../../executor/stats/cpu-tracker.js';
const NS_PER_TICK = 1e9 / CLOCK_TICKS_PER_SEC;
const MEM_MEASURED = ['RSS', 'Swap'];
const CPU_MEASURED = ['System Mode', 'User Mode', 'Percent'];
/** Samples one QEMU process; CPU percents are deltas since the previous sample. */
export class VmStats {
    pid;
    cpu = new CpuTrackers();
    constructor(pid) {
        this.pid = pid;
    }
    /** Current usage; zeros once the process is gone. */
    sample() {
        const st = readProcStat(this.pid);
        const rss = st ? st.rssPages * pageSize() : 0;
        const swap = st ? readSwapBytes(this.pid) : 0;
        const user = st ? this.cpu.user.percent(st.utime * NS_PER_TICK) : 0;
        const system = st ? this.cpu.system.percent(st.stime * NS_PER_TICK) : 0;
        const percent = st ? this.cpu.total.percent((st.utime + st.stime) * NS_PER_TICK) : 0;
        return {
            memory: { rss, cache: 0, swap, usage: 0, maxUsage: 0, kernelUsage: 0, kernelMaxUsage: 0, measured: MEM_MEASURED },
            cpu: { systemMode: system, userMode: user, percent, totalTicks: ticksConsumed(percent), throttledPeriods: 0, throttledTime: 0, measured: CPU_MEASURED },
            timestamp: Date.now(),
        };
    }
}
/** Reads /proc/<pid>/smaps_rollup; undefined when the process is gone. */
export function readFootprint(pid) {
    let text;
    try {
        text = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
    }
    catch {
        return undefined;
    }
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rssBytes: kb('Rss'), pssBytes: kb('Pss') };
}
//# sourceMappingURL=vm-stats.js.map