/**
 * Native services and checks end to end through the alloc runner: a real
 * mock_driver task, real HTTP servers, and in-memory stand-ins for the agent's
 * registration handler and check result sink.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { displayMessage } from '../model/task-event.js';
import type { AllocatedNetwork } from '../model/network.js';
import { allocHarness, makeJob, makeTask, mockDriver } from './testing.js';
import { ManualClock, RecordingHandler, RecordingSink, makeCheck, makeService } from './checks/testing.js';

const ALLOC = '5d9b1b2a-0000-4000-8000-000000000001';

/** A real server answering every request with the current `code`. */
async function httpServer() {
  const state = { code: 200, requests: 0 };
  const srv = createServer((_req, res) => {
    state.requests++;
    res.statusCode = state.code;
    res.end(`code ${state.code}`);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return { state, port, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

const network = (port: number): AllocatedNetwork => ({ mode: 'host', hostIp: '127.0.0.1', ports: [{ label: 'http', value: port, to: port, hostIp: '127.0.0.1' }] });

test('services: task services register once the task runs, with interpolated names and the allocated port, and leave when it stops', async () => {
  const srv = await httpServer();
  const handler = new RecordingHandler();
  const sink = new RecordingSink();
  const service = makeService({ name: '${NOMAD_TASK_NAME}-svc', portLabel: 'http', tags: ['v-${NOMAD_ALLOC_INDEX}'], taskName: 'web', checks: [makeCheck({ name: 'alive', intervalMs: 20, timeoutMs: 1_000 })] });
  const consul = makeService({ name: 'elsewhere', provider: 'consul' });
  const job = makeJob([makeTask('web', { run_for: '30s' }, { services: [service, consul] })]);
  const h = allocHarness(job, await mockDriver(), { services: { handler, checks: sink }, network: network(srv.port) });
  const run = h.runner.run();
  await h.waitFor(() => handler.all().length === 1 && sink.statuses('alive').includes('success'));
  assert.deepEqual(handler.all(), [
    {
      id: `_nomad-task-${ALLOC}-web-web-svc-http`,
      serviceName: 'web-svc',
      namespace: 'default',
      nodeId: 'node-1',
      datacenter: 'dc1',
      jobId: 'test',
      allocId: ALLOC,
      tags: ['v-0'],
      address: '127.0.0.1',
      port: srv.port,
    },
  ]);
  assert.ok(h.types('web').includes('Started'), 'registered after the task started');
  const result = sink.results.find((r) => r.status === 'success');
  assert.deepEqual({ ...result, id: undefined, timestamp: undefined }, {
    id: undefined,
    timestamp: undefined,
    mode: 'healthiness',
    status: 'success',
    statusCode: 200,
    output: 'nomad: http ok',
    allocId: ALLOC,
    group: 'test.g[0]',
    task: 'web',
    service: 'web-svc',
    check: 'alive',
  });
  await h.runner.kill();
  await run;
  assert.deepEqual(handler.all(), []);
  assert.deepEqual(handler.calls, ['register web', 'remove web']);
  assert.deepEqual(sink.purged, [ALLOC]);
  // Nothing reported once the checks stopped and the results were purged.
  const count = sink.results.length;
  await srv.close();
  assert.equal(sink.results.length, count);
});

test('services: check_restart restarts the task after `limit` unhealthy results with Nomad\'s event, then registers again', async () => {
  const srv = await httpServer();
  srv.state.code = 500;
  const handler = new RecordingHandler();
  const sink = new RecordingSink();
  const check = makeCheck({ name: 'ready', intervalMs: 20, timeoutMs: 1_000, checkRestart: { limit: 3, graceMs: 0, ignoreWarnings: false } });
  const service = makeService({ name: 'api', portLabel: 'http', taskName: 'web', checks: [check] });
  const task = makeTask('web', { run_for: '30s' }, { services: [service], restart: { attempts: 5, intervalMs: 60_000, delayMs: 10, mode: 'fail' } });
  const h = allocHarness(makeJob([task]), await mockDriver(), { services: { handler, checks: sink }, network: network(srv.port) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('web').includes('Restarting') && h.types('web').filter((t) => t === 'Started').length === 2);
  const signaled = h.first('web', 'Restart Signaled');
  assert.ok(signaled);
  assert.equal(displayMessage(signaled.event), 'healthcheck: check "ready" unhealthy');
  // Exactly `limit` failures were reported before the restart was asked for.
  const before = sink.results.filter((r) => r.timestamp <= signaled.event.time && r.status === 'failure').length;
  assert.equal(before, 3);
  assert.deepEqual(h.types('web').slice(0, 7), ['Received', 'Task Setup', 'Started', 'Restart Signaled', 'Terminated', 'Restarting', 'Started']);
  assert.equal(h.runner.task('web')?.state().restarts, 1);
  // Deregistered for the restart, registered again once it runs.
  await h.waitFor(() => handler.calls.length === 3 && handler.all().length === 1);
  assert.deepEqual(handler.calls, ['register web', 'remove web', 'register web']);
  srv.state.code = 200;
  await h.runner.kill();
  await run;
  await srv.close();
});

test('services: no check_restart during grace', async () => {
  const srv = await httpServer();
  srv.state.code = 500;
  const sink = new RecordingSink();
  const check = makeCheck({ name: 'slow', intervalMs: 10, timeoutMs: 1_000, checkRestart: { limit: 1, graceMs: 3_600_000, ignoreWarnings: false } });
  const task = makeTask('web', { run_for: '30s' }, { services: [makeService({ portLabel: 'http', taskName: 'web', checks: [check] })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { services: { handler: new RecordingHandler(), checks: sink }, network: network(srv.port) });
  const run = h.runner.run();
  await h.waitFor(() => sink.statuses('slow').filter((s) => s === 'failure').length >= 5);
  assert.ok(!h.types('web').includes('Restart Signaled'));
  await h.runner.kill();
  await run;
  await srv.close();
});

test('services: script checks run in the task through the driver: exit 0 passing, 1 warning, else critical', async () => {
  const sink = new RecordingSink();
  const tasks = [0, 1, 2].map((code) =>
    makeTask(`t${code}`, { run_for: '30s', exec_command: { run_for: '1ms', exit_code: code, stdout_string: `exit ${code}` } }, {
      services: [makeService({ name: `s${code}`, taskName: `t${code}`, checks: [makeCheck({ name: `script${code}`, type: 'script', command: '/bin/check', intervalMs: 60_000, timeoutMs: 5_000 })] })],
    }),
  );
  const h = allocHarness(makeJob(tasks), await mockDriver(), { services: { handler: new RecordingHandler(), checks: sink } });
  const run = h.runner.run();
  await h.waitFor(() => [0, 1, 2].every((c) => sink.results.some((r) => r.check === `script${c}` && r.status !== 'pending')));
  const last = (c: number) => sink.results.filter((r) => r.check === `script${c}` && r.status !== 'pending').at(0);
  assert.deepEqual([0, 1, 2].map((c) => [last(c)?.status, last(c)?.output]), [
    ['success', 'exit 0'],
    ['failure', 'exit 1'],
    ['failure', 'exit 2'],
  ]);
  await h.runner.kill();
  await run;
});

test('services: check_restart ignores warnings from a script check when ignore_warnings is set, not otherwise', async () => {
  const sink = new RecordingSink();
  const mk = (name: string, ignoreWarnings: boolean) =>
    makeTask(name, { run_for: '30s', exec_command: { run_for: '1ms', exit_code: 1 } }, {
      restart: { attempts: 5, intervalMs: 60_000, delayMs: 10, mode: 'fail' },
      services: [makeService({ name, taskName: name, checks: [makeCheck({ name: `${name}-check`, type: 'script', command: 'x', intervalMs: 10, checkRestart: { limit: 2, graceMs: 0, ignoreWarnings } })] })],
    });
  const h = allocHarness(makeJob([mk('strict', false), mk('lenient', true)]), await mockDriver(), { services: { handler: new RecordingHandler(), checks: sink } });
  const run = h.runner.run();
  // Both report failures (warning is a "failure" result); only the strict one is restarted.
  await h.waitFor(() => h.types('strict').includes('Restart Signaled') && sink.statuses('lenient-check').filter((s) => s === 'failure').length >= 4);
  assert.ok(!h.types('lenient').includes('Restart Signaled'));
  await h.runner.kill();
  await run;
});

test('services: group services register before tasks start, checks run, and they leave before the tasks are killed', async () => {
  const srv = await httpServer();
  const handler = new RecordingHandler();
  const sink = new RecordingSink();
  const group = makeService({ name: '${NOMAD_JOB_NAME}-${NOMAD_GROUP_NAME}', portLabel: 'http', checks: [makeCheck({ name: 'g-alive', type: 'tcp', intervalMs: 20 })] });
  const job = makeJob([makeTask('web', { run_for: '30s' })], { group: { services: [group] } });
  const h = allocHarness(job, await mockDriver(), { services: { handler, checks: sink }, network: network(srv.port) });
  const run = h.runner.run();
  await h.waitFor(() => sink.statuses('g-alive').includes('success'));
  assert.deepEqual(
    handler.all().map((r) => [r.id, r.serviceName, r.port]),
    [[`_nomad-task-${ALLOC}-group-g-test-g-http`, 'test-g', srv.port]],
  );
  assert.equal(sink.results.find((r) => r.status === 'success')?.output, 'nomad: tcp ok');
  await h.runner.kill();
  await run;
  assert.deepEqual(handler.calls, ['register group-g', 'remove group-g']);
  assert.deepEqual(sink.purged, [ALLOC]);
  await srv.close();
});

test('services: a group service whose port cannot be resolved fails the alloc before any task starts', async () => {
  const job = makeJob([makeTask('web', { run_for: '30s' })], { group: { services: [makeService({ portLabel: 'nope' })] } });
  const h = allocHarness(job, await mockDriver(), { services: { handler: new RecordingHandler(), checks: new RecordingSink() } });
  await h.runner.run();
  const failure = h.first('web', 'Setup Failure');
  assert.ok(failure);
  assert.match(displayMessage(failure.event), /^failed to setup alloc: pre-run hook "group_services" failed: unable to get address for service "web": invalid port "nope": port label not found/);
  assert.ok(!h.types('web').includes('Started'));
  assert.equal(h.runner.clientStatus(), 'failed');
});

test('services: the group shutdown_delay passes between deregistering and killing the tasks', async () => {
  const handler = new RecordingHandler();
  const clock = new ManualClock();
  const job = makeJob([makeTask('web', { run_for: '30s' })], { group: { shutdownDelayMs: 60_000, services: [makeService({ name: 'g' })] } });
  const h = allocHarness(job, await mockDriver(), { services: { handler, checks: new RecordingSink() }, checkClock: clock });
  const run = h.runner.run();
  await h.waitFor(() => h.types('web').includes('Started'));
  const killed = h.runner.kill();
  await h.waitFor(() => handler.calls.includes('remove group-g') && clock.waiting === 1);
  assert.ok(!h.types('web').includes('Killing'), 'tasks wait for the delay');
  clock.advance(60_000);
  await killed;
  await run;
  assert.ok(h.types('web').includes('Killed'));
});
