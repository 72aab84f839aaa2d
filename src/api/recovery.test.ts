/**
 * Crash-recovery tests: SIGKILL the agent process at several points with
 * mock_driver tasks running, start it again on the same data dir, and check
 * that nothing acknowledged was lost, nothing running was restarted or
 * duplicated, events survived and tasks that ended meanwhile report their
 * real exit codes. (A SIGKILL ends mock tasks' in-process "processes" too;
 * mock_driver's recoverTask re-creates them from driver_state with their
 * remaining run time, which is what these tests rely on.)
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { ApiAllocationListStub } from '../model/nomad-api/index.js';
import { eventTypes, mockJob, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

const started: AgentProcess[] = [];
after(async () => {
  await Promise.all(started.map((a) => a.kill('SIGKILL')));
});

async function agentOn(dataDir?: string): Promise<AgentProcess> {
  const a = await startAgent(dataDir ? { dataDir } : {});
  started.push(a);
  return a;
}

/** Driver task ids by alloc/task, read straight from state.db (what recoverTask gets back). */
function taskIds(dataDir: string): Map<string, string> {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT alloc_id, task, json_extract(handle, '$.config.id') AS id FROM local_states WHERE handle IS NOT NULL").all() as Array<{ alloc_id: string; task: string; id: string }>;
    return new Map(rows.map((r) => [`${r.alloc_id}/${r.task}`, r.id]));
  } finally {
    db.close();
  }
}

const allRunning = (a: AgentProcess, job: string, n: number) =>
  eventually(async () => {
    const allocs = await a.client.jobs.allocations(job);
    return allocs.length === n && allocs.every((x) => x.ClientStatus === 'running') ? allocs : undefined;
  }, { timeoutMs: 15_000, message: `${n} running allocs of ${job}` });

const starts = (a: ApiAllocationListStub) => eventTypes(a, 't').filter((t) => t === 'Started').length;

test('recovery: SIGKILL with tasks running → same allocs, same task ids, no restarts, events intact', async () => {
  const a = await agentOn();
  await runHcl(a.client, mockJob('keep', 'run_for = "120s"', { count: 3 }));
  const before = await allRunning(a, 'keep', 3);
  const idsBefore = taskIds(a.dataDir);
  assert.equal(idsBefore.size, 3);
  assert.equal(await a.kill('SIGKILL'), null);

  const b = await agentOn(a.dataDir);
  const after = await allRunning(b, 'keep', 3);
  assert.deepEqual(after.map((x) => x.ID).sort(), before.map((x) => x.ID).sort(), 'same allocations, none added');
  assert.deepEqual(taskIds(b.dataDir), idsBefore, 'same driver task ids: re-attached, not restarted');
  for (const x of after) {
    const prev = before.find((y) => y.ID === x.ID)!;
    assert.equal(starts(x), 1, 'started once');
    assert.equal(x.TaskStates['t']!.Restarts, 0);
    assert.deepEqual(eventTypes(x, 't').slice(0, eventTypes(prev, 't').length), eventTypes(prev, 't'), 'events kept');
    assert.equal(x.TaskStates['t']!.StartedAt, prev.TaskStates['t']!.StartedAt);
  }
});

test('recovery: SIGKILL right after submissions are acknowledged loses none of them', async () => {
  const a = await agentOn();
  const acked: string[] = [];
  const submitting = (async () => {
    for (let i = 0; i < 40; i++) {
      await runHcl(a.client, mockJob(`burst${i}`, 'run_for = "120s"'));
      acked.push(`burst${i}`);
    }
  })().catch(() => undefined);
  await eventually(async () => acked.length >= 5, { timeoutMs: 10_000, message: 'five acknowledged submissions' });
  await a.kill('SIGKILL');
  await submitting;
  const b = await agentOn(a.dataDir);
  const jobs = new Set((await b.client.jobs.list()).map((j) => j.ID));
  for (const id of acked) assert.ok(jobs.has(id), `acknowledged job ${id} survived`);
  const allocs = await b.client.allocations.list();
  for (const id of jobs) {
    const mine = allocs.filter((x) => x.JobID === id);
    assert.equal(mine.length, 1, `${id}: exactly one alloc`);
  }
  await eventually(async () => (await b.client.allocations.list()).every((x) => x.ClientStatus === 'running'), { timeoutMs: 15_000, message: 'all running' });
});

test('recovery: SIGKILL mid-start → the task starts exactly once after the restart', async () => {
  const a = await agentOn();
  await runHcl(a.client, mockJob('midstart', 'run_for = "120s"\n start_block_for = "2s"'));
  await eventually(async () => eventTypes((await a.client.jobs.allocations('midstart'))[0] ?? { TaskStates: {} }, 't').includes('Task Setup'), { timeoutMs: 10_000, message: 'task setup' });
  await a.kill('SIGKILL');
  const b = await agentOn(a.dataDir);
  const [x] = await allRunning(b, 'midstart', 1);
  assert.equal(starts(x!), 1);
  assert.equal(taskIds(b.dataDir).size, 1);
});

test('recovery: SIGKILL mid-stop → the stop completes after the restart, nothing restarts', async () => {
  const a = await agentOn();
  await runHcl(a.client, mockJob('midstop', 'run_for = "120s"\n kill_after = "1500ms"'));
  await allRunning(a, 'midstop', 1);
  await a.client.jobs.deregister('midstop');
  await eventually(async () => eventTypes((await a.client.jobs.allocations('midstop'))[0]!, 't').includes('Killing'), { timeoutMs: 10_000, message: 'Killing' });
  await a.kill('SIGKILL');
  const b = await agentOn(a.dataDir);
  const [x] = await eventually(async () => {
    const all = await b.client.jobs.allocations('midstop');
    return all[0]?.ClientStatus === 'complete' ? all : undefined;
  }, { timeoutMs: 15_000, message: 'stopped alloc' });
  assert.equal(x!.DesiredStatus, 'stop');
  assert.equal(x!.TaskStates['t']!.State, 'dead');
  assert.equal(starts(x!), 1, 'not started again');
  assert.ok(eventTypes(x!, 't').includes('Killed'), eventTypes(x!, 't').join(', '));
  assert.equal((await b.client.jobs.info('midstop')).Status, 'dead');
});

test('recovery: a task that exited while the agent was down is reported with its real exit code', async () => {
  const a = await agentOn();
  await runHcl(a.client, mockJob('exitdown', 'run_for = "800ms"\n exit_code = 4', { type: 'batch', extra: 'restart {\n attempts = 0\n mode = "fail"\n}' }));
  const [running] = await allRunning(a, 'exitdown', 1);
  await a.kill('SIGKILL');
  // mock_driver tasks live in the agent: "exited while down" means run_for ran out before the restart.
  const endsAt = Date.parse(running!.TaskStates['t']!.StartedAt) + 800;
  await eventually(() => Date.now() > endsAt, { message: 'run_for to pass while the agent is down' });
  const b = await agentOn(a.dataDir);
  const x = await eventually(async () => (await b.client.jobs.allocations('exitdown')).find((y) => y.ClientStatus === 'failed'), { timeoutMs: 10_000, message: 'failed alloc' });
  const term = x.TaskStates['t']!.Events.find((e) => e.Type === 'Terminated')!;
  assert.equal(term.ExitCode, 4);
  assert.equal(starts(x), 1);
});

test('recovery: graceful SIGTERM leaves tasks running; the next agent re-attaches', async () => {
  const a = await agentOn();
  await runHcl(a.client, mockJob('graceful', 'run_for = "120s"', { count: 2 }));
  await allRunning(a, 'graceful', 2);
  const ids = taskIds(a.dataDir);
  assert.equal(await a.kill('SIGTERM'), 0);
  assert.match(a.output().stderr, /gracefully shutting down \(tasks keep running\)/);
  const b = await agentOn(a.dataDir);
  const after = await allRunning(b, 'graceful', 2);
  assert.deepEqual(taskIds(b.dataDir), ids);
  assert.ok(after.every((x) => starts(x) === 1));
});

test('recovery: a second agent on the same data dir is refused', async () => {
  const a = await agentOn();
  await assert.rejects(startAgent({ dataDir: a.dataDir }), /another drover agent \(pid \d+\) is using data dir/);
});

const RAW_EXEC = fileURLToPath(new URL('../drivers/raw-exec/driver.js', import.meta.url));

/** Executor-backed task pids by task name, from the driver_state the agent persisted (raw_exec: pid; exec: launched.pid). */
function rawExecPids(dataDir: string): Map<string, number> {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT task, driver_state FROM local_states WHERE driver_state IS NOT NULL').all() as Array<{ task: string; driver_state: Buffer }>;
    const pidOf = (s: { pid?: number; launched?: { pid: number } }): number | undefined => s.pid ?? s.launched?.pid;
    return new Map(rows.map((r) => [r.task, pidOf(JSON.parse(r.driver_state.toString()) as { pid?: number; launched?: { pid: number } })] as const).filter((e): e is [string, number] => e[1] !== undefined));
  } finally {
    db.close();
  }
}

/** Stops executor daemons serving `dataDir` (they outlive agents by design; tests must not leave them). */
function killExecutors(dataDir: string): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.includes('executor') && cmd.includes(dataDir)) process.kill(Number(pid), 'SIGTERM');
    } catch {
      // Gone meanwhile.
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('recovery: raw_exec tasks keep their PIDs across a SIGKILL; one that exited meanwhile reports its exit code', { skip: existsSync(RAW_EXEC) ? false : 'raw_exec driver not built' }, async () => {
  const a = await startAgent({ configHcl: 'plugin "raw_exec" {\n  config {\n    enabled = true\n  }\n}\n' });
  started.push(a);
  // Two groups: a failed task would kill its siblings in the same group (as Nomad does).
  const hcl = `job "rx" {
  group "s" {
    task "sleeper" {
      driver = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sleep"
        args = ["60"]
      }
    }
  }
  group "q" {
    restart {
      attempts = 0
      mode = "fail"
    }
    task "quitter" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args = ["-c", "sleep 1; exit 5"]
      }
    }
  }
}
`;
  try {
    await runHcl(a.client, hcl);
    await eventually(async () => {
      const all = await a.client.jobs.allocations('rx');
      return all.length === 2 && all.every((x) => x.ClientStatus === 'running');
    }, { timeoutMs: 15_000, message: 'raw_exec tasks running' });
    const pids = rawExecPids(a.dataDir);
    const sleeper = pids.get('sleeper') as number;
    assert.ok(sleeper > 0 && alive(sleeper));
    await a.kill('SIGKILL');
    assert.ok(alive(sleeper), 'the task outlives the agent (the executor daemon holds it)');
    const quitter = pids.get('quitter');
    if (quitter !== undefined) await eventually(() => !alive(quitter), { message: 'the quitter to exit while the agent is down' });

    const b = await agentOn(a.dataDir);
    const q = await eventually(async () => (await b.client.jobs.allocations('rx')).find((y) => y.TaskGroup === 'q' && y.ClientStatus === 'failed'), { timeoutMs: 15_000, message: 'quitter reported failed' });
    const term = q.TaskStates['quitter']!.Events.find((e) => e.Type === 'Terminated');
    assert.equal(term?.ExitCode, 5, 'real exit code from the executor');
    assert.equal(eventTypes(q, 'quitter').filter((t) => t === 'Started').length, 1);
    const s = (await b.client.jobs.allocations('rx')).find((y) => y.TaskGroup === 's')!;
    assert.equal(s.TaskStates['sleeper']!.State, 'running');
    assert.equal(rawExecPids(b.dataDir).get('sleeper'), sleeper, 'same pid: re-attached');
    assert.ok(alive(sleeper));
    assert.equal(eventTypes(s, 'sleeper').filter((t) => t === 'Started').length, 1);
    await b.client.jobs.deregister('rx');
    await eventually(async () => (await b.client.jobs.allocations('rx')).every((y) => y.ClientStatus !== 'running'), { timeoutMs: 15_000, message: 'stopped' });
    await eventually(async () => !alive(sleeper), { timeoutMs: 15_000, message: 'sleeper gone' });
    await b.kill('SIGTERM');
  } finally {
    const left = rawExecPids(a.dataDir).get('sleeper');
    if (left && alive(left)) process.kill(left, 'SIGKILL');
    killExecutors(a.dataDir);
  }
});

const EXEC = fileURLToPath(new URL('../drivers/exec/driver.js', import.meta.url));
const canIsolate = process.getuid?.() === 0 ? false : 'exec needs root';

test('recovery: tasks of mock_driver, raw_exec and exec in one alloc survive a SIGKILL of the agent, re-attached, not restarted', { skip: existsSync(EXEC) ? canIsolate : 'exec driver not built' }, async () => {
  const a = await startAgent({ configHcl: 'plugin "raw_exec" {\n  config {\n    enabled = true\n  }\n}\n' });
  started.push(a);
  const hcl = `job "every" {
  group "g" {
    task "mock" {
      driver = "mock_driver"
      config {
        run_for = "1h"
      }
    }
    task "raw" {
      driver = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sleep"
        args = ["60"]
      }
    }
    task "iso" {
      driver = "exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sleep"
        args = ["60"]
      }
    }
  }
}
`;
  try {
    await runHcl(a.client, hcl);
    await eventually(async () => {
      const [al] = await a.client.jobs.allocations('every');
      return al && ['mock', 'raw', 'iso'].every((t) => al.TaskStates[t]?.State === 'running');
    }, { timeoutMs: 20_000, message: 'every task running' });
    const before = rawExecPids(a.dataDir);
    assert.equal(before.size, 2, JSON.stringify([...before]));
    await a.kill('SIGKILL');
    for (const [task, pid] of before) assert.ok(alive(pid), `${task} outlives the agent`);

    const b = await agentOn(a.dataDir);
    const al = await eventually(async () => {
      const [x] = await b.client.jobs.allocations('every');
      return x && ['mock', 'raw', 'iso'].every((t) => x.TaskStates[t]?.State === 'running') ? x : undefined;
    }, { timeoutMs: 20_000, message: 'every task running again' });
    for (const t of ['mock', 'raw', 'iso']) assert.equal(eventTypes(al, t).filter((e) => e === 'Started').length, 1, `${t} started once: ${eventTypes(al, t).join(',')}`);
    assert.deepEqual(rawExecPids(b.dataDir), before, 'same pids: re-attached, not restarted');
    await b.client.jobs.deregister('every');
    await eventually(async () => (await b.client.jobs.allocations('every')).every((y) => y.ClientStatus !== 'running'), { timeoutMs: 20_000, message: 'stopped' });
    for (const [task, pid] of before) await eventually(async () => !alive(pid), { timeoutMs: 15_000, message: `${task} gone` });
    await b.kill('SIGTERM');
  } finally {
    for (const pid of rawExecPids(a.dataDir).values()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    killExecutors(a.dataDir);
  }
});
