/**
 * CPU percent from cumulative CPU time, as Nomad's cpustats.Tracker: the
 * first reading yields 0, each later one the CPU time used since the
 * previous reading over the wall time elapsed, ×100 (so 200 = two cores).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { isErrno } from '../../model/errors.js';
/** One tracked counter (total, user or system time). */
export class CpuTracker {
    now;
    prevNs = 0;
    prevAt = 0;
    constructor(now = () => performance.timeOrigin + performance.now()) {
        this.now = now;
    }
    /** Percent for the new cumulative reading (nanoseconds of CPU time). */
    percent(cpuNs) {
        const at = this.now();
        if (this.prevNs === 0) {
            this.prevNs = cpuNs;
            this.prevAt = at;
            return 0;
        }
        const wallNs = (at - this.prevAt) * 1e6;
        const used = cpuNs - this.prevNs;
        this.prevNs = cpuNs;
        this.prevAt = at;
        return wallNs <= 0 || used <= 0 ? 0 : (used / wallNs) * 100;
    }
}
/** Total, user and system trackers for one task or process. */
export class CpuTrackers {
    total;
    user;
    system;
    constructor(now) {
        this.total = new CpuTracker(now);
        this.user = new CpuTracker(now);
        this.system = new CpuTracker(now);
    }
}
let mhzPerCore;
/**
 * Nomad's TicksConsumed: the share of one core used, in MHz of that core
 * (percent/100 × total compute / cores). Core speed from os.cpus().
 */
export function ticksConsumed(percent) {
    mhzPerCore ??= coreMhz();
    return (percent / 100) * mhzPerCore;
}
/** Average core speed: os.cpus() (cpufreq), else /proc/cpuinfo's "cpu MHz" (VMs often lack cpufreq). */
function coreMhz() {
    const list = cpus();
    const speeds = list.map((c) => c.speed).filter((s) => s > 0);
    if (speeds.length > 0)
        return speeds.reduce((a, b) => a + b, 0) / speeds.length;
    try {
        const mhz = [...readFileSync('/proc/cpuinfo', 'latin1').matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1]));
        if (mhz.length > 0)
            return mhz.reduce((a, b) => a + b, 0) / mhz.length;
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            throw err;
        // no /proc/cpuinfo
    }
    return 0;
}
//# sourceMappingURL=cpu-tracker.js.map