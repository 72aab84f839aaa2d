/** Task cgroups as the daemon records them, and the raw numbers read from them. */

export type CgroupMode = 'v1' | 'v2' | 'none';

/** One task's cgroup(s); plain data so it can live in the journal. */
export interface TaskCgroup {
  readonly mode: 'v1' | 'v2';
  /** v1: controller → directory; v2: { unified: directory }. */
  readonly dirs: Readonly<Record<string, string>>;
  /** Created by drover (limits, kill-all and removal apply) or joined by override (left alone). */
  readonly owned: boolean;
}

/** One reading of a task cgroup's counters; bytes and nanoseconds. */
export interface CgroupSample {
  readonly rss: number;
  readonly cache: number;
  readonly swap: number;
  readonly usage: number;
  readonly maxUsage: number;
  readonly kernelUsage: number;
  readonly kernelMaxUsage: number;
  readonly cpuTotalNs: number;
  readonly cpuUserNs: number;
  readonly cpuSystemNs: number;
  readonly throttledPeriods: number;
  readonly throttledTimeNs: number;
}

/** Limits as the executor contract states them (see ResourceLimits). */
export interface CgroupLimits {
  readonly cpuShares: number;
  readonly memoryMb: number;
  readonly memoryMaxMb: number;
  readonly pidsLimit: number;
}

const MiB = 1024 * 1024;

/**
 * Nomad's memoryLimits: memory_max is the hard limit and memory the soft one
 * when memory_max is set; otherwise memory is the hard limit. Bytes; 0 = none.
 */
export function memoryLimits(l: CgroupLimits): { hard: number; soft: number } {
  if (l.memoryMaxMb > 0) return { hard: l.memoryMaxMb * MiB, soft: l.memoryMb > 0 && l.memoryMb < l.memoryMaxMb ? l.memoryMb * MiB : 0 };
  return { hard: Math.max(0, l.memoryMb) * MiB, soft: 0 };
}

/** Parses "key value" lines (memory.stat, cpu.stat, memory.events, ...). */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return out;
}
