/**
 * /proc readings shared by every peer, so all three are measured the same
 * way: a census of task processes by their argv, the memory of a manager's
 * processes, and a scan for anything a scenario left behind.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids listed in /proc now (zombies included). */
export function listPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0) out.push(pid);
  }
  return out;
}

/** argv of a process; undefined when it is gone, [] for a zombie or a kernel thread. */
export function readArgv(pid: number): string[] | undefined {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
  if (raw === '') return [];
  return (raw.endsWith('\0') ? raw.slice(0, -1) : raw).split('\0');
}

/** Pids whose argv satisfies `match` now. */
export function findPids(match: (argv: readonly string[]) => boolean): number[] {
  return listPids().filter((pid) => {
    const argv = readArgv(pid);
    return argv !== undefined && argv.length > 0 && match(argv);
  });
}

/** The parent pid of a process; undefined when it is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesised command name, which may itself contain ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

// How long a new pid that does not match yet is re-read: between fork and
// exec a task still carries its parent's argv (node, python, sh), and on
// this loaded 2-core host that gap can last a while.
const RECHECK_MS = 10_000;

/**
 * Counts live processes whose argv matches, cheaply enough to poll every few
 * milliseconds: pids present when the census starts are never read, a match
 * is remembered until its pid leaves /proc (reaped), and other new pids are
 * re-read only while they may still exec. "Gone" therefore means reaped by
 * the manager, the same for every peer.
 */
export class ProcessCensus {
  private readonly seen = new Map<number, { readonly match: boolean; readonly firstSeenMs: number }>();

  constructor(private readonly match: (argv: readonly string[]) => boolean) {
    for (const pid of listPids()) this.seen.set(pid, { match: false, firstSeenMs: -Infinity });
  }

  count(): number {
    const now = performance.now();
    const live = new Set(listPids());
    for (const pid of this.seen.keys()) if (!live.has(pid)) this.seen.delete(pid);
    let n = 0;
    for (const pid of live) {
      const known = this.seen.get(pid);
      if (known?.match) {
        n++;
        continue;
      }
      if (known && now - known.firstSeenMs >= RECHECK_MS) continue;
      const argv = readArgv(pid);
      if (argv === undefined) continue;
      const match = argv.length > 0 && this.match(argv);
      this.seen.set(pid, { match, firstSeenMs: known?.firstSeenMs ?? now });
      if (match) n++;
    }
    return n;
  }
}

/** Resident and proportional set sizes, KiB. */
export interface MemoryKiB {
  readonly rss: number;
  readonly pss: number;
}

/** Sum of Rss and Pss over `pids` from smaps_rollup; pids that are gone count 0. */
export function memoryKiB(pids: readonly number[]): MemoryKiB {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    } catch {
      continue;
    }
    rss += Number(/^Rss:\s+(\d+) kB/m.exec(text)?.[1] ?? 0);
    pss += Number(/^Pss:\s+(\d+) kB/m.exec(text)?.[1] ?? 0);
  }
  return { rss, pss };
}

/** CPU time (user + system) used so far by `pids`, in clock ticks (USER_HZ, 100 a second on Linux). */
export function cpuTicks(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the parenthesised command name: state is the 3rd field, utime and stime the 14th and 15th.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += Number(rest[11] ?? 0) + Number(rest[12] ?? 0);
    } catch {
      // gone between listing and reading
    }
  }
  return sum;
}

/** Sum of VmRSS over `pids`, KiB: cheaper than smaps_rollup, for sampling peaks. */
export function rssKiB(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone between listing and reading
    }
  }
  return sum;
}
