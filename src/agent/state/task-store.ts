/**
 * The task runner's TaskStateStore over SQLite: task states (with their last
 * events), hook state and driver handles, one row per task. Reads come from
 * an in-memory copy (the runner reads its local state back on every persist);
 * every write goes straight to SQLite through a prepared statement, in the
 * caller's tick, so a SIGKILL loses nothing that was written — measured at
 * ~10 µs per task event (bench/agent.ts), cheap enough not to coalesce.
 */
import type Database from 'better-sqlite3';
import type { TaskState } from '../../model/task-state.js';
import type { TaskHandle } from '../../drivers/types.js';
import type { LocalTaskState, TaskStateStore } from '../../taskrunner/state-store.js';

interface LocalRow {
  alloc_id: string;
  task: string;
  hooks: string;
  run_complete: number;
  handle: string | null;
  driver_state: Buffer | null;
  network: string | null;
}

export class SqliteTaskStateStore implements TaskStateStore {
  private readonly states = new Map<string, TaskState>();
  private readonly locals = new Map<string, LocalTaskState>();
  private readonly q;
  /** Task-state writes so far (for /v1/metrics). */
  writes = 0;

  constructor(db: Database.Database) {
    this.q = {
      putState: db.prepare('INSERT INTO task_states (alloc_id, task, state) VALUES (?, ?, ?) ON CONFLICT (alloc_id, task) DO UPDATE SET state = excluded.state'),
      putLocal: db.prepare(
        `INSERT INTO local_states (alloc_id, task, hooks, run_complete, handle, driver_state, network) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (alloc_id, task) DO UPDATE SET hooks = excluded.hooks, run_complete = excluded.run_complete,
           handle = excluded.handle, driver_state = excluded.driver_state, network = excluded.network`,
      ),
      states: db.prepare<[], { alloc_id: string; task: string; state: string }>('SELECT * FROM task_states'),
      locals: db.prepare<[], LocalRow>('SELECT * FROM local_states'),
    };
    // Load everything once: the agent restores every alloc at start anyway.
    for (const row of this.q.states.all()) this.states.set(key(row.alloc_id, row.task), JSON.parse(row.state) as TaskState);
    for (const row of this.q.locals.all()) this.locals.set(key(row.alloc_id, row.task), localFromRow(row));
  }

  putTaskState(allocId: string, taskName: string, state: TaskState): void {
    this.q.putState.run(allocId, taskName, JSON.stringify(state));
    this.writes++;
    this.states.set(key(allocId, taskName), state);
  }

  putLocalState(allocId: string, taskName: string, local: LocalTaskState): void {
    const h = local.handle;
    this.q.putLocal.run(
      allocId,
      taskName,
      JSON.stringify(local.hooks),
      local.runComplete ? 1 : 0,
      h ? JSON.stringify({ version: h.version, state: h.state, config: h.config }) : null,
      h ? Buffer.from(h.driverState) : null,
      local.network ? JSON.stringify(local.network) : null,
    );
    this.writes++;
    this.locals.set(key(allocId, taskName), local);
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
    }
  }
}

function key(allocId: string, task: string): string {
  return `${allocId}/${task}`;
}

function localFromRow(row: LocalRow): LocalTaskState {
  const parsed = row.handle ? (JSON.parse(row.handle) as Omit<TaskHandle, 'driverState'>) : undefined;
  return {
    hooks: JSON.parse(row.hooks) as LocalTaskState['hooks'],
    runComplete: row.run_complete === 1,
    ...(parsed ? { handle: { ...parsed, driverState: new Uint8Array(row.driver_state ?? Buffer.alloc(0)) } } : {}),
    ...(row.network ? { network: JSON.parse(row.network) as LocalTaskState['network'] } : {}),
  };
}
