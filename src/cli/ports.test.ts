/**
 * Host-mode ports end to end: a real agent (in this process, so jobs with
 * network blocks can be registered as model objects) serving its HTTP API,
 * raw_exec tasks that listen on their NOMAD_PORT_http, reached from here on
 * the address the API reports; a restart on the same data dir; a static port
 * clash; and `drover alloc status` printing the addresses.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeConfigs, runAgent, type AgentConfig, type RunningAgent } from '../agent/index.js';
import { ApiClient } from '../api/index.js';
import { DEFAULT_LOGS, DEFAULT_RESOURCES, DEFAULT_SERVICE_RESTART, type Job, type Task } from '../model/job.js';
import type { NetworkSpec, PortSpec } from '../model/network.js';
import type { ApiAllocation } from '../model/nomad-api/index.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { drover } from './cli-testing.js';
import { runHcl, startAgent } from '../api/testing.js';
import { writeFileSync } from 'node:fs';

const dataDir = mkdtempSync(join(tmpdir(), 'drover-ports-'));
const MIN = 24_100;
const MAX = 24_399;
const config: AgentConfig = {
  ...mergeConfigs(dataDir, [{ httpPort: 0, plugins: { raw_exec: { enabled: true } }, client: { minDynamicPort: MIN, maxDynamicPort: MAX, reservedPorts: [MIN + 1] } }]),
  dataDir,
};
let running: RunningAgent | undefined;

after(async () => {
  // Tasks and the executor daemon outlive agents by design: stop the jobs, then the daemon.
  const r = running ?? (await runAgent(config, silentLogger));
  for (const j of r.agent.jobs()) r.agent.deregister(j.id, true);
  await eventually(() => r.agent.allocs().length === 0, { timeoutMs: 20_000, message: 'all allocations purged' });
  await r.stop();
  stopExecutors(dataDir);
});

async function start(): Promise<{ agent: RunningAgent; client: ApiClient; address: string }> {
  running = await runAgent(config, silentLogger);
  const address = `http://${running.http.address}`;
  return { agent: running, client: new ApiClient({ address }), address };
}

const port = (label: string, value = 0, to = 0): PortSpec => ({ label, value, to, hostNetwork: 'default' });
const network = (ports: PortSpec[]): NetworkSpec => ({
  mode: 'host',
  hostname: '',
  reservedPorts: ports.filter((p) => p.value > 0),
  dynamicPorts: ports.filter((p) => p.value === 0),
  mbits: 0,
});

/** A node HTTP server answering its alloc id; the port comes through driver config interpolation. */
function server(name: string): Task {
  const script = "require('http').createServer((q, s) => s.end(process.env.NOMAD_ALLOC_ID)).listen(Number(process.argv[1]), process.env.NOMAD_IP_http)";
  return {
    name,
    driver: 'raw_exec',
    config: { command: process.execPath, args: ['-e', script, '${NOMAD_PORT_http}'] },
    env: {},
    meta: {},
    user: '',
    resources: DEFAULT_RESOURCES,
    killTimeoutMs: 2_000,
    killSignal: '',
    restart: { ...DEFAULT_SERVICE_RESTART, attempts: 0 },
    leader: false,
    logs: DEFAULT_LOGS,
    artifacts: [],
    templates: [],
    shutdownDelayMs: 0,
    services: [],
    networks: [],
  };
}

function job(id: string, count: number, ports: PortSpec[]): Job {
  return {
    id,
    name: id,
    type: 'service',
    namespace: 'default',
    region: 'global',
    datacenters: ['dc1'],
    priority: 50,
    meta: {},
    groups: [{ name: 'g', count, meta: {}, restart: DEFAULT_SERVICE_RESTART, shutdownDelayMs: 0, networks: [network(ports)], services: [], tasks: [server('web')] }],
  };
}

async function runningAllocs(client: ApiClient, jobId: string, n: number): Promise<ApiAllocation[]> {
  const stubs = await eventually(
    async () => {
      const all = await client.jobs.allocations(jobId);
      return all.length === n && all.every((a) => a.ClientStatus === 'running') ? all : undefined;
    },
    { timeoutMs: 20_000, message: `${n} running allocations of ${jobId}` },
  );
  return Promise.all(stubs.map((s) => client.allocations.info(s.ID)));
}

/** What the task at `host:port` answers (waiting until it listens). */
async function answer(host: string, p: number): Promise<string> {
  return eventually(
    async () => {
      const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${p}/`);
      return res.ok ? await res.text() : undefined;
    },
    { timeoutMs: 20_000, message: `the task listening on ${host}:${p}` },
  );
}

const httpPort = (a: ApiAllocation) => {
  const p = a.AllocatedResources?.Shared.Ports?.find((x) => x.Label === 'http');
  assert.ok(p, `alloc ${a.ID} has an http port: ${JSON.stringify(a.AllocatedResources)}`);
  return p;
};

test('ports end to end: dynamic ports reach the tasks, differ per allocation, survive a restart; a static clash is refused', async () => {
  let { agent, client, address } = await start();
  await agent.agent.register(job('web', 2, [port('http')]));
  const allocs = await runningAllocs(client, 'web', 2);
  const ports = allocs.map(httpPort);
  assert.notEqual(ports[0]?.Value, ports[1]?.Value, 'two allocations, two ports');
  for (const [i, p] of ports.entries()) {
    assert.ok(p.Value >= MIN && p.Value <= MAX && p.Value !== MIN + 1, `port ${p.Value} in the dynamic range, not reserved`);
    assert.equal(p.HostIP, agent.agent.hostIp);
    assert.equal(p.To, 0, 'no `to`: Nomad shows To = 0');
    const nw = allocs[i]?.AllocatedResources?.Shared.Networks?.[0];
    assert.equal(nw?.Mode, 'host');
    assert.equal(nw?.IP, p.HostIP);
    assert.deepEqual(nw?.DynamicPorts, [{ Label: 'http', Value: p.Value, To: 0, HostNetwork: 'default' }]);
    assert.equal(await answer(p.HostIP, p.Value), allocs[i]?.ID, 'the task behind the port is this allocation');
  }

  // `drover alloc status` prints Nomad's "Allocation Addresses" table.
  const first = allocs[0] as ApiAllocation;
  const firstPort = httpPort(first);
  const status = await drover(['alloc', 'status', first.ID], { env: { DROVER_ADDR: address } });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`\\nAllocation Addresses \\(mode = "host"\\):\\nLabel +Dynamic +Address\\n\\*http +yes +${firstPort.HostIP.replace(/\./g, '\\.')}:${firstPort.Value}\\n`));

  // A static port another allocation holds: registered but unplaced, Nomad's network dimension naming label, port and holder.
  const clash = await agent.agent.register(job('clash', 1, [port('http', firstPort.Value)]));
  const [dimension] = Object.keys(clash.failed?.['g']?.dimensionExhausted ?? {});
  assert.match(dimension ?? '', new RegExp(`^network: reserved port collision http=${firstPort.Value}: port ${firstPort.Value} is held by allocation ${first.ID.slice(0, 8)} \\(web\\.g\\[\\d\\], port "http"\\)$`));
  assert.deepEqual(await client.jobs.allocations('clash'), []);
  assert.equal(await answer(firstPort.HostIP, firstPort.Value), first.ID, 'the holder keeps running');

  // Restart on the same data dir: same ports in the API, the same task processes still answer.
  await agent.stop();
  ({ agent, client, address } = await start());
  const again = await runningAllocs(client, 'web', 2);
  assert.deepEqual(
    again.map((a) => [a.ID, httpPort(a).Value]).sort(),
    allocs.map((a) => [a.ID, httpPort(a).Value]).sort(),
  );
  for (const a of again) {
    assert.equal(await answer(httpPort(a).HostIP, httpPort(a).Value), a.ID);
    assert.equal(a.TaskStates['web']?.Events.filter((e) => e.Type === 'Started').length, 1, 'recovered, not restarted');
  }

  // A reserved port of the client is never placed.
  const reserved = await agent.agent.register(job('reserved', 1, [port('http', MIN + 1)]));
  assert.match(Object.keys(reserved.failed?.['g']?.dimensionExhausted ?? {})[0] ?? '', /^network: reserved port collision http=24101: port 24101 is reserved by the client/);

  // Once the holder is stopped its port is free: the blocked job is placed on it.
  agent.agent.deregister('web', false);
  const [taker] = await runningAllocs(client, 'clash', 1);
  assert.equal(httpPort(taker as ApiAllocation).Value, firstPort.Value);
  assert.equal(await answer(firstPort.HostIP, firstPort.Value), taker?.ID);
});

test('ports from HCL: a network block in a job file gives the task its port; a clashing static port is not placed and `drover job run` says why (exit 2)', async () => {
  const a = await startAgent({
    configHcl: `plugin "raw_exec" {\n  config {\n    enabled = true\n  }\n}\nclient {\n  min_dynamic_port = 24400\n  max_dynamic_port = 24499\n}\n`,
  });
  try {
    const script = "require('http').createServer((q, s) => s.end(process.env.NOMAD_ADDR_http)).listen(Number(process.argv[1]), process.env.NOMAD_IP_http)";
    await runHcl(
      a.client,
      `job "hcl" {
  group "g" {
    network {
      port "http" {}
    }
    task "web" {
      driver = "raw_exec"
      config {
        command = "${process.execPath}"
        args    = ["-e", "${script}", "\${NOMAD_PORT_http}"]
      }
    }
  }
}
`,
    );
    const [alloc] = await runningAllocs(a.client, 'hcl', 1);
    const p = httpPort(alloc as ApiAllocation);
    assert.ok(p.Value >= 24_400 && p.Value <= 24_499, String(p.Value));
    assert.equal(await answer(p.HostIP, p.Value), `${p.HostIP}:${p.Value}`, 'NOMAD_ADDR_http is the address the API reports');

    const file = join(a.dataDir, 'clash.hcl');
    writeFileSync(file, `job "clash" {\n  group "g" {\n    network {\n      port "web" {\n        static = ${p.Value}\n      }\n    }\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "/bin/sleep"\n        args    = ["60"]\n      }\n    }\n  }\n}\n`);
    const run = await drover(['job', 'run', file], { env: { DROVER_ADDR: a.address } });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`\\* Dimension "network: reserved port collision web=${p.Value}: port ${p.Value} is held by allocation ${(alloc as ApiAllocation).ID.slice(0, 8)} \\(hcl\\.g\\[0\\], port \\\\"http\\\\"\\)" exhausted on 1 nodes`),
    );
    assert.equal(await answer(p.HostIP, p.Value), `${p.HostIP}:${p.Value}`, 'the first job keeps running');
  } finally {
    for (const j of await a.client.jobs.list()) await a.client.jobs.deregister(j.ID, { purge: true });
    await eventually(async () => (await a.client.allocations.list()).length === 0, { timeoutMs: 20_000, message: 'all allocations purged' });
    await a.kill('SIGTERM');
    stopExecutors(a.dataDir);
  }
});

function stopExecutors(dir: string): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.includes('executor') && cmd.some((c) => c.includes(dir))) process.kill(Number(pid), 'SIGTERM');
    } catch {
      // Gone meanwhile.
    }
  }
}
