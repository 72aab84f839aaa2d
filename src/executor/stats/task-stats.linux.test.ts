import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { detectCgroups } from '../cgroups/index.js';
import { executorHarness } from '../testing.js';
import { eventually } from '../../model/testing/eventually.js';
import { BASIC_CPU_MEASURED, BASIC_MEM_MEASURED, CGROUP_CPU_MEASURED, CGROUP_V1_MEM_MEASURED, CGROUP_V2_MEM_MEASURED } from './task-stats.js';

const root = process.getuid?.() === 0;
const layout = detectCgroups();
const skip = !root ? 'needs root (task cgroups)' : layout.mode === 'none' ? 'no cgroup controllers on this host' : false;
if (skip) console.log(`# skipping cgroup tests: ${skip}`);

const h = executorHarness();
after(() => h.cleanup());

/** A task holding ~8 MB in a shell variable and burning CPU until killed. */
const HOG = ['-c', 'x=$(head -c 8000000 /dev/zero | tr "\\0" a); echo ready; while :; do :; done'];

/**
 * The CPU percent is the delta since the previous sample: sample over 300 ms
 * windows until one shows the busy loop above 10 % of a core, since a loaded
 * host may starve the task for a whole window.
 */
function busySample(taskId: string) {
  return eventually(
    async () => {
      await new Promise((r) => setTimeout(r, 300)); // the measurement window, not a wait for an event
      const s = await h.client.stats(taskId);
      return s.cpu.percent > 10 ? s : undefined;
    },
    { intervalMs: 0, message: 'a sample with the busy loop above 10 % of a core' },
  );
}

test('Executor stats (cgroup): nonzero memory, Nomad\'s measured lists, CPU percent from deltas', { skip }, async () => {
  // Heavy cpu shares: with the harness's 100 the busy loop starves beside any 1024-share load on the host.
  const { spec } = await h.launch({ command: '/bin/sh', args: HOG, cgroup: true, resources: { cpuShares: 10_000, memoryMb: 256, memoryMaxMb: 0, pidsLimit: 0 } });
  const name = (spec.output as { taskName: string }).taskName;
  await eventually(() => h.output(name, 'stdout').toString() === 'ready\n', { timeoutMs: 10_000, message: 'memory allocated' });
  const first = await h.client.stats(spec.taskId);
  assert.deepEqual(first.memory.measured, layout.mode === 'v1' ? CGROUP_V1_MEM_MEASURED : CGROUP_V2_MEM_MEASURED);
  assert.deepEqual(first.cpu.measured, CGROUP_CPU_MEASURED);
  assert.ok(first.memory.usage > 8_000_000, `usage ${first.memory.usage}`);
  if (layout.mode === 'v1') {
    assert.ok(first.memory.rss > 7_000_000, `rss ${first.memory.rss}`);
    assert.ok(first.memory.maxUsage >= first.memory.usage);
  }
  const second = await busySample(spec.taskId);
  // A busy loop on one core: up to 100 % (less when the host is busy).
  assert.ok(second.cpu.percent > 10 && second.cpu.percent < 120, `percent ${second.cpu.percent}`);
  assert.ok(second.cpu.userMode > 5, `user ${second.cpu.userMode}`);
  assert.ok(second.cpu.totalTicks > 0);
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
});

test('Executor stats (no cgroup): RSS and CPU of the process tree from /proc, per pid', async () => {
  const { spec, pid } = await h.launch({ command: '/bin/sh', args: HOG, cgroup: false });
  const name = (spec.output as { taskName: string }).taskName;
  await eventually(() => h.output(name, 'stdout').toString() === 'ready\n', { timeoutMs: 10_000, message: 'memory allocated' });
  await h.client.stats(spec.taskId);
  const s = await busySample(spec.taskId);
  assert.deepEqual(s.memory.measured, BASIC_MEM_MEASURED);
  assert.deepEqual(s.cpu.measured, BASIC_CPU_MEASURED);
  assert.ok(s.memory.rss > 8_000_000, `rss ${s.memory.rss}`);
  assert.ok(s.cpu.percent > 10, `percent ${s.cpu.percent}`);
  assert.ok(s.pids && String(pid) in s.pids);
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
});

test('Executor OOM: a task over memory_max is OOM-killed and reported so', { skip }, async () => {
  const { spec } = await h.launch({
    command: '/bin/sh',
    args: ['-c', 'x=$(head -c 100000000 /dev/zero | tr "\\0" a); echo survived'],
    cgroup: true,
    resources: { cpuShares: 100, memoryMb: 10, memoryMaxMb: 20, pidsLimit: 0 },
  });
  const r = await h.client.wait(spec.taskId);
  assert.equal(r.oomKilled, true, JSON.stringify(r));
  assert.notEqual(r.exitCode, 0);
});

test('Executor cgroups: limits are written, the daemon is outside the task cgroup, destroy removes it', { skip }, async () => {
  const { spec, pid } = await h.launch({
    command: '/bin/sleep',
    args: ['30'],
    cgroup: true,
    resources: { cpuShares: 512, memoryMb: 64, memoryMaxMb: 128, pidsLimit: 50 },
  });
  // The sh prefix joins the cgroup before exec'ing sleep; launch returns right after the fork.
  await eventually(() => fs.readFileSync(`/proc/${pid}/comm`, 'utf8') === 'sleep\n', { timeoutMs: 15_000, message: 'task exec\'d (after joining its cgroups)' });
  const own = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  const daemon = fs.readFileSync(`/proc/${await h.daemonPid()}/cgroup`, 'utf8');
  assert.match(own, /drover\//);
  assert.doesNotMatch(daemon, /drover\//);
  const inspect = await h.client.launch(spec);
  const dir = inspect.cgroup as string;
  if (layout.mode === 'v1') {
    assert.equal(fs.readFileSync(`${dir}/memory.limit_in_bytes`, 'utf8').trim(), String(128 * 1024 * 1024));
    assert.equal(fs.readFileSync(`${dir}/memory.soft_limit_in_bytes`, 'utf8').trim(), String(64 * 1024 * 1024));
    const rel = (ctrl: string): string => own.split('\n').find((l) => l.split(':')[1] === ctrl)?.split(':')[2] ?? '';
    if (layout.v1Mounts['cpu']) assert.equal(fs.readFileSync(`${layout.v1Mounts['cpu']}${rel('cpu')}/cpu.shares`, 'utf8').trim(), '512');
    if (layout.v1Mounts['pids']) assert.equal(fs.readFileSync(`${layout.v1Mounts['pids']}${rel('pids')}/pids.max`, 'utf8').trim(), '50');
  }
  await h.client.updateResources(spec.taskId, { cpuShares: 256, memoryMb: 200, memoryMaxMb: 0, pidsLimit: 0 });
  if (layout.mode === 'v1') assert.equal(fs.readFileSync(`${dir}/memory.limit_in_bytes`, 'utf8').trim(), String(200 * 1024 * 1024));
  await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
  assert.ok(fs.existsSync(dir));
  await h.client.destroy(spec.taskId);
  // Removed just after the reply (supervisor.ts, retire).
  await eventually(() => !fs.existsSync(dir), { message: 'the task cgroup removed' });
});

test('Executor cgroups: cgroup_v1_override joins an existing cgroup and leaves it in place', { skip: skip || (layout.mode !== 'v1' ? 'host is not cgroup v1' : false) }, async () => {
  const mount = layout.v1Mounts['pids'] as string;
  const rel = `drover-override-test-${process.pid}`;
  fs.mkdirSync(`${mount}/${rel}`);
  try {
    const { spec, pid } = await h.launch({ command: '/bin/sleep', args: ['30'], cgroup: true, cgroupOverride: { v1: { pids: rel } } });
    await eventually(() => fs.readFileSync(`/proc/${pid}/comm`, 'utf8') === 'sleep\n', { timeoutMs: 15_000, message: 'task exec\'d' });
    assert.match(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8'), new RegExp(`pids:/${rel}\\n`));
    await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
    await h.client.destroy(spec.taskId);
    assert.ok(fs.existsSync(`${mount}/${rel}`), 'an override cgroup is not ours to remove');
    await assert.rejects(h.client.launch(h.spec({ command: '/bin/true', cgroupOverride: { v1: { pids: 'no/such/cgroup' } } })), /is not a cgroup/);
  } finally {
    fs.rmdirSync(`${mount}/${rel}`);
  }
});
