/** API contract tests: a real agent process over real HTTP, through the typed client. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './client.js';
import { eventTypes, mockJob, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually, within } from '../model/testing/eventually.js';

let agent: AgentProcess;
before(async () => {
  agent = await startAgent();
});
after(async () => {
  await agent.kill('SIGKILL');
});

const running = async (jobId: string, n = 1) =>
  eventually(async () => {
    const allocs = await agent.client.jobs.allocations(jobId);
    return allocs.filter((a) => a.ClientStatus === 'running').length === n ? allocs : undefined;
  }, { timeoutMs: 10_000, message: `${n} running alloc(s) of ${jobId}` });

test('jobs: parse HCL → Nomad JSON, register, read back with Nomad field names', async () => {
  const c = agent.client;
  const job = await c.jobs.parse(mockJob('web', 'run_for = "30s"', { count: 2 }));
  assert.equal(job.ID, 'web');
  assert.equal(job.TaskGroups?.[0]?.Count, 2);
  assert.equal(job.TaskGroups?.[0]?.Tasks?.[0]?.KillTimeout, 1_000_000_000, 'durations are nanoseconds');
  const reg = await c.jobs.register(job);
  assert.ok(reg.EvalID && reg.JobModifyIndex > 0);
  const allocs = await running('web', 2);
  assert.deepEqual(allocs.map((a) => a.Name).sort(), ['web.g[0]', 'web.g[1]']);
  const info = await c.jobs.info('web');
  assert.equal(info.Status, 'running');
  assert.equal(info.Version, 0);
  assert.equal(typeof info.SubmitTime, 'number');
  const list = await c.jobs.list();
  assert.equal(list.find((j) => j.ID === 'web')?.JobSummary.Summary['g']?.Running, 2);

  const a = await c.allocations.info(allocs[0]!.ID);
  assert.equal(a.JobID, 'web');
  assert.equal(a.DesiredStatus, 'run');
  assert.equal(a.Job.ID, 'web');
  const ts = a.TaskStates['t']!;
  assert.equal(ts.State, 'running');
  assert.match(ts.StartedAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal(ts.FinishedAt, '0001-01-01T00:00:00Z');
  const started = ts.Events.find((e) => e.Type === 'Started')!;
  assert.equal(started.DisplayMessage, 'Task started by client');
  assert.ok(started.Time > 1e18, 'event time is Unix ns');
  assert.deepEqual(eventTypes(allocs[0]!, 't'), ['Received', 'Task Setup', 'Started']);
  // Short ids work like Nomad's prefix lookups.
  assert.equal((await c.allocations.info(a.ID.slice(0, 8))).ID, a.ID);
});

test('jobs: a finished batch task reports Terminated with its exit code in Details', async () => {
  // No reschedule: a pending follow-up evaluation would keep the job "pending" (Nomad's job status).
  const noReschedule = '    reschedule {\n      attempts  = 0\n      unlimited = false\n    }';
  await runHcl(agent.client, mockJob('batch1', 'run_for = "50ms"\n exit_code = 3', { type: 'batch', extra: 'restart {\n attempts = 0\n mode = "fail"\n}', group: noReschedule }));
  const a = await eventually(async () => (await agent.client.jobs.allocations('batch1')).find((x) => x.ClientStatus === 'failed'), { timeoutMs: 10_000, message: 'failed alloc' });
  const term = a.TaskStates['t']!.Events.find((e) => e.Type === 'Terminated')!;
  assert.equal(term.ExitCode, 3);
  assert.equal(term.Details['exit_code'], '3');
  assert.equal(term.DisplayMessage, 'Exit Code: 3');
  assert.equal(a.TaskStates['t']!.Failed, true);
  assert.equal((await agent.client.jobs.info('batch1')).Status, 'dead');
});

test('logs: plain, framed, origin=end with offset, and follow', async () => {
  const c = agent.client;
  await runHcl(c, mockJob('logs', 'run_for = "30s"\n stdout_string = "line\\n"\n stdout_repeat = 5\n stdout_repeat_duration = "10ms"\n stderr_string = "oops\\n"'));
  const [a] = await running('logs');
  const id = a!.ID;
  const text = async (o: Parameters<typeof c.client.logs>[1]) => {
    const parts: Uint8Array[] = [];
    for await (const chunk of c.client.logs(id, o)) parts.push(chunk);
    return Buffer.concat(parts).toString();
  };
  await eventually(async () => (await text({ task: 't' })) === 'line\n'.repeat(6), { timeoutMs: 15_000, message: 'six lines' });
  assert.equal(await text({ task: 't' }), 'line\n'.repeat(6));
  assert.equal(await text({ task: 't', type: 'stderr' }), 'oops\n');
  assert.equal(await text({ task: 't', origin: 'end', offset: 5 }), 'line\n');
  const frames = [];
  for await (const f of c.client.logFrames(id, { task: 't' })) frames.push(f);
  assert.equal(frames[0]?.file, 'alloc/logs/t.stdout.0');
  assert.equal(Buffer.concat(frames.map((f) => f.data)).toString(), 'line\n'.repeat(6));
  // follow: a stream stays open and ends when aborted.
  const ctrl = new AbortController();
  let got = '';
  for await (const chunk of c.client.logs(id, { task: 't', follow: true, signal: ctrl.signal })) {
    got += Buffer.from(chunk).toString();
    if (got.length >= 30) ctrl.abort();
  }
  assert.ok(got.startsWith('line\n'));
});

test('fs: ls, stat, cat and readat inside the alloc dir', async () => {
  const c = agent.client;
  const [a] = await running('logs');
  const root = await c.client.ls(a!.ID, '/');
  assert.deepEqual(root.map((f) => f.Name).sort(), ['alloc', 't']);
  assert.equal(root.find((f) => f.Name === 'alloc')?.IsDir, true);
  assert.match(root.find((f) => f.Name === 'alloc')!.FileMode, /^drwx/);
  const st = await c.client.stat(a!.ID, 'alloc/logs/t.stdout.0');
  assert.equal(st.Size, 30);
  assert.equal(st.ContentType, 'text/plain; charset=utf-8');
  assert.equal((await c.client.cat(a!.ID, '/alloc/logs/t.stderr.0')).toString(), 'oops\n');
  assert.equal((await c.client.readAt(a!.ID, 'alloc/logs/t.stdout.0', 5, 4)).toString(), 'line');
  await assert.rejects(c.client.stat(a!.ID, 'nope.txt'), (e: ApiError) => e.status === 404);
});

test('client: stats, signal and restart of a running alloc', async () => {
  const c = agent.client;
  await runHcl(c, mockJob('ops', 'run_for = "30s"'));
  const [a] = await running('ops');
  const stats = await eventually(async () => {
    const s = await c.client.stats(a!.ID);
    return s.Tasks['t'] ? s : undefined;
  }, { timeoutMs: 15_000, message: 'stats' });
  assert.ok(stats.ResourceUsage.MemoryStats.RSS > 0);
  assert.deepEqual(stats.Tasks['t']!.ResourceUsage.MemoryStats.Measured, ['RSS']);
  await c.client.signal(a!.ID, 'SIGHUP', { task: 't' });
  await c.client.restart(a!.ID);
  const after = await eventually(async () => {
    const x = await c.allocations.info(a!.ID);
    return eventTypes(x, 't').filter((t) => t === 'Started').length === 2 ? x : undefined;
  }, { timeoutMs: 10_000, message: 'restarted task' });
  const types = eventTypes(after, 't');
  assert.ok(types.includes('Signaling'));
  assert.ok(types.includes('Restart Signaled'));
  const signaling = after.TaskStates['t']!.Events.find((e) => e.Type === 'Signaling')!;
  assert.equal(signaling.DisplayMessage, 'Task being sent signal SIGHUP');
  assert.equal(after.TaskStates['t']!.Events.find((e) => e.Type === 'Restart Signaled')!.DisplayMessage, 'User requested task to restart');
  await assert.rejects(c.client.signal(a!.ID, 'SIGHUP', { task: 'nope' }), (e: ApiError) => e.status === 404);
  await assert.rejects(c.client.signal(a!.ID, 'not-a-signal'), (e: ApiError) => e.status === 400 && /Signal/.test(e.body));
});

test('exec: a WebSocket session with Nomad frames (stdin in, stdout out, exit code)', async () => {
  const c = agent.client;
  await runHcl(c, mockJob('exec', 'run_for = "30s"\n exec_command {\n run_for = "10ms"\n stdout_string = "from exec\\n"\n exit_code = 7\n }'));
  const [a] = await running('exec');
  const s = await c.client.exec(a!.ID, { task: 't', command: ['/bin/sh'] });
  let out = '';
  for await (const o of s.output) out += Buffer.from(o.data).toString();
  assert.equal(out, 'from exec\n');
  assert.equal(await s.exitCode, 7);
  // showinput echoes stdin back (Nomad's mock).
  const echo = await c.client.exec(a!.ID, { task: 't', command: ['showinput'], tty: true });
  echo.write('hello');
  echo.closeStdin();
  let echoed = '';
  for await (const o of echo.output) echoed += Buffer.from(o.data).toString();
  assert.equal(echoed, 'TTY: true\nStdin:\nhello\n');
  assert.equal(await echo.exitCode, 0);
  const bad = await c.client.exec(a!.ID, { task: 'nope', command: ['x'] });
  await assert.rejects(bad.exitCode, /1008.*unknown task name/);
});

test('events: NDJSON stream filtered by topic and key', async () => {
  const c = agent.client;
  const ctrl = new AbortController();
  const seen: string[] = [];
  const reading = (async () => {
    for await (const batch of c.events.stream({ topics: { Job: ['evjob'], Allocation: [] }, signal: ctrl.signal })) {
      for (const e of batch.Events) {
        seen.push(`${e.Topic}:${e.Type}:${e.Topic === 'Job' ? e.Key : ''}`);
        assert.ok(e.Index > 0);
        if (e.Topic === 'Allocation') assert.equal((e.Payload['Allocation'] as { JobID: string }).JobID !== undefined, true);
      }
      if (seen.includes('Job:JobRegistered:evjob') && seen.some((s) => s.startsWith('Allocation:'))) ctrl.abort();
    }
  })();
  // No need to wait for the subscription: from index 0 the broker replays what it buffered.
  await runHcl(c, mockJob('evjob', 'run_for = "30s"'));
  await runHcl(c, mockJob('other', 'run_for = "30s"'));
  await within(reading, 10_000, 'the events').catch((e: Error) => {
    throw new Error(`${e.message}; events seen: ${seen.join(', ')}`);
  });
  assert.ok(!seen.includes('Job:JobRegistered:other'), 'key filter keeps other jobs out');
});

test('events: an index past the newest starts at the newest batch, then streams what happens next (Nomad\'s StartAtClosest)', async () => {
  const c = agent.client;
  // Batch jobs (no deployment to publish health later), one settled before the next, so the newest batch is ev-old-2's.
  for (const id of ['ev-old-1', 'ev-old-2']) {
    await runHcl(c, mockJob(id, 'run_for = "60s"', { type: 'batch' }));
    await eventually(async () => (await c.jobs.allocations(id)).some((a) => a.ClientStatus === 'running'), { message: `${id} running` });
  }
  const ctrl = new AbortController();
  const batches: { index: number; jobs: string[] }[] = [];
  const jobOf = (e: { Topic: string; Key: string; Payload: Record<string, unknown> }) => (e.Topic === 'Job' ? e.Key : ((e.Payload['Allocation'] as { JobID?: string } | undefined)?.JobID ?? ''));
  const reading = (async () => {
    for await (const batch of c.events.stream({ topics: { Job: [], Allocation: [] }, index: Number.MAX_SAFE_INTEGER, signal: ctrl.signal })) {
      batches.push({ index: batch.Index, jobs: batch.Events.map(jobOf) });
      if (batch.Events.some((e) => e.Key === 'ev-new')) ctrl.abort();
    }
  })();
  // The stream is open once it has replayed its one batch; then a new job arrives on it.
  await eventually(() => batches.length > 0 || undefined, { message: 'the newest batch' });
  await runHcl(c, mockJob('ev-new', 'run_for = "60s"', { type: 'batch' }));
  await within(reading, 10_000, 'the new job on the stream');
  assert.ok(!batches.some((b) => b.jobs.includes('ev-old-1')), `older batches are not replayed: ${JSON.stringify(batches)}`);
  assert.ok(batches[0]?.jobs.includes('ev-old-2'), `the newest batch comes first: ${JSON.stringify(batches)}`);
  assert.ok(batches.at(-1)?.jobs.includes('ev-new'));
});

test('node, agent self and metrics', async () => {
  const c = agent.client;
  const [stub] = await c.nodes.list();
  assert.ok(stub);
  assert.equal(stub.Status, 'ready');
  const node = await c.nodes.info(stub.ID);
  const mock = node.Drivers['mock_driver']!;
  assert.equal(mock.Detected, true);
  assert.equal(mock.Healthy, true);
  assert.equal(mock.HealthDescription, 'Healthy');
  assert.ok(node.NodeResources.Cpu.TotalCpuCores > 0);
  assert.ok(node.NodeResources.Memory.MemoryMB > 0);
  assert.ok(node.Attributes['kernel.name']);
  assert.ok('unique.cgroup.version' in node.Attributes);
  const self = await c.agent.self();
  assert.equal(self.member.Status, 'alive');
  assert.equal((self.config['ACL'] as { Enabled: boolean }).Enabled, false);
  const m = await c.agent.metrics();
  assert.ok(m.Gauges.some((g) => g.Name === 'nomad.client.allocations.running' && g.Value >= 1));
  const prom = await c.agent.prometheus();
  assert.match(prom, /^# TYPE nomad_client_allocations_running gauge$/m);
  assert.match(prom, /nomad_http_request_total\{method="GET"/);
});

test('stop and purge: DELETE stops allocs; purge removes job and allocs; alloc stop places a replacement', async () => {
  const c = agent.client;
  await runHcl(c, mockJob('gone', 'run_for = "30s"'));
  const [a] = await running('gone');
  const replaced = await c.allocations.stop(a!.ID);
  assert.ok(replaced.EvalID);
  const allocs = await eventually(async () => {
    const all = await c.jobs.allocations('gone');
    return all.length === 2 && all.some((x) => x.ID !== a!.ID && x.ClientStatus === 'running') ? all : undefined;
  }, { timeoutMs: 10_000, message: 'replacement' });
  assert.equal(allocs.find((x) => x.ID === a!.ID)?.DesiredDescription, 'alloc was stopped by user');
  await c.jobs.deregister('gone');
  const stopped = await c.jobs.info('gone');
  assert.equal(stopped.Stop, true);
  await eventually(async () => (await c.jobs.allocations('gone')).every((x) => x.ClientStatus === 'complete'), { timeoutMs: 10_000, message: 'stopped allocs' });
  await c.jobs.deregister('gone', { purge: true });
  await assert.rejects(c.jobs.info('gone'), (e: ApiError) => e.status === 404 && e.body === 'job not found');
  await eventually(async () => (await c.allocations.list()).every((x) => x.JobID !== 'gone'), { timeoutMs: 10_000, message: 'purged allocs' });
});

test('errors: 404 for unknown ids, 400 naming the field, malformed JSON, 413 for oversized bodies', async () => {
  const c = agent.client;
  await assert.rejects(c.jobs.info('nope'), (e: ApiError) => e.status === 404);
  await assert.rejects(c.allocations.info('ffffffff-0000-0000-0000-000000000000'), (e: ApiError) => e.status === 404);
  await assert.rejects(c.client.stats('ffffffff'), (e: ApiError) => e.status === 404);
  await assert.rejects(c.jobs.deregister('nope'), (e: ApiError) => e.status === 404);
  const base = agent.address;
  const put = (body: string) => fetch(`${base}/v1/jobs`, { method: 'PUT', body });
  let r = await put('{"Job": ');
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Failed to parse JSON body/);
  r = await put('{}');
  assert.equal(r.status, 400);
  assert.match(await r.text(), /^Job: /);
  r = await put(JSON.stringify({ Job: { ID: 'x', TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't', Driver: 'mock_driver', Config: { run_for: 'soon' } }] }] } }));
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Job\.TaskGroups\[0\]\.Tasks\[0\]\.Config\.run_for: invalid duration "soon"/);
  r = await put(JSON.stringify({ Job: { ID: 'x', Bogus: 1, TaskGroups: [] } }));
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Job\.Bogus: unknown field "Bogus"/);
  r = await put(JSON.stringify({ Job: { ID: 'x', TaskGroups: [{ Name: 'g', Count: 'two', Tasks: [{ Name: 't', Driver: 'mock_driver' }] }] } }));
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Job\.TaskGroups\[0\]\.Count: expected a number/);
  r = await put('x'.repeat(9 * 1024 * 1024));
  assert.equal(r.status, 413);
  r = await fetch(`${base}/v1/nope`);
  assert.equal(r.status, 404);
});
