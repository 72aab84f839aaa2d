/**
 * max_run_duration end to end (a real agent over HTTP, raw_exec `sleep`
 * processes): the jobs of Nomad's e2e/batch_timeout, written here with the
 * same shape and expectations (alloc complete, not failed, with Nomad's
 * timeout description; no poststop task; sysbatch too), and an agent
 * restart that must neither reset the deadline nor miss it (the stored create
 * time is moved while the agent is down, so no test times the agent).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ApiAllocation } from '../model/nomad-api/index.js';
import { purgeAndStop, RAW_EXEC_CONFIG, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

const REASON = 'allocation exceeded max_run_duration';
const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents);
});

async function agent(dataDir?: string): Promise<AgentProcess> {
  const a = await startAgent({ configHcl: RAW_EXEC_CONFIG, ...(dataDir ? { dataDir } : {}) });
  agents.push(a);
  return a;
}

/** A raw_exec task block; `lifecycle` adds a lifecycle block. */
const task = (name: string, command: string, args: string[], lifecycle = ''): string => `
    task "${name}" {
      driver = "raw_exec"
${lifecycle}
      config {
        command = "${command}"
        args    = ${JSON.stringify(args)}
      }
      resources {
        cpu    = 10
        memory = 10
      }
    }`;

const timeoutJob = (id: string, type: string, maxRunDuration: string, tasks: string): string => `job "${id}" {
  type = "${type}"
  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }
  group "group" {
    max_run_duration = "${maxRunDuration}"
    restart {
      attempts = 3
      mode     = "fail"
    }
${tasks}
  }
}
`;

/** The job's one alloc once it is terminal (complete or failed). */
async function finishedAlloc(a: AgentProcess, job: string): Promise<ApiAllocation> {
  const stub = await eventually(
    async () => {
      const allocs = await a.client.jobs.allocations(job);
      return allocs.length === 1 && allocs[0]?.ClientStatus !== 'running' && allocs[0]?.ClientStatus !== 'pending' && allocs.every((x) => Object.values(x.TaskStates).every((s) => s.State === 'dead')) ? allocs[0] : undefined;
    },
    { timeoutMs: 60_000, message: `the alloc of ${job} finished` },
  );
  return a.client.allocations.info(stub.ID);
}

test('a batch alloc still running at max_run_duration is killed and counts as complete, with Nomad\'s description and event', async () => {
  const a = await agent();
  await runHcl(a.client, timeoutJob('batch-timeout-basic', 'batch', '2s', task('sleep', 'sleep', ['3600'])));
  const alloc = await finishedAlloc(a, 'batch-timeout-basic');
  assert.equal(alloc.ClientStatus, 'complete');
  assert.equal(alloc.ClientDescription, REASON);
  const state = alloc.TaskStates?.['sleep'];
  assert.equal(state?.Failed, false);
  // Killed once, by the deadline: restart { mode = "fail" } never kicked in.
  const killing = state?.Events?.filter((e) => e.Type === 'Killing') ?? [];
  assert.equal(killing.length, 1);
  assert.equal(killing[0]?.DisplayMessage, REASON);
  assert.equal(state?.Events?.some((e) => e.Type === 'Restarting'), false);
  // The deadline counts from the alloc's creation.
  assert.ok((killing[0]?.Time ?? 0) >= alloc.CreateTime + 2e9, 'killed after the deadline');
  const job = await a.client.jobs.info('batch-timeout-basic');
  assert.equal(job.TaskGroups?.[0]?.['MaxRunDuration'], 2e9);
  // Nomad's AllocationEvent marks the stop: Timeout and TimeoutReason next to the Allocation.
  const ctrl = new AbortController();
  let timeout: Record<string, unknown> | undefined;
  for await (const batch of a.client.events.stream({ topics: { Allocation: [alloc.ID] }, index: 1, signal: ctrl.signal })) {
    timeout = batch.Events.map((e) => e.Payload).find((p) => p['Timeout'] === true);
    if (timeout) break;
  }
  ctrl.abort();
  assert.equal(timeout?.['TimeoutReason'], REASON);
});

test('a batch alloc that finishes before max_run_duration completes normally', async () => {
  const a = await agent();
  await runHcl(a.client, timeoutJob('batch-timeout-completes', 'batch', '30s', task('echo', 'echo', ['hello from batch-timeout-completes'])));
  const alloc = await finishedAlloc(a, 'batch-timeout-completes');
  assert.equal(alloc.ClientStatus, 'complete');
  assert.notEqual(alloc.ClientDescription, REASON);
  assert.equal(alloc.ClientDescription, 'All tasks have completed');
});

test('a timed-out alloc never starts its poststop task', async () => {
  const a = await agent();
  const poststop = task('poststop', 'sleep', ['10'], '      lifecycle {\n        hook    = "poststop"\n        sidecar = false\n      }');
  await runHcl(a.client, timeoutJob('batch-timeout-poststop', 'batch', '2s', task('sleep', 'sleep', ['3600']) + poststop));
  const alloc = await finishedAlloc(a, 'batch-timeout-poststop');
  assert.equal(alloc.ClientStatus, 'complete');
  assert.equal(alloc.ClientDescription, REASON);
  const p = alloc.TaskStates?.['poststop'];
  assert.equal(p?.State, 'dead');
  assert.equal(p?.StartedAt, '0001-01-01T00:00:00Z', 'poststop never started');
  assert.equal(p?.Events?.some((e) => e.Type === 'Started'), false);
});

test('max_run_duration stops sysbatch allocs too', async () => {
  const a = await agent();
  await runHcl(a.client, timeoutJob('sysbatch-timeout-basic', 'sysbatch', '2s', task('sleep', 'sleep', ['3600'])));
  const alloc = await finishedAlloc(a, 'sysbatch-timeout-basic');
  assert.equal(alloc.ClientStatus, 'complete');
  assert.equal(alloc.ClientDescription, REASON);
});

/**
 * Moves the stored create time of an alloc while its agent is down. With a long max_run_duration this
 * tells a kept deadline from one reset at the restart without timing the agent: a reset one would be an
 * hour away, and the test would time out instead of passing.
 */
function setCreateTime(dataDir: string, allocId: string, createTimeMs: number): void {
  const db = new Database(join(dataDir, 'state.db'), { fileMustExist: true });
  try {
    db.prepare('UPDATE allocs SET create_time = ? WHERE id = ?').run(createTimeMs, allocId);
  } finally {
    db.close();
  }
}

const HOUR = 3_600_000;

test('the deadline survives an agent restart: counted from the stored create time, enforced at once when it passed while the agent was down', async () => {
  const first = await agent();
  const sh = task('sleep', 'sh', ['-c', 'echo $$ > "$NOMAD_ALLOC_DIR/pid"; exec sleep 3600']);
  await runHcl(first.client, timeoutJob('batch-timeout-restart', 'batch', '1h', sh));
  const stub = await eventually(async () => (await first.client.jobs.allocations('batch-timeout-restart')).find((x) => x.ClientStatus === 'running'), { message: 'alloc running' });
  const pidFile = join(first.dataDir, 'alloc', stub.ID, 'alloc', 'pid');
  const pid = await eventually(() => Number(readFileSync(pidFile, 'utf8').trim()) || undefined, { message: 'task pid written' });
  await first.kill('SIGKILL');
  // The hour passes while no agent runs: the task is left running by design.
  const createTime = Date.now() - 2 * HOUR;
  setCreateTime(first.dataDir, stub.ID, createTime);
  assert.ok(alive(pid), 'the task outlived the agent');

  const second = await agent(first.dataDir);
  const alloc = await finishedAlloc(second, 'batch-timeout-restart');
  assert.equal(alloc.ClientStatus, 'complete');
  assert.equal(alloc.ClientDescription, REASON);
  await eventually(() => !alive(pid), { message: 'task process killed' });
  const killing = alloc.TaskStates?.['sleep']?.Events?.find((e) => e.Type === 'Killing');
  assert.equal(killing?.DisplayMessage, REASON);
  assert.ok(nsToMs(killing?.Time) >= createTime + HOUR);
});

test('a restart before the deadline keeps the stored deadline', async () => {
  const first = await agent();
  await runHcl(first.client, timeoutJob('batch-timeout-early-restart', 'batch', '1h', task('sleep', 'sleep', ['3600'])));
  const stub = await eventually(async () => (await first.client.jobs.allocations('batch-timeout-early-restart')).find((x) => x.ClientStatus === 'running'), { message: 'alloc running' });
  await first.kill('SIGKILL');
  // Due 15 s from now: still ahead when the agent comes back (unless its start is slower than that).
  const createTime = Date.now() - HOUR + 15_000;
  setCreateTime(first.dataDir, stub.ID, createTime);
  const second = await agent(first.dataDir);
  const alloc = await finishedAlloc(second, 'batch-timeout-early-restart');
  assert.equal(alloc.ClientDescription, REASON);
  const killing = alloc.TaskStates?.['sleep']?.Events?.find((e) => e.Type === 'Killing');
  assert.ok(nsToMs(killing?.Time) >= createTime + HOUR, `not before the deadline ${createTime + HOUR}: ${JSON.stringify(alloc.TaskStates?.['sleep']?.Events)}`);
});

/**
 * Event times are unix nanoseconds in a double: at today's ~1.8e18 the spacing is 256 ns, so
 * ns / 1e6 of an event taken in the deadline's own millisecond can read a hair below it.
 */
function nsToMs(ns: number | undefined): number {
  return Math.round((ns ?? 0) / 1e6);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('max_run_duration is refused for a service job over the API', async () => {
  const a = await agent();
  const hcl = timeoutJob('svc', 'service', '5s', task('sleep', 'sleep', ['3600']));
  await assert.rejects(a.client.jobs.parse(hcl), /Job type "service" does not allow max_run_duration/);
});

test('shortening max_run_duration in place moves the running alloc\'s deadline (counted from its creation)', async () => {
  const a = await agent();
  await runHcl(a.client, timeoutJob('batch-timeout-update', 'batch', '1h', task('sleep', 'sleep', ['3600'])));
  const stub = await eventually(async () => (await a.client.jobs.allocations('batch-timeout-update')).find((x) => x.ClientStatus === 'running'), { message: 'alloc running' });
  await runHcl(a.client, timeoutJob('batch-timeout-update', 'batch', '3s', task('sleep', 'sleep', ['3600'])));
  const alloc = await finishedAlloc(a, 'batch-timeout-update');
  // Updated in place (Nomad: max_run_duration alone never replaces an alloc), then stopped by the new deadline.
  assert.equal(alloc.ID, stub.ID);
  assert.equal(alloc.JobVersion, 1);
  assert.equal(alloc.ClientStatus, 'complete');
  assert.equal(alloc.ClientDescription, REASON);
  const killing = alloc.TaskStates?.['sleep']?.Events?.find((e) => e.Type === 'Killing');
  assert.ok((killing?.Time ?? 0) >= stub.CreateTime + 3e9);
});
