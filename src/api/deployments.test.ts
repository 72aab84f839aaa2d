/**
 * Deployments end to end (real agent, raw_exec tasks): rolling updates go
 * max_parallel at a time (a new one as soon as one before it became healthy);
 * the deployment succeeds and marks the version stable; a bad update fails
 * the deployment and auto_revert registers the stable version again.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiAllocationListStub, ApiDeployment } from '../model/nomad-api/index.js';
import { purgeAndStop, RAW_EXEC_CONFIG, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

let agent: AgentProcess;
before(async () => {
  agent = await startAgent({ configHcl: RAW_EXEC_CONFIG });
});
after(async () => {
  await purgeAndStop([agent]);
});

interface JobOpts {
  readonly count: number;
  readonly update: string;
  /** The task's shell script (default: sleeps). */
  readonly script?: string;
  readonly env?: string;
}

function job(id: string, o: JobOpts): string {
  return `job "${id}" {
  update {
${o.update}
  }
  group "g" {
    count = ${o.count}
    task "t" {
      driver = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sh"
        args = ["-c", ${JSON.stringify(o.script ?? 'exec sleep 300')}]
      }
      env { V = "${o.env ?? '0'}" }
    }
  }
}
`;
}

const deploymentOf = async (jobId: string, version: number, status?: string): Promise<ApiDeployment> =>
  eventually(
    async () => {
      const d = (await agent.client.deployments.forJob(jobId)).find((x) => x.JobVersion === version);
      return d && (status === undefined || d.Status === status) ? d : undefined;
    },
    { timeoutMs: 30_000, message: `deployment of ${jobId} v${version}${status ? ` ${status}` : ''}` },
  );

const healthTime = (a: ApiAllocationListStub): number => Date.parse(a.DeploymentStatus?.Timestamp ?? '');

test('deployments: a rolling update keeps at most max_parallel new allocations unhealthy at a time', async () => {
  const update = 'max_parallel = 2\n    min_healthy_time = "300ms"\n    healthy_deadline = "10s"\n    progress_deadline = "20s"';
  await runHcl(agent.client, job('roll', { count: 5, update }));
  const first = await deploymentOf('roll', 0, 'successful');
  assert.equal(first.StatusDescription, 'Deployment completed successfully');
  assert.deepEqual({ ...first.TaskGroups['g'], RequireProgressBy: '' }, {
    AutoRevert: false, AutoPromote: false, ProgressDeadline: 20_000_000_000, RequireProgressBy: '', Promoted: false, PlacedCanaries: null,
    DesiredCanaries: 0, DesiredTotal: 5, PlacedAllocs: 5, HealthyAllocs: 5, UnhealthyAllocs: 0,
  });
  assert.equal((await agent.client.jobs.info('roll')).Stable, true);

  await runHcl(agent.client, job('roll', { count: 5, update, env: '1' }));
  const second = await deploymentOf('roll', 1, 'successful');
  assert.equal(second.TaskGroups['g']?.HealthyAllocs, 5);
  const allocs = await agent.client.deployments.allocations(second.ID);
  assert.equal(allocs.length, 5);
  assert.ok(allocs.every((a) => a.JobVersion === 1 && a.DeploymentStatus?.Healthy === true && a.DeploymentID === second.ID));
  // A sliding window of two: each alloc was placed while fewer than two others of the version were not yet healthy.
  const created = (a: ApiAllocationListStub) => a.CreateTime / 1e6;
  for (const a of allocs) {
    const inFlight = allocs.filter((b) => b !== a && b.CreateIndex < a.CreateIndex && healthTime(b) > created(a));
    assert.ok(inFlight.length < 2, `${a.Name} placed with ${inFlight.length} others unhealthy`);
  }
  assert.equal(new Set(allocs.map((a) => a.CreateIndex)).size >= 3, true, 'placed in steps');
  const versions = await agent.client.jobs.versions('roll');
  assert.deepEqual(versions.Versions.map((v) => [v.Version, v.Stable]), [[1, true], [0, true]]);
});

test('deployments: a failing update with auto_revert fails the deployment and rolls back to the stable version', async () => {
  const update = 'max_parallel = 1\n    min_healthy_time = "200ms"\n    healthy_deadline = "5s"\n    progress_deadline = "0s"\n    auto_revert = true';
  await runHcl(agent.client, job('revert', { count: 2, update }));
  await deploymentOf('revert', 0, 'successful');
  const good = (await agent.client.jobs.allocations('revert')).filter((a) => a.DesiredStatus === 'run');
  // Version 1 exits at once: its first alloc fails, which fails the deployment (no progress deadline).
  await runHcl(agent.client, job('revert', { count: 2, update, script: 'exit 1', env: 'bad' }));
  const failed = await deploymentOf('revert', 1, 'failed');
  assert.equal(failed.StatusDescription, 'Failed due to unhealthy allocations - rolling back to job version 0');
  assert.equal(failed.TaskGroups['g']?.UnhealthyAllocs, 1);
  const reverted = await deploymentOf('revert', 2, 'successful');
  assert.equal(reverted.TaskGroups['g']?.HealthyAllocs, 2);
  const info = await agent.client.jobs.info('revert');
  assert.equal(info.Version, 2);
  assert.equal(info.TaskGroups?.[0]?.Tasks?.[0]?.Env?.['V'], '0');
  // The untouched alloc of version 0 was kept (updated in place), only the bad one replaced.
  const now = (await agent.client.jobs.allocations('revert')).filter((a) => a.DesiredStatus === 'run');
  assert.equal(now.length, 2);
  assert.equal(now.filter((a) => good.some((g) => g.ID === a.ID)).length, 1);
});

test('deployments: canaries run beside the old version until promoted; promotion rolls the rest', async () => {
  const update = 'max_parallel = 1\n    canary = 1\n    min_healthy_time = "200ms"\n    healthy_deadline = "10s"\n    progress_deadline = "20s"';
  await runHcl(agent.client, job('canary', { count: 3, update }));
  await deploymentOf('canary', 0, 'successful');
  const old = (await agent.client.jobs.allocations('canary')).filter((a) => a.DesiredStatus === 'run');
  await runHcl(agent.client, job('canary', { count: 3, update, env: '1' }));
  const d = await eventually(
    async () => {
      const x = await deploymentOf('canary', 1);
      return x.TaskGroups['g']?.HealthyAllocs === 1 ? x : undefined;
    },
    { timeoutMs: 20_000, message: 'healthy canary' },
  );
  assert.equal(d.Status, 'running');
  assert.equal(d.StatusDescription, 'Deployment is running but requires manual promotion');
  assert.equal(d.TaskGroups['g']?.DesiredCanaries, 1);
  assert.equal(d.TaskGroups['g']?.PlacedCanaries?.length, 1);
  const [canary] = await agent.client.deployments.allocations(d.ID);
  assert.equal(canary?.DeploymentStatus?.Canary, true);
  assert.equal(canary?.Name, 'canary.g[0]');
  // The old allocations all still run beside it.
  const running = (await agent.client.jobs.allocations('canary')).filter((a) => a.DesiredStatus === 'run');
  assert.equal(running.length, 4);
  assert.ok(old.every((o) => running.some((r) => r.ID === o.ID)));

  await agent.client.deployments.promote(d.ID);
  const done = await deploymentOf('canary', 1, 'successful');
  assert.equal(done.TaskGroups['g']?.Promoted, true);
  assert.equal(done.TaskGroups['g']?.HealthyAllocs, 3);
  const after = (await agent.client.jobs.allocations('canary')).filter((a) => a.DesiredStatus === 'run');
  assert.deepEqual(after.map((a) => a.JobVersion), [1, 1, 1]);
  assert.ok(after.some((a) => a.ID === canary?.ID), 'the canary stays');
  assert.equal((await agent.client.allocations.info(canary?.ID ?? "")).DeploymentStatus?.Canary, false);
});

test('deployments: auto_promote promotes once the canaries are healthy', async () => {
  const update = 'max_parallel = 2\n    canary = 1\n    auto_promote = true\n    min_healthy_time = "200ms"\n    healthy_deadline = "10s"\n    progress_deadline = "20s"';
  await runHcl(agent.client, job('autoprom', { count: 2, update }));
  await deploymentOf('autoprom', 0, 'successful');
  await runHcl(agent.client, job('autoprom', { count: 2, update, env: '1' }));
  const first = await deploymentOf('autoprom', 1);
  assert.equal(first.StatusDescription, 'Deployment is running pending automatic promotion');
  const done = await deploymentOf('autoprom', 1, 'successful');
  assert.equal(done.TaskGroups['g']?.Promoted, true);
});

test('deployments: an allocation that never stays up fails the deployment at the progress deadline', async () => {
  const update = 'max_parallel = 1\n    min_healthy_time = "500ms"\n    healthy_deadline = "1s"\n    progress_deadline = "2s"';
  const flapping = job('stuck', { count: 1, update, script: 'sleep 0.1; exit 1' }).replace(
    'task "t" {',
    'restart {\n      attempts = 100\n      interval = "1m"\n      delay = "50ms"\n      mode = "delay"\n    }\n    task "t" {',
  );
  await runHcl(agent.client, flapping);
  const d = await deploymentOf('stuck', 0, 'failed');
  assert.equal(d.StatusDescription, 'Failed due to progress deadline');
  assert.equal(d.TaskGroups['g']?.UnhealthyAllocs, 1);
  const [a] = await agent.client.deployments.allocations(d.ID);
  assert.equal(a?.DeploymentStatus?.Healthy, false);
});

test('deployments: deployment fail by the user, and the Deployment topic of the event stream', async () => {
  const ctrl = new AbortController();
  const types: string[] = [];
  const start = (await agent.client.deployments.list()).length;
  const seen = (async () => {
    try {
      for await (const batch of agent.client.events.stream({ topics: { Deployment: ['manual'] }, signal: ctrl.signal })) {
        for (const e of batch.Events) types.push(`${e.Type}:${String((e.Payload['Deployment'] as { Status?: string } | undefined)?.Status)}`);
      }
    } catch (err) {
      if (!ctrl.signal.aborted) throw err;
    }
  })();
  // A long min_healthy_time: the deployment is still running when failed.
  const update = 'max_parallel = 1\n    min_healthy_time = "1m"\n    healthy_deadline = "2m"\n    progress_deadline = "3m"';
  await runHcl(agent.client, job('manual', { count: 1, update }));
  const d = await deploymentOf('manual', 0, 'running');
  assert.ok((await agent.client.deployments.list()).length > start);
  const r = await agent.client.deployments.fail(d.ID.slice(0, 8));
  assert.equal(r.RevertedJobVersion, undefined);
  const failed = await deploymentOf('manual', 0, 'failed');
  assert.equal(failed.StatusDescription, 'Deployment marked as failed');
  await eventually(() => types.includes('DeploymentStatusUpdate:failed'), { message: 'failed event' });
  ctrl.abort();
  await seen;
  assert.equal(types[0], 'DeploymentStatusUpdate:running');
});

/** 200 on every path but /bad (500), on NOMAD_PORT_http. */
const SERVER = "require('http').createServer((q, s) => { s.statusCode = q.url === '/bad' ? 500 : 200; s.end(); }).listen(Number(process.env.NOMAD_PORT_http))";

function checkedJob(path: string): string {
  return `job "checked" {
  update {
    health_check      = "checks"
    min_healthy_time  = "300ms"
    healthy_deadline  = "4s"
    progress_deadline = "0s"
    auto_revert       = true
  }
  group "g" {
    network {
      port "http" {}
    }
    service {
      name = "checked"
      port = "http"
      check {
        name     = "root"
        type     = "http"
        path     = "${path}"
        interval = "1s"
        timeout  = "1s"
      }
    }
    task "t" {
      driver       = "raw_exec"
      kill_timeout = "1s"
      config {
        command = ${JSON.stringify(process.execPath)}
        args    = ["-e", ${JSON.stringify(SERVER)}]
      }
      # A destructive change with the check's (drover updates a running alloc's checks only on replacement).
      env { CHECKED = "${path}" }
    }
  }
}
`;
}

test('deployments: health_check = "checks" waits for passing checks; a failing check is unhealthy at healthy_deadline', async () => {
  await runHcl(agent.client, checkedJob('/'));
  const ok = await deploymentOf('checked', 0, 'successful');
  const [a] = await agent.client.deployments.allocations(ok.ID);
  // Healthy only after its check passed.
  const checks = Object.values(await agent.client.client.checks(a?.ID ?? ''));
  assert.ok(checks.length === 1 && checks.every((c) => c.Status === 'success'));
  await runHcl(agent.client, checkedJob('/bad'));
  const failed = await deploymentOf('checked', 1, 'failed');
  assert.equal(failed.StatusDescription, 'Failed due to unhealthy allocations - rolling back to job version 0');
  await deploymentOf('checked', 2, 'successful');
});

test('deployments: a rollout under way goes on after the agent is killed and restarted', async () => {
  const update = 'max_parallel = 1\n    min_healthy_time = "500ms"\n    healthy_deadline = "20s"\n    progress_deadline = "40s"';
  await runHcl(agent.client, job('restart', { count: 3, update }));
  await deploymentOf('restart', 0, 'successful');
  await runHcl(agent.client, job('restart', { count: 3, update, env: '1' }));
  await eventually(async () => ((await deploymentOf('restart', 1)).TaskGroups['g']?.HealthyAllocs ?? 0) >= 1, { timeoutMs: 20_000, message: 'one healthy' });
  await agent.kill('SIGKILL');
  agent = await startAgent({ dataDir: agent.dataDir, configHcl: RAW_EXEC_CONFIG });
  const d = await deploymentOf('restart', 1, 'successful');
  assert.equal(d.TaskGroups['g']?.HealthyAllocs, 3);
  const run = (await agent.client.jobs.allocations('restart')).filter((a) => a.DesiredStatus === 'run');
  assert.deepEqual(run.map((a) => a.JobVersion), [1, 1, 1]);
});
