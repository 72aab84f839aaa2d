/** Job update tests: destructive vs in-place changes, count changes, unchanged re-submits (real agent, real HTTP). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiJob } from '../model/nomad-api/index.js';
import { eventTypes, mockJob, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

let agent: AgentProcess;
before(async () => {
  agent = await startAgent();
});
after(async () => {
  await agent.kill('SIGKILL');
});

async function submit(job: ApiJob): Promise<number> {
  return (await agent.client.jobs.register(job)).JobModifyIndex;
}

const live = async (id: string, n: number) =>
  eventually(async () => {
    const all = await agent.client.jobs.allocations(id);
    const run = all.filter((a) => a.DesiredStatus === 'run');
    return run.length === n && run.every((a) => a.ClientStatus === 'running') ? all : undefined;
  }, { timeoutMs: 10_000, message: `${n} running allocs of ${id}` });

function task(job: ApiJob) {
  return job.TaskGroups![0]!.Tasks![0]!;
}

test('update: an unchanged re-submit creates no version and touches nothing', async () => {
  const job = await agent.client.jobs.parse(mockJob('same', 'run_for = "30s"'));
  const first = await submit(job);
  const [a] = await live('same', 1);
  const second = await submit(job);
  assert.equal(second, first);
  assert.equal((await agent.client.jobs.versions('same')).Versions.length, 1);
  assert.equal((await agent.client.jobs.allocations('same'))[0]!.ID, a!.ID);
});

test('update: a non-destructive change (kill_timeout, restart policy) updates allocs in place', async () => {
  const job = await agent.client.jobs.parse(mockJob('inplace', 'run_for = "30s"', { count: 2 }));
  await submit(job);
  const before = await live('inplace', 2);
  task(job).KillTimeout = 3_000_000_000;
  task(job).RestartPolicy = { ...task(job).RestartPolicy, Attempts: 5 };
  await submit(job);
  const after = await agent.client.jobs.allocations('inplace');
  assert.deepEqual(after.map((a) => a.ID).sort(), before.map((a) => a.ID).sort(), 'same allocations');
  assert.ok(after.every((a) => a.JobVersion === 1 && a.DesiredStatus === 'run'));
  for (const a of after) assert.equal(eventTypes(a, 't').filter((t) => t === 'Started').length, 1, 'tasks not restarted');
  const versions = await agent.client.jobs.versions('inplace');
  assert.deepEqual(versions.Versions.map((v) => v.Version), [1, 0]);
  assert.equal(versions.Versions[0]!.TaskGroups![0]!.Tasks![0]!.KillTimeout, 3_000_000_000);
});

test('update: a destructive change (env, config, resources, driver config) replaces allocs', async () => {
  const job = await agent.client.jobs.parse(mockJob('destroy', 'run_for = "30s"', { count: 2 }));
  // Both at once (Nomad's default update strategy replaces one at a time, 10 s apart).
  job.TaskGroups![0]!.Update = { ...job.TaskGroups![0]!.Update, MaxParallel: 2 };
  await submit(job);
  const before = await live('destroy', 2);
  task(job).Env = { GREETING: 'hi' };
  await submit(job);
  const after = await live('destroy', 2);
  const old = after.filter((a) => before.some((b) => b.ID === a.ID));
  const fresh = after.filter((a) => !before.some((b) => b.ID === a.ID));
  assert.equal(old.length, 2);
  assert.ok(old.every((a) => a.DesiredStatus === 'stop' && a.DesiredDescription === 'alloc is being updated due to job update'));
  assert.equal(fresh.length, 2);
  assert.ok(fresh.every((a) => a.JobVersion === 1));
  await eventually(async () => (await agent.client.jobs.allocations('destroy')).filter((a) => a.DesiredStatus === 'stop').every((a) => a.ClientStatus === 'complete'), { timeoutMs: 10_000, message: 'old allocs stopped' });
  task(job).Resources = { ...task(job).Resources, MemoryMB: 128 };
  await submit(job);
  const third = await live('destroy', 2);
  assert.equal(third.filter((a) => a.JobVersion === 2).length, 2);
});

test('update: count changes add allocs and remove the highest indexes first', async () => {
  const job = await agent.client.jobs.parse(mockJob('count', 'run_for = "30s"', { count: 2 }));
  await submit(job);
  const two = await live('count', 2);
  job.TaskGroups![0]!.Count = 4;
  await submit(job);
  const four = await live('count', 4);
  assert.deepEqual(four.filter((a) => a.DesiredStatus === 'run').map((a) => a.Name).sort(), ['count.g[0]', 'count.g[1]', 'count.g[2]', 'count.g[3]']);
  assert.ok(two.every((a) => four.some((b) => b.ID === a.ID && b.DesiredStatus === 'run')), 'existing allocs kept');
  job.TaskGroups![0]!.Count = 1;
  await submit(job);
  const one = await live('count', 1);
  assert.deepEqual(one.filter((a) => a.DesiredStatus === 'run').map((a) => a.Name), ['count.g[0]']);
  const stopped = one.filter((a) => a.DesiredStatus === 'stop');
  assert.deepEqual(stopped.map((a) => a.Name).sort(), ['count.g[1]', 'count.g[2]', 'count.g[3]']);
  assert.ok(stopped.every((a) => a.DesiredDescription === 'alloc not needed due to job update'));
});

test('update: a stopped job run again gets a new version and fresh allocs', async () => {
  const job = await agent.client.jobs.parse(mockJob('again', 'run_for = "30s"'));
  await submit(job);
  const [first] = await live('again', 1);
  await agent.client.jobs.deregister('again');
  await eventually(async () => (await agent.client.jobs.allocations('again'))[0]?.ClientStatus === 'complete', { timeoutMs: 10_000, message: 'stopped' });
  await submit(job);
  const all = await live('again', 1);
  assert.equal(all.length, 2);
  assert.notEqual(all.find((a) => a.DesiredStatus === 'run')!.ID, first!.ID);
  assert.equal((await agent.client.jobs.info('again')).Version, 1);
});
