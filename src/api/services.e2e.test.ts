/**
 * Nomad-provider services and checks end to end: a real agent process, a job
 * in HCL with group and task services, http/tcp/script checks against a real
 * task, check_restart restarting the task through its restart policy with
 * Nomad's event, registrations kept across an agent restart and gone after a
 * stop, and the stop ending the alloc with its task's process gone (the stop
 * lands while the new agent is starting the task again).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../model/testing/eventually.js';
import type { ApiAllocation } from '../model/nomad-api/index.js';
import { RAW_EXEC_CONFIG, purgeAndStop, runHcl, startAgent, type AgentProcess } from './testing.js';

const CONFIG = RAW_EXEC_CONFIG;
const agents: AgentProcess[] = [];

after(() => purgeAndStop(agents));

/** 200 on every path but /bad (500); the port is NOMAD_PORT_http; each start writes its pid to local/pid. */
const SERVER =
  "require('fs').writeFileSync(process.env.NOMAD_TASK_DIR + '/pid', String(process.pid)); require('http').createServer((q, s) => { s.statusCode = q.url === '/bad' ? 500 : 200; s.end(q.url); }).listen(Number(process.env.NOMAD_PORT_http))";

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

const JOB = `job "svc" {
  group "web" {
    network {
      port "http" {}
    }
    restart {
      attempts = 10
      interval = "10m"
      delay    = "1s"
      mode     = "delay"
    }
    service {
      name = "web-\${NOMAD_ALLOC_INDEX}"
      port = "http"
      tags = ["v1", "\${NOMAD_JOB_NAME}"]
      check {
        name     = "root"
        type     = "http"
        path     = "/"
        interval = "1s"
        timeout  = "1s"
      }
      check {
        name     = "listening"
        type     = "tcp"
        interval = "1s"
        timeout  = "1s"
      }
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = ${JSON.stringify(process.execPath)}
        args    = ["-e", ${JSON.stringify(SERVER)}]
      }
      service {
        name = "flaky"
        port = "http"
        check {
          name     = "bad"
          type     = "http"
          path     = "/bad"
          interval = "1s"
          timeout  = "1s"
          check_restart {
            limit = 2
            grace = "1s"
          }
        }
        check {
          name     = "script"
          type     = "script"
          command  = "/bin/sh"
          args     = ["-c", "echo fine"]
          interval = "1s"
          timeout  = "2s"
        }
      }
    }
  }
}
`;

async function theAlloc(agent: AgentProcess): Promise<ApiAllocation> {
  const stub = await eventually(
    async () => (await agent.client.jobs.allocations('svc')).find((a) => a.DesiredStatus === 'run' && a.ClientStatus === 'running'),
    { timeoutMs: 30_000, message: 'a running allocation of svc' },
  );
  return agent.client.allocations.info(stub.ID);
}

test('services: registered with the allocated port, checked, check_restart restarts the task, kept across an agent restart, gone after a stop', async () => {
  let agent = await startAgent({ configHcl: CONFIG });
  agents.push(agent);
  await runHcl(agent.client, JOB);
  const alloc = await theAlloc(agent);
  const port = alloc.AllocatedResources?.Shared.Ports?.find((p) => p.Label === 'http');
  assert.ok(port);

  const regs = await eventually(async () => {
    const r = await agent.client.services.get('web-0');
    return r.length === 1 ? r : undefined;
  }, { timeoutMs: 20_000, message: 'web-0 registered' });
  assert.equal(regs[0]?.Port, port.Value);
  assert.equal(regs[0]?.Address, port.HostIP);
  assert.deepEqual(regs[0]?.Tags, ['v1', 'svc']);
  assert.equal(regs[0]?.AllocID, alloc.ID);
  assert.deepEqual((await agent.client.services.list()).flatMap((n) => n.Services.map((s) => s.ServiceName)).sort(), ['flaky', 'web-0']);

  // The group checks pass; the script check runs in the task.
  await eventually(
    async () => {
      const byName = new Map(Object.values(await agent.client.client.checks(alloc.ID)).map((c) => [c.Check, c]));
      return ['root', 'listening', 'script'].every((n) => byName.get(n)?.Status === 'success') ? byName : undefined;
    },
    { timeoutMs: 20_000, message: 'root, listening and script checks passing' },
  );

  // The task's "bad" check fails twice in a row after the grace: the task is restarted, as Nomad says it.
  const restarted = await eventually(
    async () => {
      const a = await agent.client.allocations.info(alloc.ID);
      const events = a.TaskStates['server']?.Events ?? [];
      return events.some((e) => e.Type === 'Restarting') ? events : undefined;
    },
    { timeoutMs: 30_000, message: 'a restart signalled by the failing check' },
  );
  const signalled = restarted.find((e) => e.Type === 'Restart Signaled');
  assert.ok(signalled, restarted.map((e) => e.Type).join(', '));
  assert.equal(signalled.DisplayMessage, 'healthcheck: check "bad" unhealthy');

  // A new agent on the same data dir keeps the registrations (and the task).
  await agent.kill('SIGTERM');
  agent = await startAgent({ configHcl: CONFIG, dataDir: agent.dataDir });
  agents.push(agent);
  assert.equal((await agent.client.services.get('web-0'))[0]?.Port, port.Value);

  await agent.client.jobs.deregister('svc');
  await eventually(async () => (await agent.client.services.list()).length === 0, { timeoutMs: 30_000, message: 'services deregistered after the stop' });

  // The stop usually lands while the new agent is starting the task again: that start must be
  // killed too, so the alloc ends and no task process is left behind.
  const final = agent;
  const stopped = await eventually(
    async () => {
      const a = await final.client.allocations.info(alloc.ID);
      return a.ClientStatus === 'complete' ? a : undefined;
    },
    { timeoutMs: 30_000, message: 'the stopped allocation complete' },
  );
  const server = stopped.TaskStates['server'];
  assert.equal(server?.State, 'dead', (server?.Events ?? []).map((e) => e.Type).join(', '));
  assert.ok(server.Events.some((e) => e.Type === 'Killing'));
  const pid = Number(readFileSync(join(final.dataDir, 'alloc', alloc.ID, 'server', 'local', 'pid'), 'utf8'));
  assert.ok(pid > 0);
  assert.equal(alive(pid), false, `the task's last process (pid ${pid}) is gone`);
});
