export class SqliteTaskStateStore {
    states = new Map();
    locals = new Map();
    q;
    /** Task-state writes so far (for /v1/metrics). */
    writes = 0;
    constructor(db) {
        this.q = {
            putState: db.prepare('INSERT INTO task_states (alloc_id, task, state) VALUES (?, ?, ?) ON CONFLICT (alloc_id, task) DO UPDATE SET state = excluded.state'),
            putLocal: db.prepare(`INSERT INTO local_states (alloc_id, task, hooks, run_complete, handle, driver_state, network) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (alloc_id, task) DO UPDATE SET hooks = excluded.hooks, run_complete = excluded.run_complete,
           handle = excluded.handle, driver_state = excluded.driver_state, network = excluded.network`),
            states: db.prepare('SELECT * FROM task_states'),
            locals: db.prepare('SELECT * FROM local_states'),
        };
        // Load everything once: the agent restores every alloc at start anyway.
        for (const row of this.q.states.all())
            this.states.set(key(row.alloc_id, row.task), JSON.parse(row.state));
        for (const row of this.q.locals.all())
            this.locals.set(key(row.alloc_id, row.task), localFromRow(row));
    }
    putTaskState(allocId, taskName, state) {
        this.q.putState.run(allocId, taskName, JSON.stringify(state));
        this.writes++;
        this.states.set(key(allocId, taskName), state);
    }
    putLocalState(allocId, taskName, local) {
        const h = local.handle;
        this.q.putLocal.run(allocId, taskName, JSON.stringify(local.hooks), local.runComplete ? 1 : 0, h ? JSON.stringify({ version: h.version, state: h.state, config: h.config }) : null, h ? Buffer.from(h.driverState) : null, local.network ? JSON.stringify(local.network) : null);
        this.writes++;
        this.locals.set(key(allocId, taskName), local);
    }
    getTaskState(allocId, taskName) {
        const s = this.states.get(key(allocId, taskName));
        return s && structuredClone(s);
    }
    getLocalState(allocId, taskName) {
        return this.locals.get(key(allocId, taskName));
    }
    /** The live task state (not a copy) for serving reads; undefined before the runner wrote one. */
    peekTaskState(allocId, taskName) {
        return this.states.get(key(allocId, taskName));
    }
    /** Drops the cached rows of a purged alloc (the SQL rows go with StateDB.deleteAlloc). */
    forget(allocId, tasks) {
        for (const t of tasks) {
            this.states.delete(key(allocId, t));
            this.locals.delete(key(allocId, t));
        }
    }
}
function key(allocId, task) {
    return `${allocId}/${task}`;
}
function localFromRow(row) {
    const parsed = row.handle ? JSON.parse(row.handle) : undefined;
    return {
        hooks: JSON.parse(row.hooks),
        runComplete: row.run_complete === 1,
        ...(parsed ? { handle: { ...parsed, driverState: new Uint8Array(row.driver_state ?? Buffer.alloc(0)) } } : {}),
        ...(row.network ? { network: JSON.parse(row.network) } : {}),
    };
}
//# sourceMappingURL=task-store.js.map