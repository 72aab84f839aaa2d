/**
 * The hook with the real template library (the default engine): Nomad
 * Variables through nomadVar, consul-template's Missing event, and Go's
 * error positions in the failure event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayMessage, type TaskEvent } from '../../../model/task-event.js';
import { allocHarness, makeJob, makeTask, mockDriver } from '../../testing.js';
import { MemorySources, tmpl } from './testing.js';

const messages = (events: readonly { event: TaskEvent }[], type: string) => events.filter((e) => e.event.type === type).map((e) => displayMessage(e.event));

test('go engine: nomadVar blocks the start until the variable exists, then re-renders on change', async () => {
  const sources = new MemorySources();
  const data = '{{ with nomadVar "nomad/jobs/app" }}port={{ .port }}{{ end }}\n{{ env "NOMAD_TASK_NAME" }}';
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: data })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: { sources, eventRateMs: 20 } });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Template'));
  assert.deepEqual(messages(h.events, 'Template'), ['Missing: nomad.var.block(nomad/jobs/app@default.global)']);
  sources.put('nomad/jobs/app', { port: '8080' });
  await h.waitFor(() => h.types('t').includes('Started'));
  assert.equal(readFileSync(join(h.dir, 't', 'local', 'out.txt'), 'utf8'), 'port=8080\nt');
  sources.put('nomad/jobs/app', { port: '9090' });
  await h.waitFor(() => h.types('t').filter((x) => x === 'Started').length === 2);
  assert.equal(readFileSync(join(h.dir, 't', 'local', 'out.txt'), 'utf8'), 'port=9090\nt');
  await h.runner.kill();
  await run;
});

test('go engine: parse and execution errors name the template and the line', async () => {
  const cases: [string, boolean, RegExp][] = [
    ['ok\n{{ nope }}', false, /^Template failed: \(dynamic\): parse: template: local\/out.txt:2: function "nope" not defined$/],
    ['{{ with nomadVar "app" }}\n  {{ .missing }}{{ end }}', true, /^Template failed: \(dynamic\): execute: template: local\/out.txt:2:5: executing "local\/out.txt" at <.missing>: map has no entry for key "missing"$/],
  ];
  for (const [data, errMissingKey, want] of cases) {
    const sources = new MemorySources();
    sources.put('app', { present: 'x' });
    const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: data, errMissingKey })] });
    const h = allocHarness(makeJob([task]), await mockDriver(), { templates: { sources } });
    await h.runner.run();
    const [msg] = messages(h.events, 'Killing');
    assert.match(msg ?? '', want);
    assert.equal(h.runner.task('t')!.state().failed, true);
  }
});

test('go engine: the client function_denylist disables writeToFile', async () => {
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: '{{ writeToFile "/tmp/x" "" "" "0644" "x" }}' })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: { sources: new MemorySources() } });
  await h.runner.run();
  assert.match(messages(h.events, 'Killing')[0] ?? '', /function is disabled/);
});
