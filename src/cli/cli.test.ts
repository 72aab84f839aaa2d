import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'drover-cli-'));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function drover(args: string[], opts: { interruptAfterMs?: number; onStdout?: (s: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      opts.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function jobFile(name: string, hcl: string): string {
  const p = join(dir, name);
  writeFileSync(p, hcl);
  return p;
}

test('drover validate: a good job prints "Job validation successful"', async () => {
  const r = await drover(['validate', fileURLToPath(new URL('../../../examples/mock.nomad.hcl', import.meta.url))]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'Job validation successful');
});

test('drover validate: errors name the file, line and field; exit 1', async () => {
  const p = jobFile(
    'bad.nomad.hcl',
    `job "bad" {
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "10 seconds"
      }
    }
    task "u" {
      driver = "mock_drivr"
    }
  }
}
`,
  );
  const r = await drover(['validate', p]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Job validation errors:/);
  assert.match(r.stderr, /bad\.nomad\.hcl:6: job\.bad\.group\.g\.task\.t\.config\.run_for: invalid duration "10 seconds"/);
  assert.match(r.stderr, /bad\.nomad\.hcl:10: job\.bad\.group\.g\.task\.u\.driver: unknown driver "mock_drivr" \(did you mean "mock_driver"\?\)/);
});

test('drover validate: syntax errors carry the line', async () => {
  const p = jobFile('syntax.nomad.hcl', 'job "x" {\n  group "g" {\n    count = \n  }\n}\n');
  const r = await drover(['validate', p]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /syntax\.nomad\.hcl:3/);
});

test('drover validate: ignored Nomad stanzas and Consul-only settings are warnings, not errors', async () => {
  const p = jobFile(
    'warn.nomad.hcl',
    `job "w" {
  group "g" {
    network {
      port "http" {}
    }
    migrate {
      max_parallel = 1
      health_check = "checks"
    }
    task "t" {
      driver = "mock_driver"
      service {
        name     = "web"
        port     = "http"
        provider = "consul"
      }
    }
  }
}
`,
  );
  const r = await drover(['validate', p]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Job Warnings:/);
  assert.match(r.stderr, /warn\.nomad\.hcl:6: .*"migrate" is not supported by drover yet and is ignored/);
  assert.match(r.stderr, /warn\.nomad\.hcl:15: .*provider "consul": drover runs no Consul agent, so it is not registered/);
  assert.doesNotMatch(r.stderr, /"network" is not supported/);
});

test('drover validate: a missing file is a clear error', async () => {
  const r = await drover(['validate', join(dir, 'nope.hcl')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Error reading job file .*nope\.hcl.*no such file/);
});

test('drover run: a batch job completes with exit 0, events in order, -var applied, -logs streamed', async () => {
  const p = jobFile(
    'ok.nomad.hcl',
    `variable "msg" {
  type = string
}
job "ok" {
  type = "batch"
  group "g" {
    count = 2
    task "t" {
      driver = "mock_driver"
      config {
        run_for       = "100ms"
        stdout_string = "\${var.msg} \${NOMAD_ALLOC_INDEX}\\n"
      }
    }
  }
}
`,
  );
  const r = await drover(['run', '-logs', '-var', 'msg=hi', p]);
  assert.equal(r.code, 0, r.stderr);
  const types = r.stdout.split('\n').filter((l) => / t {2,}/.test(l)).map((l) => l.split(/\s{2,}/)[3]);
  assert.deepEqual(types.filter((t) => t === 'Started').length, 2);
  assert.deepEqual(types.filter((t) => t === 'Terminated').length, 2);
  assert.match(r.stdout, /^hi 0$/m);
  assert.match(r.stdout, /^hi 1$/m);
  assert.match(r.stderr, /Job "ok" completed: 2 allocation\(s\) complete/);
});

test('drover run: a failing job exits 1 and says why', async () => {
  const p = jobFile(
    'fail.nomad.hcl',
    `job "fail" {
  type = "batch"
  group "g" {
    restart {
      attempts = 1
      delay    = "50ms"
    }
    task "t" {
      driver = "mock_driver"
      config {
        run_for   = "20ms"
        exit_code = 3
      }
    }
  }
}
`,
  );
  const r = await drover(['run', p]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Job "fail" failed: 1 of 1 allocation\(s\) failed/);
  assert.match(r.stderr, /task "t" Not Restarting: Exceeded allowed attempts 1 in interval 24h0m0s and mode is "fail", after Terminated: Exit Code: 3/);
});

test('drover run -json: one JSON event per line with Nomad field names', async () => {
  const p = jobFile('json.nomad.hcl', 'job "j" {\n  type = "batch"\n  group "g" {\n    task "t" {\n      driver = "mock_driver"\n      config {\n        exit_code = 0\n      }\n    }\n  }\n}\n');
  const r = await drover(['run', '-json', p]);
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { Type: string; Task: string; DisplayMessage: string; Details: Record<string, string> });
  assert.deepEqual(events.map((e) => e.Type), ['Received', 'Task Setup', 'Started', 'Terminated']);
  assert.equal(events[3]!.Details.exit_code, '0');
  assert.equal(events[1]!.DisplayMessage, 'Building Task Directory');
});

test('drover run: SIGINT stops tasks gracefully, honouring kill_timeout, and exits 0', async () => {
  const keep = join(dir, 'keep');
  const p = jobFile(
    'svc.nomad.hcl',
    'job "svc" {\n  group "g" {\n    task "t" {\n      driver = "mock_driver"\n      kill_timeout = "2s"\n      config {\n        run_for = "1h"\n        kill_after = "300ms"\n      }\n    }\n  }\n}\n',
  );
  let sentAt = 0;
  const r = await drover(['run', '-data-dir', keep, p], {
    onStdout: (out, child) => {
      if (sentAt === 0 && /Started/.test(out)) {
        sentAt = performance.now();
        child.kill('SIGINT');
      }
    },
  });
  const took = performance.now() - sentAt;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(took >= 300, `waited for the task to stop (${took} ms)`);
  assert.match(r.stdout, /Killing +Sent interrupt\. Waiting 2s before force killing/);
  assert.match(r.stdout, /Killed +Task successfully killed/);
  assert.match(r.stderr, /Caught SIGINT/);
  assert.match(r.stderr, /Job "svc" stopped \(SIGINT\)/);
  assert.ok(existsSync(join(keep, 'alloc')), '-data-dir keeps alloc dirs');
});

test('drover: unknown commands and flags are usage errors', async () => {
  const a = await drover(['frobnicate']);
  assert.equal(a.code, 1);
  assert.match(a.stderr, /Unknown command "frobnicate"/);
  const b = await drover(['run', '-bogus', 'x.hcl']);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /flag provided but not defined: -bogus/);
});

test('drover run -config: plugin blocks and client meta from an agent config apply to the run', async () => {
  const cfg = join(dir, 'run-agent.hcl');
  writeFileSync(cfg, 'client {\n  meta {\n    rack = "r7"\n  }\n}\nplugin "mock_driver" {\n  config {\n    fs_isolation = "chroot"\n  }\n}\n');
  const p = jobFile(
    'cfg.nomad.hcl',
    'job "cfg" {\n  type = "batch"\n  group "g" {\n    task "t" {\n      driver = "mock_driver"\n      config {\n        stdout_string = "${meta.rack} ${NOMAD_TASK_DIR}\\n"\n      }\n    }\n  }\n}\n',
  );
  const r = await drover(['run', '-logs', '-config', cfg, p]);
  assert.equal(r.code, 0, r.stderr);
  // meta from the config; a chroot driver sees its task dir as /local.
  assert.match(r.stdout, /^r7 \/local$/m);
  const bad = join(dir, 'bad-agent.hcl');
  writeFileSync(bad, 'plugin "mock_driver" {\n  config {\n    fs_isolation = "bogus"\n  }\n}\n');
  const b = await drover(['run', '-config', bad, p]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /Error loading configuration from .*bad-agent\.hcl:\n\t\* .*bad-agent\.hcl:3: .*fs_isolation: must be one of "none", "chroot", "image", got "bogus"/);
});
