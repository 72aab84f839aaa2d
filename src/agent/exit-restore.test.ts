/**
 * An agent killed between a task's exit and the record of it (found by the
 * agent-kill chaos scenario, src/chaos/agent-kill.test.ts, seed 02c4026f: a
 * restarting crasher's events read "Started, Started" and it ran three times
 * for two Restarting). The runner cleared the driver handle (local state,
 * written to SQLite at once) before it emitted Terminated (task state, written
 * at the end of the tick), and awaited the executor's DestroyTask in between.
 * An agent killed there left a task that had Started and had no handle: the
 * next agent started it again at once, with no Terminated or Restarting for
 * the run that ended. The same split let a handle reach the disk before its
 * Started. Now the runner records the exit before dropping the handle and
 * Started before storing it, and the store writes a task's pending state with
 * its local state in one transaction.
 *
 * A SIGKILL lands between two SQLite writes: a copy of the database taken at
 * a write is what the next agent would find.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DriverPlugin } from '../drivers/types.js';
import { rawExecHarness } from '../drivers/raw-exec/testing.js';
import { openDatabase } from './state/state-db.js';
import { SqliteTaskStateStore } from './state/task-store.js';
import type { LocalTaskState } from '../taskrunner/state-store.js';
import { allocHarness, makeJob, makeTask } from '../taskrunner/testing.js';

const ALLOC = '5d9b1b2a-0000-4000-8000-000000000001';
const LIFECYCLE = new Set(['Started', 'Terminated', 'Restarting', 'Not Restarting', 'Killed']);

const starts = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter((l) => l !== '').length : 0);

/** A SQLite task store that keeps a copy of the database after each of its writes (each place a SIGKILL may find it). */
class SnapshotStore extends SqliteTaskStateStore {
  readonly snapshots: Buffer[] = [];
  constructor(private readonly file: Database.Database) {
    super(file);
  }
  override putLocalState(allocId: string, taskName: string, local: LocalTaskState): void {
    super.putLocalState(allocId, taskName, local);
    this.snapshots.push(this.file.serialize());
  }
  override flush(): void {
    super.flush();
    if (this.file.open) this.snapshots.push(this.file.serialize());
  }
}

/** What the next agent would load from a copy of the database. */
function restore(snapshot: Buffer): SqliteTaskStateStore {
  // The copy says WAL (header bytes 18-19), which an in-memory database cannot open: rollback journal instead.
  const copy = Buffer.from(snapshot);
  copy[18] = 1;
  copy[19] = 1;
  return new SqliteTaskStateStore(new Database(copy));
}

function crasher(record: string) {
  const task = makeTask('t', { command: '/bin/sh', args: ['-c', `echo $$ >> ${record}; exit 3`] }, { driver: 'raw_exec', restart: { attempts: 10, intervalMs: 60_000, delayMs: 100, mode: 'delay' } });
  return makeJob([task]);
}

/**
 * A first agent whose crasher exits once and which dies while it asks the
 * executor to forget the exited task; `next` is given the database as it is
 * then (what survives the kill) and a driver on the same executor.
 */
async function diesAtDestroy(t: TestContext, next: (b: ReturnType<typeof allocHarness>, restored: SqliteTaskStateStore, record: string) => Promise<void>): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'drover-exit-restore-'));
  const record = join(work, 'starts');
  const job = crasher(record);
  const db = openDatabase(mkdtempSync(join(work, 'data-')));
  const store = new SnapshotStore(db);
  const first = await rawExecHarness({ enabled: true }, join(work, 'executor'));
  const second = await rawExecHarness({ enabled: true }, join(work, 'executor'));
  const runners: Array<ReturnType<typeof allocHarness>> = [];
  let release: (() => void) | undefined;
  t.after(async () => {
    release?.();
    for (const h of runners) await h.runner.kill();
    await first.driver.shutdown({});
    await second.driver.shutdown({});
    db.close();
    rmSync(work, { recursive: true, force: true });
  });

  let atDestroy: Buffer | undefined;
  const dying: DriverPlugin = Object.create(first.driver, {
    destroyTask: {
      value: (): Promise<void> => {
        atDestroy ??= db.serialize();
        return new Promise<void>((resolve) => (release = resolve));
      },
    },
  }) as DriverPlugin;
  const a = allocHarness(job, dying, { store });
  // (Shut down at the end, once its DestroyTask is let go: the dead agent's runner must not act meanwhile.)
  runners.push(a);
  void a.runner.run();
  await a.waitFor(() => atDestroy !== undefined);
  assert.equal(starts(record), 1);

  const restored = restore(atDestroy as Buffer);
  const b = allocHarness(job, second.driver, { store: restored, dir: a.dir });
  runners.unshift(b);
  await next(b, restored, record);
}

const lifecycle = (store: SqliteTaskStateStore): string[] => store.getTaskState(ALLOC, 't')!.events.map((e) => e.type).filter((e) => LIFECYCLE.has(e));

test('TaskRunner: an agent killed after a task exited, before its Terminated was written, does not start it again at once', async (t) => {
  await diesAtDestroy(t, async (b, restored, record) => {
    void b.runner.run();
    // (Killed only once the task recorded its start: a kill at once may end it before its first command.)
    await b.waitFor(() => b.types('t').includes('Started') && starts(record) === 2);
    await b.runner.kill();
    const types = lifecycle(restored);
    assert.equal(types.filter((e) => e === 'Started').length, starts(record), `one Started per start: ${types.join(',')}`);
    // The exit of the first run is there, and the restart came through the restart policy.
    assert.deepEqual(types.slice(0, 4), ['Started', 'Terminated', 'Restarting', 'Started'], types.join(','));
  });
});

test('TaskRunner: a restored task whose exit had no restart decision yet, killed with its alloc before it runs, ends Killed without starting', async (t) => {
  await diesAtDestroy(t, async (b, restored, record) => {
    const killed = b.runner.kill();
    await b.runner.run();
    await killed;
    assert.equal(starts(record), 1);
    assert.deepEqual(lifecycle(restored), ['Started', 'Terminated', 'Killed']);
  });
});

test('TaskRunner: at every SQLite write of a restarting task, the stored handle and the stored events agree', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'drover-exit-restore-'));
  const record = join(work, 'starts');
  const job = crasher(record);
  const db = openDatabase(mkdtempSync(join(work, 'data-')));
  const store = new SnapshotStore(db);
  const h = await rawExecHarness({ enabled: true }, join(work, 'executor'));
  const a = allocHarness(job, h.driver, { store });
  t.after(async () => {
    await a.runner.kill();
    await h.driver.shutdown({});
    db.close();
    rmSync(work, { recursive: true, force: true });
  });
  void a.runner.run();
  await a.waitFor(() => a.types('t').filter((e) => e === 'Restarting').length >= 3);
  await a.runner.kill();

  // A handle means the task runs: its Started is stored and nothing after it; and a stored Started with
  // nothing after it has its handle (or the next agent would start the task again).
  const problems: string[] = [];
  store.snapshots.forEach((snap, i) => {
    const s = restore(snap);
    const local = s.getLocalState(ALLOC, 't');
    const last = s.getTaskState(ALLOC, 't')?.events.map((e) => e.type).filter((e) => LIFECYCLE.has(e)).at(-1);
    if (local?.handle && last !== 'Started') problems.push(`write ${i}: a handle with last event ${last}`);
    if (!local?.handle && last === 'Started') problems.push(`write ${i}: Started with no handle${local?.launching ? ' (launching)' : ''}`);
  });
  assert.ok(store.snapshots.length > 6, `${store.snapshots.length} writes`);
  assert.deepEqual(problems, []);
});
