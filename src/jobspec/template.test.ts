import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError, type FieldProblem } from '../model/index.js';
import { parseJob } from './index.js';
import { testSchemas } from './testdata/schemas.js';

/** A one-task job with `body` inside the task (the body starts at line 5). */
const job = (body: string): string => `job "j" {
  group "g" {
    task "t" {
      driver = "mock_driver"
${body}
    }
  }
}
`;
const T = 'job.j.group.g.task.t';

async function problemsOf(src: string): Promise<readonly FieldProblem[]> {
  try {
    await parseJob(src, { file: 'bad.nomad.hcl', drivers: testSchemas });
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err.problems;
  }
  return assert.fail('expected parseJob to fail');
}

async function expectProblem(src: string, field: string, line: number, message: RegExp): Promise<void> {
  const problems = await problemsOf(src);
  const hit = problems.find((p) => p.field === field && message.test(p.message));
  assert.ok(hit, `no problem at ${field} matching ${String(message)}; got:\n${problems.map((p) => `  ${p.field}:${p.line}: ${p.message}`).join('\n')}`);
  assert.equal(hit.line, line, `line of ${field}`);
}

describe('template { } decoding', () => {
  it("fills Nomad's defaults", async () => {
    const { job: j } = await parseJob(job('      template {\n        data = "x"\n        destination = "local/x"\n      }'), { file: 'x.hcl', drivers: testSchemas });
    assert.deepEqual(j.groups[0]?.tasks[0]?.templates, [
      {
        sourcePath: '', destPath: 'local/x', embeddedTmpl: 'x', changeMode: 'restart', changeSignal: '', splayMs: 5_000, perms: '0644',
        leftDelim: '{{', rightDelim: '}}', envvars: false, errMissingKey: false, once: false,
      },
    ]);
  });

  it('decodes every field; signals upper-cased; change_script timeout defaults to 5s', async () => {
    const src = job(`      template {
        source = "local/in.tpl"
        destination = "secrets/out"
        change_mode = "signal"
        change_signal = "sigusr1"
        splay = "1s"
        perms = "0600"
        uid = 1000
        gid = 1001
        left_delimiter = "[["
        right_delimiter = "]]"
        wait {
          min = "2s"
          max = "10s"
        }
        error_on_missing_key = true
      }
      template {
        data = "A=1"
        destination = "local/env"
        env = true
        change_mode = "script"
        change_script {
          command = "/local/reload.sh"
          args = ["-v"]
          fail_on_error = true
        }
        once = false
      }`);
    const { job: j, warnings } = await parseJob(src, { file: 'x.hcl', drivers: testSchemas });
    assert.deepEqual(warnings, []);
    const [a, b] = j.groups[0]?.tasks[0]?.templates ?? [];
    assert.deepEqual(a, {
      sourcePath: 'local/in.tpl', destPath: 'secrets/out', embeddedTmpl: '', changeMode: 'signal', changeSignal: 'SIGUSR1', splayMs: 1_000,
      perms: '0600', uid: 1000, gid: 1001, leftDelim: '[[', rightDelim: ']]', envvars: false, wait: { minMs: 2_000, maxMs: 10_000 },
      errMissingKey: true, once: false,
    });
    assert.deepEqual(b?.changeScript, { command: '/local/reload.sh', args: ['-v'], timeoutMs: 5_000, failOnError: true, runOnFirstRender: false });
    assert.equal(b?.envvars, true);
  });

  it('errors name the field and its line', async () => {
    await expectProblem(job('      template {\n        destination = "local/x"\n      }'), `${T}.template.source`, 5, /Must specify a source path or have an embedded template/);
    await expectProblem(job('      template {\n        data = "x"\n      }'), `${T}.template.destination`, 5, /Must specify a destination for the template/);
    await expectProblem(job('      template {\n        data = "x"\n        source = "y"\n        destination = "z"\n      }'), `${T}.template.data`, 6, /mutually exclusive/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "../../../etc/x"\n      }'), `${T}.template.destination`, 7, /destination escapes allocation directory/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "x"\n        change_mode = "reload"\n      }'), `${T}.template.change_mode`, 8, /Invalid change mode "reload". Must be one of the following: noop, signal, script, restart/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "x"\n        change_mode = "signal"\n        change_signal = "SIGFOO"\n      }'), `${T}.template.change_signal`, 9, /Failed to parse signal "SIGFOO"/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "x"\n        change_mode = "signal"\n        env = true\n      }'), `${T}.template.env`, 9, /cannot use signals with env var templates/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "x"\n        change_mode = "script"\n      }'), `${T}.template.change_script`, 5, /must specify change script configuration/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "x"\n        change_mode = "script"\n        change_script {\n          args = ["a"]\n        }\n      }'), `${T}.template.change_script.command`, 9, /must specify script path value/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "x"\n        perms = "0999"\n      }'), `${T}.template.perms`, 8, /Failed to parse "0999" as octal/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "x"\n        wait {\n          min = "10s"\n          max = "1s"\n        }\n      }'), `${T}.template.wait`, 8, /wait min 10000ms is greater than max 1000ms/);
    await expectProblem(job('      template {\n        data = "x"\n        destination = "x"\n        splay = "soon"\n      }'), `${T}.template.splay`, 8, /.+/);
    await expectProblem(job('      template {\n        data = "x"\n        destinaton = "x"\n      }'), `${T}.template.destinaton`, 7, /unknown attribute "destinaton" in template.*did you mean "destination"/);
    await expectProblem(
      job('      template {\n        data = "x"\n        destination = "x"\n      }\n      template {\n        data = "y"\n        destination = "x"\n      }'),
      `${T}.template[1].destination`, 11, /Template 2 has same destination as 1/,
    );
  });

  it('warns about vault_grace and a change_mode that once makes moot', async () => {
    const { warnings } = await parseJob(job('      template {\n        data = "x"\n        destination = "x"\n        vault_grace = "5s"\n        once = true\n        change_mode = "signal"\n      }'), { file: 'x.hcl', drivers: testSchemas });
    assert.deepEqual(warnings.map((w) => `${w.field}:${w.line}`), [`${T}.template.vault_grace:8`, `${T}.template.once:9`]);
    assert.match(warnings[0]?.message ?? '', /VaultGrace has been deprecated/);
  });
});

/**
 * Nomad's own e2e jobs with templates must validate. They are read from a
 * local Nomad checkout (NOMAD_REPO, default the shared mirror) rather than
 * copied here; without one the test is skipped.
 */
describe("Nomad's e2e template jobs", () => {
  const repo = process.env['NOMAD_REPO'] ?? '/work/.mirror/hashicorp+nomad/repo';
  const files = [
    'e2e/consultemplate/input/template_paths.nomad',
    'e2e/consultemplate/input/bad_template_paths.nomad',
    'e2e/consultemplate/input/template_shared_alloc.nomad',
    'e2e/consultemplate/input/update_triggers.nomad.hcl',
    'e2e/consultemplate/input/nomad_provider_service_lookup.nomad',
    'e2e/isolation/input/raw_exec.hcl',
    'e2e/isolation/input/exec.hcl',
    'e2e/lifecycle/inputs/batch.nomad',
    'e2e/lifecycle/inputs/service.nomad',
    'e2e/alloc_logs/input/mixed-output.nomad',
    'e2e/metrics/input/setup.hcl',
    'e2e/servicediscovery/input/simple_lb_clients.nomad',
    'e2e/volume_mounts/input/volumes.nomad',
  ];
  const available = existsSync(repo);
  for (const f of files) {
    it(f, { skip: available ? false : `no Nomad checkout at ${repo} (set NOMAD_REPO)` }, async () => {
      const src = execFileSync('git', ['-C', repo, 'show', `HEAD:${f}`], { encoding: 'utf8' });
      const { job: j } = await parseJob(src, { file: f });
      assert.ok(j.groups.some((g) => g.tasks.some((t) => t.templates.length > 0)));
    });
  }
});
