/** `drover job scale` and `drover job scaling-events` as a user runs them: the real binary against a real agent. */
import { test, after } from 'node:test';
import { totalmem } from 'node:os';
import assert from 'node:assert/strict';
import { purgeAndStop, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { drover } from './cli-testing.js';

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents);
});

const group = (name: string, count: number, scaling = ''): string => `
  group "${name}" {
    count = ${count}
    ${scaling}
    task "t" {
      driver = "mock_driver"
      kill_timeout = "1s"
      config {
        run_for = "1h"
      }
    }
  }`;
const job = (id: string, groups: string): string => `job "${id}" {${groups}\n}\n`;

async function running(a: AgentProcess, id: string, n: number): Promise<void> {
  await eventually(
    async () => {
      const wanted = (await a.client.jobs.allocations(id)).filter((x) => x.DesiredStatus === 'run');
      return wanted.length === n && wanted.every((x) => x.ClientStatus === 'running');
    },
    { timeoutMs: 20_000, message: `${n} running allocs of ${id}` },
  );
}

test('job scale: the only group may be omitted; the monitor waits for the new allocations; scaling-events lists them newest first', async () => {
  const a = await startAgent();
  agents.push(a);
  const env = { DROVER_ADDR: a.address };
  await runHcl(a.client, job('web', group('web', 1, 'scaling {\n      min = 1\n      max = 3\n    }')));
  await running(a, 'web', 1);

  const none = await drover(['job', 'scaling-events', 'web'], { env });
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, 'No events found\n');

  const up = await drover(['job', 'scale', 'web', '3'], { env });
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /==> .*: Job "web" group "web" scaled \(version 1\)/);
  assert.match(up.stdout, /Job "web" group "web": 3 allocation\(s\), 3 running/);
  await running(a, 'web', 3);

  const down = await drover(['job', 'scale', '-detach', 'we', 'web', '2'], { env });
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /^Job scale successful\nEvaluation ID: [0-9a-f-]{36}\n$/);
  const evalId = down.stdout.trim().split(' ').pop();
  await running(a, 'web', 2);

  const events = await drover(['job', 'scaling-events', 'web'], { env });
  assert.equal(events.code, 0, events.stderr);
  const lines = events.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^Task Group\s+Count\s+PrevCount\s+Date$/);
  assert.match(lines[1] ?? '', /^web\s+2\s+3\s+\d{4}-\d\d-\d\dT/);
  assert.match(lines[2] ?? '', /^web\s+3\s+1\s+\d{4}-\d\d-\d\dT/);
  const verbose = await drover(['job', 'scaling-events', '-verbose', 'web'], { env });
  assert.match(verbose.stdout, /^Task Group\s+Count\s+PrevCount\s+Error\s+Message\s+Eval ID\s+Date\n/);
  assert.ok(verbose.stdout.includes(`false  submitted using the Nomad CLI  ${evalId}`), verbose.stdout);
});

test('job scale refusals: bounds, a group to name, arguments, the check index', async () => {
  const a = await startAgent();
  agents.push(a);
  const env = { DROVER_ADDR: a.address };
  await runHcl(a.client, job('two', group('a', 1, 'scaling {\n      max = 2\n    }') + group('b', 1)));
  await running(a, 'two', 2);

  const over = await drover(['job', 'scale', 'two', 'a', '5'], { env });
  assert.equal(over.code, 1);
  assert.match(over.stderr, /Error submitting scaling request: Unexpected response code: 400 \(group count was greater than scaling policy maximum: 5 > 2\)/);
  const unnamed = await drover(['job', 'scale', 'two', '2'], { env });
  assert.equal(unnamed.code, 1);
  assert.match(unnamed.stderr, /Group name required/);
  const unknown = await drover(['job', 'scale', 'two', 'c', '2'], { env });
  assert.match(unknown.stderr, /Group c not found within job/);
  const args = await drover(['job', 'scale', 'two'], { env });
  assert.equal(args.code, 1);
  assert.match(args.stderr, /Command requires at least two arguments and no more than three/);
  const count = await drover(['job', 'scale', 'two', 'a', 'many'], { env });
  assert.match(count.stderr, /Failed to convert count string to int/);
  const stale = await drover(['job', 'scale', '-check-index', '999999', '-detach', 'two', 'b', '3'], { env });
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /Enforcing job modify index 999999: job exists with conflicting job modify index/);
  const missing = await drover(['job', 'scale', 'nope', '1'], { env });
  assert.match(missing.stderr, /No job\(s\) with prefix or ID "nope" found/);

  const { JobModifyIndex } = await a.client.jobs.info('two');
  const ok = await drover(['job', 'scale', '-check-index', String(JobModifyIndex), '-detach', 'two', 'b', '3'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  await running(a, 'two', 4);
  // Scaling one group leaves the other as it was.
  const info = await a.client.jobs.info('two');
  assert.deepEqual(info.TaskGroups?.map((g) => [g.Name, g.Count]), [['a', 1], ['b', 3]]);
});

test('job scale past what the node can hold: the placed count runs, the rest is reported unplaced with exit 2', async () => {
  const a = await startAgent();
  agents.push(a);
  const env = { DROVER_ADDR: a.address };
  // Each alloc asks for 40% of the node's memory: two fit, a third does not.
  const memory = Math.floor((totalmem() / 1024 / 1024) * 0.4);
  const big = `
  group "big" {
    count = 1
    task "t" {
      driver = "mock_driver"
      kill_timeout = "1s"
      config {
        run_for = "1h"
      }
      resources {
        memory = ${memory}
      }
    }
  }`;
  await runHcl(a.client, job('big', big));
  await running(a, 'big', 1);
  const r = await drover(['job', 'scale', 'big', '3'], { env });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /failed to place all allocations/);
  assert.match(r.stdout, /Task Group "big" \(failed to place 1 allocation\)/);
  await running(a, 'big', 2);
});
