import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { executorHarness } from '../testing.js';
import { TaskOutput, type OutputDeps } from './task-output.js';
import type { OutputSpec } from '../types.js';
import { eventually } from '../../model/testing/eventually.js';

const h = executorHarness();
after(() => h.cleanup());

const MiB = 1024 * 1024;

test('Executor logs: a task writing 100 MB to stdout loses nothing (byte count and sha256)', async () => {
  const src = path.join(h.dataDir, 'payload');
  const fd = fs.openSync(src, 'w');
  const hash = createHash('sha256');
  for (let i = 0; i < 100; i++) {
    const chunk = randomBytes(MiB);
    hash.update(chunk);
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  const { spec } = await h.launch({
    command: '/bin/cat',
    args: [src],
    output: { kind: 'rotate', dir: h.logDir, taskName: 'big', maxFiles: 20, maxFileSizeBytes: 10 * MiB },
  });
  assert.equal((await h.client.wait(spec.taskId)).exitCode, 0);
  const files = fs.readdirSync(h.logDir).filter((f) => f.startsWith('big.stdout.'));
  assert.equal(files.length, 10);
  const out = h.output('big', 'stdout');
  assert.equal(out.length, 100 * MiB);
  assert.equal(createHash('sha256').update(out).digest('hex'), hash.digest('hex'));
  fs.rmSync(src);
});

test('Executor logs: files rotate at max_file_size and only max_files are kept', async () => {
  const { spec } = await h.launch({
    command: '/bin/sh',
    args: ['-c', 'i=0; while [ $i -lt 100 ]; do echo "line $i"; i=$((i+1)); done'],
    output: { kind: 'rotate', dir: h.logDir, taskName: 'rot', maxFiles: 3, maxFileSizeBytes: 100 },
  });
  await h.client.wait(spec.taskId);
  const files = fs.readdirSync(h.logDir).filter((f) => f.startsWith('rot.stdout.')).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  assert.equal(files.length, 3);
  const sizes = files.map((f) => fs.statSync(path.join(h.logDir, f)).size);
  assert.deepEqual(sizes.slice(0, 2), [100, 100]);
  // The newest files hold the end of the stream, contiguously.
  const all = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('');
  assert.ok(all.endsWith(h.output('rot', 'stdout').toString()));
});

test('Executor logs: output to given paths — a regular file, /dev/null, and a FIFO read by someone else', async () => {
  const file = path.join(h.dataDir, 'out.txt');
  const fifo = path.join(h.dataDir, 'err.fifo');
  execFileSync('mkfifo', [fifo]);
  const chunks: Buffer[] = [];
  const reader = fs.createReadStream(fifo);
  reader.on('data', (c) => chunks.push(c as Buffer));
  const { spec } = await h.launch({
    command: '/bin/sh',
    args: ['-c', 'echo to-file; echo to-fifo >&2'],
    output: { kind: 'paths', stdoutPath: file, stderrPath: fifo },
  });
  await h.client.wait(spec.taskId);
  await eventually(() => Buffer.concat(chunks).toString() === 'to-fifo\n', { message: 'the FIFO output' });
  assert.equal(fs.readFileSync(file, 'utf8'), 'to-file\n');
  assert.equal(Buffer.concat(chunks).toString(), 'to-fifo\n');
  reader.destroy();
  const { spec: quiet } = await h.launch({ command: '/bin/echo', args: ['gone'], output: { kind: 'paths', stdoutPath: '/dev/null', stderrPath: '/dev/null' } });
  assert.equal((await h.client.wait(quiet.taskId)).exitCode, 0);
});

test('Executor logs: a restarted task appends to the same rotated set', async () => {
  const output = { kind: 'rotate' as const, dir: h.logDir, taskName: 'again', maxFiles: 3, maxFileSizeBytes: 1_000 };
  for (const word of ['first', 'second']) {
    const { spec } = await h.launch({ command: '/bin/echo', args: [word], output });
    await h.client.wait(spec.taskId);
  }
  assert.equal(h.output('again', 'stdout').toString(), 'first\nsecond\n');
});

const deps: OutputDeps = {
  buffer: Buffer.alloc(64 * 1024),
  puncher: { every: 32 * 1024 * 1024, punch: (_f, _l, done) => done() },
  onError: (stream, err) => assert.fail(`${stream}: ${err.message}`),
};

function setup(): { dir: string; logs: string; spec: OutputSpec } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'task-output-'));
  const dir = path.join(root, 'task');
  fs.mkdirSync(dir);
  const logs = path.join(root, 'logs');
  return { dir, logs, spec: { kind: 'rotate', dir: logs, taskName: 'web', maxFiles: 3, maxFileSizeBytes: 1024 * 1024 } };
}

test('TaskOutput: spools sit in the task state dir; a record appears only for a stream that printed', async () => {
  const { dir, logs, spec } = setup();
  const { output, fds } = TaskOutput.create(dir, spec, deps);
  fs.writeSync(fds[0], 'hello\n');
  for (const fd of fds) fs.closeSync(fd);
  await eventually(() => fs.readFileSync(path.join(logs, 'web.stdout.0'), 'utf8') === 'hello\n', { message: 'stdout copied' });
  output.close();
  assert.deepEqual(fs.readdirSync(dir).sort(), ['stderr', 'stdout', 'stdout.pos']);
  assert.equal(fs.readFileSync(path.join(logs, 'web.stderr.0'), 'utf8'), '');
});

test('TaskOutput: a task launched with spools in spool/ (earlier drovers) is resumed from there', async () => {
  const { dir, logs, spec } = setup();
  const legacy = path.join(dir, 'spool');
  fs.mkdirSync(legacy);
  fs.mkdirSync(logs);
  // Copied up to byte 4 before the daemon stopped: "one\n" is in the log file, "two\n" is not yet.
  fs.writeFileSync(path.join(legacy, 'stdout'), 'one\ntwo\n');
  fs.writeFileSync(path.join(legacy, 'stdout.pos'), JSON.stringify({ pos: 4, sink: { index: 0, size: 4 } }).padEnd(127, ' ') + '\n');
  fs.writeFileSync(path.join(logs, 'web.stdout.0'), 'one\n');
  fs.writeFileSync(path.join(legacy, 'stderr'), '');
  const output = TaskOutput.resume(dir, spec, deps);
  await eventually(() => fs.readFileSync(path.join(logs, 'web.stdout.0'), 'utf8') === 'one\ntwo\n', { message: 'the rest copied once' });
  output.close();
});
