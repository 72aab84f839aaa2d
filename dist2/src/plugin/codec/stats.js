import * as pb from '../wire/driver.js';
import { msToTimestamp, timestampToMs } from './time.js';
const C = pb.CPUUsage_Fields;
const M = pb.MemoryUsage_Fields;
/** Go's measured-field names per wire enum value. */
const CPU_FIELDS = {
    [C.SYSTEM_MODE]: 'System Mode',
    [C.USER_MODE]: 'User Mode',
    [C.TOTAL_TICKS]: 'Total Ticks',
    [C.THROTTLED_PERIODS]: 'Throttled Periods',
    [C.THROTTLED_TIME]: 'Throttled Time',
    [C.PERCENT]: 'Percent',
};
const MEMORY_FIELDS = {
    [M.RSS]: 'RSS',
    [M.CACHE]: 'Cache',
    [M.MAX_USAGE]: 'Max Usage',
    [M.KERNEL_USAGE]: 'Kernel Usage',
    [M.KERNEL_MAX_USAGE]: 'Kernel Max Usage',
    [M.USAGE]: 'Usage',
    [M.SWAP]: 'Swap',
};
const CPU_BY_NAME = byName(C, CPU_FIELDS);
const MEMORY_BY_NAME = byName(M, MEMORY_FIELDS);
/** drover → wire. */
export function taskStatsToPb(taskId, u) {
    const pids = {};
    for (const [pid, p] of Object.entries(u.pids ?? {}))
        pids[pid] = usageToPb(p.cpu, p.memory);
    return {
        id: taskId,
        timestamp: msToTimestamp(u.timestamp),
        agg_resource_usage: usageToPb(u.cpu, u.memory),
        resource_usage_by_pid: pids,
    };
}
/** wire → drover. */
export function taskStatsFromPb(m) {
    const pidEntries = Object.entries(m.resource_usage_by_pid);
    return {
        memory: memoryFromPb(m.agg_resource_usage?.memory),
        cpu: cpuFromPb(m.agg_resource_usage?.cpu),
        timestamp: timestampToMs(m.timestamp),
        ...(pidEntries.length > 0
            ? { pids: Object.fromEntries(pidEntries.map(([pid, p]) => [pid, { memory: memoryFromPb(p.memory), cpu: cpuFromPb(p.cpu) }])) }
            : {}),
    };
}
function usageToPb(cpu, memory) {
    return {
        cpu: {
            system_mode: cpu.systemMode,
            user_mode: cpu.userMode,
            total_ticks: cpu.totalTicks,
            throttled_periods: cpu.throttledPeriods,
            throttled_time: cpu.throttledTime,
            percent: cpu.percent,
            measured_fields: toEnums(cpu.measured, CPU_BY_NAME),
        },
        memory: {
            rss: memory.rss,
            cache: memory.cache,
            max_usage: memory.maxUsage,
            kernel_usage: memory.kernelUsage,
            kernel_max_usage: memory.kernelMaxUsage,
            usage: memory.usage,
            swap: memory.swap,
            measured_fields: toEnums(memory.measured, MEMORY_BY_NAME),
        },
    };
}
function cpuFromPb(m) {
    return {
        systemMode: m?.system_mode ?? 0,
        userMode: m?.user_mode ?? 0,
        totalTicks: m?.total_ticks ?? 0,
        throttledPeriods: m?.throttled_periods ?? 0,
        throttledTime: m?.throttled_time ?? 0,
        percent: m?.percent ?? 0,
        measured: fromEnums(m?.measured_fields, CPU_FIELDS),
    };
}
function memoryFromPb(m) {
    return {
        rss: m?.rss ?? 0,
        cache: m?.cache ?? 0,
        swap: m?.swap ?? 0,
        usage: m?.usage ?? 0,
        maxUsage: m?.max_usage ?? 0,
        kernelUsage: m?.kernel_usage ?? 0,
        kernelMaxUsage: m?.kernel_max_usage ?? 0,
        measured: fromEnums(m?.measured_fields, MEMORY_FIELDS),
    };
}
/** Name → enum value, from the enum object and its name table. */
function byName(values, names) {
    return new Map(Object.values(values).map((v) => [names[v], v]));
}
/** Field names → enum values; names the wire has no value for are dropped. */
function toEnums(names, table) {
    return names.flatMap((n) => {
        const v = table.get(n);
        return v === undefined ? [] : [v];
    });
}
/** Enum values → field names; values a newer peer added are dropped. */
function fromEnums(values, table) {
    return (values ?? []).flatMap((v) => {
        const n = table[v];
        return n === undefined ? [] : [n];
    });
}
//# sourceMappingURL=stats.js.map