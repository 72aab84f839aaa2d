/**
 * ephemeral_disk { sticky } and PreviousAllocation end to end (real agent,
 * raw_exec): a destructive update's replacement waits for the alloc it
 * replaces, sticky or not, and finds the previous alloc's alloc/data and task
 * local/ files, moved (not copied) before its task starts, even when the agent
 * restarts between the update and the move; without sticky it starts empty.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiJob } from '../model/nomad-api/index.js';
import { eventually } from '../model/testing/eventually.js';
import { RAW_EXEC_CONFIG, purgeAndStop, startAgent, type AgentProcess } from './testing.js';

let agent: AgentProcess;
before(async () => {
  agent = await startAgent({ configHcl: RAW_EXEC_CONFIG });
});
after(async () => {
  // Tasks still waiting for their release (they trap the kill signal) are let go, so the purge ends at once.
  const allocs = join(agent.dataDir, 'alloc');
  for (const id of existsSync(allocs) ? readdirSync(allocs) : []) if (existsSync(join(allocs, id, 'alloc'))) writeFileSync(join(allocs, id, 'alloc', 'release'), '');
  await purgeAndStop([agent]);
});

/** The task records what it found (x from alloc/data, y from local/) in local/seen, then writes its generation to both. */
const SCRIPT = [
  'found="x=$(cat "$NOMAD_ALLOC_DIR/data/x" 2>/dev/null) y=$(cat "$NOMAD_TASK_DIR/y" 2>/dev/null)"',
  'echo "$GEN" > "$NOMAD_ALLOC_DIR/data/x"',
  'echo "$GEN" > "$NOMAD_TASK_DIR/y"',
  // Last, and naming the alloc: a seen file moved over from the previous alloc is not this task's.
  'echo "$NOMAD_ALLOC_ID $found" > "$NOMAD_TASK_DIR/seen"',
  'exec sleep 300',
].join('\n');

/** Like SCRIPT, but a stop takes `secs` seconds: the task keeps running that long after its SIGTERM. */
// The trap goes first (a stop arriving right after the seen file is written must already find it), on SIGINT, the kill_signal Nomad sends by default, and SIGTERM.
const slowStop = (secs: number): string => `trap 'sleep ${secs}; exit 0' INT TERM\n${SCRIPT.replace('exec sleep 300', 'sleep 300 &\nwait')}`;

/** Like SCRIPT, but once asked to stop the task waits until the test creates alloc/release in its alloc dir. */
const stopOnRelease = `trap 'until [ -e "$NOMAD_ALLOC_DIR/release" ]; do sleep 0.05; done; exit 0' INT TERM\n${SCRIPT.replace('exec sleep 300', 'sleep 300 &\nwait')}`;

const jobHcl = (id: string, disk: string, script = SCRIPT): string => `job "${id}" {
  group "g" {
${disk}
    task "t" {
      driver       = "raw_exec"
      kill_timeout = "30s"
      env {
        GEN = "1"
      }
      config {
        command = "/bin/sh"
        args    = ["-c", ${JSON.stringify(script)}]
      }
    }
  }
}
`;

const allocDir = (id: string): string => join(agent.dataDir, 'alloc', id);

/** What the running alloc's task found at its start, once it wrote it. */
async function seenByRunning(jobId: string, version: number): Promise<{ id: string; seen: string }> {
  return eventually(
    async () => {
      const a = (await agent.client.jobs.allocations(jobId)).find((x) => x.DesiredStatus === 'run' && x.JobVersion === version && x.ClientStatus === 'running');
      if (!a) return undefined;
      const file = join(allocDir(a.ID), 't', 'local', 'seen');
      const line = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
      return line.startsWith(`${a.ID} `) ? { id: a.ID, seen: line.slice(a.ID.length + 1) } : undefined;
    },
    { timeoutMs: 30_000, message: `${jobId} v${version} running and done looking` },
  );
}

async function updateDestructively(job: ApiJob): Promise<void> {
  job.TaskGroups![0]!.Tasks![0]!.Env = { GEN: '2' };
  const res = await agent.client.jobs.register(job);
  assert.ok(res.JobModifyIndex > 0);
}

test('sticky ephemeral_disk: the replacement gets alloc/data and local/ moved over from the alloc it replaces', async () => {
  const job = await agent.client.jobs.parse(jobHcl('sticky', '    ephemeral_disk {\n      sticky = true\n    }'));
  await agent.client.jobs.register(job);
  const first = await seenByRunning('sticky', 0);
  assert.equal(first.seen, 'x= y=');
  await updateDestructively(job);
  const second = await seenByRunning('sticky', 1);
  assert.notEqual(second.id, first.id);
  assert.equal(second.seen, 'x=1 y=1');
  // Moved, not copied: the previous alloc's dirs are gone, its logs stay.
  assert.equal(existsSync(join(allocDir(first.id), 'alloc', 'data')), false);
  assert.equal(existsSync(join(allocDir(first.id), 't', 'local')), false);
  assert.equal(existsSync(join(allocDir(first.id), 'alloc', 'logs')), true);
  const old = await agent.client.allocations.info(first.id);
  assert.equal(old.ClientStatus, 'complete');
});

test('sticky ephemeral_disk: alloc stop\'s replacement takes the data over too (Nomad sets its PreviousAllocation)', async () => {
  const job = await agent.client.jobs.parse(jobHcl('stopped', '    ephemeral_disk {\n      migrate = true\n    }'));
  await agent.client.jobs.register(job);
  const first = await seenByRunning('stopped', 0);
  await agent.client.allocations.stop(first.id);
  const second = await eventually(
    async () => {
      const next = await seenByRunning('stopped', 0);
      return next.id === first.id ? undefined : next;
    },
    { timeoutMs: 30_000, message: 'replacement running' },
  );
  assert.equal(second.seen, 'x=1 y=1');
});

test('without sticky the replacement starts with empty alloc/data and local/', async () => {
  const job = await agent.client.jobs.parse(jobHcl('plain', '    ephemeral_disk {\n      size = 300\n    }'));
  await agent.client.jobs.register(job);
  const first = await seenByRunning('plain', 0);
  await updateDestructively(job);
  const second = await seenByRunning('plain', 1);
  assert.notEqual(second.id, first.id);
  assert.equal(second.seen, 'x= y=');
  assert.equal(readFileSync(join(allocDir(first.id), 'alloc', 'data', 'x'), 'utf8').trim(), '1');
});

/** Unix ns of the first event of `type` of task t. */
function eventTime(a: { TaskStates: Record<string, { Events: Array<{ Type: string; Time: number }> }> | null }, type: string): number {
  const e = a.TaskStates?.['t']?.Events.find((x) => x.Type === type);
  assert.ok(e, `a ${type} event`);
  return e.Time;
}

test('a replacement starts only once the alloc it replaces has stopped, sticky or not; each names the other', async () => {
  const job = await agent.client.jobs.parse(jobHcl('waits', '', slowStop(1)));
  await agent.client.jobs.register(job);
  const first = await seenByRunning('waits', 0);
  await updateDestructively(job);
  const second = await seenByRunning('waits', 1);
  const [oldAlloc, newAlloc] = await Promise.all([agent.client.allocations.info(first.id), agent.client.allocations.info(second.id)]);
  assert.equal(newAlloc.PreviousAllocation, first.id);
  assert.equal(oldAlloc.NextAllocation, second.id);
  assert.equal(oldAlloc.ClientStatus, 'complete');
  // The old task took a second to stop after its SIGTERM; the new one started after that, not beside it.
  assert.ok(eventTime(newAlloc, 'Started') >= eventTime(oldAlloc, 'Terminated'), 'the replacement started after the old task terminated');
});

test('sticky ephemeral_disk: an agent restart between the update and the move still moves the data (PreviousAllocation is stored)', async () => {
  const job = await agent.client.jobs.parse(jobHcl('restarts', '    ephemeral_disk {\n      sticky = true\n    }', stopOnRelease));
  await agent.client.jobs.register(job);
  const first = await seenByRunning('restarts', 0);
  await updateDestructively(job);
  // The old task is still stopping (until released) when the agent dies; its replacement is waiting for it.
  const replacement = (await agent.client.jobs.allocations('restarts')).find((a) => a.JobVersion === 1);
  assert.ok(replacement, 'the replacement was placed with the update');
  assert.equal((await agent.client.allocations.info(first.id)).ClientStatus, 'running');
  await agent.kill('SIGKILL');
  agent = await startAgent({ dataDir: agent.dataDir, configHcl: RAW_EXEC_CONFIG });
  writeFileSync(join(allocDir(first.id), 'alloc', 'release'), '');
  const second = await seenByRunning('restarts', 1);
  assert.equal(second.id, replacement.ID);
  assert.equal(second.seen, 'x=1 y=1');
});
