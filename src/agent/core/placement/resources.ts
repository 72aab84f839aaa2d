/**
 * Nomad's ComparableResources on one node: what the node offers (its
 * fingerprint or the client's overrides, less `client { reserved }`) and
 * what an allocation asks (its tasks' resources folded by lifecycle, plus
 * its ephemeral disk), so the scheduler can tell whether one more fits.
 */
import type { TaskGroup } from '../../../model/job.js';
import type { ClientConfig } from '../../config/agent-config.js';

/** MHz of CPU, MiB of memory, MB of disk. */
export interface Comparable {
  readonly cpu: number;
  readonly memoryMb: number;
  readonly diskMb: number;
}

export const NOTHING: Comparable = { cpu: 0, memoryMb: 0, diskMb: 0 };

/** Nomad's ephemeral_disk default size (MB), which every group asks for unless it sets one. */
export const DEFAULT_EPHEMERAL_DISK_MB = 300;

/** The node's fingerprinted totals. */
export interface NodeTotals {
  /** One core's MHz. */
  readonly mhzPerCore: number;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly diskFreeBytes: number;
}

/** The node's resources as Nomad's NodeResources (before reserved is taken off). */
export function nodeResources(totals: NodeTotals, c: ClientConfig): Comparable {
  return {
    cpu: c.cpuTotalCompute > 0 ? c.cpuTotalCompute : totals.mhzPerCore * totals.cores,
    memoryMb: c.memoryTotalMb > 0 ? c.memoryTotalMb : Math.floor(totals.memoryBytes / 1024 / 1024),
    diskMb: c.diskFreeMb > 0 ? c.diskFreeMb : Math.floor(totals.diskFreeBytes / 1024 / 1024),
  };
}

/** What allocations may use: the node's resources less `client { reserved }`. */
export function allocatable(totals: NodeTotals, c: ClientConfig): Comparable {
  const r = nodeResources(totals, c);
  return { cpu: r.cpu - c.reservedCpu, memoryMb: r.memoryMb - c.reservedMemoryMb, diskMb: r.diskMb - c.reservedDiskMb };
}

export function add(a: Comparable, b: Comparable): Comparable {
  return { cpu: a.cpu + b.cpu, memoryMb: a.memoryMb + b.memoryMb, diskMb: a.diskMb + b.diskMb };
}

function max(a: Comparable, b: Comparable): Comparable {
  return { cpu: Math.max(a.cpu, b.cpu), memoryMb: Math.max(a.memoryMb, b.memoryMb), diskMb: Math.max(a.diskMb, b.diskMb) };
}

/**
 * One allocation of `group` (AllocatedResources.Comparable): tasks that run
 * side by side add up, while prestart and poststop tasks that finish before
 * or start after the main ones only count by the larger of the phases.
 * Reserved cores count at the node's per-core MHz.
 */
export function groupAsk(group: TaskGroup, mhzPerCore: number): Comparable {
  let prestart = NOTHING;
  let main = NOTHING;
  let poststop = NOTHING;
  for (const t of group.tasks) {
    const r: Comparable = { cpu: t.resources.cores > 0 ? t.resources.cores * mhzPerCore : t.resources.cpu, memoryMb: t.resources.memoryMb, diskMb: 0 };
    const hook = t.lifecycle?.hook;
    if (hook === 'prestart') {
      prestart = add(prestart, r);
      if (t.lifecycle?.sidecar) main = add(main, r);
    } else if (hook === 'poststop') poststop = add(poststop, r);
    else main = add(main, r);
  }
  const flat = max(max(main, prestart), poststop);
  return { ...flat, diskMb: group.ephemeralDiskMb ?? DEFAULT_EPHEMERAL_DISK_MB };
}

/** The first dimension `used + ask` exceeds `available` in (Nomad's Superset order), or undefined when it fits. */
export function exhaustedDimension(available: Comparable, used: Comparable, ask: Comparable): 'cpu' | 'memory' | 'disk' | undefined {
  const total = add(used, ask);
  if (total.cpu > available.cpu) return 'cpu';
  if (total.memoryMb > available.memoryMb) return 'memory';
  if (total.diskMb > available.diskMb) return 'disk';
  return undefined;
}
