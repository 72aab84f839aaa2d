/**
 * The daemon's journal: one small JSON file per task (task.json in the
 * task's dir), replaced atomically (write to a temp file, rename), holding
 * what is needed to re-adopt the task after a daemon restart and, once it
 * exited, its exit result until the task is destroyed.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { ExitResult } from '../../model/task-result.js';
import type { TaskCgroup } from '../cgroups/index.js';
import type { LaunchSpec } from '../types.js';
import { isErrno } from '../../model/errors.js';

/** Journal format version. */
export const JOURNAL_VERSION = 1;

/** One task's journal entry. */
export interface TaskRecord {
  readonly version: number;
  readonly spec: LaunchSpec;
  readonly pid: number;
  readonly procStartTicks: number;
  /** Unix ms (fractional: sub-ms precision for latency measurements). */
  readonly startedAt: number;
  readonly cgroup?: TaskCgroup;
  readonly exit?: { readonly result: ExitResult; readonly completedAt: number };
}

const FILE = 'task.json';

/** Writes the entry atomically (a crash leaves the old or the new file, never half of one). */
export function writeRecord(dir: string, rec: TaskRecord): void {
  const tmp = join(dir, `.${FILE}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(rec));
  fs.renameSync(tmp, join(dir, FILE));
}

/** What the state dir holds. */
export interface JournalScan {
  readonly tasks: Array<{ dir: string; rec: TaskRecord }>;
  /** Task keys whose dir has no task.json: a launch that failed or crashed before it was journaled. */
  readonly incomplete: string[];
}

/** Every readable entry under `stateDir`; unreadable ones are reported through `onBad`. */
export function readAll(stateDir: string, onBad: (dir: string, err: Error) => void): JournalScan {
  const scan: JournalScan = { tasks: [], incomplete: [] };
  let names: string[];
  try {
    names = fs.readdirSync(stateDir);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    return scan;
  }
  for (const name of names) {
    // Dot names are the daemon's own files (the .data-dir back-reference), never a task's dir.
    if (name.startsWith('.')) continue;
    const dir = join(stateDir, name);
    try {
      const rec = JSON.parse(fs.readFileSync(join(dir, FILE), 'utf8')) as TaskRecord;
      if (rec.version !== JOURNAL_VERSION || typeof rec.pid !== 'number' || typeof rec.spec?.taskId !== 'string') throw new Error('not a task record');
      scan.tasks.push({ dir, rec });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') scan.incomplete.push(name);
      else onBad(dir, err as Error);
    }
  }
  return scan;
}

/** Forgets a task: its dir with journal entry, spools and records. */
export function removeTaskDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
