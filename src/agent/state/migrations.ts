/**
 * The state database's schema, as numbered migrations. `PRAGMA user_version`
 * records how many have run; each runs in its own transaction, so a crash
 * mid-migration leaves the previous version intact.
 */
import type Database from 'better-sqlite3';

/** Migration N (1-based) is MIGRATIONS[N-1]; append only, never edit a shipped one. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    stop INTEGER NOT NULL DEFAULT 0,
    purging INTEGER NOT NULL DEFAULT 0,
    submit_time INTEGER NOT NULL,
    create_index INTEGER NOT NULL,
    modify_index INTEGER NOT NULL,
    job_modify_index INTEGER NOT NULL
  );
  CREATE TABLE job_versions (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    spec TEXT NOT NULL,
    submit_time INTEGER NOT NULL,
    PRIMARY KEY (id, version)
  );
  CREATE TABLE allocs (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    job_version INTEGER NOT NULL,
    task_group TEXT NOT NULL,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    desired_status TEXT NOT NULL,
    desired_description TEXT NOT NULL DEFAULT '',
    client_status TEXT NOT NULL,
    client_description TEXT NOT NULL DEFAULT '',
    terminal INTEGER NOT NULL DEFAULT 0,
    create_time INTEGER NOT NULL,
    modify_time INTEGER NOT NULL,
    create_index INTEGER NOT NULL,
    modify_index INTEGER NOT NULL
  );
  CREATE INDEX allocs_by_job ON allocs (job_id);
  CREATE TABLE task_states (
    alloc_id TEXT NOT NULL,
    task TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (alloc_id, task)
  ) WITHOUT ROWID;
  CREATE TABLE local_states (
    alloc_id TEXT NOT NULL,
    task TEXT NOT NULL,
    hooks TEXT NOT NULL,
    run_complete INTEGER NOT NULL,
    handle TEXT,
    driver_state BLOB,
    network TEXT,
    PRIMARY KEY (alloc_id, task)
  ) WITHOUT ROWID;
  CREATE TABLE acl_tokens (
    accessor_id TEXT PRIMARY KEY,
    secret_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    policies TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    create_index INTEGER NOT NULL
  );
  `,
  // 2: the host ports and network an allocation was given when placed (JSON AllocatedNetwork; NULL: none asked).
  `
  ALTER TABLE allocs ADD COLUMN network TEXT;
  `,
  // 3: Nomad's native service registrations (structs.ServiceRegistration, keyed like its
  // memdb table by namespace and id) and the client's latest check results (its checkstore).
  `
  CREATE TABLE service_registrations (
    namespace TEXT NOT NULL,
    id TEXT NOT NULL,
    service_name TEXT NOT NULL,
    node_id TEXT NOT NULL,
    datacenter TEXT NOT NULL,
    job_id TEXT NOT NULL,
    alloc_id TEXT NOT NULL,
    workload TEXT NOT NULL,
    tags TEXT NOT NULL,
    address TEXT NOT NULL,
    port INTEGER NOT NULL,
    create_index INTEGER NOT NULL,
    modify_index INTEGER NOT NULL,
    PRIMARY KEY (namespace, id)
  ) WITHOUT ROWID;
  CREATE INDEX service_registrations_by_name ON service_registrations (namespace, service_name);
  CREATE INDEX service_registrations_by_alloc ON service_registrations (alloc_id, workload);
  CREATE TABLE check_results (
    alloc_id TEXT NOT NULL,
    check_id TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (alloc_id, check_id)
  ) WITHOUT ROWID;
  `,
  // 4: Nomad Variables (structs.VariableEncrypted, keyed like its memdb table by namespace and
  // path): items as AES-256-GCM ciphertext (nonce | ciphertext | tag) under the key key_id names;
  // lock is the JSON VariableLock while one is held; times are Unix ms (the API shows nanoseconds).
  `
  CREATE TABLE variables (
    namespace TEXT NOT NULL,
    path TEXT NOT NULL,
    key_id TEXT NOT NULL,
    data BLOB NOT NULL,
    lock TEXT,
    create_index INTEGER NOT NULL,
    modify_index INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    modify_time INTEGER NOT NULL,
    PRIMARY KEY (namespace, path)
  ) WITHOUT ROWID;
  `,
  // 5: Nomad's periodic_launch table: per periodic job, the last launch instant (Unix ms; the
  // registration time until the first launch), so a restart neither launches an instant twice nor replays every missed one.
  `
  CREATE TABLE periodic_launch (
    namespace TEXT NOT NULL,
    job_id TEXT NOT NULL,
    launch_ms INTEGER NOT NULL,
    PRIMARY KEY (namespace, job_id)
  ) WITHOUT ROWID;
  `,
  // 6: Nomad's PreviousAllocation / NextAllocation: a replacement waits for (and, with a sticky
  // ephemeral disk, takes over the data of) the alloc it replaces, across agent restarts too.
  `
  ALTER TABLE allocs ADD COLUMN previous_allocation TEXT NOT NULL DEFAULT '';
  ALTER TABLE allocs ADD COLUMN next_allocation TEXT NOT NULL DEFAULT '';
  `,
  // 7: Nomad's evaluations: what each write asked of the scheduler, the groups it could not place
  // and why (FailedTGAllocs), and the blocked evaluation that places them once there is room.
  // An alloc names the evaluation that placed it.
  `
  CREATE TABLE evaluations (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    status TEXT NOT NULL,
    create_index INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX evaluations_by_job ON evaluations (job_id, create_index);
  CREATE INDEX evaluations_by_status ON evaluations (status);
  ALTER TABLE allocs ADD COLUMN eval_id TEXT NOT NULL DEFAULT '';
  `,
  // 8: Nomad's scaling_event table: the last scaling events of each job group (newest kept), tied to the job's
  // create index so a job purged and registered again starts without its predecessor's events.
  `
  CREATE TABLE scaling_events (
    job_id TEXT NOT NULL,
    job_create_index INTEGER NOT NULL,
    task_group TEXT NOT NULL,
    create_index INTEGER NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (job_id, task_group, create_index)
  ) WITHOUT ROWID;
  `,
  // 9: deployments: Nomad's Deployment (task group states as JSON) and each alloc's AllocDeploymentStatus
  // (healthy NULL until judged); a job version is Stable once a deployment of it succeeded (auto_revert's target).
  `
  CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    job_version INTEGER NOT NULL,
    job_create_index INTEGER NOT NULL,
    job_modify_index INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_description TEXT NOT NULL,
    groups TEXT NOT NULL,
    create_index INTEGER NOT NULL,
    modify_index INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    modify_time INTEGER NOT NULL
  );
  CREATE INDEX deployments_by_job ON deployments (job_id, create_index);
  CREATE TABLE alloc_deployment (
    alloc_id TEXT PRIMARY KEY,
    deployment_id TEXT NOT NULL,
    healthy INTEGER,
    timestamp INTEGER NOT NULL,
    canary INTEGER NOT NULL,
    modify_index INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX alloc_deployment_by_deployment ON alloc_deployment (deployment_id);
  ALTER TABLE job_versions ADD COLUMN stable INTEGER NOT NULL DEFAULT 0;
  `,
  // 10: rescheduling. events: the alloc's RescheduleTracker (JSON, the reschedules that led to it);
  // followup_eval_id and reschedule_at (Unix ms, Nomad's WaitUntil): a failed alloc's replacement
  // planned for later, pending until placed or dropped; kept so a restart places it at the same
  // moment. Rows leave with their alloc.
  `
  CREATE TABLE alloc_reschedule (
    alloc_id TEXT PRIMARY KEY,
    events TEXT NOT NULL DEFAULT '[]',
    followup_eval_id TEXT NOT NULL DEFAULT '',
    reschedule_at INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE INDEX alloc_reschedule_by_eval ON alloc_reschedule (followup_eval_id);
  CREATE TRIGGER alloc_reschedule_follows_alloc AFTER DELETE ON allocs
  BEGIN DELETE FROM alloc_reschedule WHERE alloc_id = OLD.id; END;
  `,
  // 11: Nomad's job_submission table: the source a job version was registered from (HCL2 or JSON as
  // submitted, with its -var flags and var-file text), kept per version; purged with the job.
  `
  CREATE TABLE job_submissions (
    job_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    variable_flags TEXT NOT NULL DEFAULT '{}',
    variables TEXT NOT NULL DEFAULT '',
    job_modify_index INTEGER NOT NULL,
    PRIMARY KEY (job_id, version)
  ) WITHOUT ROWID;
  `,
  // 12: a start under way (the task's driver config, written before the driver launches it), so an
  // agent killed before the driver answered finishes that start instead of launching a second task.
  `
  ALTER TABLE local_states ADD COLUMN launching TEXT;
  `,
];

/** Runs the migrations the database has not seen; refuses a database newer than this binary. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`state.db schema version ${current} is newer than this drover (knows ${MIGRATIONS.length}); refusing to touch it`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
