import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpoolPump, readRecord, type HolePuncher, type PumpOptions } from './spool.js';
import { eventually } from '../../model/testing/eventually.js';

const noPunch: HolePuncher = { every: 32 * 1024 * 1024, punch: (_f, _l, done) => done() };

function setup(maxFileSizeBytes = 10): { dir: string; opts: PumpOptions; logs: () => Record<string, string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-'));
  const logs = path.join(dir, 'logs');
  const opts: PumpOptions = {
    spool: path.join(dir, 'stdout'),
    record: path.join(dir, 'stdout.pos'),
    target: { kind: 'rotate', dir: logs, baseName: 'web.stdout', maxFiles: 100, maxFileSizeBytes },
    buffer: Buffer.alloc(7), // tiny: chunks straddle rotations
    puncher: noPunch,
  };
  const read = (): Record<string, string> => Object.fromEntries(fs.readdirSync(logs).sort().map((f) => [f, fs.readFileSync(path.join(logs, f), 'utf8')]));
  return { dir, opts, logs: read };
}

test('SpoolPump: copies appended bytes into rotated files and records how far', () => {
  const { opts, logs } = setup();
  const pump = SpoolPump.create(opts);
  const fd = SpoolPump.openForTask(opts.spool);
  fs.writeSync(fd, 'abcdefghijklmnopqrstuvwxyz');
  pump.drain();
  assert.deepEqual(logs(), { 'web.stdout.0': 'abcdefghij', 'web.stdout.1': 'klmnopqrst', 'web.stdout.2': 'uvwxyz' });
  assert.deepEqual(readRecord(opts.record), { pos: 26, sink: { index: 2, size: 6 } });
  fs.writeSync(fd, '0123');
  pump.close();
  fs.closeSync(fd);
  assert.equal(logs()['web.stdout.2'], 'uvwxyz0123');
});

test('SpoolPump: after a crash mid-copy the copy goes on after what the files hold, so every byte lands once', () => {
  const { opts, logs } = setup();
  const pump = SpoolPump.create(opts);
  const fd = SpoolPump.openForTask(opts.spool);
  fs.writeSync(fd, 'abcdefghijklmno');
  pump.drain();
  const rec = fs.readFileSync(opts.record);
  // A crash after copying more but before recording it: the files ran ahead of the record.
  fs.writeSync(fd, 'pqrstuvw');
  pump.drain();
  fs.writeFileSync(opts.record, rec);
  assert.equal(Object.values(logs()).join(''), 'abcdefghijklmnopqrstuvw');
  // The restarted daemon resumes from the record.
  fs.writeSync(fd, 'xyz');
  const resumed = SpoolPump.resume(opts);
  resumed.drain();
  resumed.close();
  fs.closeSync(fd);
  assert.equal(Object.values(logs()).join(''), 'abcdefghijklmnopqrstuvwxyz');
  assert.deepEqual(logs(), { 'web.stdout.0': 'abcdefghij', 'web.stdout.1': 'klmnopqrst', 'web.stdout.2': 'uvwxyz' });
  void pump;
});

test('SpoolPump: a FIFO destination that is full is retried, not blocked on', async () => {
  const { dir, opts } = setup();
  const fifo = path.join(dir, 'fifo');
  const { execFileSync } = await import('node:child_process');
  execFileSync('mkfifo', [fifo]);
  const pump = SpoolPump.create({ ...opts, target: { kind: 'path', path: fifo }, buffer: Buffer.alloc(1 << 20) });
  const fd = SpoolPump.openForTask(opts.spool);
  const data = Buffer.alloc(200 * 1024, 'x'); // more than a pipe holds
  fs.writeSync(fd, data);
  pump.drain(); // returns although nobody reads yet
  const reader = fs.createReadStream(fifo);
  let got = 0;
  reader.on('data', (c) => (got += c.length));
  await eventually(() => got >= data.length, { message: 'the retried copy to reach the reader' });
  assert.equal(got, data.length);
  pump.close();
  fs.closeSync(fd);
  reader.destroy();
});

test('SpoolPump: a crash after the copy rotated past the file the record names goes on at the next index, never back at .0', () => {
  // maxFiles 2, files of 10 bytes: the record names web.stdout.1, then 40 more bytes rotate
  // through .2 … .5 before the crash, and rotation deletes .1 (and .2, .3) meanwhile.
  const { opts, logs } = setup();
  const o = { ...opts, target: { ...opts.target, maxFiles: 2 } as PumpOptions['target'] };
  const pump = SpoolPump.create(o);
  const fd = SpoolPump.openForTask(o.spool);
  fs.writeSync(fd, 'abcdefghijklmno');
  pump.drain();
  const rec = fs.readFileSync(o.record);
  fs.writeSync(fd, 'pqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS');
  pump.drain();
  fs.writeFileSync(o.record, rec);
  assert.deepEqual(Object.keys(logs()), ['web.stdout.4', 'web.stdout.5']);
  fs.writeSync(fd, 'TUVWXYZ');
  const live = fs.statSync(path.join(o.target.kind === 'rotate' ? o.target.dir : '', 'web.stdout.5')).ino;
  const resumed = SpoolPump.resume(o);
  resumed.drain();
  resumed.close();
  fs.closeSync(fd);
  // Every byte once and in order, and the index goes on from .5 (a follower waits for a higher one, as with
  // Nomad's logmon); the files written before the crash were left as they were.
  const stream = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  assert.deepEqual(logs(), { 'web.stdout.5': stream.slice(50, 60), 'web.stdout.6': stream.slice(60) });
  assert.equal(fs.statSync(path.join(o.target.kind === 'rotate' ? o.target.dir : '', 'web.stdout.5')).ino, live, 'the file a follower reads was not replaced');
  void pump;
});

test('SpoolPump: a stream that never prints leaves no record file; a daemon restarted before the first copy copies the whole spool once', () => {
  const { opts, logs } = setup(100);
  // The log file already holds an earlier run's output: a new spool is appended after it.
  fs.mkdirSync(opts.target.kind === 'rotate' ? opts.target.dir : '', { recursive: true });
  fs.writeFileSync(path.join(path.dirname(opts.spool), 'logs', 'web.stdout.0'), 'old\n');
  const quiet = SpoolPump.create(opts);
  quiet.drain();
  quiet.close();
  assert.equal(fs.existsSync(opts.record), false, 'a quiet stream needs no record');
  assert.deepEqual(logs(), { 'web.stdout.0': 'old\n' });

  const pump = SpoolPump.create(opts);
  const fd = SpoolPump.openForTask(opts.spool);
  fs.writeSync(fd, 'abc\n');
  // The daemon dies before copying anything: no record, and the resumed copy starts at the spool's start.
  assert.equal(fs.existsSync(opts.record), false);
  const resumed = SpoolPump.resume(opts);
  resumed.drain();
  assert.deepEqual(readRecord(opts.record), { pos: 4, sink: { index: 0, size: 8 } });
  fs.writeSync(fd, 'def\n');
  resumed.close();
  fs.closeSync(fd);
  assert.deepEqual(logs(), { 'web.stdout.0': 'old\nabc\ndef\n' });
  void pump;
});
