/**
 * Nomad's e2e/rescheduling deployment jobs on a one-node drover agent, with
 * the expectations of Nomad's rescheduling_test.go. The jobs are read from a
 * local Nomad checkout (NOMAD_REPO, default the shared mirror), not copied;
 * without one the tests are skipped. Expectations that need rescheduling
 * (replacing failed allocations) are left to the reschedule work and named.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ApiDeployment, ApiJob } from '../model/nomad-api/index.js';
import { eventually } from '../model/testing/eventually.js';
import { purgeAndStop, RAW_EXEC_CONFIG, startAgent, type AgentProcess } from './testing.js';

const repo = process.env['NOMAD_REPO'] ?? '/work/.mirror/hashicorp+nomad/repo';
const skip = existsSync(repo) ? false : `no Nomad checkout at ${repo} (set NOMAD_REPO)`;
const agents: AgentProcess[] = [];
after(() => purgeAndStop(agents));

let shared: AgentProcess | undefined;
async function agent(): Promise<AgentProcess> {
  if (!shared) {
    shared = await startAgent({ configHcl: RAW_EXEC_CONFIG });
    agents.push(shared);
  }
  return shared;
}

/** Parses one of Nomad's input jobs through the agent, under `id` (as e2eutil.Register does). */
async function nomadJob(a: AgentProcess, file: string, id: string): Promise<ApiJob> {
  const src = execFileSync('git', ['-C', repo, 'show', `HEAD:e2e/rescheduling/input/${file}`], { encoding: 'utf8' });
  return { ...(await a.client.jobs.parse(src)), ID: id, Name: id };
}

/** The test's update: the task's command now fails at once. */
function broken(job: ApiJob): ApiJob {
  const groups = (job.TaskGroups ?? []).map((g) => ({ ...g, Tasks: (g.Tasks ?? []).map((t) => ({ ...t, Config: { ...t.Config, args: ['-c', 'lol'] } })) }));
  return { ...job, TaskGroups: groups };
}

async function statuses(a: AgentProcess, id: string): Promise<string[]> {
  return (await a.client.jobs.allocations(id)).map((x) => x.ClientStatus).sort();
}

async function lastDeployment(a: AgentProcess, id: string, status: string, timeoutMs = 30_000): Promise<ApiDeployment> {
  let last = 'none';
  return eventually(
    async () => {
      const d = await a.client.deployments.latestForJob(id);
      if (d) last = `v${d.JobVersion} ${d.Status}: ${d.StatusDescription}`;
      return d?.Status === status ? d : undefined;
    },
    { timeoutMs, message: `last deployment of ${id} ${status}` },
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message} (last seen: ${last})`);
  });
}

async function runningAllocs(a: AgentProcess, id: string, n: number): Promise<void> {
  await eventually(async () => {
    const s = await statuses(a, id);
    return s.length === n && s.every((x) => x === 'running');
  }, { timeoutMs: 20_000, message: `${n} running allocs of ${id}` });
}

test('TestRescheduling_MaxParallelAutoRevert: one failed replacement, reverted; 1 failed and 2 successful deployments', { skip }, async () => {
  const a = await agent();
  const job = await nomadJob(a, 'rescheduling_maxp_autorevert.nomad', 'maxp-revert');
  await a.client.jobs.register(job);
  await runningAllocs(a, 'maxp-revert', 3);
  await lastDeployment(a, 'maxp-revert', 'successful');
  await a.client.jobs.register(broken(job));
  await eventually(async () => JSON.stringify(await statuses(a, 'maxp-revert')) === JSON.stringify(['complete', 'failed', 'running', 'running', 'running']), {
    timeoutMs: 30_000,
    message: 'one successful, one failed, and 3 reverted allocs',
  });
  await lastDeployment(a, 'maxp-revert', 'successful');
  const all = await a.client.deployments.forJob('maxp-revert');
  assert.deepEqual(all.map((d) => d.Status).sort(), ['failed', 'successful', 'successful']);
  assert.match(all.find((d) => d.Status === 'failed')?.StatusDescription ?? '', /^Failed due to progress deadline - rolling back to job version 0$/);
});

test('TestRescheduling_WithCanaryAutoRevert: the three failing canaries fail the deployment, which reverts', { skip }, async () => {
  const a = await agent();
  const job = await nomadJob(a, 'rescheduling_canary_autorevert.nomad', 'canary-revert');
  await a.client.jobs.register(job);
  await runningAllocs(a, 'canary-revert', 3);
  await lastDeployment(a, 'canary-revert', 'successful');
  await a.client.jobs.register(broken(job));
  await eventually(async () => JSON.stringify(await statuses(a, 'canary-revert')) === JSON.stringify(['failed', 'failed', 'failed', 'running', 'running', 'running']), {
    timeoutMs: 30_000,
    message: 'three failed canaries and 3 reverted allocs',
  });
  await lastDeployment(a, 'canary-revert', 'successful');
});

/** e2eutil.AllocStatusesRescheduled: the statuses of allocs with a reschedule tracker or a planned follow-up. */
async function rescheduledStatuses(a: AgentProcess, id: string): Promise<string[]> {
  const stubs = await a.client.jobs.allocations(id);
  const full = await Promise.all(stubs.map((x) => a.client.allocations.info(x.ID)));
  return full.filter((x) => (x.RescheduleTracker?.Events?.length ?? 0) > 0 || (x.FollowupEvalID ?? '') !== '').map((x) => x.ClientStatus);
}

test('TestRescheduling_WithCanary: the failing canary is rescheduled while the deployment keeps running', { skip }, async () => {
  const a = await agent();
  const job = await nomadJob(a, 'rescheduling_canary.nomad', 'canary');
  await a.client.jobs.register(job);
  await runningAllocs(a, 'canary', 3);
  await lastDeployment(a, 'canary', 'successful');
  await a.client.jobs.register(broken(job));
  await eventually(async () => (await rescheduledStatuses(a, 'canary')).length > 0, { timeoutMs: 30_000, message: 'rescheduled allocs until the progress deadline' });
  const d = await lastDeployment(a, 'canary', 'running');
  assert.equal(d.JobVersion, 1);
  assert.equal(d.TaskGroups['t5']?.DesiredCanaries, 1);
  // The old version keeps running beside the failing canary.
  assert.equal((await statuses(a, 'canary')).filter((x) => x === 'running').length >= 3, true);
});

test('TestRescheduling_ProgressDeadline: the deadline moves when the allocation becomes healthy; the deployment succeeds', { skip }, async () => {
  const a = await agent();
  await a.client.jobs.register(await nomadJob(a, 'rescheduling_progressdeadline.nomad', 'deadline'));
  await runningAllocs(a, 'deadline', 1);
  const first = await eventually(() => a.client.deployments.latestForJob('deadline'), { message: 'deployment' });
  const done = await lastDeployment(a, 'deadline', 'successful');
  assert.notEqual(done.TaskGroups['t2']?.RequireProgressBy, first.TaskGroups['t2']?.RequireProgressBy);
});

test('TestRescheduling_ProgressDeadlineFail: a failing allocation does not move the deadline, which fails the deployment', { skip }, async () => {
  const a = await agent();
  await a.client.jobs.register(await nomadJob(a, 'rescheduling_progressdeadline_fail.nomad', 'deadline-fail'));
  const first = await eventually(() => a.client.deployments.latestForJob('deadline-fail'), { message: 'deployment' });
  const failed = await lastDeployment(a, 'deadline-fail', 'failed', 40_000);
  assert.equal(failed.StatusDescription, 'Failed due to progress deadline');
  assert.equal(failed.TaskGroups['t2']?.RequireProgressBy, first.TaskGroups['t2']?.RequireProgressBy);
});

test('TestRescheduling_WithUpdate: the failing replacement is rescheduled', { skip }, async () => {
  const a = await agent();
  const job = await nomadJob(a, 'rescheduling_update.nomad', 'update');
  await a.client.jobs.register(job);
  await runningAllocs(a, 'update', 3);
  await a.client.jobs.register(broken(job));
  await eventually(async () => (await rescheduledStatuses(a, 'update')).length > 0, { timeoutMs: 30_000, message: 'rescheduled allocs until the progress deadline' });
});

test('TestRescheduling_MaxParallel: the failed replacement is rescheduled and fails again; the rollout waits', { skip }, async () => {
  const a = await agent();
  const job = await nomadJob(a, 'rescheduling_maxp.nomad', 'maxp');
  await a.client.jobs.register(job);
  await runningAllocs(a, 'maxp', 3);
  await lastDeployment(a, 'maxp', 'successful');
  await a.client.jobs.register(broken(job));
  // Nomad's expectation: one old alloc replaced (complete), its replacement failed and rescheduled once (5 s delay), two untouched.
  await eventually(async () => JSON.stringify(await statuses(a, 'maxp')) === JSON.stringify(['complete', 'failed', 'failed', 'running', 'running']), {
    timeoutMs: 30_000,
    message: 'failed allocs including the rescheduled failed one',
  });
  const d = await a.client.deployments.latestForJob('maxp');
  assert.equal(d?.JobVersion, 1);
  // The Go test reads "running" right away; the 10 s progress deadline may have passed here on a loaded machine.
  assert.ok(d?.Status === 'running' || d?.StatusDescription === 'Failed due to progress deadline', `${d?.Status}: ${d?.StatusDescription}`);
});
