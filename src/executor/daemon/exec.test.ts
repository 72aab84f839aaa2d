import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { executorHarness } from '../testing.js';
import { eventually, within } from '../../model/testing/eventually.js';
import { CHECK_BUF_SIZE, TailBuffer } from './exec.js';

const h = executorHarness();
after(() => h.cleanup());

/** An async iterable fed by push(), ended by end(). */
function channel<T>(): { push(v: T): void; end(): void; iter: AsyncIterable<T> } {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    push(v) {
      queue.push(v);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    iter: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (queue.length > 0) yield queue.shift() as T;
          else if (ended) return;
          else await new Promise<void>((r) => (wake = r));
        }
      },
    },
  };
}

test('TailBuffer keeps the last bytes, as Nomad\'s circbuf', () => {
  const b = new TailBuffer(5);
  b.push(Buffer.from('abc'));
  b.push(Buffer.from('defg'));
  assert.equal(b.bytes().toString(), 'cdefg');
  b.push(Buffer.from('hijklmnop'));
  assert.equal(b.bytes().toString(), 'lmnop');
});

test('Executor exec: runs in the task\'s env and dir, returns output and exit code', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'], env: { PATH: '/usr/bin:/bin', SECRET: 's3' } });
  const r = await h.client.exec(spec.taskId, Date.now() + 5_000, '/bin/sh', ['-c', 'echo "$SECRET"; pwd; echo err >&2; exit 3']);
  assert.equal(r.exitCode, 3);
  assert.equal(Buffer.from(r.output).toString(), `s3\n${h.dataDir}\nerr\n`);
  if (process.getuid?.() === 0) {
    const cg = await h.client.exec(spec.taskId, 0, '/bin/cat', ['/proc/self/cgroup']);
    assert.match(Buffer.from(cg.output).toString(), /memory:.*drover/);
  }
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
});

test('Executor exec: output is capped at CheckBufSize (the last 4 KiB); the deadline kills', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  const r = await h.client.exec(spec.taskId, 0, '/bin/sh', ['-c', 'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done']);
  assert.equal(r.output.length, CHECK_BUF_SIZE);
  assert.ok(Buffer.from(r.output).toString().endsWith('line 1999\n'));
  // The deadline leaves the shell time to print even on a loaded machine; the sleep outlasts any run.
  const sleepMs = 3_600_000;
  const t0 = performance.now();
  const slow = await within(h.client.exec(spec.taskId, Date.now() + 2_000, '/bin/sh', ['-c', `echo started; sleep ${sleepMs / 1000}`]), 30_000, 'exec past its deadline');
  assert.ok(performance.now() - t0 < sleepMs, 'the deadline killed it');
  assert.equal(slow.exitCode, -1);
  assert.equal(Buffer.from(slow.output).toString(), 'started\n');
  await assert.rejects(h.client.exec(spec.taskId, 0, '/no/such/cmd', []), /failed to start command/);
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
});

test('Executor execStreaming: stdin in, stdout and stderr out, exit code', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  const stdin = channel<Uint8Array>();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const done = h.client.execStreaming(spec.taskId, {
    command: ['/bin/sh', '-c', 'cat; echo bye >&2; exit 5'],
    tty: false,
    stdin: stdin.iter,
    stdout: (b) => out.push(Buffer.from(b)),
    stderr: (b) => err.push(Buffer.from(b)),
  });
  stdin.push(Buffer.from('hello\n'));
  stdin.end();
  assert.deepEqual(await done, { exitCode: 5, signal: 0, oomKilled: false });
  assert.equal(Buffer.concat(out).toString(), 'hello\n');
  assert.equal(Buffer.concat(err).toString(), 'bye\n');
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
});

test('Executor execStreaming: an interactive TTY session works and resize changes `stty size`', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  const stdin = channel<Uint8Array>();
  const resize = channel<{ height: number; width: number }>();
  let text = '';
  const done = h.client.execStreaming(spec.taskId, {
    command: ['/bin/sh'],
    tty: true,
    stdin: stdin.iter,
    resize: resize.iter,
    stdout: (b) => (text += Buffer.from(b).toString()),
    stderr: (b) => (text += Buffer.from(b).toString()),
  });
  const waitFor = (re: RegExp) => eventually(() => re.test(text), { message: `${re} in the session output` });
  stdin.push(Buffer.from('echo hi\n'));
  await waitFor(/hi\r\n/);
  if (process.getuid?.() === 0) {
    // A TTY session runs in the task's cgroup too (node-pty spawns it; the setup goes in as a prefix).
    stdin.push(Buffer.from('grep memory /proc/self/cgroup\n'));
    await waitFor(/memory:.*drover/);
  }
  stdin.push(Buffer.from('tty; stty size\n'));
  await waitFor(/\/dev\/pts\/\d+\r\n24 80\r\n/);
  resize.push({ height: 40, width: 120 });
  // Resize and stdin travel apart: ask again until the new size has landed.
  await eventually(
    () => {
      if (/40 120\r\n/.test(text)) return true;
      stdin.push(Buffer.from('stty size\n'));
      return false;
    },
    { intervalMs: 50, message: '40 120 after the resize' },
  );
  stdin.push(Buffer.from('exit\n'));
  assert.deepEqual(await done, { exitCode: 0, signal: 0, oomKilled: false });
  stdin.end();
  resize.end();
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
});

test('Executor execStreaming: aborting kills the session', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  const ac = new AbortController();
  const done = h.client.execStreaming(spec.taskId, { command: ['/bin/sleep', '30'], tty: false, stdout: () => undefined, stderr: () => undefined, signal: ac.signal });
  await new Promise((r) => setTimeout(r, 100));
  ac.abort();
  await assert.rejects(done, (e: Error) => e.name === 'AbortError');
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
});
