/** `drover job …` as a user runs it: the real binary against a real agent. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { drover as run, type DroverOptions } from './cli-testing.js';

let agent: AgentProcess;
const dir = mkdtempSync(join(tmpdir(), 'drover-job-cli-'));
before(async () => {
  agent = await startAgent();
});
after(async () => {
  await agent.kill('SIGKILL');
});

const drover = (args: string[], o: DroverOptions = {}) => run(args, { ...o, env: { DROVER_ADDR: agent.address, ...o.env } });

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const webHcl = `variable "n" {
  type    = number
  default = 2
}
job "web" {
  group "g" {
    count = var.n
    update {
      min_healthy_time = "100ms"
    }
    task "t" {
      driver       = "mock_driver"
      kill_timeout = "1s"
      config {
        run_for = "1h"
      }
    }
  }
}
`;

test('job run: monitors until the allocations run, then prints them; a second run is "unchanged"', async () => {
  const r = await drover(['job', 'run', file('web.hcl', webHcl)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^==> \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d): Job "web" registered \(version 0\)$/m);
  assert.equal(r.stdout.match(/^ {4}\S+: Allocation "[0-9a-f]{8}" created: node "[0-9a-f]{8}", group "g"$/gm)?.length, 2);
  assert.equal(r.stdout.match(/Allocation "[0-9a-f]{8}" status changed: "pending" -> "running" \(Tasks are running\)$/gm)?.length, 2);
  assert.match(r.stdout, /Job "web" version 0: 2 allocation\(s\), 2 running/);
  assert.match(r.stdout, /^==> \S+: Monitoring deployment "[0-9a-f]{8}"$/m);
  assert.match(r.stdout, /^Status {6}= successful\nDescription = Deployment completed successfully\n\nDeployed\nTask Group {2}Desired {2}Placed {2}Healthy {2}Unhealthy {2}Progress Deadline\ng {11}2 {8}2 {7}2 {8}0 {10}\S+$/m);
  assert.match(r.stdout, /^ID {8}Node ID {3}Task Group {2}Version {2}Desired {2}Status {3}Created {2}Modified$/m);
  assert.equal(r.stdout.match(/^[0-9a-f]{8} {2}[0-9a-f]{8} {2}g {11}0 {8}run {6}running {2}/gm)?.length, 2);
  const again = await drover(['job', 'run', join(dir, 'web.hcl')]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Job "web" unchanged \(version 0\)/);
  assert.doesNotMatch(again.stdout, /created/);
});

test('job run -detach: returns at once with the evaluation id; a failing allocation exits 2', async () => {
  const d = await drover(['job', 'run', '-detach', file('detached.hcl', webHcl.replace('"web"', '"detached"'))]);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /^Job registration successful\nEvaluation ID: [0-9a-f-]{36}\n$/);
  await eventually(async () => (await agent.client.jobs.allocations('detached')).length === 2, { timeoutMs: 10_000, message: 'detached allocs' });
  const failing = `job "failing" {
  type = "batch"
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    # No reschedule: a pending reschedule would keep the job "pending" (as Nomad's status does).
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "t" {
      driver = "mock_driver"
      config {
        start_error = "no luck"
      }
    }
  }
}
`;
  const f = await drover(['job', 'run', file('failing.hcl', failing)]);
  assert.equal(f.code, 2, f.stdout + f.stderr);
  assert.match(f.stdout, /status changed: "pending" -> "failed"/);
  assert.match(f.stdout, /Job "failing" version 0: 1 allocation\(s\), 1 failed/);
  const bad = await drover(['job', 'run', file('bad.hcl', 'job "x" {\n  group "g" {\n    task "t" {\n      driver = "mock_drivr"\n    }\n  }\n}\n')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad\.hcl:4: .*unknown driver "mock_drivr"/);
});

test('job status: the list, one job with Summary and Allocations, prefixes and unknown ids', async () => {
  const list = await drover(['job', 'status']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID +Type +Priority +Status +Submit Date$/m);
  assert.match(list.stdout, /^web +service +50 +running +\d{4}-/m);
  assert.match(list.stdout, /^failing +batch +50 +dead +/m);
  const one = await drover(['job', 'status', 'we']);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^ID {12}= web$/m);
  assert.match(one.stdout, /^Status {8}= running$/m);
  assert.match(one.stdout, /^Summary\nTask Group {2}Queued {2}Starting {2}Running {2}Failed {2}Complete {2}Lost {2}Unknown\ng {11}0 {7}0 {9}2 {8}0 {7}0 {9}0 {5}0$/m);
  assert.match(one.stdout, /^Allocations\nID {8}Node ID {3}Task Group/m);
  const json = await drover(['job', 'status', '-json', 'web']);
  const doc = JSON.parse(json.stdout) as Array<{ Job: { ID: string }; Allocations: unknown[] }>;
  assert.equal(doc[0]?.Job.ID, 'web');
  assert.equal(doc[0]?.Allocations.length, 2);
  const none = await drover(['job', 'status', 'nope']);
  assert.equal(none.code, 1);
  assert.equal(none.stderr.trim(), 'No job(s) with prefix or ID "nope" found');
});

test('job inspect: JSON that job run -json takes back unchanged; -json prints the bare job; -t as Go templates (node and alloc status too)', async () => {
  const r = await drover(['job', 'inspect', 'web']);
  assert.equal(r.code, 0, r.stderr);
  const wrapped = JSON.parse(r.stdout) as { Job: { ID: string; Version: number; TaskGroups: Array<{ Count: number }> } };
  assert.equal(wrapped.Job.ID, 'web');
  assert.equal(wrapped.Job.TaskGroups[0]?.Count, 2);
  const back = await drover(['job', 'run', '-json', file('web.json', r.stdout)]);
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, /Job "web" unchanged \(version 0\)/);
  const bare = await drover(['job', 'inspect', '-json', 'web']);
  assert.deepEqual(JSON.parse(bare.stdout), wrapped.Job);
  // Nomad's -t: a Go template over the job, as scripts use it.
  const t = await drover(['job', 'inspect', '-t', '{{.ID}} {{len .TaskGroups}} {{range .TaskGroups}}{{.Name}}={{.Count}}{{end}}', 'web']);
  assert.equal(t.code, 0, t.stderr);
  assert.equal(t.stdout, 'web 1 g=2\n');
  const both = await drover(['job', 'inspect', '-json', '-t', '{{.ID}}', 'web']);
  assert.deepEqual([both.code, both.stderr], [1, 'Both json and template formatting are not allowed\n']);
  const bad = await drover(['job', 'inspect', '-t', '{{.ID', 'web']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^template: format:1: unclosed action/);
  const node = await drover(['node', 'status', '-self', '-t', '{{.Status}} {{index .Drivers "mock_driver" "Healthy"}}']);
  assert.equal(node.code, 0, node.stderr);
  assert.equal(node.stdout, 'ready true\n');
  const allocs = await drover(['alloc', 'status', '-t', '{{range .}}{{if eq .JobID "web"}}{{.TaskGroup}} {{end}}{{end}}']);
  assert.equal(allocs.code, 0, allocs.stderr);
  assert.match(allocs.stdout, /^(g ){2,}\n$/);
});

/** A job setting every api.Job field drover reads, with task logs (10 × 50 MB) that only fit its 1000 MB ephemeral_disk. */
const everyFieldHcl = (artifact: string, sha256: string) => `job "every" {
  name        = "every-name"
  type        = "service"
  region      = "global"
  namespace   = "default"
  datacenters = ["dc1", "dc2"]
  priority    = 70
  meta {
    team = "infra"
  }
  group "g" {
    count          = 1
    shutdown_delay = "2s"
    meta {
      tier = "web"
    }
    restart {
      attempts         = 3
      interval         = "10m"
      delay            = "20s"
      mode             = "delay"
      render_templates = true
    }
    ephemeral_disk {
      size = 1000
    }
    task "main" {
      driver       = "mock_driver"
      user         = "nobody"
      leader       = true
      kill_timeout = "7s"
      kill_signal  = "SIGTERM"
      shutdown_delay = "1500ms"
      env {
        GREETING = "hi \${NOMAD_TASK_NAME}"
      }
      meta {
        role = "server"
      }
      config {
        run_for = "1h"
        stdout_string = "hello"
      }
      resources {
        cpu        = 250
        memory     = 64
        memory_max = 128
      }
      restart {
        attempts = 1
      }
      logs {
        max_files     = 10
        max_file_size = 50
      }
      artifact {
        source      = "${artifact}"
        destination = "local/data.txt"
        mode        = "file"
        options {
          checksum = "sha256:${sha256}"
        }
        headers {
          X-Test = "1"
        }
      }
    }
    task "side" {
      driver = "mock_driver"
      lifecycle {
        hook    = "prestart"
        sidecar = true
      }
      logs {
        disabled = true
      }
      config {
        run_for = "1h"
      }
    }
  }
}
`;

/** Fields the agent sets on a stored job (not part of what was submitted). */
const SERVER_FIELDS = ['Stop', 'Status', 'StatusDescription', 'Stable', 'Version', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex'];

test('job run → job inspect: every api.Job field drover reads comes back unchanged (ephemeral_disk sized for the logs)', async () => {
  const data = file('data.txt', 'data\n');
  const hcl = file('every.hcl', everyFieldHcl(data, createHash('sha256').update('data\n').digest('hex')));
  const sent = await drover(['job', 'run', '-output', hcl]);
  assert.equal(sent.code, 0, sent.stderr);
  const submitted = (JSON.parse(sent.stdout) as { Job: Record<string, unknown> }).Job;
  const r = await drover(['job', 'run', '-detach', hcl]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const inspected = await drover(['job', 'inspect', '-json', 'every']);
  assert.equal(inspected.code, 0, inspected.stderr);
  const stored = JSON.parse(inspected.stdout) as Record<string, unknown>;
  for (const f of SERVER_FIELDS) delete stored[f];
  assert.deepEqual(stored, submitted);
  // The fields really are there, in Nomad's units.
  const group = (submitted['TaskGroups'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
  assert.deepEqual(group['EphemeralDisk'], { SizeMB: 1000, Sticky: false, Migrate: false });
  assert.equal(group['ShutdownDelay'], 2e9);
  assert.deepEqual(group['RestartPolicy'], { Interval: 600e9, Attempts: 3, Delay: 20e9, Mode: 'delay', RenderTemplates: true });
  const [main, side] = group['Tasks'] as Array<Record<string, unknown>>;
  assert.equal(main?.['KillTimeout'], 7e9);
  assert.equal(main?.['ShutdownDelay'], 1.5e9);
  assert.deepEqual(main?.['LogConfig'], { MaxFiles: 10, MaxFileSizeMB: 50, Disabled: false, Enabled: true });
  assert.deepEqual(main?.['Resources'], { CPU: 250, Cores: 0, MemoryMB: 64, MemoryMaxMB: 128 });
  assert.deepEqual(main?.['RestartPolicy'], { Interval: 600e9, Attempts: 1, Delay: 20e9, Mode: 'delay', RenderTemplates: true });
  assert.equal((main?.['Artifacts'] as unknown[]).length, 1);
  assert.deepEqual(side?.['Lifecycle'], { Hook: 'prestart', Sidecar: true });
  // Submitting what inspect printed changes nothing.
  const again = await drover(['job', 'run', '-detach', '-json', file('every.json', inspected.stdout)]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await agent.client.jobs.info('every')).Version, 0);
});

test('job run: the agent parses the file with this shell\'s -var, -var-file and NOMAD_VAR_*; problems name the file and line', async () => {
  const src = `variable "cmd" {
  type = string
}
variable "arg" {
  type    = string
  default = "default"
}
variable "note" {
  type    = string
  default = "default"
}
job "vars" {
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "1s"
        stdout_string = "\${var.cmd} \${var.arg} \${var.note}"
      }
    }
  }
}
`;
  const jobFile = file('vars.hcl', src);
  const varFile = file('vars.vars.hcl', 'arg = "from-file"\n');
  // Precedence as Nomad's: NOMAD_VAR_ < -var-file < -var.
  const r = await drover(['job', 'run', '-output', '-var-file', varFile, '-var', 'cmd=from-flag', jobFile], { env: { NOMAD_VAR_note: 'from-env', NOMAD_VAR_arg: 'env-loses' } });
  assert.equal(r.code, 0, r.stderr);
  const task = (JSON.parse(r.stdout) as { Job: { TaskGroups: Array<{ Tasks: Array<{ Config: Record<string, unknown> }> }> } }).Job.TaskGroups[0]?.Tasks[0];
  assert.equal(task?.Config['stdout_string'], 'from-flag from-file from-env');
  // The agent's own environment is not the caller's: an unset variable is an error naming file, line and the ways to set it.
  const unset = await drover(['job', 'run', jobFile]);
  assert.equal(unset.code, 1);
  assert.match(unset.stderr, /Job validation errors:\n1 error occurred:\n\t\* .*vars\.hcl:1: variable\.cmd: Unset variable "cmd"/);
  const bad = await drover(['job', 'run', file('bad-config.hcl', src.replace('run_for = "1s"', 'run_for = "1s"\n        bogus = 1'))], { env: { NOMAD_VAR_cmd: 'x' } });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad-config\.hcl:18: job\.vars\.group\.g\.task\.t\.config\.bogus: unknown attribute/);
});

test('job history: versions newest first; -json and -version', async () => {
  const r = await drover(['job', 'run', '-var', 'n=3', join(dir, 'web.hcl')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Job "web" registered \(version 1\)/);
  assert.match(r.stdout, /Job "web" version 1: 3 allocation\(s\), 3 running/);
  const h = await drover(['job', 'history', 'web']);
  assert.equal(h.code, 0, h.stderr);
  // job run waited for each version's deployment to succeed: both are stable.
  assert.match(h.stdout, /^Version {5}= 1\nStable {6}= true\nSubmit Date = \S+\n\nVersion {5}= 0\nStable {6}= true\n/);
  const json = JSON.parse((await drover(['job', 'history', '-json', 'web'])).stdout) as Array<{ Version: number }>;
  assert.deepEqual(json.map((v) => v.Version), [1, 0]);
  const v0 = await drover(['job', 'inspect', '-version', '0', '-json', 'web']);
  assert.equal((JSON.parse(v0.stdout) as { TaskGroups: Array<{ Count: number }> }).TaskGroups[0]?.Count, 2);
});

test('job stop: waits for the allocations to stop; -purge removes the job; -detach prints the eval id', async () => {
  const r = await drover(['job', 'stop', 'web']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Job "web" stopped; waiting for its allocations/);
  assert.equal(r.stdout.match(/status changed: "running" -> "complete"/g)?.length, 3);
  assert.match(r.stdout, /Job "web" stopped: 3 allocation\(s\) stopped \(3 complete\)/);
  assert.match((await drover(['job', 'status'])).stdout, /^web +service +50 +dead \(stopped\)/m);
  const purge = await drover(['job', 'stop', '-purge', 'web']);
  assert.equal(purge.code, 0, purge.stderr);
  const gone = await drover(['job', 'status', 'web']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /No job\(s\) with prefix or ID "web" found/);
  const d = await drover(['job', 'stop', '-detach', 'detached']);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /^[0-9a-f-]{36}\n$/);
  await eventually(async () => (await agent.client.jobs.allocations('detached')).every((a) => a.ClientStatus === 'complete'), { timeoutMs: 10_000, message: 'detached stopped' });
});

/** How many POST /v1/jobs/parse the agent answered (its nomad.http.request counter), by status code. */
async function parseRequests(): Promise<Record<string, number>> {
  const res = await fetch(`${agent.address}/v1/metrics`);
  const body = (await res.json()) as { Counters?: { Name: string; Count: number; Labels: Record<string, string> }[] };
  const out: Record<string, number> = {};
  for (const c of body.Counters ?? []) if (c.Name === 'nomad.http.request' && c.Labels['route'] === '/v1/jobs/parse') out[c.Labels['code'] as string] = c.Count;
  return out;
}

test('drover validate: an agent that answers checks the file (errors keep file and line, NOMAD_VAR_ inputs reach it); without one the file is checked here', async () => {
  const good = file('validate-good.hcl', webHcl);
  const before = await parseRequests();
  const ok = await drover(['validate', good]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'Job validation successful');
  const bad = await drover(['validate', good], { env: { NOMAD_VAR_n: 'many' } });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /validate-good\.hcl:1: variable\.n: Invalid value for variable from NOMAD_VAR_n/);
  const after = await parseRequests();
  assert.equal((after['200'] ?? 0) - (before['200'] ?? 0), 1, 'the good file was parsed by the agent');
  assert.equal((after['400'] ?? 0) - (before['400'] ?? 0), 1, 'the bad input was refused by the agent');
  // Nothing listens there: the same checks, in this process.
  const local = await drover(['validate', '-address', 'http://127.0.0.1:1', good], { env: { NOMAD_VAR_n: 'many' } });
  assert.equal(local.code, 1);
  assert.match(local.stderr, /validate-good\.hcl:1: variable\.n: Invalid value for variable from NOMAD_VAR_n/);
  assert.deepEqual(await parseRequests(), after);
});
