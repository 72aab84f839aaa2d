/**
 * Templates as a user drives them: the real binary against a real agent. A
 * raw_exec task renders two templates from Nomad Variables; `drover var put`
 * of one restarts the task (change_mode restart), of the other signals it
 * (change_mode signal, trapped by the task's shell), each with Nomad's event.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventTypes, purgeAndStop, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { drover as run, type DroverOptions } from './cli-testing.js';

// No quiescence, so a put applies at once (Nomad's client default waits 5 s).
const CONFIG = `plugin "raw_exec" {
  config {
    enabled = true
  }
}
client {
  template {
    wait {
      min = "0s"
      max = "0s"
    }
  }
}
`;

const JOB = `job "app" {
  group "web" {
    task "server" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "trap 'cat local/level.env >> local/signals' HUP; cat local/app.conf >> local/starts; while :; do sleep 0.2; done"]
      }
      template {
        data        = <<EOT
{{ with nomadVar "nomad/jobs/app" }}user={{ .user }}{{ end }}
EOT
        destination = "local/app.conf"
        change_mode = "restart"
        splay       = "0s"
      }
      template {
        data          = <<EOT
{{ with nomadVar "nomad/jobs/app/web" }}LEVEL={{ .level }}{{ end }}
EOT
        destination   = "local/level.env"
        change_mode   = "signal"
        change_signal = "SIGHUP"
        splay         = "0s"
      }
    }
  }
}
`;

let agent: AgentProcess;
before(async () => {
  agent = await startAgent({ configHcl: CONFIG });
});
after(async () => {
  await purgeAndStop([agent]);
});

const drover = (args: string[], o: DroverOptions = {}) => run(args, { ...o, env: { DROVER_ADDR: agent.address, ...o.env } });

test('a nomadVar template blocks the start, renders, restarts the task on var put and signals it for a change_mode signal template', async () => {
  const file = join(agent.dataDir, 'job.nomad.hcl');
  writeFileSync(file, JOB);
  let r = await drover(['job', 'run', '-detach', file]);
  assert.equal(r.code, 0, r.stderr);

  const alloc = await eventually(async () => (await agent.client.jobs.allocations('app'))[0], { message: 'alloc placed' });
  const status = async (): Promise<string> => (await drover(['alloc', 'status', alloc.ID])).stdout;
  await eventually(async () => /Template +Missing: nomad\.var\.block\(nomad\/jobs\/app(\/web)?@default\.global\)/.test(await status()), { message: 'the Missing event' });

  r = await drover(['var', 'put', '-out', 'none', 'nomad/jobs/app', 'user=alice']);
  assert.equal(r.code, 0, r.stderr);
  r = await drover(['var', 'put', '-out', 'none', 'nomad/jobs/app/web', 'level=info']);
  assert.equal(r.code, 0, r.stderr);
  const local = join(agent.dataDir, 'alloc', alloc.ID, 'server', 'local');
  const read = (name: string): string => {
    try {
      return readFileSync(join(local, name), 'utf8');
    } catch {
      return '';
    }
  };
  await eventually(() => read('starts') === 'user=alice\n', { message: 'the task started with its rendered config' });

  r = await drover(['var', 'put', '-force', '-out', 'none', 'nomad/jobs/app', 'user=bob']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(() => read('starts') === 'user=alice\nuser=bob\n', { message: 'the task restarted with the new config' });
  assert.match(await status(), /Restart Signaled +Template with change_mode restart re-rendered/);

  r = await drover(['var', 'put', '-force', '-out', 'none', 'nomad/jobs/app/web', 'level=debug']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(() => read('signals') === 'LEVEL=debug\n', { message: 'the task trapped SIGHUP after the re-render' });
  assert.match(await status(), /Signaling +Template re-rendered/);
  // The signal did not restart it.
  assert.equal(read('starts'), 'user=alice\nuser=bob\n');
  const a = await agent.client.allocations.info(alloc.ID);
  assert.equal(eventTypes(a, 'server').filter((t) => t === 'Started').length, 2);
});
