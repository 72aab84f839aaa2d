/**
 * The agent's durable state in DATA_DIR/state.db (SQLite via better-sqlite3):
 * jobs and their versions, allocations, ACL tokens and a few node facts.
 * Task states, hook state and driver handles live in the same file, written
 * by {@link SqliteTaskStateStore}.
 *
 * Durability: WAL journal. Writes the API acknowledges (job register, stop,
 * purge, alloc stop, ACL) run in {@link StateDB.durable}, a transaction
 * committed with synchronous=FULL (the WAL is fsynced before the reply), so
 * they survive power loss, not just a SIGKILL. Task-state writes, many per
 * second, use synchronous=NORMAL: committed to the WAL in the page cache,
 * which survives a SIGKILL of the agent (the case that matters for task
 * supervision) and costs no fsync; the next durable commit fsyncs them too.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { migrate } from './migrations.js';
/** Opens (creating and migrating) DATA_DIR/state.db. */
export function openDatabase(dataDir) {
    const db = new Database(join(dataDir, 'state.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Another process holding the file (a second agent on the same dir) waits, then fails clearly.
    db.pragma('busy_timeout = 2000');
    db.pragma('foreign_keys = OFF');
    migrate(db);
    return db;
}
export class StateDB {
    db;
    /** Raft-style modify index: bumped by every acknowledged write (Nomad's X-Nomad-Index). */
    index;
    q;
    constructor(db) {
        this.db = db;
        const prep = (sql) => db.prepare(sql);
        this.q = {
            getMeta: prep('SELECT value FROM meta WHERE key = ?'),
            putMeta: prep('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
            job: prep('SELECT j.*, v.spec FROM jobs j JOIN job_versions v ON v.id = j.id AND v.version = j.version WHERE j.id = ?'),
            jobs: prep('SELECT j.*, v.spec FROM jobs j JOIN job_versions v ON v.id = j.id AND v.version = j.version ORDER BY j.id'),
            putJob: prep(`INSERT INTO jobs (id, version, stop, purging, submit_time, create_index, modify_index, job_modify_index)
         VALUES (@id, @version, @stop, @purging, @submitTime, @createIndex, @modifyIndex, @jobModifyIndex)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, stop = excluded.stop, purging = excluded.purging,
           submit_time = excluded.submit_time, modify_index = excluded.modify_index, job_modify_index = excluded.job_modify_index`),
            putVersion: prep('INSERT OR REPLACE INTO job_versions (id, version, spec, submit_time) VALUES (?, ?, ?, ?)'),
            version: prep('SELECT * FROM job_versions WHERE id = ? AND version = ?'),
            versions: prep('SELECT * FROM job_versions WHERE id = ? ORDER BY version DESC'),
            deleteJob: prep('DELETE FROM jobs WHERE id = ?'),
            deleteVersions: prep('DELETE FROM job_versions WHERE id = ?'),
            alloc: prep('SELECT * FROM allocs WHERE id = ?'),
            allocs: prep('SELECT * FROM allocs ORDER BY create_index, idx'),
            allocsByJob: prep('SELECT * FROM allocs WHERE job_id = ? ORDER BY create_index, idx'),
            allocsByPrefix: prep("SELECT * FROM allocs WHERE id LIKE ? || '%' ORDER BY id LIMIT 2"),
            putAlloc: prep(`INSERT OR REPLACE INTO allocs (id, job_id, job_version, task_group, idx, name, desired_status, desired_description,
           client_status, client_description, terminal, create_time, modify_time, create_index, modify_index)
         VALUES (@id, @jobId, @jobVersion, @group, @index, @name, @desiredStatus, @desiredDescription,
           @clientStatus, @clientDescription, @terminal, @createTime, @modifyTime, @createIndex, @modifyIndex)`),
            deleteAlloc: prep('DELETE FROM allocs WHERE id = ?'),
            deleteTaskStates: prep('DELETE FROM task_states WHERE alloc_id = ?'),
            deleteLocalStates: prep('DELETE FROM local_states WHERE alloc_id = ?'),
            token: prep('SELECT * FROM acl_tokens WHERE secret_id = ?'),
            tokenByAccessor: prep('SELECT * FROM acl_tokens WHERE accessor_id = ?'),
            tokens: prep('SELECT * FROM acl_tokens ORDER BY create_index'),
            putToken: prep('INSERT INTO acl_tokens (accessor_id, secret_id, name, type, policies, create_time, create_index) VALUES (?, ?, ?, ?, ?, ?, ?)'),
            deleteToken: prep('DELETE FROM acl_tokens WHERE accessor_id = ?'),
        };
        this.index = Number(this.meta('index') ?? '0');
    }
    /** The current modify index. */
    get lastIndex() {
        return this.index;
    }
    /** Bumps and persists the modify index; call inside a write transaction. */
    nextIndex() {
        this.index++;
        this.setMeta('index', String(this.index));
        return this.index;
    }
    /** Runs `fn` in one transaction committed with an fsync of the WAL: for writes the API acknowledges. */
    durable(fn) {
        this.db.pragma('synchronous = FULL');
        try {
            return this.db.transaction(fn)();
        }
        catch (err) {
            // A failed transaction rolled back; the in-memory index must follow it.
            this.index = Number(this.meta('index') ?? '0');
            throw err;
        }
        finally {
            this.db.pragma('synchronous = NORMAL');
        }
    }
    meta(key) {
        return this.q.getMeta.get(key)?.value;
    }
    setMeta(key, value) {
        this.q.putMeta.run(key, value);
    }
    // ---- jobs --------------------------------------------------------------
    job(id) {
        const row = this.q.job.get(id);
        return row && jobFromRow(row);
    }
    jobs() {
        return this.q.jobs.all().map(jobFromRow);
    }
    /** Writes the job's current row (not its spec: see putJobVersion). */
    putJob(r) {
        this.q.putJob.run({
            id: r.id,
            version: r.version,
            stop: r.stop ? 1 : 0,
            purging: r.purging ? 1 : 0,
            submitTime: r.submitTime,
            createIndex: r.createIndex,
            modifyIndex: r.modifyIndex,
            jobModifyIndex: r.jobModifyIndex,
        });
    }
    putJobVersion(v) {
        this.q.putVersion.run(v.id, v.version, JSON.stringify(v.job), v.submitTime);
    }
    jobVersion(id, version) {
        const row = this.q.version.get(id, version);
        return row && { id: row.id, version: row.version, job: JSON.parse(row.spec), submitTime: row.submit_time };
    }
    jobVersions(id) {
        return this.q.versions.all(id).map((row) => ({ id: row.id, version: row.version, job: JSON.parse(row.spec), submitTime: row.submit_time }));
    }
    /** Deletes the job, its versions, its allocs and their task state. */
    deleteJob(id) {
        for (const a of this.allocsByJob(id))
            this.deleteAlloc(a.id);
        this.q.deleteVersions.run(id);
        this.q.deleteJob.run(id);
    }
    // ---- allocations -------------------------------------------------------
    alloc(id) {
        const row = this.q.alloc.get(id);
        return row && allocFromRow(row);
    }
    /** The one alloc whose id starts with `prefix` (Nomad accepts short ids), else undefined. */
    allocByPrefix(prefix) {
        const rows = this.q.allocsByPrefix.all(prefix);
        return rows.length === 1 ? allocFromRow(rows[0]) : undefined;
    }
    allocs() {
        return this.q.allocs.all().map(allocFromRow);
    }
    allocsByJob(jobId) {
        return this.q.allocsByJob.all(jobId).map(allocFromRow);
    }
    putAlloc(a) {
        this.q.putAlloc.run({ ...a, terminal: a.terminal ? 1 : 0 });
    }
    deleteAlloc(id) {
        this.q.deleteTaskStates.run(id);
        this.q.deleteLocalStates.run(id);
        this.q.deleteAlloc.run(id);
    }
    // ---- ACL tokens --------------------------------------------------------
    tokenBySecret(secret) {
        const row = this.q.token.get(secret);
        return row && tokenFromRow(row);
    }
    tokenByAccessor(accessor) {
        const row = this.q.tokenByAccessor.get(accessor);
        return row && tokenFromRow(row);
    }
    tokens() {
        return this.q.tokens.all().map(tokenFromRow);
    }
    putToken(t) {
        this.q.putToken.run(t.accessorId, t.secretId, t.name, t.type, JSON.stringify(t.policies), t.createTime, t.createIndex);
    }
    deleteToken(accessor) {
        return this.q.deleteToken.run(accessor).changes > 0;
    }
    close() {
        this.db.close();
    }
}
function jobFromRow(r) {
    return {
        id: r.id,
        version: r.version,
        job: JSON.parse(r.spec),
        stop: r.stop === 1,
        purging: r.purging === 1,
        submitTime: r.submit_time,
        createIndex: r.create_index,
        modifyIndex: r.modify_index,
        jobModifyIndex: r.job_modify_index,
    };
}
function allocFromRow(r) {
    return {
        id: r.id,
        jobId: r.job_id,
        jobVersion: r.job_version,
        group: r.task_group,
        index: r.idx,
        name: r.name,
        desiredStatus: r.desired_status,
        desiredDescription: r.desired_description,
        clientStatus: r.client_status,
        clientDescription: r.client_description,
        terminal: r.terminal === 1,
        createTime: r.create_time,
        modifyTime: r.modify_time,
        createIndex: r.create_index,
        modifyIndex: r.modify_index,
    };
}
function tokenFromRow(r) {
    return {
        accessorId: r.accessor_id,
        secretId: r.secret_id,
        name: r.name,
        type: r.type === 'management' ? 'management' : 'client',
        policies: JSON.parse(r.policies),
        createTime: r.create_time,
        createIndex: r.create_index,
    };
}
//# sourceMappingURL=state-db.js.map