import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alive, executorHarness } from '../testing.js';
import { eventually, within } from '../../model/testing/eventually.js';
import { UNKNOWN_EXIT } from './task.js';
import { taskKey } from '../paths.js';
import { detectCgroups } from '../cgroups/detect.js';
import { ownedCgroupOf } from '../cgroups/index.js';

const h = executorHarness();
after(() => h.cleanup());

/** utime + stime of `pid`, in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

async function killDaemon(): Promise<number> {
  const pid = await h.daemonPid();
  process.kill(pid, 'SIGKILL');
  await eventually(() => !alive(pid), { timeoutMs: 15_000, message: 'daemon gone' });
  return pid;
}

test('Executor recovery: kill -9 of the daemon while a task writes continuously loses no output and no task', async () => {
  const stop = path.join(h.dataDir, 'stop-counter');
  const { spec, pid } = await h.launch({
    command: '/bin/sh',
    args: ['-c', `i=0; while [ ! -e ${stop} ]; do echo $i; i=$((i+1)); done; echo $i; exit 3`],
  });
  const name = (spec.output as { taskName: string }).taskName;
  const pendingWait = h.client.wait(spec.taskId);
  await eventually(() => h.output(name, 'stdout').length > 100_000, { timeoutMs: 15_000, message: 'output flowing' });
  const old = await killDaemon();
  assert.ok(fs.existsSync(path.join(h.dataDir, 'executor.sock')), 'the dead daemon left its socket file');
  // The task runs on, unaware: it keeps burning CPU after the daemon died.
  const ticks = cpuTicks(pid);
  await eventually(() => cpuTicks(pid) > ticks + 5, { message: 'the task to keep running without its daemon' });
  assert.ok(alive(pid), 'task survived the daemon');
  // Any call brings a new daemon up, which re-adopts the task.
  const st = await h.client.status();
  assert.notEqual(st.pid, old);
  assert.equal((await h.client.inspect(spec.taskId)).state, 'running');
  const before = h.output(name, 'stdout').length;
  await eventually(() => h.output(name, 'stdout').length > before + 100_000, { timeoutMs: 15_000, message: 'output flowing again' });
  fs.writeFileSync(stop, '');
  // The wait sent before the crash is answered by the new daemon: the code is unknowable now.
  assert.deepEqual(await pendingWait, UNKNOWN_EXIT);
  const lines = h.output(name, 'stdout').toString().split('\n');
  assert.equal(lines.pop(), '');
  assert.ok(lines.length > 20_000, `${lines.length} lines`);
  for (let i = 0; i < lines.length; i++) if (lines[i] !== String(i)) assert.fail(`line ${i} is ${JSON.stringify(lines[i])}`);
});

test('Executor recovery: a task that exits while the daemon is down is reported as unknown, its output kept', async () => {
  // The task ends only once the daemon is surely down.
  const go = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drover-go-')), 'go');
  const { spec, pid } = await h.launch({ command: '/bin/sh', args: ['-c', `while [ ! -e ${go} ]; do sleep 0.02; done; echo late; exit 3`] });
  await killDaemon();
  fs.writeFileSync(go, '');
  await eventually(() => !alive(pid), { message: 'the task to exit while the daemon is down' });
  const r = await h.client.wait(spec.taskId);
  assert.deepEqual(r, UNKNOWN_EXIT);
  assert.equal(h.output((spec.output as { taskName: string }).taskName, 'stdout').toString(), 'late\n');
});

test('Executor recovery: a re-adopted task can be stopped, and exits are noticed by polling', async () => {
  const { spec, pid } = await h.launch({ command: '/bin/sh', args: ['-c', "trap '' TERM; while :; do sleep 0.05; done"] });
  const t2 = await h.launch({ command: '/bin/sleep', args: ['0.5'] });
  await killDaemon();
  await within(h.client.shutdown(spec.taskId, 'SIGTERM', 200), 30_000, 'shutdown of a re-adopted task');
  assert.equal(alive(pid), false);
  assert.equal((await h.client.wait(spec.taskId)).err, UNKNOWN_EXIT.err);
  assert.equal((await h.client.wait(t2.spec.taskId)).err, UNKNOWN_EXIT.err);
});

test('Executor recovery: exited tasks keep their real exit codes in the journal across daemon restarts', async () => {
  const { spec } = await h.launch({ command: '/bin/sh', args: ['-c', 'exit 6'] });
  assert.equal((await h.client.wait(spec.taskId)).exitCode, 6);
  await killDaemon();
  assert.deepEqual(await h.client.wait(spec.taskId), { exitCode: 6, signal: 0, oomKilled: false });
});

test('Executor recovery: a task destroyed just before the daemon died is removed by the next daemon, cgroup and all', async () => {
  const { spec } = await h.launch({ command: '/bin/sh', args: ['-c', 'exit 0'] });
  await h.client.wait(spec.taskId);
  const { stateDir } = await h.client.status();
  const key = taskKey(spec.taskId);
  const cgroup = spec.cgroup ? ownedCgroupOf(detectCgroups(), key) : undefined;
  const cgroupDirs = Object.values(cgroup?.dirs ?? {});
  assert.ok(cgroupDirs.every((d) => fs.existsSync(d)), 'the task has its cgroup until destroyed');
  await killDaemon();
  // What a destroy leaves until its cleanup runs: the dir under its retired name, the cgroup in place.
  fs.renameSync(path.join(stateDir, key), path.join(stateDir, `.gone.${key}`));
  await h.client.status();
  assert.equal(fs.existsSync(path.join(stateDir, `.gone.${key}`)), false, 'the retired dir is removed on start');
  for (const d of cgroupDirs) assert.equal(fs.existsSync(d), false, `${d} removed`);
  await assert.rejects(h.client.inspect(spec.taskId), /not found/i);
});
