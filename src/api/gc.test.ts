/**
 * Garbage collection end to end (a real agent over HTTP, mock_driver tasks,
 * the real CLI): what `system gc` and the agent's own sweeps remove and what
 * they must keep, and the client GC of alloc dirs (`drover system gc`: cli/system.test.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from './client.js';
import { mockJob, purgeAndStop, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents);
});

async function agentWith(configHcl?: string): Promise<AgentProcess> {
  const a = await startAgent(configHcl === undefined ? {} : { configHcl });
  agents.push(a);
  return a;
}

const allocDir = (a: AgentProcess, id: string): string => join(a.dataDir, 'alloc', id);

/** The allocs of `job` once all of them satisfy `done`. */
async function allocsWhen(a: AgentProcess, job: string, n: number, done: (status: string) => boolean) {
  return eventually(
    async () => {
      const allocs = await a.client.jobs.allocations(job);
      return allocs.length === n && allocs.every((x) => done(x.ClientStatus)) ? allocs : undefined;
    },
    { timeoutMs: 20_000, message: `${n} allocs of ${job}` },
  );
}

async function gone(a: AgentProcess, job: string): Promise<boolean> {
  try {
    await a.client.jobs.info(job);
    return false;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return true;
    throw err;
  }
}

const parameterized = (id: string): string => `job "${id}" {
  type = "batch"
  parameterized {}
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "10ms"
      }
    }
  }
}
`;

test('system gc: finished batch jobs and dispatched children go with their dirs; running, failed-unreplaced and parent jobs stay', async () => {
  const a = await agentWith();
  await runHcl(a.client, mockJob('done', 'run_for = "10ms"', { type: 'batch' }));
  await runHcl(a.client, mockJob('svc', 'run_for = "1h"'));
  // A failed alloc nobody replaced: Nomad's default reschedule policy keeps it (and its job) for a look.
  await runHcl(a.client, mockJob('broken', 'run_for = "10ms"\n exit_code = 3', { extra: '' }).replace('group "g" {', 'group "g" {\n    restart {\n      attempts = 0\n      mode = "fail"\n    }'));
  await runHcl(a.client, parameterized('tmpl'));
  const kids = [await a.client.jobs.dispatch('tmpl', {}), await a.client.jobs.dispatch('tmpl', {})].map((d) => d.DispatchedJobID);
  const [doneAlloc] = await allocsWhen(a, 'done', 1, (s) => s === 'complete');
  await allocsWhen(a, 'svc', 1, (s) => s === 'running');
  const [broken] = await allocsWhen(a, 'broken', 1, (s) => s === 'failed');
  for (const k of kids) await allocsWhen(a, k, 1, (s) => s === 'complete');
  assert.equal(existsSync(allocDir(a, doneAlloc!.ID)), true);

  await a.client.system.garbageCollect();

  assert.equal(await gone(a, 'done'), true, 'the finished batch job is collected');
  assert.equal(existsSync(allocDir(a, doneAlloc!.ID)), false, 'with its alloc dir');
  await assert.rejects(a.client.allocations.info(doneAlloc!.ID), (e: ApiError) => e.status === 404);
  for (const k of kids) assert.equal(await gone(a, k), true, `child ${k} is collected`);
  assert.equal(await gone(a, 'tmpl'), false, 'the parameterized parent stays');
  assert.equal((await a.client.jobs.summary('tmpl')).Children?.Dead, 0);
  assert.equal(await gone(a, 'svc'), false);
  assert.equal((await a.client.jobs.allocations('svc'))[0]?.ClientStatus, 'running');
  assert.equal((await a.client.allocations.info(broken!.ID)).ClientStatus, 'failed', 'the unreplaced failed alloc stays');

  // Stopped, a service job is collected too, and the event stream says so.
  await a.client.jobs.deregister('svc');
  await allocsWhen(a, 'svc', 1, (s) => s === 'complete');
  await a.client.system.garbageCollect();
  assert.equal(await gone(a, 'svc'), true);
  const types: string[] = [];
  const ctrl = new AbortController();
  for await (const batch of a.client.events.stream({ topics: { Job: ['svc'] }, index: 0, signal: ctrl.signal })) {
    types.push(...batch.Events.map((e) => e.Type));
    if (types.includes('JobBatchDeregistered')) ctrl.abort();
  }
  assert.deepEqual(types.filter((t) => t !== 'JobRegistered'), ['JobDeregistered', 'JobBatchDeregistered']);
});

test("system gc: a job that lives on loses the allocs its updates stopped, not the one running", async () => {
  const a = await agentWith();
  await runHcl(a.client, mockJob('web', 'run_for = "1h"'));
  const [v0] = await allocsWhen(a, 'web', 1, (s) => s === 'running');
  await runHcl(a.client, mockJob('web', 'run_for = "2h"'));
  const both = await eventually(
    async () => {
      const allocs = await a.client.jobs.allocations('web');
      return allocs.length === 2 && allocs.some((x) => x.ID === v0!.ID && x.ClientStatus === 'complete') && allocs.some((x) => x.ClientStatus === 'running') ? allocs : undefined;
    },
    { timeoutMs: 20_000, message: 'the update replaced the alloc' },
  );
  const v1 = both.find((x) => x.ID !== v0!.ID)!;
  await a.client.system.garbageCollect();
  assert.deepEqual((await a.client.jobs.allocations('web')).map((x) => x.ID), [v1.ID]);
  assert.equal(existsSync(allocDir(a, v0!.ID)), false);
  assert.equal(existsSync(allocDir(a, v1.ID)), true);
});

test("deployment gc: a living job's finished deployments go once none of their allocs runs; the running one's stays (Nomad's deploymentGC)", async () => {
  const a = await agentWith('server {\n  job_gc_interval = "200ms"\n  deployment_gc_threshold = "1s"\n  eval_gc_threshold = "1s"\n}\n');
  const deployed = async (version: number) =>
    eventually(
      async () => {
        const d = await a.client.deployments.latestForJob('svc');
        return d?.JobVersion === version && d.Status === 'successful' ? d : undefined;
      },
      { timeoutMs: 30_000, message: `the deployment of version ${version} successful` },
    );
  const update = '    update {\n      min_healthy_time = "10ms"\n      healthy_deadline = "10s"\n      progress_deadline = "20s"\n    }';
  await runHcl(a.client, mockJob('svc', 'run_for = "1h"', { group: update }));
  const first = await deployed(0);
  // Six more versions, each a destructive update and a deployment: the earlier ones finish and their allocs stop.
  for (let v = 1; v <= 6; v++) {
    await runHcl(a.client, mockJob('svc', `run_for = "${v + 1}h"`, { group: update }));
    await deployed(v);
  }
  const latest = await deployed(6);
  await eventually(
    async () => {
      const ids = (await a.client.deployments.forJob('svc')).map((d) => d.ID);
      return ids.length === 1 && ids[0] === latest.ID;
    },
    { timeoutMs: 30_000, message: 'the finished deployments collected, the one of the running alloc kept' },
  );
  assert.notEqual(first.ID, latest.ID);
  assert.equal((await a.client.jobs.versions('svc')).Versions.length, 6, "Nomad's job_tracked_versions");
});

test('the agent collects on its own: server { job_gc_interval job_gc_threshold }', async () => {
  const a = await agentWith('server {\n  job_gc_interval = "200ms"\n  job_gc_threshold = "1s"\n}\n');
  await runHcl(a.client, mockJob('nightly', 'run_for = "10ms"', { type: 'batch' }));
  const [alloc] = await allocsWhen(a, 'nightly', 1, (s) => s === 'complete');
  // The records go first, then the dir.
  await eventually(async () => (await gone(a, 'nightly')) && !existsSync(allocDir(a, alloc!.ID)), { timeoutMs: 30_000, message: 'the finished batch job and its dir collected after job_gc_threshold' });
});

test('client gc: gc_max_allocs keeps the alloc dirs in check, oldest first; the records stay; the alloc and node endpoints', async () => {
  // Disk thresholds at 100% so only the count decides, whatever this machine's disk holds.
  const a = await agentWith('client {\n  gc_interval = "200ms"\n  gc_max_allocs = 3\n  gc_disk_usage_threshold = 100\n  gc_inode_usage_threshold = 100\n}\n');
  await runHcl(a.client, mockJob('live', 'run_for = "1h"'));
  const [live] = await allocsWhen(a, 'live', 1, (s) => s === 'running');
  const finished: string[] = [];
  for (const id of ['b1', 'b2', 'b3', 'b4']) {
    await runHcl(a.client, mockJob(id, 'run_for = "10ms"', { type: 'batch' }));
    finished.push((await allocsWhen(a, id, 1, (s) => s === 'complete'))[0]!.ID);
  }
  // Five allocs, three allowed: the two oldest finished ones lose their dirs.
  await eventually(() => !existsSync(allocDir(a, finished[0]!)) && !existsSync(allocDir(a, finished[1]!)), { timeoutMs: 20_000, message: 'the two oldest dirs collected' });
  assert.equal(existsSync(allocDir(a, finished[2]!)), true);
  assert.equal(existsSync(allocDir(a, finished[3]!)), true);
  assert.equal((await a.client.allocations.info(finished[0]!)).ClientStatus, 'complete', 'the record stays');
  // Its files are gone, and the fs and logs endpoints say so as Nomad's client does.
  await assert.rejects(a.client.client.ls(finished[0]!), (e: ApiError) => e.status === 404 && e.body === `Unknown allocation "${finished[0]!}"`);

  await a.client.client.garbageCollect(finished[2]!);
  assert.equal(existsSync(allocDir(a, finished[2]!)), false);
  await assert.rejects(a.client.client.garbageCollect(live!.ID), (e: ApiError) => e.status === 400 && /No such allocation on client, or allocation not eligible for GC/.test(e.body));
  await a.client.client.garbageCollectAll();
  assert.equal(existsSync(allocDir(a, finished[3]!)), false);
  assert.equal(existsSync(allocDir(a, live!.ID)), true, 'a running alloc keeps its dir');
});
