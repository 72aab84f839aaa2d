/**
 * The task runner's TaskStateStore over SQLite: task states (with their last
 * events), hook state and driver handles, one row per task. Reads come from
 * an in-memory copy (the runner reads its local state back on every persist).
 *
 * Local state (hook state, driver handles) is written straight to SQLite in
 * the caller's tick, together with that task's unwritten state: it is what
 * recovery needs to find a running task again, and the runner acts on the
 * executor right after writing it. Task states (state name and events, a
 * report) are otherwise coalesced: written at the end of the
 * tick, every task changed in it in one transaction. A crash loop or a stop of
 * 100 tasks wrote one SQLite commit per event (7 per task per restart); a
 * SIGKILL now loses at most the events of the tick it lands in, which the
 * runner rebuilds on recovery from the handle and the executor.
 *
 * A write that fails (the data dir's disk is full: SQLITE_FULL) never throws
 * into the task runner: as Nomad's task runner logs "error persisting task
 * state" and runs on, the row stays in memory, marked unwritten, and is
 * written again every RETRY_MS until the disk takes it, so state written
 * while the disk was full reaches SQLite once space returns, without a
 * restart. Until then a SIGKILL loses it (as it would lose it in Nomad).
 */
import type Database from 'better-sqlite3';
import type { TaskState } from '../../model/task-state.js';
import type { TaskConfig, TaskHandle } from '../../drivers/types.js';
import type { LocalTaskState, TaskStateStore } from '../../taskrunner/state-store.js';

interface LocalRow {
  alloc_id: string;
  task: string;
  hooks: string;
  run_complete: number;
  handle: string | null;
  driver_state: Buffer | null;
  network: string | null;
  launching: string | null;
}

/** How often unwritten rows are tried again after a failed write. */
const RETRY_MS = 1_000;

export class SqliteTaskStateStore implements TaskStateStore {
  private readonly states = new Map<string, TaskState>();
  private readonly locals = new Map<string, LocalTaskState>();
  private readonly q;
  private readonly db: Database.Database;
  /** Task states changed this tick, written by flush(). */
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  /** Local states kept in memory only, because their write failed; written again by flush(). */
  private readonly unwrittenLocals = new Set<string>();
  private retry: NodeJS.Timeout | undefined;
  /** Told of a failed write (the agent logs it): the first one until a flush wrote everything again. */
  private readonly onWriteError: (err: unknown) => void;
  private failing = false;
  /** Task-state writes so far (for /v1/metrics). */
  writes = 0;

  constructor(db: Database.Database, onWriteError: (err: unknown) => void = () => undefined) {
    this.db = db;
    this.onWriteError = onWriteError;
    this.q = {
      putState: db.prepare('INSERT INTO task_states (alloc_id, task, state) VALUES (?, ?, ?) ON CONFLICT (alloc_id, task) DO UPDATE SET state = excluded.state'),
      putLocal: db.prepare(
        `INSERT INTO local_states (alloc_id, task, hooks, run_complete, handle, driver_state, network, launching) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (alloc_id, task) DO UPDATE SET hooks = excluded.hooks, run_complete = excluded.run_complete,
           handle = excluded.handle, driver_state = excluded.driver_state, network = excluded.network, launching = excluded.launching`,
      ),
      states: db.prepare<[], { alloc_id: string; task: string; state: string }>('SELECT * FROM task_states'),
      locals: db.prepare<[], LocalRow>('SELECT * FROM local_states'),
    };
    // Load everything once: the agent restores every alloc at start anyway.
    for (const row of this.q.states.all()) this.states.set(key(row.alloc_id, row.task), JSON.parse(row.state) as TaskState);
    for (const row of this.q.locals.all()) this.locals.set(key(row.alloc_id, row.task), localFromRow(row));
  }

  putTaskState(allocId: string, taskName: string, state: TaskState): void {
    const k = key(allocId, taskName);
    this.states.set(k, state);
    this.dirty.add(k);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Writes every task state changed since the last flush, and every local state
   * whose own write failed, in one transaction (also before the database closes).
   * Never throws: a failed write keeps the rows for the next try.
   */
  flush(): void {
    this.flushScheduled = false;
    if ((this.dirty.size === 0 && this.unwrittenLocals.size === 0) || !this.db.open) return;
    const keys = [...this.dirty];
    const locals = [...this.unwrittenLocals];
    try {
      this.db.transaction(() => {
        for (const k of locals) {
          const local = this.locals.get(k);
          if (local) this.writeLocal(k, local);
        }
        for (const k of keys) {
          const state = this.states.get(k);
          if (!state) continue;
          const [allocId, taskName] = splitKey(k);
          this.q.putState.run(allocId, taskName, JSON.stringify(state));
          this.writes++;
        }
      })();
    } catch (err) {
      this.failed(err);
      return;
    }
    for (const k of keys) this.dirty.delete(k);
    for (const k of locals) this.unwrittenLocals.delete(k);
    if (this.unwrittenLocals.size === 0) this.failing = false;
  }

  /**
   * Writes the local state now, in one transaction with the task's state if
   * that has changes not yet flushed: the local state is never ahead of the
   * events that go with it. (Written alone, a handle cleared after an exit
   * reached the disk before the exit's Terminated; an agent killed in between
   * left a task that had Started and had no handle, which the next agent
   * started again.)
   */
  putLocalState(allocId: string, taskName: string, local: LocalTaskState): void {
    const k = key(allocId, taskName);
    this.locals.set(k, local);
    // An older unwritten copy is replaced by this one: written now, or on a later flush.
    this.unwrittenLocals.delete(k);
    const state = this.dirty.has(k) ? this.states.get(k) : undefined;
    try {
      this.db.transaction(() => {
        if (state) {
          this.q.putState.run(allocId, taskName, JSON.stringify(state));
          this.writes++;
        }
        this.writeLocal(k, local);
      })();
      this.dirty.delete(k);
    } catch (err) {
      // Both stay pending (the state dirty, the local unwritten): flush writes them together.
      this.unwrittenLocals.add(k);
      this.failed(err);
    }
  }

  private writeLocal(k: string, local: LocalTaskState): void {
    const [allocId, taskName] = splitKey(k);
    const h = local.handle;
    this.q.putLocal.run(
      allocId,
      taskName,
      JSON.stringify(local.hooks),
      local.runComplete ? 1 : 0,
      h ? JSON.stringify({ version: h.version, state: h.state, config: h.config }) : null,
      h ? Buffer.from(h.driverState) : null,
      local.network ? JSON.stringify(local.network) : null,
      local.launching ? JSON.stringify(local.launching) : null,
    );
    this.writes++;
  }

  private failed(err: unknown): void {
    if (!this.failing) this.onWriteError(err);
    this.failing = true;
    if (this.retry !== undefined || !this.db.open) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.flush();
    }, RETRY_MS);
    this.retry.unref();
  }


  getTaskState(allocId: string, taskName: string): TaskState | undefined {
    const s = this.states.get(key(allocId, taskName));
    return s && structuredClone(s);
  }

  getLocalState(allocId: string, taskName: string): LocalTaskState | undefined {
    return this.locals.get(key(allocId, taskName));
  }

  /** The live task state (not a copy) for serving reads; undefined before the runner wrote one. */
  peekTaskState(allocId: string, taskName: string): Readonly<TaskState> | undefined {
    return this.states.get(key(allocId, taskName));
  }

  /** Drops the cached rows of a purged alloc (the SQL rows go with StateDB.deleteAlloc). */
  forget(allocId: string, tasks: readonly string[]): void {
    for (const t of tasks) {
      this.states.delete(key(allocId, t));
      this.locals.delete(key(allocId, t));
      this.dirty.delete(key(allocId, t));
      this.unwrittenLocals.delete(key(allocId, t));
    }
  }
}

function key(allocId: string, task: string): string {
  return `${allocId}/${task}`;
}

/** Alloc ids are UUIDs (no slash); the task name is everything after the first one. */
function splitKey(k: string): [string, string] {
  const i = k.indexOf('/');
  return [k.slice(0, i), k.slice(i + 1)];
}

function localFromRow(row: LocalRow): LocalTaskState {
  const parsed = row.handle ? (JSON.parse(row.handle) as Omit<TaskHandle, 'driverState'>) : undefined;
  return {
    hooks: JSON.parse(row.hooks) as LocalTaskState['hooks'],
    runComplete: row.run_complete === 1,
    ...(parsed ? { handle: { ...parsed, driverState: new Uint8Array(row.driver_state ?? Buffer.alloc(0)) } } : {}),
    ...(row.network ? { network: JSON.parse(row.network) as LocalTaskState['network'] } : {}),
    ...(row.launching ? { launching: JSON.parse(row.launching) as TaskConfig } : {}),
  };
}
