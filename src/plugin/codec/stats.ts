/**
 * TaskResourceUsage ↔ TaskStats. Nomad names measured fields with strings
 * ("User Mode") in Go and enums on the wire; unknown names are dropped, as
 * Nomad drops them.
 */
import type { CpuUsage, MemoryUsage, TaskResourceUsage } from '../../drivers/types.js';
import type { PbCpuUsage, PbMemoryUsage, PbTaskResourceUsage, PbTaskStats } from '../wire/driver.js';
import { msToTimestamp, timestampToMs } from './time.js';

const CPU_FIELDS = ['System Mode', 'User Mode', 'Total Ticks', 'Throttled Periods', 'Throttled Time', 'Percent'];
const MEMORY_FIELDS = ['RSS', 'Cache', 'Max Usage', 'Kernel Usage', 'Kernel Max Usage', 'Usage', 'Swap'];

/** drover → wire. */
export function taskStatsToPb(taskId: string, u: TaskResourceUsage): PbTaskStats {
  const pids: Record<string, PbTaskResourceUsage> = {};
  for (const [pid, p] of Object.entries(u.pids ?? {})) pids[pid] = usageToPb(p.cpu, p.memory);
  return {
    id: taskId,
    timestamp: msToTimestamp(u.timestamp),
    agg_resource_usage: usageToPb(u.cpu, u.memory),
    resource_usage_by_pid: pids,
  };
}

/** wire → drover. */
export function taskStatsFromPb(pb: PbTaskStats): TaskResourceUsage {
  const pidEntries = Object.entries(pb.resource_usage_by_pid ?? {});
  return {
    memory: memoryFromPb(pb.agg_resource_usage?.memory),
    cpu: cpuFromPb(pb.agg_resource_usage?.cpu),
    timestamp: timestampToMs(pb.timestamp),
    ...(pidEntries.length > 0
      ? { pids: Object.fromEntries(pidEntries.map(([pid, p]) => [pid, { memory: memoryFromPb(p.memory), cpu: cpuFromPb(p.cpu) }])) }
      : {}),
  };
}

function usageToPb(cpu: CpuUsage, memory: MemoryUsage): PbTaskResourceUsage {
  return {
    cpu: {
      system_mode: cpu.systemMode,
      user_mode: cpu.userMode,
      total_ticks: cpu.totalTicks,
      throttled_periods: cpu.throttledPeriods,
      throttled_time: cpu.throttledTime,
      percent: cpu.percent,
      measured_fields: toEnums(cpu.measured, CPU_FIELDS),
    },
    memory: {
      rss: memory.rss,
      cache: memory.cache,
      max_usage: memory.maxUsage,
      kernel_usage: memory.kernelUsage,
      kernel_max_usage: memory.kernelMaxUsage,
      usage: memory.usage,
      swap: memory.swap,
      measured_fields: toEnums(memory.measured, MEMORY_FIELDS),
    },
  };
}

function cpuFromPb(pb: PbCpuUsage | null | undefined): CpuUsage {
  return {
    systemMode: pb?.system_mode ?? 0,
    userMode: pb?.user_mode ?? 0,
    totalTicks: pb?.total_ticks ?? 0,
    throttledPeriods: pb?.throttled_periods ?? 0,
    throttledTime: pb?.throttled_time ?? 0,
    percent: pb?.percent ?? 0,
    measured: fromEnums(pb?.measured_fields, CPU_FIELDS),
  };
}

function memoryFromPb(pb: PbMemoryUsage | null | undefined): MemoryUsage {
  return {
    rss: pb?.rss ?? 0,
    cache: pb?.cache ?? 0,
    swap: pb?.swap ?? 0,
    usage: pb?.usage ?? 0,
    maxUsage: pb?.max_usage ?? 0,
    kernelUsage: pb?.kernel_usage ?? 0,
    kernelMaxUsage: pb?.kernel_max_usage ?? 0,
    measured: fromEnums(pb?.measured_fields, MEMORY_FIELDS),
  };
}

/** Field names → enum values (the enum value is the index in the table). */
function toEnums(names: readonly string[], table: readonly string[]): number[] {
  return names.map((n) => table.indexOf(n)).filter((i) => i >= 0);
}

function fromEnums(values: readonly number[] | undefined, table: readonly string[]): string[] {
  return (values ?? []).map((v) => table[v]).filter((n): n is string => n !== undefined);
}
