/**
 * `job scale` over HTTP against a real agent (mock_driver tasks): counts
 * change within scaling { } bounds through a new job version that places and
 * stops allocations as a re-submitted job would; Nomad's refusals; scaling
 * events (newest first, 20 kept per group); the scale status; the scaling
 * policy endpoints.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './client.js';
import { mockJob, purgeAndStop, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents);
});

async function agent(): Promise<AgentProcess> {
  const a = await startAgent();
  agents.push(a);
  return a;
}

const scaledJob = (id: string, count: number, scaling = 'scaling {\n      min = 1\n      max = 3\n    }'): string => `job "${id}" {
  group "web" {
    count = ${count}
    ${scaling}
    task "t" {
      driver = "mock_driver"
      kill_timeout = "1s"
      config {
        run_for = "1h"
      }
    }
  }
}
`;

/** The job's allocs that should run, once `n` of them are running. */
async function runningAllocs(a: AgentProcess, job: string, n: number) {
  return eventually(
    async () => {
      const wanted = (await a.client.jobs.allocations(job)).filter((x) => x.DesiredStatus === 'run');
      return wanted.length === n && wanted.every((x) => x.ClientStatus === 'running') ? wanted : undefined;
    },
    { timeoutMs: 20_000, message: `${n} running allocs of ${job}` },
  );
}

async function rejection(p: Promise<unknown>, what = ''): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err;
  }
  return assert.fail(`expected the request to fail: ${what}`);
}

test('scaling up and down places and stops allocs through new job versions, and records events', async () => {
  const a = await agent();
  await runHcl(a.client, scaledJob('web', 1));
  const [first] = await runningAllocs(a, 'web', 1);

  const up = await a.client.jobs.scale('web', { Count: 3, Target: { Group: 'web' }, Message: 'more', Meta: { reason: 'load' } });
  assert.notEqual(up.EvalID, '');
  assert.ok(up.JobModifyIndex > 0);
  const three = await runningAllocs(a, 'web', 3);
  // The existing alloc is kept (moved to the new version in place), two are added.
  assert.ok(three.some((x) => x.ID === first?.ID));
  const info = await a.client.jobs.info('web');
  assert.equal(info.Version, 1);
  assert.equal(info.TaskGroups?.[0]?.Count, 3);
  assert.deepEqual(info.TaskGroups?.[0]?.['Scaling'], { Min: 1, Max: 3, Policy: null, Enabled: true, Type: 'horizontal', Target: { Namespace: 'default', Job: 'web', Group: 'web' } });

  const down = await a.client.jobs.scale('web', { Count: 1, Target: { Group: 'web' }, Message: 'less' });
  await runningAllocs(a, 'web', 1);
  const stopped = (await a.client.jobs.allocations('web')).filter((x) => x.DesiredStatus === 'stop');
  assert.equal(stopped.length, 2);
  assert.equal((await a.client.jobs.info('web')).Version, 2);

  const status = await a.client.jobs.scaleStatus('web');
  assert.equal(status.JobID, 'web');
  assert.equal(status.Namespace, 'default');
  assert.equal(status.JobStopped, false);
  const g = status.TaskGroups['web'];
  assert.equal(g?.Desired, 1);
  assert.equal(g?.Running, 1);
  assert.equal(g?.Placed, 1);
  const events = g?.Events ?? [];
  assert.equal(events.length, 2);
  // Newest first.
  assert.deepEqual(
    events.map((e) => [e.Count, e.PreviousCount, e.Message, e.Error, e.EvalID]),
    [
      [1, 3, 'less', false, down.EvalID],
      [3, 1, 'more', false, up.EvalID],
    ],
  );
  assert.deepEqual(events[1]?.Meta, { reason: 'load' });
  assert.ok((events[0]?.Time ?? 0) >= (events[1]?.Time ?? Infinity));
  assert.equal(events[0]?.CreateIndex, down.Index);
});

test('counts outside scaling min..max, bad requests and unknown targets are refused with Nomad\'s errors', async () => {
  const a = await agent();
  await runHcl(a.client, scaledJob('bounded', 2));
  await runningAllocs(a, 'bounded', 2);
  const cases: Array<[Parameters<typeof a.client.jobs.scale>[1], number, string]> = [
    [{ Count: 4, Target: { Group: 'web' } }, 400, 'group count was greater than scaling policy maximum: 4 > 3'],
    [{ Count: 0, Target: { Group: 'web' } }, 400, 'group count was less than scaling policy minimum: 0 < 1'],
    [{ Count: -1, Target: { Group: 'web' } }, 400, "scaling action count can't be negative"],
    [{ Count: 2, Target: {} }, 400, 'missing task group name for scaling action'],
    [{ Count: 2, Target: { Group: 'db' } }, 400, 'task group "db" specified for scaling does not exist in job'],
    [{ Count: 2, Error: true, Target: { Group: 'web' } }, 400, 'scaling action should not contain count if error is true'],
    [{ Count: 2, Target: { Group: 'web', Job: 'other' } }, 400, 'job ID in payload did not match URL'],
    [{ Count: 2, Target: { Group: 'web' }, JobModifyIndex: 999999 }, 400, 'Enforcing job modify index 999999: job exists with conflicting job modify index'],
  ];
  for (const [req, status, message] of cases) {
    const err = await rejection(a.client.jobs.scale('bounded', req), message);
    assert.equal(err.status, status, message);
    assert.ok(err.body.includes(message), `${err.body} should say ${message}`);
  }
  const missing = await rejection(a.client.jobs.scale('nope', { Count: 1, Target: { Group: 'web' } }));
  assert.equal(missing.status, 404);
  assert.match(missing.body, /job "nope" not found/);
  assert.equal((await rejection(a.client.jobs.scaleStatus('nope'))).status, 404);
  // Nothing was changed or recorded by the refusals.
  const info = await a.client.jobs.info('bounded');
  assert.equal(info.Version, 0);
  assert.equal((await a.client.jobs.scaleStatus('bounded')).TaskGroups['web']?.Events, null);
});

test('a job without scaling {} scales freely; a request without a count only records its event', async () => {
  const a = await agent();
  await runHcl(a.client, mockJob('free', 'run_for = "1h"', { count: 1 }));
  await runningAllocs(a, 'free', 1);
  const before = await a.client.jobs.info('free');
  await a.client.jobs.scale('free', { Count: 2, Target: { Group: 'g' } });
  await runningAllocs(a, 'free', 2);
  const report = await a.client.jobs.scale('free', { Target: { Group: 'g' }, Error: true, Message: 'autoscaler failed' });
  assert.equal(report.EvalID, '');
  const info = await a.client.jobs.info('free');
  assert.equal(info.Version, (before.Version ?? 0) + 1, 'a report is no new version');
  const events = (await a.client.jobs.scaleStatus('free')).TaskGroups['g']?.Events ?? [];
  assert.deepEqual(events.map((e) => [e.Count, e.PreviousCount, e.Error, e.Message, e.EvalID]), [
    [null, 2, true, 'autoscaler failed', null],
    [2, 1, false, '', events[1]?.EvalID ?? 'missing'],
  ]);
});

test('each group keeps its 20 newest scaling events', async () => {
  const a = await agent();
  await runHcl(a.client, scaledJob('busy', 1, 'scaling {\n      min = 0\n      max = 10\n    }'));
  for (let i = 0; i < 23; i++) await a.client.jobs.scale('busy', { Target: { Group: 'web' }, Message: `report ${i}` });
  const events = (await a.client.jobs.scaleStatus('busy')).TaskGroups['web']?.Events ?? [];
  assert.equal(events.length, 20);
  assert.equal(events[0]?.Message, 'report 22');
  assert.equal(events[19]?.Message, 'report 3');
});

test('scaling a stopped job changes its count but places nothing', async () => {
  const a = await agent();
  await runHcl(a.client, scaledJob('parked', 1));
  await runningAllocs(a, 'parked', 1);
  await a.client.jobs.deregister('parked');
  await eventually(async () => (await a.client.jobs.allocations('parked')).every((x) => x.ClientStatus === 'complete'), { timeoutMs: 20_000, message: 'stopped' });
  await a.client.jobs.scale('parked', { Count: 3, Target: { Group: 'web' } });
  const info = await a.client.jobs.info('parked');
  assert.equal(info.Stop, true);
  assert.equal(info.TaskGroups?.[0]?.Count, 3);
  const status = await a.client.jobs.scaleStatus('parked');
  assert.equal(status.JobStopped, true);
  assert.equal(status.TaskGroups['web']?.Placed, 0);
  assert.equal((await a.client.jobs.allocations('parked')).filter((x) => x.DesiredStatus === 'run').length, 0);
  // Its policy reads as disabled, as Nomad disables a stopped job's policies.
  const [policy] = await a.client.scaling.listPolicies({ job: 'parked' });
  assert.equal(policy?.Enabled, false);
});

test('scaling policies list and read back the groups\' scaling blocks', async () => {
  const a = await agent();
  await runHcl(a.client, scaledJob('pol', 1, 'scaling {\n      min = 1\n      max = 5\n      policy {\n        cooldown = "2m"\n      }\n    }'));
  await runHcl(a.client, mockJob('nopol', 'run_for = "1h"'));
  const list = await a.client.scaling.listPolicies();
  const mine = list.filter((p) => p.Target['Job'] === 'pol');
  assert.equal(mine.length, 1);
  assert.equal(list.filter((p) => p.Target['Job'] === 'nopol').length, 0);
  const stub = mine[0];
  assert.deepEqual({ ...stub, ID: undefined, CreateIndex: undefined, ModifyIndex: undefined }, { ID: undefined, Enabled: true, Type: 'horizontal', Target: { Namespace: 'default', Job: 'pol', Group: 'web' }, CreateIndex: undefined, ModifyIndex: undefined });
  assert.match(stub?.ID ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const policy = await a.client.scaling.policy(stub?.ID ?? '');
  assert.equal(policy.Min, 1);
  assert.equal(policy.Max, 5);
  assert.deepEqual(policy.Policy, { cooldown: '2m' });
  // The ID stays across versions (a scale is one).
  await a.client.jobs.scale('pol', { Count: 2, Target: { Group: 'web' } });
  const again = await a.client.scaling.listPolicies({ job: 'pol' });
  assert.equal(again[0]?.ID, stub?.ID);
  assert.equal((await a.client.scaling.listPolicies({ type: 'vertical' })).length, 0);
  assert.equal((await rejection(a.client.scaling.policy('00000000-0000-4000-8000-000000000000'))).status, 404);
});
