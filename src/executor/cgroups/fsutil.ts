/** Small synchronous helpers for cgroupfs files (tiny reads and writes, never blocking on disk). */
import { readFileSync, writeFileSync } from 'node:fs';

/** File text, or undefined when missing or unreadable. */
export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

/** A file holding one integer; 0 when missing. */
export function readNumber(file: string): number {
  const t = readText(file);
  const n = t === undefined ? NaN : Number(t.trim());
  return Number.isFinite(n) ? n : 0;
}

/** Writes `value` to a cgroup control file; throws with the file named. */
export function writeControl(file: string, value: string | number): void {
  try {
    writeFileSync(file, String(value));
  } catch (err) {
    throw new Error(`cgroup: writing ${value} to ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The pids listed in a cgroup.procs file. */
export function readPids(file: string): number[] {
  const t = readText(file);
  if (t === undefined) return [];
  const out: number[] = [];
  for (const line of t.split('\n')) if (line !== '') out.push(Number(line));
  return out;
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
