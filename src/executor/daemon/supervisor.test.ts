import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DroverError, TaskNotFoundError } from '../../model/errors.js';
import { alive, executorHarness } from '../testing.js';
import { eventually, within } from '../../model/testing/eventually.js';
import { processTree } from '../proc.js';

const h = executorHarness();
after(() => h.cleanup());

test('Executor: exit codes are reported exactly', async () => {
  for (const code of [0, 3, 255]) {
    const { spec } = await h.launch({ command: '/bin/sh', args: ['-c', `exit ${code}`] });
    assert.deepEqual(await h.client.wait(spec.taskId), { exitCode: code, signal: 0, oomKilled: false });
  }
});

test('Executor: a task killed by a signal reports 128+n and the signal', async () => {
  const { spec } = await h.launch({ command: '/bin/sh', args: ['-c', 'kill -TERM $$; sleep 5'] });
  assert.deepEqual(await h.client.wait(spec.taskId), { exitCode: 143, signal: 15, oomKilled: false });
  const { spec: s2, pid } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  await h.client.signal(s2.taskId, 'SIGUSR1');
  assert.deepEqual(await h.client.wait(s2.taskId), { exitCode: 138, signal: 10, oomKilled: false });
  assert.equal(alive(pid), false);
});

test('Executor: env, args and working dir reach the task; output goes to rotated files', async () => {
  const dir = fs.mkdtempSync(path.join(h.dataDir, 'cwd-'));
  const { spec } = await h.launch({
    command: '/bin/sh',
    args: ['-c', 'echo "$GREETING $1"; pwd; echo oops >&2', 'sh', 'world'],
    env: { GREETING: 'hello', PATH: '/usr/bin:/bin' },
    cwd: dir,
  });
  await h.client.wait(spec.taskId);
  const name = (spec.output as { taskName: string }).taskName;
  assert.equal(h.output(name, 'stdout').toString(), `hello world\n${dir}\n`);
  assert.equal(h.output(name, 'stderr').toString(), 'oops\n');
});

test('Executor: the environment is exactly the spec env (no PWD added by the sh prefix)', async () => {
  const { spec } = await h.launch({ command: '/usr/bin/env', env: { ONLY: '1' }, oomScoreAdj: 10 });
  await h.client.wait(spec.taskId);
  assert.equal(h.output((spec.output as { taskName: string }).taskName, 'stdout').toString(), 'ONLY=1\n');
});

test('Executor: launch errors name the command; a bad working dir is reported', async () => {
  const missing = h.spec({ command: '/nonexistent/binary', cgroup: false });
  await assert.rejects(h.client.launch(missing), (e: Error) => e instanceof DroverError && /failed to start command path="\/nonexistent\/binary"/.test(e.message));
  const badCwd = h.spec({ command: '/bin/true', cwd: '/nonexistent-dir' });
  await assert.rejects(h.client.launch(badCwd), /working directory "\/nonexistent-dir" does not exist/);
  await assert.rejects(h.client.inspect(missing.taskId), TaskNotFoundError);
});

test('Executor: launch is idempotent per task id; inspect reports state and exit', async () => {
  const s = h.spec({ command: '/bin/sh', args: ['-c', 'sleep 0.2; exit 4'] });
  const [a, b] = await Promise.all([h.client.launch(s), h.client.launch(s)]);
  assert.equal(a.pid, b.pid);
  assert.deepEqual(await h.client.launch(s), a);
  const running = await h.client.inspect(s.taskId);
  assert.equal(running.state, 'running');
  assert.equal(running.completedAt, 0);
  await h.client.wait(s.taskId);
  const done = await h.client.inspect(s.taskId);
  assert.equal(done.state, 'exited');
  assert.deepEqual(done.exitResult, { exitCode: 4, signal: 0, oomKilled: false });
  assert.ok(done.completedAt >= done.startedAt + 150);
});

test('Executor: several waiters and a late waiter all get the exit', async () => {
  const { spec } = await h.launch({ command: '/bin/sh', args: ['-c', 'sleep 0.1; exit 9'] });
  const early = await Promise.all([h.client.wait(spec.taskId), h.client.wait(spec.taskId), h.client.wait(spec.taskId)]);
  for (const r of early) assert.equal(r.exitCode, 9);
  assert.equal((await h.client.wait(spec.taskId)).exitCode, 9);
});

test('Executor: an aborted wait rejects with AbortError and the task keeps running', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  const ac = new AbortController();
  const w = h.client.wait(spec.taskId, { signal: ac.signal });
  ac.abort();
  await assert.rejects(w, (e: Error) => e.name === 'AbortError');
  assert.equal((await h.client.inspect(spec.taskId)).state, 'running');
  await h.client.shutdown(spec.taskId, 'SIGTERM', 1_000);
});

test('Executor: shutdown escalates to SIGKILL for a task ignoring SIGTERM, after the grace period', async () => {
  const { spec } = await h.launch({ command: '/bin/sh', args: ['-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"] });
  const name = (spec.output as { taskName: string }).taskName;
  await eventually(() => h.output(name, 'stdout').toString() === 'ready\n', { timeoutMs: 15_000, message: 'trap installed' });
  const t0 = performance.now();
  await h.client.shutdown(spec.taskId, 'SIGTERM', 400);
  const ms = performance.now() - t0;
  assert.ok(ms >= 390, `shutdown took ${ms}ms`);
  assert.deepEqual(await h.client.wait(spec.taskId), { exitCode: 137, signal: 9, oomKilled: false });
});

test('Executor: shutdown uses SIGINT by default and returns as soon as the task exits', async () => {
  const { spec } = await h.launch({ command: '/bin/sh', args: ['-c', "trap 'exit 42' INT; echo ready; while :; do sleep 0.05; done"] });
  const name = (spec.output as { taskName: string }).taskName;
  await eventually(() => h.output(name, 'stdout').length > 0, { timeoutMs: 15_000, message: 'trap installed' });
  // A grace period no run reaches: returning before it means "as soon as the task exits".
  const graceMs = 3_600_000;
  const t0 = performance.now();
  await within(h.client.shutdown(spec.taskId, '', graceMs), 30_000, 'shutdown of a task that exits on SIGINT');
  assert.ok(performance.now() - t0 < graceMs);
  assert.equal((await h.client.wait(spec.taskId)).exitCode, 42);
  await assert.rejects(h.client.shutdown(spec.taskId, 'SIGNOPE', 10), /unknown signal given for shutdown: SIGNOPE/);
});

test('Executor: child processes are gone after stop (a shell that spawns sleeps)', async () => {
  for (const cgroup of [false, true]) {
    if (cgroup && process.getuid?.() !== 0) continue;
    const { spec, pid } = await h.launch({ command: '/bin/sh', args: ['-c', 'sleep 100 & sleep 100 & (sleep 100 &); wait'], cgroup });
    // The double-forked sleep leaves the tree: only the process group (and cgroup) still find it.
    let group: number[] = [];
    await eventually(() => (group = processGroup(pid)).length >= 4 && processTree(pid).length >= 3, { timeoutMs: 15_000, message: 'children started' });
    await h.client.shutdown(spec.taskId, 'SIGTERM', 1_000);
    await eventually(() => group.every((p) => !alive(p)), { timeoutMs: 15_000, message: 'whole tree gone' });
  }
});

test('Executor: destroy refuses a running task, then forgets it (its files soon after) and is idempotent', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  await assert.rejects(h.client.destroy(spec.taskId), /cannot destroy running task/);
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
  await h.client.destroy(spec.taskId);
  await h.client.destroy(spec.taskId);
  await assert.rejects(h.client.inspect(spec.taskId), TaskNotFoundError);
  const { stateDir } = await h.client.status();
  await eventually(() => !fs.readdirSync(stateDir).some((d) => d.includes(spec.taskId.split('/')[1] as string)), { message: 'the task dir removed' });
});

test('Executor: stopDaemonIfIdle refuses while a task runs', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  assert.equal(await h.client.stopDaemonIfIdle(), false);
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
});

/** Pids whose process group is `pgid`. */
function processGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const st = fs.readFileSync(`/proc/${p}/stat`, 'latin1');
      if (Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[2]) === pgid) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}

test('Executor: oom_score_adj is set on the task before its program runs', async () => {
  const { spec } = await h.launch({ command: '/bin/cat', args: ['/proc/self/oom_score_adj'], oomScoreAdj: 500 });
  await h.client.wait(spec.taskId);
  assert.equal(h.output((spec.output as { taskName: string }).taskName, 'stdout').toString(), '500\n');
});

test('Executor: user runs the task as that user with its groups, USER, LOGNAME and HOME', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, async () => {
  const { spec } = await h.launch({ command: '/bin/sh', args: ['-c', 'id -u; id -g; echo "$USER $LOGNAME $HOME"'], user: 'nobody', cwd: '/' });
  assert.equal((await h.client.wait(spec.taskId)).exitCode, 0);
  assert.equal(h.output((spec.output as { taskName: string }).taskName, 'stdout').toString(), '65534\n65534\nnobody nobody /nonexistent\n');
  const exec = await h.launch({ command: '/bin/sleep', args: ['30'], user: 'nobody', cwd: '/' });
  const r = await h.client.exec(exec.spec.taskId, 0, '/usr/bin/id', ['-un']);
  assert.equal(Buffer.from(r.output).toString(), 'nobody\n');
  await h.client.shutdown(exec.spec.taskId, 'SIGKILL', 0);
  await assert.rejects(h.client.launch(h.spec({ command: '/bin/true', user: 'no-such-user' })), /failed to identify user "no-such-user"/);
});
