import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { daemonPaths } from '../paths.js';
import { removeStateDirIfEmpty, resolveStateDir, sweepOrphanStateDirs } from './state-dir.js';
import { readAll } from './journal.js';

const shmIsTmpfs = ((): boolean => {
  try {
    return fs.statfsSync('/dev/shm').type === 0x01021994;
  } catch {
    return false;
  }
})();

test('resolveStateDir: an explicit dir wins; without tmpfs the data dir is used', () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-'));
  const paths = daemonPaths(data);
  const explicit = path.join(data, 'mine');
  assert.equal(resolveStateDir(paths, explicit, () => undefined), explicit);
  assert.ok(fs.statSync(explicit).isDirectory());
  // A base that is not tmpfs (the data dir is on disk here, or anywhere).
  const onDisk = resolveStateDir(paths, undefined, () => undefined, data);
  assert.equal(onDisk, fs.statfsSync(data).type === 0x01021994 ? path.join(data, `drover-executor-${process.getuid?.()}`, paths.digest) : paths.tasksDir);
  fs.rmSync(data, { recursive: true });
});

test('resolveStateDir: a private per-user dir on tmpfs; a planted, shared one is refused', { skip: shmIsTmpfs ? false : '/dev/shm is not tmpfs here' }, () => {
  const base = fs.mkdtempSync('/dev/shm/sd-');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-'));
  const paths = daemonPaths(data);
  const dir = resolveStateDir(paths, undefined, () => undefined, base);
  assert.equal(dir, path.join(base, `drover-executor-${process.getuid?.()}`, paths.digest));
  assert.equal(fs.statSync(path.dirname(dir)).mode & 0o777, 0o700);
  fs.chmodSync(path.dirname(dir), 0o777);
  const logs: string[] = [];
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
    return { paths, data, dir: resolveStateDir(paths, undefined, () => undefined, base) };
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
  await sweepOrphanStateDirs(own.dir, (m) => logs.push(m));
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
