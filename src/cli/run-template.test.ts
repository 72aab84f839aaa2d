/**
 * `drover run` of jobs that are never placed themselves, through the real
 * binary: a periodic job launches on schedule until Ctrl-C (which stops the
 * running launch), a parameterized job is dispatched once with -meta and
 * -payload, and what cannot run in the foreground is refused up front.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drover } from './cli-testing.js';

const dir = mkdtempSync(join(tmpdir(), 'drover-run-template-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function jobFile(name: string, hcl: string): string {
  const p = join(dir, `${name}.hcl`);
  writeFileSync(p, hcl);
  return p;
}

const periodicJob = (id: string, periodic: string, script: string, group = '') => `job "${id}" {
  type = "batch"
  periodic {
${periodic}
  }
  group "g" {
${group}
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", ${JSON.stringify(script)}]
      }
    }
  }
}
`;

const count = (re: RegExp, s: string) => s.match(new RegExp(re.source, 'gm'))?.length ?? 0;

test('drover run of a periodic job: launches on schedule until SIGINT, exit 0', async () => {
  const file = jobFile('every', periodicJob('every', '    crons = ["* * * * * *"]', 'echo tick $NOMAD_JOB_ID'));
  const r = await drover(['run', '-logs', file], {
    onStdout: (out, child) => {
      if (count(/^tick every\/periodic-\d+$/, out) >= 2 && !child.killed) child.kill('SIGINT');
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const ticks = r.stdout.match(/^tick (every\/periodic-\d+)$/gm) ?? [];
  assert.ok(ticks.length >= 2, r.stdout);
  assert.equal(new Set(ticks).size, ticks.length, 'each instant launched once');
  assert.match(r.stderr, /^==> Running periodic job "every" in \S+ until interrupted; first launch \S+ \(\d+s from now\)$/m);
  assert.match(r.stderr, /^==> Launched "every\/periodic-\d+"; next launch \S+ \(\d+s from now\)$/m);
  const launched = Number(/==> Job "every" stopped \(SIGINT\): (\d+) launch(es)?, \d+ allocation\(s\) complete/.exec(r.stderr)?.[1]);
  assert.ok(launched >= 2, r.stderr);
  assert.equal(count(/^==> Launched /, r.stderr), launched);
});

test('drover run of a periodic job: SIGINT stops the running launch (prohibit_overlap keeps it alone)', async () => {
  const file = jobFile('long', periodicJob('long', '    crons = ["* * * * * *"]\n    prohibit_overlap = true', 'echo started $NOMAD_JOB_ID; exec sleep 300'));
  const r = await drover(['run', '-logs', file], {
    onStdout: (out, child) => {
      if (/^started long\/periodic-\d+$/m.test(out) && !child.killed) child.kill('SIGINT');
    },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Killed +Task successfully killed/);
  assert.match(r.stderr, /==> Job "long" stopped \(SIGINT\): 1 launch, 1 allocation\(s\) complete/);
});

test('drover run of a periodic job: a failed launch makes the exit code 1 when stopped', async () => {
  const file = jobFile('fails', periodicJob('fails', '    crons = ["* * * * * *"]\n    prohibit_overlap = true', 'exit 3', '    restart {\n      attempts = 0\n      mode     = "fail"\n    }'));
  const r = await drover(['run', file], {
    onStdout: (out, child) => {
      if (/Not Restarting/.test(out) && !child.killed) child.kill('SIGINT');
    },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /==> Job "fails" failed: \d+ of \d+ allocation\(s\) failed/);
  assert.match(r.stderr, /task "t" .*Exit Code: 3/);
});

const REPORT_JOB = `job "report" {
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
        args    = ["-c", "echo \\"$NOMAD_META_who $(cat local/in.txt) $NOMAD_JOB_PARENT_ID\\""]
      }
      dispatch_payload {
        file = "in.txt"
      }
    }
  }
}
`;

test('drover run of a parameterized job: one dispatch with -meta and -payload; what the job requires is checked first', async () => {
  const file = jobFile('report', REPORT_JOB);
  let r = await drover(['run', '-payload', '-', file], { input: 'data' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: Failed to dispatch job "report": Dispatch did not provide required meta keys: \[who\] \(give meta with -meta KEY=VALUE/m);
  assert.equal(r.stdout, '', 'nothing ran');
  r = await drover(['run', '-meta', 'who=bob', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Payload is not provided but required by parameterized job/);

  r = await drover(['run', '-logs', '-meta', 'who=bob', '-payload', '-', file], { input: 'the data' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^bob the data report$/m);
  const child = /==> Dispatched "(report\/dispatch-\d+-[0-9a-f]{8})"/.exec(r.stderr)?.[1];
  assert.ok(child, r.stderr);
  assert.match(r.stderr, new RegExp(`==> Job "${child.replace('/', '\\/')}" completed: 1 allocation\\(s\\) complete`));
});

test('drover run refuses what cannot run in the foreground, saying why', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['off', periodicJob('off', '    crons = ["* * * * * *"]\n    enabled = false', 'true'), /Job "off" is periodic with enabled = false, so it would never launch/],
    [
      'both',
      REPORT_JOB.replace('job "report"', 'job "both"').replace('  parameterized {', '  periodic {\n    crons = ["0 3 * * *"]\n  }\n  parameterized {'),
      /Job "both" is both parameterized and periodic/,
    ],
  ];
  for (const [name, hcl, message] of cases) {
    const r = await drover(['run', jobFile(name, hcl)]);
    assert.equal(r.code, 1, name);
    assert.match(r.stderr, message);
  }
  const plain = jobFile('plain', 'job "plain" {\n  type = "batch"\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n');
  const r = await drover(['run', '-meta', 'a=b', plain]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /-meta and -payload are for parameterized jobs; job "plain" has no parameterized block/);
});
