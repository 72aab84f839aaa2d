/**
 * Rescheduling end to end: a real agent, raw_exec tasks that fail, the real
 * CLI. A failed allocation is replaced after its policy's delay (links,
 * tracker, Nomad's descriptions), the plan survives an agent crash, and
 * Nomad's e2e/rescheduling jobs without deployments behave as
 * rescheduling_test.go expects on one node.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAW_EXEC_CONFIG, purgeAndStop, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import type { ApiAllocation, ApiAllocationListStub } from '../model/nomad-api/index.js';
import { eventually } from '../model/testing/eventually.js';
import { drover } from './cli-testing.js';
import { noreschedulingService, noreschedulingSystem, reschedulingDefault, reschedulingFail, reschedulingSuccess } from './testdata/rescheduling-jobs.js';

const agents: AgentProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'drover-reschedule-'));
after(async () => {
  await purgeAndStop(agents);
  rmSync(dir, { recursive: true, force: true });
});

async function agent(dataDir?: string): Promise<AgentProcess> {
  const a = await startAgent({ configHcl: RAW_EXEC_CONFIG, ...(dataDir ? { dataDir } : {}) });
  agents.push(a);
  return a;
}

const S_NS = 1e9;
/** Times cross the API as RFC 3339 text, each truncated to the ms: compared to within two. */
const MS_NS = 1e6;

/** A job whose one task fails at once; `reschedule` is the group's reschedule block body. */
const failing = (id: string, type: string, reschedule: string): string => `job "${id}" {
  type = "${type}"
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
${reschedule}
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "sh"
        args    = ["-c", "exit 1"]
      }
    }
  }
}
`;

async function allocsWhen(a: AgentProcess, job: string, ok: (allocs: ApiAllocationListStub[]) => boolean, timeoutMs = 30_000): Promise<ApiAllocationListStub[]> {
  return eventually(
    async () => {
      const allocs = await a.client.jobs.allocations(job);
      return ok(allocs) ? allocs : undefined;
    },
    { timeoutMs, message: `allocs of ${job}` },
  );
}

const statuses = (allocs: readonly ApiAllocationListStub[]): string[] => allocs.map((x) => x.ClientStatus).sort();
const finishedNs = (a: Pick<ApiAllocationListStub, 'TaskStates'>): number => Math.max(...Object.values(a.TaskStates).map((s) => Date.parse(s.FinishedAt ?? '') * 1e6));

async function followup(a: AgentProcess, evalId: string): Promise<{ Status: string; WaitUntil: string; TriggeredBy: string }> {
  return (await a.client.request<{ Status: string; WaitUntil: string; TriggeredBy: string }>('GET', `/v1/evaluation/${evalId}`)).data;
}

async function allocStatus(a: AgentProcess, id: string): Promise<string> {
  const r = await drover(['alloc', 'status', '-address', a.address, id]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('a failed batch alloc is replaced once after the delay, linked, with its tracker; the replacement is not', async () => {
  const a = await agent();
  await runHcl(a.client, failing('once', 'batch', '      delay = "5s"'));
  const [first] = await allocsWhen(a, 'once', (x) => x.length === 1 && x[0]?.FollowupEvalID !== '');
  assert.ok(first);
  const ev = await followup(a, first.FollowupEvalID);
  assert.equal(ev.TriggeredBy, 'alloc-reschedule');
  // Batch default: attempts 1 in 24h, constant; the block set the delay.
  assert.ok(Math.abs(Date.parse(ev.WaitUntil) * 1e6 - (finishedNs(first) + 5 * S_NS)) < 2 * MS_NS, 'WaitUntil: the failure + 5s');
  // While it waits: each command that returned before WaitUntil read the follow-up before it too.
  const waitUntilMs = Date.parse(ev.WaitUntil);
  // Nomad's job status stays "pending" while an evaluation (the follow-up) is still to run.
  const jobInfo = await a.client.jobs.info('once');
  if (Date.now() < waitUntilMs) assert.equal(jobInfo.Status, 'pending');
  const alloc = await allocStatus(a, first.ID);
  if (Date.now() < waitUntilMs) assert.match(alloc, /Reschedule Eligibility\s+= \d+s from now/);
  const status = await drover(['job', 'status', '-verbose', '-address', a.address, 'once']);
  if (Date.now() < waitUntilMs) {
    assert.match(status.stdout, new RegExp(`Future Rescheduling Attempts\\nTask Group +Reschedule Policy +Eval ID +Eval Time\\ng +1 in 24h0m0s with constant delay, max_delay = 0s +${first.FollowupEvalID} +\\d+s from now`));
  }

  const both = await allocsWhen(a, 'once', (x) => x.length === 2 && x.every((y) => y.ClientStatus === 'failed'));
  const next = both.find((x) => x.ID !== first.ID) as ApiAllocationListStub;
  const old = await a.client.allocations.info(first.ID);
  const repl: ApiAllocation = await a.client.allocations.info(next.ID);
  assert.equal(old.DesiredStatus, 'stop');
  assert.equal(old.DesiredDescription, 'alloc was rescheduled because it failed');
  assert.equal(old.NextAllocation, repl.ID);
  assert.equal(repl.PreviousAllocation, old.ID);
  assert.equal(repl.Name, old.Name);
  assert.ok(repl.CreateTime >= Date.parse(ev.WaitUntil) * 1e6, 'placed no earlier than planned');
  assert.equal(repl.RescheduleTracker?.Events.length, 1);
  const e = repl.RescheduleTracker?.Events[0];
  assert.equal(e?.PrevAllocID, old.ID);
  assert.equal(e?.PrevNodeID, old.NodeID);
  assert.equal(e?.Delay, 5 * S_NS);
  assert.equal((await followup(a, first.FollowupEvalID)).Status, 'complete');

  // One attempt in 24h, used: the replacement stays failed and wanted, with no follow-up.
  assert.equal(repl.FollowupEvalID, '');
  assert.equal(repl.DesiredStatus, 'run');
  const out = await allocStatus(a, repl.ID);
  assert.match(out, /Reschedule Attempts\s+= 1\/1/);
  assert.doesNotMatch(out, /Reschedule Eligibility/);
  assert.match(await allocStatus(a, old.ID), new RegExp(`Replacement Alloc ID\\s+= ${repl.ID.slice(0, 8)}`));
});

test('an agent crash between the failure and the reschedule: the replacement is placed at the planned moment after the restart', async () => {
  const a = await agent();
  await runHcl(a.client, failing('crash', 'service', '      delay = "5s"\n      delay_function = "constant"\n      unlimited = true'));
  const [first] = await allocsWhen(a, 'crash', (x) => x.length === 1 && x[0]?.FollowupEvalID !== '');
  assert.ok(first);
  const planned = Date.parse((await followup(a, first.FollowupEvalID)).WaitUntil);
  await a.kill('SIGKILL');
  const b = await agent(a.dataDir);
  const allocs = await allocsWhen(b, 'crash', (x) => x.length >= 2);
  const repl = allocs.find((x) => x.ID !== first.ID) as ApiAllocationListStub;
  const full = await b.client.allocations.info(repl.ID);
  assert.equal(full.PreviousAllocation, first.ID);
  assert.ok(full.CreateTime >= planned * 1e6, `placed at ${full.CreateTime / 1e6}, planned ${planned}`);
  assert.equal(full.RescheduleTracker?.Events[0]?.PrevAllocID, first.ID);
  assert.equal((await b.client.allocations.info(first.ID)).NextAllocation, repl.ID);
  await b.client.jobs.deregister('crash', { purge: true });
});

test('a stopped job is not rescheduled: the plan is dropped when its moment comes', async () => {
  const a = await agent();
  await runHcl(a.client, failing('stopped', 'batch', '      delay = "5s"'));
  const [first] = await allocsWhen(a, 'stopped', (x) => x.length === 1 && x[0]?.FollowupEvalID !== '');
  assert.ok(first);
  await a.client.jobs.deregister('stopped');
  await eventually(async () => (await followup(a, first.FollowupEvalID)).Status === 'complete', { timeoutMs: 30_000, message: 'follow-up done' });
  assert.deepEqual((await a.client.jobs.allocations('stopped')).map((x) => x.ID), [first.ID]);
});

/** Nomad's e2e/rescheduling, on one node, through the CLI as e2eutil.Register does. */
describe("Nomad's e2e rescheduling jobs", { concurrency: true }, () => {
  let shared: Promise<AgentProcess> | undefined;
  const node = (): Promise<AgentProcess> => (shared ??= agent());
  const register = async (a: AgentProcess, id: string, hcl: string): Promise<void> => {
    const file = join(dir, `${id}.nomad`);
    writeFileSync(file, hcl.replace(/^job "[^"]+"/m, `job "${id}"`));
    const r = await drover(['job', 'run', '-detach', '-address', a.address, file]);
    assert.equal(r.code, 0, r.stderr);
  };

  test('TestRescheduling_Service_NoReschedule: 3 failed allocs, none rescheduled', async () => {
    const a = await node();
    await register(a, 'no-resched-svc', noreschedulingService);
    const allocs = await allocsWhen(a, 'no-resched-svc', (x) => statuses(x).join() === 'failed,failed,failed' && x.every((y) => y.TaskStates['t1']?.FinishedAt));
    // attempts = 0: no follow-up was planned for any of them.
    for (const x of allocs) assert.equal(x.FollowupEvalID, '');
  });

  test('TestRescheduling_System_NoReschedule: only failed allocs', async () => {
    const a = await node();
    await register(a, 'no-resched-sys', noreschedulingSystem);
    const allocs = await allocsWhen(a, 'no-resched-sys', (x) => x.length > 0 && x.every((y) => y.ClientStatus === 'failed'));
    for (const x of allocs) assert.equal(x.FollowupEvalID, '');
  });

  test('TestRescheduling_Default: 3 failed, then 6 failed after the 30s exponential delay', async () => {
    const a = await node();
    await register(a, 'default-resched', reschedulingDefault);
    const three = await allocsWhen(a, 'default-resched', (x) => statuses(x).join() === 'failed,failed,failed' && x.every((y) => y.FollowupEvalID !== ''));
    const six = await allocsWhen(a, 'default-resched', (x) => x.length === 6 && x.every((y) => y.ClientStatus === 'failed' && (three.some((t) => t.ID === y.ID) || y.FollowupEvalID !== '')), 90_000);
    for (const y of six.filter((x) => !three.some((t) => t.ID === x.ID))) {
      const full = await a.client.allocations.info(y.ID);
      const prev = three.find((t) => t.ID === full.PreviousAllocation) as ApiAllocationListStub;
      assert.ok(prev, 'each replacement follows one of the first three');
      assert.ok(full.CreateTime - finishedNs(prev) >= 30 * S_NS - 1e6, 'placed 30s after its predecessor failed');
      assert.equal(full.RescheduleTracker?.Events[0]?.Delay, 30 * S_NS);
      // The next one waits twice as long: no 7th alloc at 35s, as the Go test expects.
      const wait = Date.parse((await followup(a, full.FollowupEvalID)).WaitUntil) * 1e6;
      assert.ok(Math.abs(wait - (finishedNs(y) + 60 * S_NS)) < 2 * MS_NS, 'WaitUntil: the failure + 60s');
    }
  });

  test('TestRescheduling_MaxAttempts: 3 failed, then the updated job runs', async () => {
    const a = await node();
    await register(a, 'resched-fail', reschedulingFail);
    await allocsWhen(a, 'resched-fail', (x) => statuses(x).join() === 'failed,failed,failed');
    await register(a, 'resched-fail', reschedulingFail.replace('"lol 5000"', '"sleep 15000"'));
    await allocsWhen(a, 'resched-fail', (x) => x.some((y) => y.ClientStatus === 'running'));
  });

  test('TestRescheduling_Success: all 3 allocs eventually running', async () => {
    const a = await node();
    await register(a, 'resched-success', reschedulingSuccess);
    await allocsWhen(a, 'resched-success', (x) => x.filter((y) => y.ClientStatus === 'running').length === 3, 120_000);
  });
});
