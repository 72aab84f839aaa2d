/**
 * The agent's variable store over a real state.db and key file: encryption
 * at rest, key problems named clearly, check-and-set, locks (TTL timers run
 * on an injected scheduler, so expiry is exact and instant), the event topic
 * and the template watch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../model/logger.js';
import type { SourceChange } from '../../template/sources.js';
import { openDatabase, StateDB } from '../state/state-db.js';
import { EventBroker } from './event-broker.js';
import { VARIABLES_KEY_FILE } from './variable-keyring.js';
import { validatePath, Variables, type ApplyResult, type Cancel } from './variables.js';

/** Timers that run only when a test fires them. */
class ManualScheduler {
  readonly pending: Array<{ ms: number; fn: () => void; live: boolean }> = [];
  readonly schedule = (ms: number, fn: () => void): Cancel => {
    const t = { ms, fn, live: true };
    this.pending.push(t);
    return () => {
      t.live = false;
    };
  };
  /** The live timers' durations, in order. */
  live(): number[] {
    return this.pending.filter((t) => t.live).map((t) => t.ms);
  }
  /** Fires the oldest live timer of `ms`. */
  fire(ms: number): void {
    const t = this.pending.find((p) => p.live && p.ms === ms);
    assert.ok(t, `no live ${ms} ms timer (live: ${this.live().join(', ')})`);
    t.live = false;
    t.fn();
  }
}

interface Setup {
  dir: string;
  db: StateDB;
  vars: Variables;
  events: EventBroker;
  timers: ManualScheduler;
  clock: { ms: number };
}

function setup(dir = mkdtempSync(join(tmpdir(), 'drover-vars-'))): Setup {
  const db = new StateDB(openDatabase(dir));
  const events = new EventBroker(db.lastIndex);
  const timers = new ManualScheduler();
  const clock = { ms: 1_700_000_000_000 };
  const vars = new Variables({ db, dataDir: dir, events, logger: silentLogger, now: () => clock.ms, schedule: timers.schedule });
  vars.start();
  return { dir, db, vars, events, timers, clock };
}

function close(s: Setup): void {
  s.vars.close();
  s.db.close();
}

function ok(r: ApplyResult): NonNullable<Extract<ApplyResult, { kind: 'ok' }>['variable']> {
  assert.equal(r.kind, 'ok', JSON.stringify(r));
  assert.ok(r.kind === 'ok' && r.variable);
  return r.variable;
}

test('variables: items round-trip encrypted; the row holds no plaintext; the key file is 0600 and named by each row', () => {
  const s = setup();
  const secret = 'correct-horse-battery-staple';
  const v = ok(s.vars.set({ namespace: 'default', path: 'nomad/jobs/web', items: { password: secret, user: 'admin' } }));
  assert.equal(v.createIndex, v.modifyIndex);
  assert.equal(v.createTime, 1_700_000_000_000 * 1e6);
  const got = s.vars.get('default', 'nomad/jobs/web');
  assert.deepEqual(got?.items, { password: secret, user: 'admin' });

  const keyFile = join(s.dir, VARIABLES_KEY_FILE);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { KeyID: string };
  const row = s.db.db.prepare('SELECT key_id, data FROM variables').get() as { key_id: string; data: Buffer };
  assert.equal(row.key_id, key.KeyID);
  assert.ok(!row.data.includes(Buffer.from(secret)), 'ciphertext holds the plaintext');
  assert.ok(!row.data.includes(Buffer.from('admin')));
  // The whole state.db file (WAL included) never sees it either.
  s.db.db.pragma('wal_checkpoint(TRUNCATE)');
  assert.ok(!readFileSync(join(s.dir, 'state.db')).includes(Buffer.from(secret)));

  // An update keeps the create index and time.
  s.clock.ms += 5_000;
  const u = ok(s.vars.set({ namespace: 'default', path: 'nomad/jobs/web', items: { password: 'x' } }));
  assert.equal(u.createIndex, v.createIndex);
  assert.ok(u.modifyIndex > v.modifyIndex);
  assert.equal(u.createTime, v.createTime);
  assert.equal(u.modifyTime, (1_700_000_000_000 + 5_000) * 1e6);
  // The template side reads the same data.
  assert.deepEqual(s.vars.variable('default', 'nomad/jobs/web')?.items, { password: 'x' });
  assert.deepEqual(
    s.vars.listVariables('default', 'nomad/').map((m) => m.path),
    ['nomad/jobs/web'],
  );
  close(s);
});

test('variables: a row moved to another path does not decrypt (ciphertext bound to namespace and path)', () => {
  const s = setup();
  ok(s.vars.set({ namespace: 'default', path: 'a', items: { k: 'v' } }));
  s.db.db.prepare("UPDATE variables SET path = 'b' WHERE path = 'a'").run();
  assert.throws(() => s.vars.get('default', 'b'), /variable "b" in namespace "default": decryption with key .* failed/);
  close(s);
});

test('variables: a missing key file is a clear error naming it; no new key replaces it; lists still work', () => {
  const s = setup();
  ok(s.vars.set({ namespace: 'default', path: 'app/db', items: { k: 'v' } }));
  close(s);
  const keyFile = join(s.dir, VARIABLES_KEY_FILE);
  rmSync(keyFile);

  const again = setup(s.dir);
  const missing = new RegExp(`the variables key file ${keyFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is missing, but state.db holds 1 variable sealed with key [0-9a-f-]+; restore the key file`);
  assert.match(again.vars.keyring.problem() ?? '', missing);
  assert.throws(() => again.vars.get('default', 'app/db'), missing);
  assert.throws(() => again.vars.set({ namespace: 'default', path: 'other', items: { a: 'b' } }), missing);
  assert.throws(() => statSync(keyFile), /ENOENT/, 'a new key was written over sealed data');
  assert.deepEqual(
    again.vars.list('default', '').map((m) => m.path),
    ['app/db'],
  );
  close(again);
});

test('variables: a different key file is a clear error naming both keys; a garbled one says what is wrong', () => {
  const s = setup();
  ok(s.vars.set({ namespace: 'default', path: 'app/db', items: { k: 'v' } }));
  close(s);
  const keyFile = join(s.dir, VARIABLES_KEY_FILE);
  writeFileSync(keyFile, JSON.stringify({ KeyID: 'other-key', Algorithm: 'aes256-gcm', Key: randomBytes(32).toString('base64') }));
  let again = setup(s.dir);
  assert.throws(() => again.vars.get('default', 'app/db'), /the variables key file .*variables\.key holds key other-key, but state\.db holds 1 variable sealed with key [0-9a-f-]+; restore the key file that holds that key/);
  close(again);

  writeFileSync(keyFile, '{"KeyID": "x", "Algorithm": "aes256-gcm", "Key": "c2hvcnQ="}');
  again = setup(s.dir);
  assert.throws(() => again.vars.get('default', 'app/db'), /the variables key file .*variables\.key is not a valid key: Key must be 32 bytes in base64, got 5/);
  close(again);
});

test('variables: with nothing stored, a lost key is simply made anew on the next write', () => {
  const s = setup();
  assert.equal(s.vars.keyring.problem(), undefined);
  assert.equal(s.vars.get('default', 'x'), undefined);
  assert.throws(() => statSync(join(s.dir, VARIABLES_KEY_FILE)), /ENOENT/, 'reads must not create a key');
  ok(s.vars.set({ namespace: 'default', path: 'x', items: { a: 'b' } }));
  statSync(join(s.dir, VARIABLES_KEY_FILE));
  close(s);
});

test('variables: check-and-set and delete follow Nomad (cas=0 only if absent; stale index returns the current variable)', () => {
  const s = setup();
  const v1 = ok(s.vars.set({ namespace: 'default', path: 'p', items: { a: '1' } }, 0));
  let r = s.vars.set({ namespace: 'default', path: 'p', items: { a: '2' } }, 0);
  assert.equal(r.kind, 'conflict');
  assert.deepEqual(r.kind === 'conflict' && r.conflict.items, { a: '1' });
  r = s.vars.set({ namespace: 'default', path: 'p', items: { a: '2' } }, v1.modifyIndex + 100);
  assert.equal(r.kind === 'conflict' && r.conflict.modifyIndex, v1.modifyIndex);
  const v2 = ok(s.vars.set({ namespace: 'default', path: 'p', items: { a: '2' } }, v1.modifyIndex));
  // A check index for a variable that is not there: a conflict with a zero value.
  r = s.vars.set({ namespace: 'default', path: 'q', items: { a: '2' } }, 7);
  assert.deepEqual(r.kind === 'conflict' && r.conflict, { namespace: 'default', path: 'q', createIndex: 0, modifyIndex: 0, createTime: 0, modifyTime: 0 });

  r = s.vars.delete('default', 'p', v1.modifyIndex);
  assert.equal(r.kind === 'conflict' && r.conflict.modifyIndex, v2.modifyIndex);
  r = s.vars.delete('default', 'p', 0);
  assert.equal(r.kind, 'conflict');
  assert.equal(s.vars.delete('default', 'nothing', 0).kind, 'ok');
  assert.equal(s.vars.delete('default', 'p', v2.modifyIndex).kind, 'ok');
  assert.equal(s.vars.get('default', 'p'), undefined);
  assert.equal(s.vars.delete('default', 'p').kind, 'ok', 'deleting what is gone is no error');
  close(s);
});

test('variables: validation uses Nomad rules and messages', () => {
  const s = setup();
  const bad = (input: { namespace?: string; path: string; items: Record<string, string> }, re: RegExp) =>
    assert.throws(() => s.vars.set({ namespace: 'default', ...input }), re, input.path);
  bad({ path: 'a b', items: { k: 'v' } }, /^DroverError: invalid path "a b"$/);
  bad({ path: 'x'.repeat(129), items: { k: 'v' } }, /invalid path/);
  bad({ path: 'nomad', items: { k: 'v' } }, /"nomad" is a reserved top-level directory path/);
  bad({ path: 'nomad/other', items: { k: 'v' } }, /only paths at "nomad\/jobs" or "nomad\/job-templates" and below/);
  bad({ path: 'nomad/job-templates', items: { k: 'v' } }, /"nomad\/job-templates" is a reserved directory path/);
  bad({ path: 'ok', items: {} }, /empty variables are invalid/);
  bad({ path: 'ok', items: { k: 'v'.repeat(65536) } }, /variables are limited to 64KiB in total size/);
  bad({ namespace: 'prod', path: 'ok', items: { k: 'v' } }, /variable "ok" is in nonexistent namespace "prod"/);
  bad({ namespace: '*', path: 'ok', items: { k: 'v' } }, /can not target wildcard \("\*"\)namespace/);
  for (const p of ['nomad/jobs', 'nomad/jobs/a/b', 'nomad/job-templates/t', 'nomad/sentinel/x', 'a-b_c~d/e', 'x'.repeat(128)]) validatePath(p);
  // Exactly 64 KiB is fine.
  ok(s.vars.set({ namespace: 'default', path: 'ok', items: { k: 'v'.repeat(65535) } }));
  close(s);
});

test('variables: lists are by path within a prefix, "*" spans namespaces; reads elsewhere find nothing', () => {
  const s = setup();
  for (const p of ['b/2', 'a_1', 'a/1', 'ab', 'b/1']) ok(s.vars.set({ namespace: 'default', path: p, items: { k: p } }));
  assert.deepEqual(
    s.vars.list('default', '').map((m) => m.path),
    ['a/1', 'a_1', 'ab', 'b/1', 'b/2'],
  );
  assert.deepEqual(
    s.vars.list('default', 'a_').map((m) => m.path),
    ['a_1'],
    '"_" is no wildcard',
  );
  assert.deepEqual(
    s.vars.list('*', 'b/').map((m) => m.path),
    ['b/1', 'b/2'],
  );
  assert.deepEqual(s.vars.list('prod', ''), []);
  assert.equal(s.vars.get('prod', 'a/1'), undefined);
  close(s);
});

test('variables: locks block writers without the ID, renew, expire after 2×TTL plus the delay, and survive a restart', () => {
  const s = setup();
  ok(s.vars.set({ namespace: 'default', path: 'locked', items: { k: 'v' } }));
  const held = ok(s.vars.acquire({ namespace: 'default', path: 'locked', items: {}, lock: { ttlMs: 10_000, lockDelayMs: 3_000 } }));
  const id = held.lock?.id as string;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(held.lock, { id, ttlMs: 10_000, lockDelayMs: 3_000 });
  // As Nomad, an acquire writes the request's items (none here).
  assert.deepEqual(s.vars.get('default', 'locked')?.items, {});
  assert.deepEqual(s.timers.live(), [20_000]);

  const zero = { namespace: 'default', path: 'locked', createIndex: 0, modifyIndex: 0, createTime: 0, modifyTime: 0 };
  let r = s.vars.acquire({ namespace: 'default', path: 'locked', items: {} });
  assert.deepEqual(r.kind === 'conflict' && r.conflict, zero);
  r = s.vars.set({ namespace: 'default', path: 'locked', items: { k: 'w' } });
  assert.deepEqual(r.kind === 'conflict' && r.conflict, zero);
  r = s.vars.delete('default', 'locked');
  assert.deepEqual(r.kind === 'conflict' && r.conflict, zero);
  // The holder writes, and the lock stays.
  const w = ok(s.vars.set({ namespace: 'default', path: 'locked', items: { k: 'w' }, lock: { id } }));
  assert.equal(w.lock?.id, id);

  assert.equal(s.vars.renew('default', 'locked', id).lock?.id, id);
  assert.throws(() => s.vars.renew('default', 'locked', 'other'), /attempting to modify locked variable/);
  assert.deepEqual(s.timers.live(), [20_000], 'renew replaced the timer');

  // A restart rebuilds the timer from state.
  close(s);
  const t = setup(s.dir);
  assert.deepEqual(t.timers.live(), [20_000]);
  const changes: SourceChange[] = [];
  t.vars.watch((c) => changes.push(c));
  t.timers.fire(20_000);
  // In the delay: the lock is still held but can no longer be renewed.
  assert.throws(() => t.vars.renew('default', 'locked', id), /attempting to modify locked variable/);
  assert.equal(t.vars.acquire({ namespace: 'default', path: 'locked', items: {} }).kind, 'conflict');
  assert.deepEqual(t.timers.live(), [3_000]);
  const before = t.vars.get('default', 'locked');
  t.timers.fire(3_000);
  const after = t.vars.get('default', 'locked');
  assert.equal(after?.lock, undefined);
  assert.deepEqual(after?.items, { k: 'w' }, 'expiry keeps the data');
  assert.equal(after?.modifyTime, before?.modifyTime, 'release keeps the modify time, as Nomad');
  assert.ok((after?.modifyIndex ?? 0) > (before?.modifyIndex ?? 0));
  assert.deepEqual(changes, [{ kind: 'variable', namespace: 'default', path: 'locked' }]);
  ok(t.vars.acquire({ namespace: 'default', path: 'locked', items: {} }));
  close(t);
});

test('variables: lock release and renew errors are Nomad\'s', () => {
  const s = setup();
  assert.throws(() => s.vars.release('default', 'none', 'id'), /variable doesn't exist/);
  assert.throws(() => s.vars.renew('default', 'none', 'id'), /variable doesn't exist/);
  assert.throws(() => s.vars.release('default', 'none', undefined), /missing lock information/);
  assert.throws(() => s.vars.renew('default', 'none', undefined), /missing lock ID/);
  ok(s.vars.set({ namespace: 'default', path: 'free', items: { k: 'v' } }));
  assert.throws(() => s.vars.release('default', 'free', 'id'), /variable doesn't hold a lock/);
  assert.throws(() => s.vars.renew('default', 'free', 'id'), /variable doesn't hold a lock/);
  assert.throws(() => s.vars.acquire({ namespace: 'default', path: 'free', items: {}, lock: { ttlMs: 5_000 } }), /TTL must be between 10 seconds and 24 hours/);
  assert.throws(() => s.vars.set({ namespace: 'default', path: 'free', items: { k: 'v' }, lock: { ttlMs: 15_000 } }), /variable should not contain lock definition/);
  const held = ok(s.vars.acquire({ namespace: 'default', path: 'free', items: { k: 'v' } }));
  assert.deepEqual(held.lock && { ttl: held.lock.ttlMs, delay: held.lock.lockDelayMs }, { ttl: 15_000, delay: 15_000 }, "Nomad's defaults");
  const r = s.vars.release('default', 'free', 'wrong');
  assert.deepEqual(r.kind === 'conflict' && r.conflict.lock, { id: '', ttlMs: 0, lockDelayMs: 0 });
  assert.equal(s.vars.release('default', 'free', held.lock?.id).kind, 'ok');
  assert.deepEqual(s.timers.live(), [], 'release stops the timer');
  close(s);
});

test('variables: every write publishes a Variable event without items, and watchers hear of it after the commit', async () => {
  const s = setup();
  const seen: Array<{ change: SourceChange; stored: string | undefined }> = [];
  const stop = s.vars.watch((change) => seen.push({ change, stored: change.kind === 'variable' ? s.vars.get(change.namespace, change.path)?.items?.['k'] : 'not a variable' }));
  const ac = new AbortController();
  const stream = s.events.subscribe(new Map([['Variable', ['*']]]), s.db.lastIndex, ac.signal, 60_000);
  ok(s.vars.set({ namespace: 'default', path: 'w', items: { k: 'secret-value' } }));
  assert.equal(s.vars.delete('default', 'w').kind, 'ok');
  stop();
  ok(s.vars.set({ namespace: 'default', path: 'w', items: { k: 'again' } }));
  assert.deepEqual(seen, [
    { change: { kind: 'variable', namespace: 'default', path: 'w' }, stored: 'secret-value' },
    { change: { kind: 'variable', namespace: 'default', path: 'w' }, stored: undefined },
  ]);
  const batches = [];
  for await (const b of stream) {
    batches.push(b);
    if (batches.length === 3) break;
  }
  ac.abort();
  const events = batches.flatMap((b) => ('Events' in b ? b.Events : []));
  assert.deepEqual(
    events.map((e) => [e.Topic, e.Type, e.Key, e.Namespace, (e.Payload as { Deleted: boolean }).Deleted]),
    [
      ['Variable', 'VariableUpdated', 'w', 'default', false],
      ['Variable', 'VariableUpdated', 'w', 'default', true],
      ['Variable', 'VariableUpdated', 'w', 'default', false],
    ],
  );
  assert.ok(!JSON.stringify(events).includes('secret-value'));
  assert.deepEqual(Object.keys((events[0]?.Payload as { Metadata: object }).Metadata), ['Namespace', 'Path', 'CreateIndex', 'CreateTime', 'ModifyIndex', 'ModifyTime']);
  close(s);
});
