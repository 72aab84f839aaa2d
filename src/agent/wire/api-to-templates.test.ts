import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError, type FieldProblem } from '../../model/index.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { parseJob } from '../../jobspec/index.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';
import { fromApiJob } from './api-to-job.js';
import { destructiveChange } from '../core/task-diff.js';

const jobWith = (templates: unknown[]) => ({ ID: 'j', TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't', Driver: 'mock_driver', Config: {}, Templates: templates }] }] });
const P = 'Job.TaskGroups[0].Tasks[0].Templates';

function problems(raw: unknown): readonly FieldProblem[] {
  try {
    fromApiJob(raw, testSchemas);
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.problems;
  }
  return assert.fail('expected fromApiJob to fail');
}

test('api templates: a jobspec job round-trips through the JSON API unchanged', async () => {
  const src = `job "j" {
  group "g" {
    task "t" {
      driver = "mock_driver"
      template {
        data = "{{ env \\"X\\" }}"
        destination = "local/a"
        change_mode = "signal"
        wait {
          min = "1s"
        }
      }
      template {
        source = "local/b.tpl"
        destination = "local/b"
        change_mode = "script"
        change_script {
          command = "x"
          timeout = "2s"
        }
        uid = 5
        env = true
        once = true
      }
    }
  }
}
`;
  const { job } = await parseJob(src, { file: 'x.hcl', drivers: testSchemas });
  const api = JSON.parse(JSON.stringify(toApiJob(job))) as { TaskGroups: { Tasks: { Templates: unknown[] }[] }[] };
  assert.equal(api.TaskGroups[0]?.Tasks[0]?.Templates.length, 2);
  assert.deepEqual(fromApiJob(api, testSchemas).job, job);
});

test("api templates: Nomad's JSON (durations in ns, \"\" for unset) decodes with its defaults", () => {
  const { job } = fromApiJob(
    jobWith([{ SourcePath: '', DestPath: 'local/x', EmbeddedTmpl: 'x', ChangeMode: '', ChangeSignal: '', Splay: 3e9, Perms: '', LeftDelim: '', RightDelim: '', Envvars: false, VaultGrace: 0, Wait: null, ErrMissingKey: false, Once: false }]),
    testSchemas,
  );
  const t = job.groups[0]?.tasks[0]?.templates[0];
  assert.equal(t?.changeMode, 'restart');
  assert.equal(t?.perms, '0644');
  assert.equal(t?.splayMs, 3_000);
  assert.equal(t?.leftDelim, '{{');
});

test('api templates: errors name the JSON field', () => {
  assert.deepEqual(problems(jobWith([{ DestPath: 'x', EmbeddedTmpl: 'x', ChangeMode: 'signal', ChangeSignal: 'nope' }])), [
    { field: `${P}[0].ChangeSignal`, message: 'Failed to parse signal "nope"' },
  ]);
  assert.deepEqual(problems(jobWith([{ EmbeddedTmpl: 'x' }, { DestPath: 'a', EmbeddedTmpl: 'x', ChangeMode: 'script' }])), [
    { field: `${P}[0].DestPath`, message: 'Must specify a destination for the template' },
    { field: `${P}[1].ChangeScript`, message: 'must specify change script configuration value when change mode is script' },
  ]);
  assert.deepEqual(problems(jobWith([{ DestPath: 'a', EmbeddedTmpl: 'x' }, { DestPath: 'a', EmbeddedTmpl: 'y' }])), [
    { field: `${P}[1].DestPath`, message: 'Template 2 has same destination as 1' },
  ]);
  assert.deepEqual(problems(jobWith([{ DestPath: 'a', EmbeddedTmpl: 'x', Splay: '5s', Bogus: 1 }])).map((p) => p.field), [`${P}[0].Bogus`, `${P}[0].Splay`]);
});

test('api templates: a changed template block is a destructive update (Nomad replaces the allocation)', async () => {
  const src = (data: string) => `job "j" {\n  group "g" {\n    task "t" {\n      driver = "mock_driver"\n      template {\n        data = "${data}"\n        destination = "local/a"\n      }\n    }\n  }\n}\n`;
  const a = (await parseJob(src('one'), { file: 'x.hcl', drivers: testSchemas })).job;
  const b = (await parseJob(src('two'), { file: 'x.hcl', drivers: testSchemas })).job;
  assert.equal(destructiveChange(a, a, 'g'), undefined);
  assert.equal(destructiveChange(a, b, 'g'), 'task "t": templates');
});
