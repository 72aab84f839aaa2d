/**
 * The agent as this node's scheduler, end to end (a real agent over HTTP and
 * the real CLI): a group the node cannot take (constraints, drivers, host
 * volumes, distinct_hosts, CPU/memory, ports) is registered but left
 * unplaced, its evaluation naming the reason as Nomad's does, a blocked
 * evaluation waits, and the allocation is placed as soon as room frees up,
 * across an agent restart too.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { purgeAndStop, RAW_EXEC_CONFIG, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import type { ApiClient } from '../api/client.js';
import type { ApiEvaluation } from '../model/nomad-api/index.js';
import { eventually } from '../model/testing/eventually.js';
import { drover } from './cli-testing.js';

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents);
});

const job = (id: string, jobLevel: string, groupLevel = '', taskLevel = '', driver = 'mock_driver'): string => `job "${id}" {
${jobLevel}
  group "g" {
${groupLevel}
    task "t" {
      driver = "${driver}"
${taskLevel}
      config {
${driver === 'raw_exec' ? '        command = "/bin/sleep"\n        args = ["3600"]' : '        run_for = "1h"'}
      }
    }
  }
}
`;

const constraint = (attribute: string, operator: string, value: string): string =>
  `  constraint {\n    attribute = "${attribute}"\n    operator  = "${operator}"\n    value     = "${value}"\n  }`;

/** The job's latest evaluation, once written. */
async function latestEval(client: ApiClient, jobId: string): Promise<ApiEvaluation> {
  const [e] = await client.evaluations.ofJob(jobId);
  assert.ok(e, `${jobId} has an evaluation`);
  return e;
}

/** The job's register evaluation and its blocked follow-up, asserting the failure names `key` under `field`. */
async function unplaced(client: ApiClient, jobId: string, field: 'ConstraintFiltered' | 'DimensionExhausted', key: string): Promise<{ evaluation: ApiEvaluation; blocked: ApiEvaluation }> {
  const evals = await client.evaluations.ofJob(jobId);
  const evaluation = evals.find((e) => e.TriggeredBy === 'job-register');
  assert.ok(evaluation, JSON.stringify(evals));
  assert.equal(evaluation.Status, 'complete');
  const metric = evaluation.FailedTGAllocs?.['g'];
  assert.ok(metric, `${jobId}: a failed placement for group g: ${JSON.stringify(evaluation)}`);
  assert.deepEqual(metric[field], { [key]: 1 }, JSON.stringify(metric));
  const blocked = evals.find((e) => e.ID === evaluation.BlockedEval);
  assert.equal(blocked?.Status, 'blocked');
  assert.equal(blocked?.TriggeredBy, 'queued-allocs');
  assert.equal(blocked?.PreviousEval, evaluation.ID);
  return { evaluation, blocked };
}

test('constraints this node fails leave the group unplaced with Nomad\'s reason; an update it cannot take leaves the old version running', async () => {
  const a = await startAgent({ configHcl: 'client {\n  meta {\n    rack = "r1"\n  }\n}\n' });
  agents.push(a);
  const cases: Array<[string, string, string]> = [
    ['win', job('win', constraint('${attr.kernel.name}', '=', 'windows')), '${attr.kernel.name} = windows'],
    ['rack2', job('rack2', '', constraint('${meta.rack}', '=', 'r2')), '${meta.rack} = r2'],
    ['gpu', job('gpu', '', '', constraint('${attr.gpu.model}', 'is_set', '')), '${attr.gpu.model} is_set '],
    ['future', job('future', constraint('${attr.nomad.version}', 'version', '>= 99.0')), '${attr.nomad.version} version >= 99.0'],
    ['twice', job('twice', constraint('', 'distinct_hosts', 'true'), '    count = 2'), 'distinct_hosts'],
  ];
  for (const [id, hcl, key] of cases) {
    await runHcl(a.client, hcl);
    await unplaced(a.client, id, 'ConstraintFiltered', key);
  }
  // Registered, not placed: pending, queued in the summary; distinct_hosts placed one of two.
  assert.equal((await a.client.jobs.info('win')).Status, 'pending');
  assert.deepEqual(await a.client.jobs.allocations('win'), []);
  assert.equal((await a.client.jobs.summary('win')).Summary['g']?.Queued, 1);
  assert.equal((await a.client.jobs.allocations('twice')).length, 1);
  assert.equal((await a.client.jobs.summary('twice')).Summary['g']?.Queued, 1);

  await runHcl(
    a.client,
    job('fits', constraint('${attr.kernel.name}', '=', 'linux'), constraint('${meta.rack}', 'set_contains_any', 'r0,r1'), constraint('${attr.cpu.numcores}', '>=', '1')),
  );
  await eventually(async () => (await a.client.jobs.allocations('fits'))[0]?.ClientStatus === 'running', { timeoutMs: 20_000, message: 'the fitting job runs' });
  const fitsEval = await latestEval(a.client, 'fits');
  assert.equal(fitsEval.FailedTGAllocs, null);
  const [running] = await a.client.jobs.allocations('fits');
  assert.equal(running?.EvalID, fitsEval.ID, 'the alloc names the evaluation that placed it');
  assert.deepEqual((await a.client.evaluations.allocations(fitsEval.ID)).map((x) => x.ID), [running?.ID]);

  // An update the node cannot take: version 1 is recorded, version 0 keeps running (Nomad backs out the stop).
  await runHcl(a.client, job('fits', constraint('${attr.kernel.name}', '=', 'darwin')));
  await unplaced(a.client, 'fits', 'ConstraintFiltered', '${attr.kernel.name} = darwin');
  assert.equal((await a.client.jobs.info('fits')).Version, 1);
  const after = await a.client.jobs.allocations('fits');
  assert.deepEqual(after.map((x) => [x.ID, x.ClientStatus, x.DesiredStatus, x.JobVersion]), [[running?.ID, 'running', 'run', 0]]);

  // `job status` shows Nomad's Placement Failure block; `eval status` the failed placements.
  const status = await drover(['job', 'status', 'win'], { env: { DROVER_ADDR: a.address } });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /\nPlacement Failure\nTask Group "g":\n {2}\* Constraint "\$\{attr\.kernel\.name\} = windows": 1 nodes excluded by filter\n/);
  const { blocked } = await unplaced(a.client, 'win', 'ConstraintFiltered', '${attr.kernel.name} = windows');
  const evalStatus = await drover(['eval', 'status', blocked.ID.slice(0, 8)], { env: { DROVER_ADDR: a.address } });
  assert.equal(evalStatus.code, 0, evalStatus.stderr);
  assert.match(evalStatus.stdout, /Status += blocked\n/);
  assert.match(evalStatus.stdout, /Placement Failures += N\/A - In Progress\n/);
  assert.match(evalStatus.stdout, /\nFailed Placements\nTask Group "g" \(failed to place 1 allocation\):\n {2}\* Constraint "\$\{attr\.kernel\.name\} = windows": 1 nodes excluded by filter/);
  const list = await drover(['eval', 'list', '-job', 'win'], { env: { DROVER_ADDR: a.address } });
  assert.match(list.stdout, /^ID +Priority +Triggered By +Job ID +Namespace +Node ID +Status +Placement Failures\n/);
  assert.match(list.stdout, /queued-allocs +win +default +<none> +blocked +N\/A - In Progress/);
  assert.match(list.stdout, /job-register +win +default +<none> +complete +true/);
});

test('resources: what does not fit in CPU/memory is left unplaced ("Dimension "memory" exhausted") and placed once room frees up, across a restart', async () => {
  // 1000 MiB less 100 reserved: two 400 MiB allocations fit, a third does not.
  const config = `${RAW_EXEC_CONFIG}client {\n  cpu_total_compute = 2000\n  memory_total_mb = 1000\n  reserved {\n    memory = 100\n  }\n}\n`;
  let a = await startAgent({ configHcl: config });
  agents.push(a);
  const res = (memory: number, cpu = 100) => `      resources {\n        cpu    = ${cpu}\n        memory = ${memory}\n      }`;
  await runHcl(a.client, job('first', '', '    count = 2', res(400), 'raw_exec'));
  await eventually(async () => (await a.client.jobs.allocations('first')).filter((x) => x.ClientStatus === 'running').length === 2, {
    timeoutMs: 20_000,
    message: 'both allocations of first run',
  });

  // `drover job run` of what does not fit: Nomad's monitor lines and exit code 2.
  const { writeFileSync } = await import('node:fs');
  const file = `${a.dataDir}/second.hcl`;
  writeFileSync(file, job('second', '', '', res(400), 'raw_exec'));
  const run = await drover(['job', 'run', file], { env: { DROVER_ADDR: a.address } });
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stdout, /finished with status "complete" but failed to place all allocations:\n.*Task Group "g" \(failed to place 1 allocation\):\n {6}\* Resources exhausted on 1 nodes\n {6}\* Dimension "memory" exhausted on 1 nodes\n.*Evaluation "[0-9a-f]{8}" waiting for additional capacity to place remainder/);
  await unplaced(a.client, 'second', 'DimensionExhausted', 'memory');
  // CPU is the first dimension checked: 2,000 MHz less 200 in use cannot take 1,900.
  await runHcl(a.client, job('hungry', '', '', res(10, 1900), 'raw_exec'));
  await unplaced(a.client, 'hungry', 'DimensionExhausted', 'cpu');
  await a.client.jobs.deregister('hungry', { purge: true });

  // A restart keeps the blocked evaluation; stopping `first` then frees the room and `second` is placed.
  await a.kill('SIGTERM');
  a = await startAgent({ configHcl: config, dataDir: a.dataDir });
  agents.push(a);
  const { blocked } = await unplaced(a.client, 'second', 'DimensionExhausted', 'memory');
  assert.equal((await a.client.evaluations.info(blocked.ID)).Status, 'blocked', 'still blocked after the restart');
  await a.client.jobs.deregister('first');
  await eventually(async () => (await a.client.jobs.allocations('second'))[0]?.ClientStatus === 'running', { timeoutMs: 30_000, message: 'second placed once first stopped' });
  const done = await a.client.evaluations.info(blocked.ID);
  assert.equal(done.Status, 'complete');
  assert.equal(done.FailedTGAllocs, null);
  assert.equal((await a.client.jobs.allocations('second'))[0]?.EvalID, blocked.ID, 'placed by the blocked evaluation');
  assert.equal((await a.client.jobs.summary('second')).Summary['g']?.Queued, 0);

  // The event stream's Evaluation topic saw the blocked evaluation written and then completed.
  const seen: string[] = [];
  const ctrl = new AbortController();
  for await (const batch of a.client.events.stream({ topics: { Evaluation: ['second'] }, index: 0, signal: ctrl.signal })) {
    for (const e of batch.Events) {
      const ev = e.Payload['Evaluation'] as ApiEvaluation;
      if (e.Type === 'EvaluationUpdated' && ev.ID === blocked.ID) seen.push(ev.Status);
    }
    if (seen.includes('complete')) ctrl.abort();
  }
  assert.equal(seen.at(-1), 'complete');

  // system gc removes the finished evaluations of the stopped job with it.
  await eventually(
    async () => {
      await a.client.system.garbageCollect();
      return (await a.client.evaluations.list({ job: 'first' })).length === 0;
    },
    { timeoutMs: 20_000, message: "first's evaluations collected with it" },
  );
});

test('a job for a driver that is not enabled is not placed: "missing drivers"', async () => {
  const a = await startAgent();
  agents.push(a);
  await runHcl(a.client, job('nodriver', '', '', '', 'raw_exec'));
  await unplaced(a.client, 'nodriver', 'ConstraintFiltered', 'missing drivers');
  assert.deepEqual(await a.client.jobs.allocations('nodriver'), []);
});

test('a job for another datacenter is not placed: no node is eligible', async () => {
  const a = await startAgent();
  agents.push(a);
  await runHcl(a.client, job('elsewhere', '  datacenters = ["dc9"]'));
  const e = await latestEval(a.client, 'elsewhere');
  assert.equal(e.FailedTGAllocs?.['g']?.NodesEvaluated, 0);
  const status = await drover(['job', 'status', 'elsewhere'], { env: { DROVER_ADDR: a.address } });
  assert.match(status.stdout, /Task Group "g":\n {2}\* No nodes were eligible for evaluation\n {2}\* No nodes are available in datacenter "dc9"/);
});

test('drover run of a job this node cannot take exits 2 with the reason, running nothing', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/drover-run-win-');
  writeFileSync(`${dir}/win.hcl`, job('win', constraint('${attr.kernel.name}', '=', 'windows'), '    count = 2', '', 'raw_exec'));
  const r = await drover(['run', `${dir}/win.hcl`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /Job "win" cannot be placed on this node:\n {4}Task Group "g" \(failed to place 2 allocations\):\n {6}\* Constraint "\$\{attr\.kernel\.name\} = windows": 1 nodes excluded by filter/);
});

test('driver health gates placement: once mock_driver turns undetected (shutdown_periodic_after), new allocations are not placed', async () => {
  const a = await startAgent({ configHcl: 'plugin "mock_driver" {\n  config {\n    shutdown_periodic_after    = true\n    shutdown_periodic_duration = 1\n  }\n}\n' });
  agents.push(a);
  await eventually(async () => (await a.client.nodes.info('self')).Drivers['mock_driver']?.Detected === false, { timeoutMs: 20_000, message: 'mock_driver undetected' });
  await runHcl(a.client, job('late', ''));
  await unplaced(a.client, 'late', 'ConstraintFiltered', 'missing drivers');
});

test('an alloc stop places only its replacement: the job\'s blocked evaluation keeps waiting and places the rest once room frees up', async () => {
  const a = await startAgent({ configHcl: `${RAW_EXEC_CONFIG}client {\n  memory_total_mb = 700\n}\n` });
  agents.push(a);
  const res = '      resources {\n        memory = 300\n      }';
  const noDeploy = '    update {\n      max_parallel = 0\n    }';
  await runHcl(a.client, job('hog', '', noDeploy, res, 'raw_exec'));
  await eventually(async () => (await a.client.jobs.allocations('hog'))[0]?.ClientStatus === 'running', { timeoutMs: 20_000, message: 'hog runs' });
  await runHcl(a.client, job('two', '', `    count = 2\n${noDeploy}`, res, 'raw_exec'));
  const { blocked } = await unplaced(a.client, 'two', 'DimensionExhausted', 'memory');
  const [only] = await eventually(async () => {
    const x = await a.client.jobs.allocations('two');
    return x.length === 1 && x[0]?.ClientStatus === 'running' ? x : undefined;
  }, { timeoutMs: 20_000, message: 'one of two runs' });
  await a.client.allocations.stop(only!.ID);
  assert.equal((await a.client.evaluations.info(blocked.ID)).Status, 'blocked', 'the alloc stop did not supersede it');
  await a.client.jobs.deregister('hog');
  await eventually(async () => (await a.client.jobs.allocations('two')).filter((x) => x.DesiredStatus === 'run' && x.ClientStatus === 'running').length === 2, {
    timeoutMs: 30_000,
    message: 'both of two run once hog stopped',
  });
});
