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
 * Checked (issue 16): synchronous is per connection and read at commit, so
 * setting FULL just before the transaction makes that commit fsync the WAL
 * (and, for a new WAL file, its directory) before `durable` returns, and the
 * API replies only after it returns: an acknowledged write is durable. A write
 * the disk refuses (SQLITE_FULL) rolls back and the API answers 507 saying the
 * data dir is full (http/errors.ts); client-side writes that fail are kept in memory and
 * retried (see SqliteTaskStateStore), never acknowledged to anyone.
 */
import Database from 'better-sqlite3';
import { createHash, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '../../model/job.js';
import type { AllocatedNetwork } from '../../model/network.js';
import { migrate } from './migrations.js';
import { DroverError, ErrorCode } from '../../model/errors.js';

/** Versions of a job kept (Nomad's server job_tracked_versions, default 6); submissions likewise. */
export const JOB_TRACKED_VERSIONS = 6;

export type DesiredStatus = 'run' | 'stop';
export type ClientStatus = 'pending' | 'running' | 'complete' | 'failed';

/** The current version of a job and its status flags. */
export interface JobRecord {
  readonly id: string;
  readonly version: number;
  readonly job: Job;
  readonly stop: boolean;
  /** Purge requested: the job and its allocs go once every alloc is terminal. */
  readonly purging: boolean;
  /** Unix ms. */
  readonly submitTime: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
  readonly jobModifyIndex: number;
}

/** One stored version of a job. */
export interface JobVersionRecord {
  readonly id: string;
  readonly version: number;
  readonly job: Job;
  readonly submitTime: number;
}

/**
 * The source a job version was registered from (Nomad's JobSubmission): HCL2
 * or JSON as submitted, the -var flags and the var-file text.
 */
export interface JobSubmissionRecord {
  readonly jobId: string;
  readonly version: number;
  readonly source: string;
  /** "hcl2" or "json". */
  readonly format: string;
  readonly variableFlags: Readonly<Record<string, string>>;
  readonly variables: string;
  readonly jobModifyIndex: number;
}

/** One allocation's scheduling facts (its tasks' states are stored separately). */
export interface AllocRecord {
  readonly id: string;
  readonly jobId: string;
  readonly jobVersion: number;
  readonly group: string;
  readonly index: number;
  readonly name: string;
  readonly desiredStatus: DesiredStatus;
  readonly desiredDescription: string;
  readonly clientStatus: ClientStatus;
  readonly clientDescription: string;
  /** The alloc runner finished for good: nothing to recover. */
  readonly terminal: boolean;
  /** Unix ms. */
  readonly createTime: number;
  readonly modifyTime: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
  /** The ports and network given at placement; absent when the job asked for none. Kept for the alloc's whole life. */
  readonly network?: AllocatedNetwork;
  /** The alloc this one replaces on this node ('' for none): it waits for that one to end first. */
  readonly previousAllocation?: string;
  /** The alloc that replaced this one ('' until one did). */
  readonly nextAllocation?: string;
  /** The evaluation that placed it (Nomad's EvalID). */
  readonly evalId?: string;
}

/** A stored ACL token. */
export interface TokenRecord {
  readonly accessorId: string;
  readonly secretId: string;
  readonly name: string;
  readonly type: 'management' | 'client';
  readonly policies: readonly string[];
  readonly createTime: number;
  readonly createIndex: number;
}

interface SubmissionRow {
  job_id: string;
  version: number;
  source: string;
  format: string;
  variable_flags: string;
  variables: string;
  job_modify_index: number;
}

interface JobRow {
  id: string;
  version: number;
  stop: number;
  purging: number;
  submit_time: number;
  create_index: number;
  modify_index: number;
  job_modify_index: number;
}

interface AllocRow {
  id: string;
  job_id: string;
  job_version: number;
  task_group: string;
  idx: number;
  name: string;
  desired_status: string;
  desired_description: string;
  client_status: string;
  client_description: string;
  terminal: number;
  create_time: number;
  modify_time: number;
  create_index: number;
  modify_index: number;
  network: string | null;
  previous_allocation: string;
  next_allocation: string;
  eval_id: string;
}

interface TokenRow {
  accessor_id: string;
  secret_id: string;
  name: string;
  type: string;
  policies: string;
  create_time: number;
  create_index: number;
}

/**
 * Opens (creating and migrating) DATA_DIR/state.db.
 *
 * A torn file (a power cut, a disk that lied about a write) must never load
 * as state: a WAL's torn tail is dropped by SQLite itself (each frame is
 * checksummed, a commit counts only when all its frames check out), and the
 * whole file is read through once by `PRAGMA quick_check` before anything
 * trusts it (a few ms for a state of hundreds of allocations). A file that
 * fails is refused with a {@link CorruptStateError} naming it, not loaded in
 * part and not reported as an internal error.
 *
 * It holds ACL token secrets, so it is the agent user's only (mode 0600, as
 * Nomad keeps its state under 0700 dirs) whatever the data dir's mode; SQLite
 * gives the -wal and -shm files the database file's mode.
 */
export function openDatabase(dataDir: string): Database.Database {
  const file = join(dataDir, 'state.db');
  // An empty (or missing) main file beside a WAL with frames in it lost what the WAL's frames build on:
  // SQLite would open it as a new, empty database and the agent would start with no state at all.
  const walBytes = sizeOf(`${file}-wal`);
  if (sizeOf(file) === 0 && walBytes > WAL_HEADER_BYTES) throw new CorruptStateError(file, `the file is empty but its write-ahead log ${file}-wal holds ${walBytes} bytes`);
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodPrivate(f);
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Another process holding the file (a second agent on the same dir) waits, then fails clearly.
    db.pragma('busy_timeout = 2000');
    db.pragma('foreign_keys = OFF');
    const check = (db.pragma('quick_check(3)') as Array<{ quick_check: string }>).flatMap((r) => r.quick_check.split('\n'));
    if (check.join() !== 'ok') throw new CorruptStateError(file, check.filter((l) => l !== '' && !l.startsWith('***')).slice(0, 3).join('; '));
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof CorruptStateError) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw new CorruptStateError(file, err instanceof Error ? err.message : String(err), err);
    throw err;
  }
}

/** Size of the file at `path`, 0 when it is not there. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A WAL file's header, before its first frame. */
const WAL_HEADER_BYTES = 32;

/** The agent's state file is damaged: the agent refuses to start on it rather than load part of it. */
export class CorruptStateError extends DroverError {
  constructor(
    readonly file: string,
    detail: string,
    cause?: unknown,
  ) {
    super(
      ErrorCode.internal,
      `state file ${file} is damaged and was not loaded (${detail}); restore it from a backup, or move it away to start with an empty state`,
      cause === undefined ? {} : { cause },
    );
  }
}

/** chmod 0600 if the file exists (a state.db created by an older drover was 0644). */
function chmodPrivate(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export class StateDB {
  readonly db: Database.Database;
  /** Raft-style modify index: bumped by every acknowledged write (Nomad's X-Nomad-Index). */
  private index: number;
  private readonly q;
  /** The newest parsed version of each job (see jobVersion). */
  private readonly latestVersion = new Map<string, JobVersionRecord>();
  /** SHA-256 of each token's secret → its accessor ({@link tokenBySecret}); rebuilt after a token is added or removed. */
  private tokensByDigest: Map<string, string> | undefined;

  constructor(db: Database.Database) {
    this.db = db;
    const prep = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.q = {
      getMeta: prep<{ value: string }>('SELECT value FROM meta WHERE key = ?'),
      putMeta: prep('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      job: prep<JobRow>('SELECT * FROM jobs WHERE id = ?'),
      jobs: prep<JobRow>('SELECT * FROM jobs ORDER BY id'),
      putJob: prep(
        `INSERT INTO jobs (id, version, stop, purging, submit_time, create_index, modify_index, job_modify_index)
         VALUES (@id, @version, @stop, @purging, @submitTime, @createIndex, @modifyIndex, @jobModifyIndex)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, stop = excluded.stop, purging = excluded.purging,
           submit_time = excluded.submit_time, modify_index = excluded.modify_index, job_modify_index = excluded.job_modify_index`,
      ),
      putVersion: prep('INSERT OR REPLACE INTO job_versions (id, version, spec, submit_time) VALUES (?, ?, ?, ?)'),
      version: prep<{ id: string; version: number; spec: string; submit_time: number }>('SELECT * FROM job_versions WHERE id = ? AND version = ?'),
      versions: prep<{ id: string; version: number; spec: string; submit_time: number }>('SELECT * FROM job_versions WHERE id = ? ORDER BY version DESC'),
      deleteJob: prep('DELETE FROM jobs WHERE id = ?'),
      deleteDeployments: prep('DELETE FROM deployments WHERE job_id = ?'),
      deleteAllocDeployment: prep('DELETE FROM alloc_deployment WHERE alloc_id = ?'),
      deleteVersions: prep('DELETE FROM job_versions WHERE id = ?'),
      versionNumbers: prep<{ version: number; stable: number }>('SELECT version, stable FROM job_versions WHERE id = ? ORDER BY version DESC'),
      versionsInUse: prep<{ version: number }>(
        "SELECT job_version AS version FROM allocs WHERE job_id = ? UNION SELECT job_version FROM deployments WHERE job_id = ? AND status IN ('running', 'paused')",
      ),
      deleteVersion: prep('DELETE FROM job_versions WHERE id = ? AND version = ?'),
      // Nomad's pruneJobSubmissions: the newest JOB_TRACKED_VERSIONS by job modify index.
      pruneSubmissions: prep(
        `DELETE FROM job_submissions WHERE job_id = @id AND version NOT IN
           (SELECT version FROM job_submissions WHERE job_id = @id ORDER BY job_modify_index DESC LIMIT @keep)`,
      ),
      putSubmission: prep(
        `INSERT OR IGNORE INTO job_submissions (job_id, version, source, format, variable_flags, variables, job_modify_index)
         VALUES (@jobId, @version, @source, @format, @variableFlags, @variables, @jobModifyIndex)`,
      ),
      submission: prep<SubmissionRow>('SELECT * FROM job_submissions WHERE job_id = ? AND version = ?'),
      deleteSubmissions: prep('DELETE FROM job_submissions WHERE job_id = ?'),
      alloc: prep<AllocRow>('SELECT * FROM allocs WHERE id = ?'),
      allocs: prep<AllocRow>('SELECT * FROM allocs ORDER BY create_index, idx'),
      allocsByJob: prep<AllocRow>('SELECT * FROM allocs WHERE job_id = ? ORDER BY create_index, idx'),
      otherVersionWanted: prep<{ one: number }>("SELECT 1 AS one FROM allocs WHERE job_id = ? AND desired_status = 'run' AND job_version != ? LIMIT 1"),
      occupying: prep<AllocRow>("SELECT * FROM allocs WHERE desired_status = 'run' AND client_status NOT IN ('complete', 'failed') ORDER BY create_index, idx"),
      allocsByPrefix: prep<AllocRow>("SELECT * FROM allocs WHERE id LIKE ? || '%' ORDER BY id LIMIT 2"),
      putAlloc: prep(
        `INSERT OR REPLACE INTO allocs (id, job_id, job_version, task_group, idx, name, desired_status, desired_description,
           client_status, client_description, terminal, create_time, modify_time, create_index, modify_index, network,
           previous_allocation, next_allocation, eval_id)
         VALUES (@id, @jobId, @jobVersion, @group, @index, @name, @desiredStatus, @desiredDescription,
           @clientStatus, @clientDescription, @terminal, @createTime, @modifyTime, @createIndex, @modifyIndex, @network,
           @previousAllocation, @nextAllocation, @evalId)`,
      ),
      deleteAlloc: prep('DELETE FROM allocs WHERE id = ?'),
      deleteTaskStates: prep('DELETE FROM task_states WHERE alloc_id = ?'),
      deleteLocalStates: prep('DELETE FROM local_states WHERE alloc_id = ?'),
      tokenByAccessor: prep<TokenRow>('SELECT * FROM acl_tokens WHERE accessor_id = ?'),
      tokens: prep<TokenRow>('SELECT * FROM acl_tokens ORDER BY create_index'),
      putToken: prep(
        'INSERT INTO acl_tokens (accessor_id, secret_id, name, type, policies, create_time, create_index) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteToken: prep('DELETE FROM acl_tokens WHERE accessor_id = ?'),
    };
    this.index = Number(this.meta('index') ?? '0');
  }

  /** The current modify index. */
  get lastIndex(): number {
    return this.index;
  }

  /** Bumps and persists the modify index; call inside a write transaction. */
  nextIndex(): number {
    this.index++;
    this.setMeta('index', String(this.index));
    return this.index;
  }

  /** Runs `fn` in one transaction committed with an fsync of the WAL: for writes the API acknowledges. */
  durable<T>(fn: () => T): T {
    this.db.pragma('synchronous = FULL');
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      // A failed transaction rolled back; the in-memory index must follow it.
      this.index = Number(this.meta('index') ?? '0');
      throw err;
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /** Runs `fn` in one transaction without the fsync (client-side updates: one WAL commit instead of one per statement). */
  atomic<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      this.index = Number(this.meta('index') ?? '0');
      throw err;
    }
  }

  meta(key: string): string | undefined {
    return this.q.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.q.putMeta.run(key, value);
  }

  // ---- jobs --------------------------------------------------------------

  job(id: string): JobRecord | undefined {
    const row = this.q.job.get(id);
    return row && this.jobFromRow(row);
  }

  jobs(): JobRecord[] {
    return this.q.jobs.all().flatMap((r) => this.jobFromRow(r) ?? []);
  }

  private jobFromRow(r: JobRow): JobRecord | undefined {
    const job = this.jobVersion(r.id, r.version)?.job;
    if (!job) return undefined;
    return {
      id: r.id,
      version: r.version,
      job,
      stop: r.stop === 1,
      purging: r.purging === 1,
      submitTime: r.submit_time,
      createIndex: r.create_index,
      modifyIndex: r.modify_index,
      jobModifyIndex: r.job_modify_index,
    };
  }

  /** Writes the job's current row (not its spec: see putJobVersion). */
  putJob(r: JobRecord): void {
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

  /** Writes a version, and drops the old ones past Nomad's job_tracked_versions (see pruneVersions). */
  putJobVersion(v: JobVersionRecord): void {
    this.q.putVersion.run(v.id, v.version, JSON.stringify(v.job), v.submitTime);
    this.pruneVersions(v.id);
    this.latestVersion.delete(v.id); // filled by the next read: this write may yet be rolled back
  }

  /**
   * Nomad's upsertJobVersion: the newest JOB_TRACKED_VERSIONS versions stay, the
   * latest stable one taking the oldest's place when it is older; and here also
   * any version an alloc or an active deployment still names (an alloc does not
   * carry its job, as Nomad's does: its version is how it reads it); the GC
   * prunes again once it has deleted such allocs.
   */
  pruneVersions(id: string): void {
    const versions = this.q.versionNumbers.all(id);
    if (versions.length <= JOB_TRACKED_VERSIONS) return;
    const keep = new Set(versions.slice(0, JOB_TRACKED_VERSIONS - 1).map((v) => v.version));
    const stable = versions.find((v) => v.stable === 1);
    keep.add(stable && !keep.has(stable.version) ? stable.version : (versions[JOB_TRACKED_VERSIONS - 1] as { version: number }).version);
    for (const v of this.q.versionsInUse.all(id, id)) keep.add(v.version);
    for (const v of versions) if (!keep.has(v.version)) this.q.deleteVersion.run(id, v.version);
  }

  /**
   * A version (immutable once written). The newest one read or written per job
   * is kept parsed: every alloc of a job reads its job (one terminal alloc of a
   * 300-group job used to parse all 300 groups; 300 of them, 90,000).
   */
  jobVersion(id: string, version: number): JobVersionRecord | undefined {
    const cached = this.latestVersion.get(id);
    if (cached?.version === version) return cached;
    const row = this.q.version.get(id, version);
    if (!row) return undefined;
    const v = { id: row.id, version: row.version, job: JSON.parse(row.spec) as Job, submitTime: row.submit_time };
    if (!cached || cached.version < version) this.latestVersion.set(id, v);
    return v;
  }

  jobVersions(id: string): JobVersionRecord[] {
    return this.q.versions.all(id).map((row) => ({ id: row.id, version: row.version, job: JSON.parse(row.spec) as Job, submitTime: row.submit_time }));
  }

  /** Stores a version's submission; the first one stored for a version stays (as Nomad's state store). */
  putJobSubmission(r: JobSubmissionRecord): void {
    this.q.putSubmission.run({ ...r, variableFlags: JSON.stringify(r.variableFlags) });
    this.q.pruneSubmissions.run({ id: r.jobId, keep: JOB_TRACKED_VERSIONS });
  }

  jobSubmission(id: string, version: number): JobSubmissionRecord | undefined {
    const row = this.q.submission.get(id, version);
    if (!row) return undefined;
    return {
      jobId: row.job_id,
      version: row.version,
      source: row.source,
      format: row.format,
      variableFlags: JSON.parse(row.variable_flags) as Record<string, string>,
      variables: row.variables,
      jobModifyIndex: row.job_modify_index,
    };
  }

  /** Deletes the job, its versions and submissions, its allocs and their task state. */
  deleteJob(id: string): void {
    for (const a of this.allocsByJob(id)) this.deleteAlloc(a.id);
    this.q.deleteVersions.run(id);
    this.q.deleteSubmissions.run(id);
    this.q.deleteDeployments.run(id);
    this.q.deleteJob.run(id);
    this.latestVersion.delete(id);
  }

  // ---- allocations -------------------------------------------------------

  alloc(id: string): AllocRecord | undefined {
    const row = this.q.alloc.get(id);
    return row && allocFromRow(row);
  }

  /** The one alloc whose id starts with `prefix` (Nomad accepts short ids), else undefined. */
  allocByPrefix(prefix: string): AllocRecord | undefined {
    const rows = this.q.allocsByPrefix.all(prefix);
    return rows.length === 1 ? allocFromRow(rows[0] as AllocRow) : undefined;
  }

  allocs(): AllocRecord[] {
    return this.q.allocs.all().map(allocFromRow);
  }

  /** Allocations that count against the node: wanted and not finished (the scheduler's proposed allocs). */
  occupyingAllocs(): AllocRecord[] {
    return this.q.occupying.all().map(allocFromRow);
  }

  /** Whether an allocation of the job that should run runs a version other than `version` (a rollout has work left). */
  wantsOtherVersion(jobId: string, version: number): boolean {
    return this.q.otherVersionWanted.get(jobId, version) !== undefined;
  }

  allocsByJob(jobId: string): AllocRecord[] {
    return this.q.allocsByJob.all(jobId).map(allocFromRow);
  }

  putAlloc(a: AllocRecord): void {
    this.q.putAlloc.run({
      ...a,
      terminal: a.terminal ? 1 : 0,
      network: a.network ? JSON.stringify(a.network) : null,
      previousAllocation: a.previousAllocation ?? '',
      nextAllocation: a.nextAllocation ?? '',
      evalId: a.evalId ?? '',
    });
  }

  deleteAlloc(id: string): void {
    this.q.deleteTaskStates.run(id);
    this.q.deleteLocalStates.run(id);
    this.q.deleteAllocDeployment.run(id);
    this.q.deleteAlloc.run(id);
  }

  // ---- ACL tokens --------------------------------------------------------

  /**
   * The token whose secret is `secret`, found without comparing the caller's secret to stored
   * ones byte by byte (an index or === stops at the first differing byte, and its timing tells
   * an attacker how much of a guess was right): by the SHA-256 of the secret, confirmed with
   * timingSafeEqual on digests. The digest map only points at an accessor; the row is read
   * from the table, so a token deleted or rolled back is never found.
   */
  tokenBySecret(secret: string): TokenRecord | undefined {
    const digest = secretDigest(secret);
    this.tokensByDigest ??= new Map(this.q.tokens.all().map((r) => [secretDigest(r.secret_id).toString('hex'), r.accessor_id]));
    const accessor = this.tokensByDigest.get(digest.toString('hex'));
    const row = accessor === undefined ? undefined : this.q.tokenByAccessor.get(accessor);
    if (!row || !timingSafeEqual(secretDigest(row.secret_id), digest)) return undefined;
    return tokenFromRow(row);
  }

  tokenByAccessor(accessor: string): TokenRecord | undefined {
    const row = this.q.tokenByAccessor.get(accessor);
    return row && tokenFromRow(row);
  }

  tokens(): TokenRecord[] {
    return this.q.tokens.all().map(tokenFromRow);
  }

  putToken(t: TokenRecord): void {
    this.tokensByDigest = undefined;
    this.q.putToken.run(t.accessorId, t.secretId, t.name, t.type, JSON.stringify(t.policies), t.createTime, t.createIndex);
  }

  deleteToken(accessor: string): boolean {
    this.tokensByDigest = undefined;
    return this.q.deleteToken.run(accessor).changes > 0;
  }

  close(): void {
    this.db.close();
  }
}

function allocFromRow(r: AllocRow): AllocRecord {
  return {
    id: r.id,
    jobId: r.job_id,
    jobVersion: r.job_version,
    group: r.task_group,
    index: r.idx,
    name: r.name,
    desiredStatus: r.desired_status as DesiredStatus,
    desiredDescription: r.desired_description,
    clientStatus: r.client_status as ClientStatus,
    clientDescription: r.client_description,
    terminal: r.terminal === 1,
    createTime: r.create_time,
    modifyTime: r.modify_time,
    createIndex: r.create_index,
    modifyIndex: r.modify_index,
    ...(r.network ? { network: JSON.parse(r.network) as AllocatedNetwork } : {}),
    ...(r.previous_allocation ? { previousAllocation: r.previous_allocation } : {}),
    ...(r.next_allocation ? { nextAllocation: r.next_allocation } : {}),
    ...(r.eval_id ? { evalId: r.eval_id } : {}),
  };
}

function secretDigest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function tokenFromRow(r: TokenRow): TokenRecord {
  return {
    accessorId: r.accessor_id,
    secretId: r.secret_id,
    name: r.name,
    type: r.type === 'management' ? 'management' : 'client',
    policies: JSON.parse(r.policies) as string[],
    createTime: r.create_time,
    createIndex: r.create_index,
  };
}
