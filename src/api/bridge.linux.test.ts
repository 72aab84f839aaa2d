/**
 * Bridge networking end to end: a real agent process, jobs in HCL with
 * `network { mode = "bridge" }`, real namespaces, veths, iptables and CNI
 * plugins. Tasks listen on NOMAD_PORT_http inside their namespace and are
 * reached from here through the mapped host port; allocations do not see
 * each other's loopback; nothing is left behind after a stop, also when the
 * agent was SIGKILLed in between.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { eventually } from '../model/testing/eventually.js';
import type { ApiAllocation } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';
import { RAW_EXEC_CONFIG, purgeAndStop, runHcl, startAgent, type AgentProcess } from './testing.js';

const skip =
  process.getuid?.() !== 0
    ? 'needs root (network namespaces, veths, iptables)'
    : !existsSync('/usr/lib/cni/bridge') && !existsSync('/opt/cni/bin/bridge')
      ? 'needs the CNI plugins (Debian containernetworking-plugins; make test installs it)'
      : false;
if (skip) console.log(`# skipping bridge networking tests: ${skip}`);

const CONFIG = RAW_EXEC_CONFIG;
const agents: AgentProcess[] = [];

after(() => purgeAndStop(agents));

/** Answers on NOMAD_PORT_http with its alloc index, its alloc IP and whether 127.0.0.1:9999 (listened on by index 0 only) is reachable. */
const SERVER = [
  "const http = require('http'), net = require('net');",
  "const me = { index: process.env.NOMAD_ALLOC_INDEX, ip: process.env.NOMAD_ALLOC_IP_http, port: process.env.NOMAD_PORT_http };",
  // The probe below resets its connections: ignore that on both ends.
  "if (me.index === '0') net.createServer((s) => { s.on('error', () => {}); s.end('x'); }).listen(9999, '127.0.0.1');",
  'http.createServer((q, s) => {',
  "  const c = net.connect(9999, '127.0.0.1');",
  "  c.on('connect', () => { c.destroy(); s.end(JSON.stringify({ ...me, loopback: true })); });",
  "  c.on('error', () => s.end(JSON.stringify({ ...me, loopback: false })));",
  '}).listen(Number(process.env.NOMAD_PORT_http));',
].join(' ');

const bridgeJob = (id: string): string => `job "${id}" {
  group "web" {
    count = 2
    network {
      mode = "bridge"
      port "http" {
        to = 8080
      }
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = ${JSON.stringify(process.execPath)}
        args    = ["-e", ${JSON.stringify(SERVER)}]
      }
    }
  }
}
`;

interface Answer {
  readonly index: string;
  readonly ip: string;
  readonly port: string;
  readonly loopback: boolean;
}

async function runningAllocs(client: ApiClient, jobId: string, n: number): Promise<ApiAllocation[]> {
  const stubs = await eventually(
    async () => {
      const all = (await client.jobs.allocations(jobId)).filter((a) => a.DesiredStatus === 'run');
      return all.length === n && all.every((a) => a.ClientStatus === 'running') ? all : undefined;
    },
    { timeoutMs: 30_000, message: `${n} running allocations of ${jobId}` },
  );
  return Promise.all(stubs.map((s) => client.allocations.info(s.ID)));
}

/** What the alloc answers on its mapped host port (waiting until it listens). */
async function ask(a: ApiAllocation): Promise<Answer> {
  const p = a.AllocatedResources?.Shared.Ports?.find((x) => x.Label === 'http');
  assert.ok(p, `alloc ${a.ID} has an http port`);
  assert.equal(p.To, 8080);
  return eventually(
    async () => {
      const res = await fetch(`http://${p.HostIP}:${p.Value}/`).catch(() => undefined);
      return res?.ok ? ((await res.json()) as Answer) : undefined;
    },
    { timeoutMs: 20_000, message: `alloc ${a.ID.slice(0, 8)} on ${p.HostIP}:${p.Value}` },
  );
}

/** What the host still has of an allocation's network: its namespace, iptables rules naming it, IPAM leases. */
function leftovers(allocId: string): string[] {
  const out: string[] = [];
  if (existsSync(`/var/run/netns/${allocId}`)) out.push(`namespace /var/run/netns/${allocId}`);
  const rules = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.includes(allocId));
  out.push(...rules.map((r) => `iptables: ${r}`));
  const leases = '/var/lib/cni/networks/nomad';
  if (existsSync(leases)) {
    for (const f of readdirSync(leases)) {
      if (/^\d/.test(f) && readFileSync(`${leases}/${f}`, 'utf8').includes(allocId)) out.push(`lease ${f}`);
    }
  }
  return out;
}

test('bridge mode: tasks reached through mapped host ports, own addresses, private loopback; an agent SIGKILL keeps them; a stop leaves nothing', { skip }, async () => {
  let agent = await startAgent({ configHcl: CONFIG });
  agents.push(agent);
  await runHcl(agent.client, bridgeJob('bridge'));
  const allocs = await runningAllocs(agent.client, 'bridge', 2);
  const ids = allocs.map((a) => a.ID);
  const hostPorts = allocs.map((a) => a.AllocatedResources?.Shared.Ports?.[0]?.Value);
  assert.notEqual(hostPorts[0], hostPorts[1], 'two allocations, two host ports');
  const answers = await Promise.all(allocs.map(ask));
  for (const a of answers) {
    assert.equal(a.port, '8080', 'NOMAD_PORT_http is the port inside the namespace');
    assert.match(a.ip, /^172\.26\.(6[4-9]|7[0-9])\.\d+$/, 'an address on the nomad bridge');
    // Only alloc index 0 listens on its loopback; the other allocation must not see it.
    assert.equal(a.loopback, a.index === '0', `alloc index ${a.index} sees 127.0.0.1:9999: ${a.loopback}`);
  }
  assert.notEqual(answers[0]?.ip, answers[1]?.ip);
  for (const id of ids) assert.ok(existsSync(`/var/run/netns/${id}`), `namespace of ${id}`);

  // The agent dies; the tasks and their networks do not, and a new agent adopts them.
  await agent.kill('SIGKILL');
  for (const a of allocs) assert.equal((await ask(a)).index, answers[allocs.indexOf(a)]?.index);
  agent = await startAgent({ configHcl: CONFIG, dataDir: agent.dataDir });
  agents.push(agent);
  const again = await runningAllocs(agent.client, 'bridge', 2);
  assert.deepEqual(again.map((a) => a.ID).sort(), [...ids].sort());
  for (const a of again) {
    const before = answers[allocs.findIndex((x) => x.ID === a.ID)];
    assert.deepEqual(await ask(a), before, 'same task, same address after the agent restart');
    const events = a.TaskStates['server']?.Events?.map((e) => e.Type) ?? [];
    assert.equal(events.filter((t) => t === 'Started').length, 1, `not restarted: ${events.join(', ')}`);
  }

  await agent.client.jobs.deregister('bridge', { purge: true });
  await eventually(() => ids.every((id) => leftovers(id).length === 0), { timeoutMs: 30_000, message: "nothing left of the allocations' networks" }).catch((err: unknown) => {
    assert.fail(`${String(err)}: ${ids.flatMap(leftovers).join('; ')}`);
  });
});

test('mode none: the task has only a loopback; a driver that cannot join a namespace fails the allocation with a clear message', { skip }, async () => {
  const agent = await startAgent({ configHcl: CONFIG });
  agents.push(agent);
  await runHcl(
    agent.client,
    `job "none" {
  type = "batch"
  group "g" {
    network {
      mode = "none"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "test \\"$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ')\\" = lo"]
      }
    }
  }
}
`,
  );
  const done = await eventually(
    async () => {
      const [a] = await agent.client.jobs.allocations('none');
      return a && (a.ClientStatus === 'complete' || a.ClientStatus === 'failed') ? a : undefined;
    },
    { timeoutMs: 30_000, message: 'the batch task to finish' },
  );
  assert.equal(done.ClientStatus, 'complete', JSON.stringify(done.TaskStates['t']?.Events?.map((e) => e.DisplayMessage)));

  await runHcl(
    agent.client,
    `job "mock" {
  group "g" {
    network {
      mode = "bridge"
    }
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "1m"
      }
    }
  }
}
`,
  );
  const failed = await eventually(
    async () => {
      const [a] = await agent.client.jobs.allocations('mock');
      return a?.ClientStatus === 'failed' ? a : undefined;
    },
    { timeoutMs: 30_000, message: 'the mock_driver allocation to fail' },
  );
  const messages = failed.TaskStates['t']?.Events?.map((e) => e.DisplayMessage) ?? [];
  assert.ok(messages.some((m) => /task t does not support "bridge" networking mode/.test(m)), messages.join(' | '));
});
