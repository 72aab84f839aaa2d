import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { daemonPaths } from '../paths.js';
import { removeStateDirIfEmpty, resolveStateDir, sweepOrphanStateDirs, tmpfsStateRoot } from './state-dir.js';
import { readAll } from './journal.js';

const shmIsTmpfs = ((): boolean => {
  try {
    return fs.statfsSync('/dev/shm').type === 0x01021994;
  } catch {
    return false;
  }
})();

test('resolveStateDir: an explicit dir wins; otherwise the data dir, also where /dev/shm is tmpfs', () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-'));
  const paths = daemonPaths(data);
  const explicit = path.join(data, 'mine');
  assert.equal(resolveStateDir(paths, explicit, () => undefined), explicit);
  assert.ok(fs.statSync(explicit).isDirectory());
  assert.equal(resolveStateDir(paths, undefined, () => undefined), paths.tasksDir);
  assert.equal(fs.readFileSync(path.join(paths.tasksDir, '.data-dir'), 'utf8'), data);
  fs.rmSync(data, { recursive: true });
});

/** A state dir as an earlier drover made it on tmpfs under `base`, holding `tasks`. */
function earlierState(base: string, paths: ReturnType<typeof daemonPaths>, tasks: string[]): string {
  const root = tmpfsStateRoot(base);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const dir = path.join(root, paths.digest);
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.writeFileSync(path.join(dir, '.data-dir'), paths.dataDir);
  for (const t of tasks) fs.mkdirSync(path.join(dir, t));
  return dir;
}

test("resolveStateDir: an earlier drover's tmpfs state with tasks is adopted, an empty one removed, a planted one refused", { skip: shmIsTmpfs ? false : '/dev/shm is not tmpfs here' }, () => {
  const base = fs.mkdtempSync('/dev/shm/sd-');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-'));
  const paths = daemonPaths(data);
  const logs: string[] = [];
  const old = earlierState(base, paths, ['a%2Ft']);
  assert.equal(resolveStateDir(paths, undefined, (m) => logs.push(m), base), old);
  assert.match(logs.join('\n'), /task state of an earlier drover/);
  fs.rmSync(path.join(old, 'a%2Ft'), { recursive: true });
  assert.equal(resolveStateDir(paths, undefined, () => undefined, base), paths.tasksDir);
  assert.equal(fs.existsSync(old), false, 'the empty one is gone');
  earlierState(base, paths, ['b%2Ft']);
  fs.chmodSync(tmpfsStateRoot(base), 0o777);
  assert.equal(resolveStateDir(paths, undefined, (m) => logs.push(m), base), paths.tasksDir);
  assert.match(logs.join('\n'), /not a private directory/);
  fs.rmSync(base, { recursive: true });
  fs.rmSync(data, { recursive: true });
});

test('sweepOrphanStateDirs: removes state whose data dir is gone and whose tasks are dead; keeps the rest', { skip: shmIsTmpfs ? false : '/dev/shm is not tmpfs here' }, async () => {
  const base = fs.mkdtempSync('/dev/shm/sd-');
  const mk = (): { paths: ReturnType<typeof daemonPaths>; dir: string; data: string } => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-'));
    const paths = daemonPaths(data);
    return { paths, data, dir: earlierState(base, paths, []) };
  };
  const own = mk();
  const gone = mk();
  const alive = mk();
  const running = mk();
  fs.mkdirSync(path.join(gone.dir, 'a%2Ft'));
  fs.writeFileSync(path.join(gone.dir, 'a%2Ft', 'task.json'), JSON.stringify({ pid: 1, procStartTicks: -1, exit: {} }));
  fs.mkdirSync(path.join(running.dir, 'b%2Ft'));
  fs.writeFileSync(path.join(running.dir, 'b%2Ft', 'task.json'), JSON.stringify({ pid: process.pid, procStartTicks: (await import('../proc.js')).readProcStat(process.pid)?.starttime }));
  fs.rmSync(gone.data, { recursive: true });
  fs.rmSync(running.data, { recursive: true });
  const logs: string[] = [];
  await sweepOrphanStateDirs(tmpfsStateRoot(base), own.dir, (m) => logs.push(m));
  assert.equal(fs.existsSync(gone.dir), false, logs.join('\n'));
  assert.ok(fs.existsSync(alive.dir), 'its data dir still exists');
  assert.ok(fs.existsSync(running.dir), 'a task still runs there');
  assert.ok(fs.existsSync(own.dir));
  removeStateDirIfEmpty(own.dir);
  assert.equal(fs.existsSync(own.dir), false);
  fs.rmSync(base, { recursive: true });
  for (const x of [own, alive]) fs.rmSync(x.data, { recursive: true });
});

test('the journal scan of a state dir skips its .data-dir back-reference: a daemon start logs no bad entry', () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-'));
  const dir = resolveStateDir(daemonPaths(data), path.join(data, 'state'), () => undefined);
  fs.mkdirSync(path.join(dir, 'half-launched'));
  const bad: string[] = [];
  const scan = readAll(dir, (d, err) => bad.push(`${d}: ${err.message}`));
  assert.deepEqual(bad, []);
  assert.deepEqual(scan.incomplete, ['half-launched']);
  fs.rmSync(data, { recursive: true });
});
