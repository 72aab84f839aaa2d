/** Unit tests of the agent's parts: SQLite task store, migrations, config parsing, reconcile, JSON job codec. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalIdentity, DEFAULT_UPDATE_STRATEGY, newEvent, newTaskState, ValidationError } from '../model/index.js';
import { makeJob, makeTask } from '../taskrunner/testing.js';
import { CorruptStateError, openDatabase, StateDB, type AllocRecord } from './state/state-db.js';
import { MIGRATIONS } from './state/migrations.js';
import { SqliteTaskStateStore } from './state/task-store.js';
import { parseAgentConfig } from './config/parse-config.js';
import { builtinPluginSchema } from '../drivers/catalog.js';
import { planRegistration } from './core/reconcile.js';
import { destructiveChange } from './core/task-diff.js';
import { fromApiJob } from './wire/api-to-job.js';
import { toApiJob } from '../model/nomad-api/job-to-api.js';
import { taskConfigSchema } from '../drivers/mock/config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'drover-state-'));

test('state: state.db and its -wal/-shm are the agent user\'s only (mode 0600; they were 0644, ACL secrets readable by any user of a 0755 data dir)', () => {
  const d = dir();
  chmodSync(d, 0o755);
  const db = openDatabase(d);
  db.exec('CREATE TABLE IF NOT EXISTS t (x)');
  db.exec('INSERT INTO t VALUES (1)');
  for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) assert.equal(statSync(join(d, f)).mode & 0o777, 0o600, f);
  db.close();
  // One an older drover created world-readable is tightened when opened.
  const old = dir();
  writeFileSync(join(old, 'state.db'), '');
  chmodSync(join(old, 'state.db'), 0o644);
  openDatabase(old).close();
  assert.equal(statSync(join(old, 'state.db')).mode & 0o777, 0o600);
});

test('state: migrations set user_version and reopen cleanly', () => {
  const d = dir();
  const db = openDatabase(d);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  openDatabase(d).close();
});

test('state: task states, hook state and driver handles round-trip through SQLite', () => {
  const d = dir();
  const db = openDatabase(d);
  const store = new SqliteTaskStateStore(db);
  const s = newTaskState();
  s.state = 'running';
  s.events.push(newEvent('Started', 1, {}));
  store.putTaskState('a1', 't', s);
  const bytes = new Uint8Array([0, 1, 2, 255]);
  const config = { id: 'a1/t/x', name: 't' } as never;
  store.putLocalState('a1', 't', { hooks: { task_dir: { prestartDone: true } }, handle: { version: 1, config, state: 'running', driverState: bytes }, runComplete: false });
  // Task states are written at the end of the tick (or by flush, as the agent does before closing).
  store.flush();
  db.close();
  const again = new SqliteTaskStateStore(openDatabase(d));
  assert.deepEqual(again.getTaskState('a1', 't'), s);
  const local = again.getLocalState('a1', 't')!;
  assert.deepEqual([...local.handle!.driverState], [...bytes]);
  assert.equal(local.handle!.config.id, 'a1/t/x');
  assert.equal(local.hooks['task_dir']?.prestartDone, true);
});

test('state: task states changed in one tick are written together at its end; a forgotten alloc\'s pending state is never written', async () => {
  const d = dir();
  const db = openDatabase(d);
  const store = new SqliteTaskStateStore(db);
  const rows = () => (db.prepare('SELECT alloc_id, task, state FROM task_states ORDER BY alloc_id').all() as Array<{ alloc_id: string; task: string; state: string }>).map((r) => [r.alloc_id, r.task, (JSON.parse(r.state) as { state: string }).state]);
  for (const [alloc, state] of [['a1', 'pending'], ['a1', 'running'], ['a2', 'running'], ['a3', 'running']] as const) {
    const s = newTaskState();
    s.state = state;
    store.putTaskState(alloc, 'web/main', s);
  }
  store.forget('a3', ['web/main']);
  // Readers see the newest state at once; SQLite gets it at the end of the tick.
  assert.equal(store.getTaskState('a1', 'web/main')?.state, 'running');
  assert.deepEqual(rows(), []);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(rows(), [['a1', 'web/main', 'running'], ['a2', 'web/main', 'running']]);
  db.close();
});

test('state: a task-state write the full disk refuses never throws; the rows stay in memory and reach SQLite once there is room', async () => {
  // Regression (issue 16, disk full): SQLITE_FULL thrown from the end-of-tick flush or from putLocalState
  // crashed the agent (an uncaught exception) or killed the task runner ("task runner failed").
  const d = dir();
  const db = openDatabase(d);
  const errors: unknown[] = [];
  const store = new SqliteTaskStateStore(db, (err) => errors.push(err));
  const pages = db.pragma('page_count', { simple: true }) as number;
  // The "disk" holds no page more than the file has now.
  db.pragma(`max_page_count = ${pages}`);
  const big = (state: 'pending' | 'running', n: number) => {
    const s = newTaskState();
    s.state = state;
    for (let i = 0; i < n; i++) s.events.push(newEvent('Driver', i, { driverMessage: 'x'.repeat(1000) }));
    return s;
  };
  const config = { id: 'a1/t/x', name: 't' } as never;
  const local = { hooks: { task_dir: { prestartDone: true } }, handle: { version: 1, config, state: 'running' as const, driverState: new Uint8Array(8000) }, runComplete: false };
  assert.doesNotThrow(() => store.putLocalState('a1', 't', local));
  store.putTaskState('a1', 't', big('running', 20));
  assert.doesNotThrow(() => store.flush());
  assert.equal(errors.length, 1, 'the failure is reported once, not once per try');
  assert.match(String(errors[0]), /full/);
  // Readers see the newest state all the while.
  assert.equal(store.getTaskState('a1', 't')?.state, 'running');
  assert.equal(store.getLocalState('a1', 't')?.handle?.config.id, 'a1/t/x');
  // Room again: the next flush (the retry timer, or any new state) writes both rows.
  db.pragma('max_page_count = 1000000');
  store.flush();
  db.close();
  const again = new SqliteTaskStateStore(openDatabase(d));
  assert.equal(again.getTaskState('a1', 't')?.events.length, 20);
  assert.equal(again.getLocalState('a1', 't')?.handle?.config.id, 'a1/t/x');
});

test('state: a torn state.db is refused with an error naming it, never loaded in part or as a new empty state', () => {
  // Regression (issue 16, torn writes): a main file cut short crashed `drover agent` with "internal error: SqliteError:
  // database disk image is malformed" and a stack trace; an emptied main file beside its WAL opened as a new, empty state.
  const build = (): string => {
    const d = dir();
    const db = openDatabase(d);
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (let i = 0; i < 300; i++) put.run(`k${i}`, 'v'.repeat(3000));
    db.close();
    // Some more in a WAL that a crash leaves behind (a copy taken while the database is open).
    const live = openDatabase(d);
    live.pragma('wal_autocheckpoint = 0');
    for (let i = 300; i < 320; i++) live.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(`k${i}`, 'w'.repeat(3000));
    const copy = dir();
    for (const f of ['state.db', 'state.db-wal']) copyFileSync(join(d, f), join(copy, f));
    live.close();
    return copy;
  };
  const cut = build();
  truncateSync(join(cut, 'state.db'), Math.floor(statSync(join(cut, 'state.db')).size / 2 / 4096) * 4096);
  assert.throws(() => openDatabase(cut), (err: unknown) => err instanceof CorruptStateError && err.message.includes(join(cut, 'state.db')) && /damaged/.test(err.message));
  const emptied = build();
  truncateSync(join(emptied, 'state.db'), 0);
  assert.throws(() => openDatabase(emptied), (err: unknown) => err instanceof CorruptStateError && /empty but its write-ahead log/.test(err.message));
  // A torn tail of the WAL is SQLite's to drop: the state before it loads.
  const tail = build();
  truncateSync(join(tail, 'state.db-wal'), statSync(join(tail, 'state.db-wal')).size - 3000);
  const db = openDatabase(tail);
  const n = (db.prepare('SELECT count(*) AS n FROM meta WHERE key LIKE ?').get('k%') as { n: number }).n;
  assert.ok(n >= 300 && n < 320, `the WAL's torn last transaction dropped, the rest kept (${n} rows)`);
  db.close();
});

test('state: a failed durable transaction rolls back the index too', () => {
  const db = new StateDB(openDatabase(dir()));
  const before = db.lastIndex;
  assert.throws(() =>
    db.durable(() => {
      db.nextIndex();
      throw new Error('boom');
    }),
  );
  assert.equal(db.lastIndex, before);
});

test('config: agent HCL decodes; unknown keys name field and line; plugin config is checked', async () => {
  const { config, warnings } = await parseAgentConfig(
    `data_dir = "/tmp/x"\nbind_addr = "0.0.0.0"\nports {\n  http = 5000\n}\nacl {\n  enabled = true\n}\nclient {\n  meta {\n    rack = "r1"\n  }\n}\nplugin "mock_driver" {\n  config {\n    fs_isolation = "chroot"\n  }\n}\nlog_level = "DEBUG"\n`,
    { file: 'agent.hcl', pluginSchema: builtinPluginSchema },
  );
  assert.equal(config.dataDir, '/tmp/x');
  assert.equal(config.httpPort, 5000);
  assert.equal(config.aclEnabled, true);
  assert.deepEqual(config.client?.meta, { rack: 'r1' });
  assert.deepEqual(config.plugins?.['mock_driver'], { fs_isolation: 'chroot' });
  assert.match(warnings[0]!.message, /not supported by drover yet/);
  await assert.rejects(parseAgentConfig('ports {\n  http = 1\n  htp = 2\n}\n', { file: 'a.hcl' }), (e: ValidationError) => /a\.hcl:3: ports\.htp: unknown attribute "htp"/.test(e.message));
  await assert.rejects(
    parseAgentConfig('plugin "mock_driver" {\n  config {\n    fs_isolation = "bogus"\n  }\n}\n', { file: 'a.hcl', pluginSchema: builtinPluginSchema }),
    (e: ValidationError) => e.line === 3 && /plugin\.mock_driver\.config\.fs_isolation/.test(e.message),
  );
});

test('codec: a job survives model → Nomad JSON → model', () => {
  const job = makeJob([makeTask('t', { run_for: '5s', exec_command: [{ run_for: '1s' }] }, { env: { A: '${NOMAD_ALLOC_ID}' }, killSignal: 'SIGTERM' })]);
  const back = fromApiJob(JSON.parse(JSON.stringify(toApiJob(job))), { taskConfigSchema: () => taskConfigSchema, names: () => ['mock_driver'] });
  // Canonicalized as Nomad's API does: a service group without update gets the default strategy.
  assert.deepEqual(back.job, { ...job, datacenters: ['dc1'], groups: job.groups.map((g) => ({ ...g, update: DEFAULT_UPDATE_STRATEGY })) });
  assert.deepEqual(back.warnings, []);
});

test('reconcile: in place, destructive, count changes', () => {
  const job = makeJob([makeTask('t', { run_for: '5s' })], { group: { count: 3 } });
  const allocs = [0, 1, 2].map((index) => ({ id: `a${index}`, group: 'g', index }) as AllocRecord);
  const inPlace = { ...job, groups: [{ ...job.groups[0]!, tasks: [{ ...job.groups[0]!.tasks[0]!, killTimeoutMs: 9 }] }] };
  assert.deepEqual(planRegistration(job, inPlace, allocs), { place: [], stop: [], inPlace: ['a2', 'a1', 'a0'], destructive: {} });
  const destructive = { ...job, groups: [{ ...job.groups[0]!, tasks: [{ ...job.groups[0]!.tasks[0]!, config: { run_for: '6s' } }] }] };
  assert.equal(destructiveChange(job, destructive, 'g'), 'task "t": config');
  const withIdentity = { ...job, groups: [{ ...job.groups[0]!, tasks: [{ ...job.groups[0]!.tasks[0]!, identity: canonicalIdentity({ env: true }) }] }] };
  assert.equal(destructiveChange(job, withIdentity, 'g'), 'task "t": task identity');
  const p = planRegistration(job, destructive, allocs);
  assert.equal(p.stop.length, 3);
  assert.equal(p.place.length, 3);
  const fewer = { ...job, groups: [{ ...job.groups[0]!, count: 1 }] };
  assert.deepEqual(planRegistration(job, fewer, allocs).stop.map((s) => s.allocId), ['a2', 'a1']);
});

test("state: a job keeps Nomad's 6 tracked versions (the latest stable one in the oldest's place) and any version an alloc still names; submissions likewise 6", () => {
  const raw = openDatabase(dir());
  const db = new StateDB(raw);
  const job = makeJob([makeTask('t', { run_for: '5s' })]);
  const put = (version: number): void => db.putJobVersion({ id: job.id, version, job, submitTime: version });
  put(0);
  put(1);
  // An alloc of version 1 (allocs read their job by version) and a stable version 2.
  raw.prepare("INSERT INTO allocs (id, job_id, job_version, task_group, idx, name, desired_status, client_status, create_time, modify_time, create_index, modify_index) VALUES ('a', ?, 1, 'g', 0, 'n', 'run', 'running', 0, 0, 1, 1)").run(job.id);
  put(2);
  raw.prepare('UPDATE job_versions SET stable = 1 WHERE id = ? AND version = 2').run(job.id);
  for (let v = 3; v < 30; v++) put(v);
  assert.deepEqual(db.jobVersions(job.id).map((v) => v.version), [29, 28, 27, 26, 25, 2, 1]);
  raw.prepare("DELETE FROM allocs WHERE id = 'a'").run();
  put(30);
  assert.deepEqual(db.jobVersions(job.id).map((v) => v.version), [30, 29, 28, 27, 26, 2]);
  for (let v = 0; v < 20; v++) db.putJobSubmission({ jobId: job.id, version: v, source: 'job {}', format: 'hcl2', variableFlags: {}, variables: '', jobModifyIndex: 100 + v });
  assert.deepEqual(
    (raw.prepare('SELECT version FROM job_submissions WHERE job_id = ? ORDER BY version DESC').all(job.id) as Array<{ version: number }>).map((r) => r.version),
    [19, 18, 17, 16, 15, 14],
  );
});
