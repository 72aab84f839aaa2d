/**
 * Periodic and parameterized jobs as a user drives them: the real binary
 * against a real agent. A dispatch with meta and a payload runs with the file
 * in local/; a "*\/2 * * * * *" periodic job launches, and launches again
 * after an agent restart without relaunching an instant it already launched.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { purgeAndStop, RAW_EXEC_CONFIG, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { drover as run, grab, type DroverOptions } from './cli-testing.js';

const agents: AgentProcess[] = [];
after(() => purgeAndStop(agents));

function cli(agent: AgentProcess) {
  return (args: string[], o: DroverOptions = {}) => run(args, { ...o, env: { DROVER_ADDR: agent.address, ...o.env } });
}

const DISPATCH_JOB = `job "report" {
  type = "batch"
  parameterized {
    payload       = "required"
    meta_required = ["who"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "cp local/in/data.txt local/copy.txt && echo \\"$NOMAD_META_who $NOMAD_JOB_PARENT_ID\\" > local/env.txt"]
      }
      dispatch_payload {
        file = "in/data.txt"
      }
    }
  }
}
`;

test('job dispatch: payload from stdin lands in local/<file>, meta in NOMAD_META_*; the parent lists its children', async () => {
  const agent = await startAgent({ configHcl: RAW_EXEC_CONFIG });
  agents.push(agent);
  const drover = cli(agent);
  const file = join(mkdtempSync(join(tmpdir(), 'drover-dispatch-cli-')), 'report.hcl');
  writeFileSync(file, DISPATCH_JOB);
  let r = await drover(['job', 'run', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Job registration successful/);
  assert.deepEqual(await agent.client.jobs.allocations('report'), [], 'the parent is never placed');

  r = await drover(['job', 'dispatch', 'report', '-'], { input: 'the payload\n' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Dispatch did not provide required meta keys: \[who\]/);

  r = await drover(['job', 'dispatch', '-meta', 'who=alice', '-idempotency-token', 'once', 'report', '-'], { input: 'the payload\n' });
  assert.equal(r.code, 0, r.stderr);
  const child = grab(/Dispatched Job ID\s+=\s+(\S+)/, r.stdout);
  assert.match(child, /^report\/dispatch-\d+-[0-9a-f]{8}$/);
  const again = await drover(['job', 'dispatch', '-meta', 'who=alice', '-idempotency-token', 'once', 'report', '-'], { input: 'the payload\n' });
  assert.equal(grab(/Dispatched Job ID\s+=\s+(\S+)/, again.stdout), child, 'same token, same child');

  const [alloc] = await eventually(async () => {
    const allocs = await agent.client.jobs.allocations(child);
    return allocs.length === 1 && allocs[0]?.ClientStatus === 'complete' ? allocs : undefined;
  }, { timeoutMs: 30_000, message: 'the dispatched child completes' });
  const local = join(agent.dataDir, 'alloc', alloc!.ID, 't', 'local');
  assert.equal(readFileSync(join(local, 'copy.txt'), 'utf8'), 'the payload\n');
  assert.equal(readFileSync(join(local, 'env.txt'), 'utf8'), 'alice report\n');

  assert.deepEqual((await agent.client.jobs.summary('report')).Children, { Pending: 0, Running: 0, Dead: 1 });
  r = await drover(['job', 'status', 'report']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Parameterized\s+=\s+true/);
  assert.match(r.stdout, /Status\s+=\s+running/);
  assert.match(r.stdout, /Dispatched Jobs/);
  assert.match(r.stdout, new RegExp(`${child.replace('/', '\\/')}\\s+dead`));

  r = await drover(['job', 'stop', '-purge', 'report']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => (await agent.client.jobs.list()).length === 0, { timeoutMs: 30_000, message: 'parent and child purged' });
});

const PERIODIC_JOB = `job "tick" {
  type = "batch"
  periodic {
    crons = ["*/2 * * * * *"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
`;

test('periodic */2 seconds: launches on schedule, and again after an agent restart without relaunching an instant', async () => {
  let agent = await startAgent({ configHcl: RAW_EXEC_CONFIG });
  agents.push(agent);
  const dataDir = agent.dataDir;
  const file = join(mkdtempSync(join(tmpdir(), 'drover-periodic-cli-')), 'tick.hcl');
  writeFileSync(file, PERIODIC_JOB);
  let r = await cli(agent)(['job', 'run', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Approximate next launch time: .* from now\)/);
  const children = async (a: AgentProcess) => (await a.client.jobs.list({ prefix: 'tick/' })).filter((j) => j.ParentID === 'tick').map((j) => j.ID);
  const first = await eventually(async () => ((await children(agent)).length > 0 ? children(agent) : undefined), { timeoutMs: 30_000, message: 'a first launch' });
  assert.match(first[0]!, /^tick\/periodic-\d+$/);
  r = await cli(agent)(['job', 'status', 'tick']);
  assert.match(r.stdout, /Next Periodic Launch\s+=\s+\S+ \(\d+s from now\)/);
  assert.match(r.stdout, /Previously Launched Jobs/);

  const before = new Set(await children(agent));
  await agent.kill('SIGTERM');
  agent = await startAgent({ dataDir, configHcl: RAW_EXEC_CONFIG });
  agents.push(agent);
  const later = await eventually(async () => {
    const now = await children(agent);
    return now.some((id) => !before.has(id)) ? now : undefined;
  }, { timeoutMs: 30_000, message: 'a launch after the restart' });
  assert.equal(new Set(later).size, later.length, 'no child listed twice');
  const instants = later.map((id) => Number(id.slice('tick/periodic-'.length)));
  assert.equal(new Set(instants).size, instants.length, 'no instant launched twice');
  r = await cli(agent)(['job', 'periodic', 'force', 'tick']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Force periodic successful/);
});
