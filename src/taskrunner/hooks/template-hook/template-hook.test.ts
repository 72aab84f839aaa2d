/**
 * The template hook on a real alloc runner with mock_driver (and raw_exec for
 * a real signal): first render before the start, the Missing event while
 * data is absent, re-renders and their change modes, env templates, the
 * sandbox, render errors, and an agent restart that must not restart the task.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayMessage, type TaskEvent } from '../../../model/task-event.js';
import type { TaskConfig } from '../../../drivers/types.js';
import { allocHarness, makeJob, makeTask, mockDriver } from '../../testing.js';
import { MemoryStateStore } from '../../state-store.js';
import { rawExecHarness } from '../../../drivers/raw-exec/testing.js';
import { MemorySources, tmpl } from './testing.js';

const settings = (sources: MemorySources) => ({ sources, eventRateMs: 20 });
const messages = (events: readonly { event: TaskEvent }[], type: string) => events.filter((e) => e.event.type === type).map((e) => displayMessage(e.event));

test('TemplateHook: data, source and env render before the task starts, with perms', async () => {
  const sources = new MemorySources();
  const task = makeTask('t', { run_for: '10s' }, {
    env: { GREETING: 'hello' },
    templates: [
      tmpl({ embeddedTmpl: 'greeting={{ env "GREETING" }}\n', destPath: 'local/a.conf', perms: '0600' }),
      tmpl({ sourcePath: 'local/in.tpl', destPath: 'secrets/b.conf' }),
    ],
  });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  mkdirSync(join(h.dir, 't', 'local'), { recursive: true });
  writeFileSync(join(h.dir, 't', 'local', 'in.tpl'), 'task={{ env "NOMAD_TASK_NAME" }}');
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  assert.equal(readFileSync(join(h.dir, 't', 'local', 'a.conf'), 'utf8'), 'greeting=hello\n');
  assert.equal(statSync(join(h.dir, 't', 'local', 'a.conf')).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(h.dir, 't', 'secrets', 'b.conf'), 'utf8'), 'task=t');
  await h.runner.kill();
  await run;
  assert.equal(sources.watchers, 0, 'the stop hook unsubscribed');
});

test('TemplateHook: a missing variable blocks the start with the Missing event until it exists', async () => {
  const sources = new MemorySources();
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: 'port={{ with nomadVar "app/config" }}{{ .port }}{{ end }}' })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Template'));
  assert.deepEqual(messages(h.events, 'Template'), ['Missing: nomad.var.block(app/config@default.global)']);
  assert.ok(!h.types('t').includes('Started'));
  assert.ok(!existsSync(join(h.dir, 't', 'local', 'out.txt')), 'nothing written while data is missing');
  sources.put('app/config', { port: '8080' });
  await h.waitFor(() => h.types('t').includes('Started'));
  assert.equal(readFileSync(join(h.dir, 't', 'local', 'out.txt'), 'utf8'), 'port=8080');
  await h.runner.kill();
  await run;
});

test('TemplateHook: the kill ends a start blocked on missing data', async () => {
  const sources = new MemorySources();
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: '{{ with nomadVar "nope" }}{{ .x }}{{ end }}' })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Template'));
  await h.runner.kill();
  await run;
  assert.ok(!h.types('t').includes('Started'));
  assert.equal(h.runner.task('t')!.state().state, 'dead');
  assert.equal(sources.watchers, 0);
});

test('TemplateHook: a re-render with change_mode restart restarts the task, not as a failure', async () => {
  const sources = new MemorySources();
  sources.put('app', { v: '1' });
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: 'v={{ with nomadVar "app" }}{{ .v }}{{ end }}' })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  sources.put('app', { v: '2' });
  await h.waitFor(() => h.types('t').filter((t) => t === 'Started').length === 2);
  assert.deepEqual(messages(h.events, 'Restart Signaled'), ['Template with change_mode restart re-rendered']);
  assert.equal(readFileSync(join(h.dir, 't', 'local', 'out.txt'), 'utf8'), 'v=2');
  const restarting = h.events.find((e) => e.event.type === 'Restarting')!;
  assert.match(displayMessage(restarting.event), /^Restart Signaled - Task restarting in|^Task restarting in/);
  assert.equal(h.runner.task('t')!.state().failed, false);
  await h.runner.kill();
  await run;
});

test('TemplateHook: change_mode noop rewrites the file only; an unchanged render does nothing', async () => {
  const sources = new MemorySources();
  sources.put('a', { v: '1' });
  sources.put('b', { v: '1' });
  const task = makeTask('t', { run_for: '10s' }, {
    templates: [
      tmpl({ embeddedTmpl: '{{ with nomadVar "a" }}{{ .v }}{{ end }}', destPath: 'local/a' }),
      tmpl({ embeddedTmpl: '{{ with nomadVar "b" }}{{ .v }}{{ end }}', destPath: 'local/b', changeMode: 'noop' }),
    ],
  });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  // Same output for the restart template: nothing is written, no restart. Then a real change to the noop one.
  sources.put('a', { v: '1' });
  sources.put('b', { v: '2' });
  await h.waitFor(() => readFileSync(join(h.dir, 't', 'local', 'b'), 'utf8') === '2');
  assert.deepEqual(h.types('t'), ['Received', 'Task Setup', 'Started']);
  await h.runner.kill();
  await run;
});

test('TemplateHook: change_mode script runs the script in the task and reports it', async () => {
  const sources = new MemorySources();
  sources.put('app', { v: '1' });
  const script = { command: '/local/reload.sh', args: ['-q', 'now'], timeoutMs: 5_000, failOnError: false, runOnFirstRender: false };
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: '{{ with nomadVar "app" }}{{ .v }}{{ end }}', changeMode: 'script', changeScript: script })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  sources.put('app', { v: '2' });
  await h.waitFor(() => h.types('t').includes('Task hook message'));
  assert.deepEqual(messages(h.events, 'Task hook message'), ['Template successfully ran script /local/reload.sh with arguments: [-q now]. Exit code: 0']);
  await h.runner.kill();
  await run;
});

test('TemplateHook: a change script that exits non-zero with fail_on_error kills the task as failed', async () => {
  const sources = new MemorySources();
  sources.put('app', { v: '1' });
  const script = { command: 'reload', args: [], timeoutMs: 5_000, failOnError: true, runOnFirstRender: false };
  const task = makeTask('t', { run_for: '10s', exec_command: { exit_code: 3 } }, {
    templates: [tmpl({ embeddedTmpl: '{{ with nomadVar "app" }}{{ .v }}{{ end }}', changeMode: 'script', changeScript: script })],
  });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  sources.put('app', { v: '2' });
  await run;
  assert.deepEqual(messages(h.events, 'Task hook failed'), ['Template ran script reload with arguments [] on change but it exited with code: 3']);
  assert.deepEqual(messages(h.events, 'Killing'), ['Template script failed, task is being killed']);
  assert.equal(h.runner.task('t')!.state().failed, true);
});

test('TemplateHook: env = true templates join the task environment (envparse rules, later template wins)', async () => {
  const sources = new MemorySources();
  const d = await mockDriver();
  const seen: Record<string, string>[] = [];
  const start = d.startTask.bind(d);
  d.startTask = (cfg: TaskConfig) => {
    seen.push({ ...cfg.env });
    return start(cfg);
  };
  const task = makeTask('t', { run_for: '10s' }, {
    templates: [
      tmpl({ embeddedTmpl: '# settings\nexport A=1\nB = "two words" # note\nC=\'x\'\n', destPath: 'local/one.env', envvars: true }),
      tmpl({ embeddedTmpl: 'A=override\n', destPath: 'local/two.env', envvars: true }),
    ],
  });
  const h = allocHarness(makeJob([task]), d, { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  assert.equal(seen[0]?.['A'], 'override');
  assert.equal(seen[0]?.['B'], 'two words');
  assert.equal(seen[0]?.['C'], 'x');
  await h.runner.kill();
  await run;
});

test('TemplateHook: paths that leave the allocation dir fail the task', async () => {
  for (const [spec, want] of [
    [tmpl({ embeddedTmpl: 'x', destPath: '../../outside.txt' }), 'template: template destination path "../../outside.txt" escapes alloc directory'],
    [tmpl({ sourcePath: '/etc/hostname' }), 'template: template source path "/etc/hostname" escapes alloc directory'],
  ] as const) {
    const h = allocHarness(makeJob([makeTask('t', { run_for: '10s' }, { templates: [spec] })]), await mockDriver(), { templates: settings(new MemorySources()) });
    await h.runner.run();
    assert.deepEqual(messages(h.events, 'Task hook failed'), [want]);
    assert.ok(!h.types('t').includes('Started'));
    assert.equal(h.runner.task('t')!.state().failed, true);
  }
});

test('TemplateHook: a parse error fails the task naming the template and the line', async () => {
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: 'ok\n{{ nope }}\n' })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(new MemorySources()) });
  await h.runner.run();
  assert.deepEqual(messages(h.events, 'Killing'), ['Template failed: (dynamic): parse: template: local/out.txt:2: function "nope" not defined']);
  assert.ok(!h.types('t').includes('Started'));
  assert.equal(h.runner.task('t')!.state().failed, true);
});

test('TemplateHook: a missing key with error_on_missing_key fails the task', async () => {
  const sources = new MemorySources();
  sources.put('app', { other: '1' });
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: '{{ with nomadVar "app" }}{{ .port }}{{ end }}', errMissingKey: true })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  await h.runner.run();
  const [msg] = messages(h.events, 'Killing');
  assert.match(msg ?? '', /^Template failed: \(dynamic\): execute: template: local\/out.txt:1:\d+: executing "local\/out.txt" at <.port>: map has no entry for key "port"$/);
  assert.equal(h.runner.task('t')!.state().failed, true);
});

test('TemplateHook: after an agent restart an unchanged render does not restart the task; a changed one does', async () => {
  const sources = new MemorySources();
  sources.put('app', { v: '1' });
  sources.put('b', { v: '1' });
  const d = await mockDriver();
  const store = new MemoryStateStore();
  const task = makeTask('t', { run_for: '30s' }, {
    templates: [tmpl({ embeddedTmpl: 'v={{ with nomadVar "app" }}{{ .v }}{{ end }}' }), tmpl({ embeddedTmpl: '{{ with nomadVar "b" }}{{ .v }}{{ end }}', destPath: 'local/b', changeMode: 'noop' })],
  });
  const job = makeJob([task]);
  const restartAgent = async (h: ReturnType<typeof allocHarness>, run: Promise<void>) => {
    await h.runner.shutdown();
    await run;
    const next = allocHarness(job, d, { templates: settings(sources), store, dir: h.dir });
    return { next, run: next.runner.run() };
  };
  const first = allocHarness(job, d, { templates: settings(sources), store });
  const run1 = first.runner.run();
  await first.waitFor(() => first.types('t').includes('Started'));

  // Same data: the recovered task keeps running. The noop template's re-render shows the watch is live again.
  const { next: second, run: run2 } = await restartAgent(first, run1);
  await second.waitFor(() => second.runner.task('t')!.taskId !== undefined);
  sources.put('b', { v: '2' });
  await second.waitFor(() => readFileSync(join(second.dir, 't', 'local', 'b'), 'utf8') === '2');
  assert.deepEqual(second.types('t'), []);

  // Changed while the agent was down: the restored render differs from disk, so change_mode restart applies.
  await second.runner.shutdown();
  await run2;
  sources.put('app', { v: '3' });
  const third = allocHarness(job, d, { templates: settings(sources), store, dir: first.dir });
  const run3 = third.runner.run();
  await third.waitFor(() => third.types('t').includes('Started'));
  assert.deepEqual(messages(third.events, 'Restart Signaled'), ['Template with change_mode restart re-rendered']);
  assert.equal(readFileSync(join(third.dir, 't', 'local', 'out.txt'), 'utf8'), 'v=3');
  await third.runner.kill();
  await run3;
});

test('TemplateHook: change_mode signal delivers change_signal to a raw_exec task', async (t) => {
  const rx = await rawExecHarness();
  t.after(() => rx.cleanup());
  const sources = new MemorySources();
  sources.put('app', { v: '1' });
  const script = 'trap \'echo got >> "$NOMAD_TASK_DIR/hup.txt"\' USR1; echo ready > "$NOMAD_TASK_DIR/ready.txt"; while :; do sleep 0.05; done';
  const task = makeTask('t', { command: '/bin/sh', args: ['-c', script] }, {
    driver: 'raw_exec',
    templates: [tmpl({ embeddedTmpl: '{{ with nomadVar "app" }}{{ .v }}{{ end }}', changeMode: 'signal', changeSignal: 'SIGUSR1' })],
  });
  const h = allocHarness(makeJob([task]), rx.driver, { templates: settings(sources) });
  const run = h.runner.run();
  const local = join(h.dir, 't', 'local');
  // Both: the shell has set its trap, and the runner holds the handle (a signal before that is skipped, as in Nomad).
  await h.waitFor(() => existsSync(join(local, 'ready.txt')) && h.types('t').includes('Started'));
  sources.put('app', { v: '2' });
  await h.waitFor(() => existsSync(join(local, 'hup.txt')) && readFileSync(join(local, 'hup.txt'), 'utf8') === 'got\n');
  const signaling = h.events.find((e) => e.event.type === 'Signaling')!.event;
  assert.equal(displayMessage(signaling), 'Template re-rendered');
  assert.ok(!h.types('t').includes('Restart Signaled'));
  await h.runner.kill();
  await run;
});

test('TemplateHook: wait { min } coalesces a burst of changes into one render and one restart', async () => {
  const sources = new MemorySources();
  sources.put('app', { v: '1' });
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: 'v={{ with nomadVar "app" }}{{ .v }}{{ end }}', wait: { minMs: 150, maxMs: 60_000 } })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  for (const v of ['2', '3', '4']) sources.put('app', { v });
  await h.waitFor(() => h.types('t').filter((t) => t === 'Started').length === 2);
  assert.equal(readFileSync(join(h.dir, 't', 'local', 'out.txt'), 'utf8'), 'v=4');
  assert.equal(messages(h.events, 'Restart Signaled').length, 1);
  await h.runner.kill();
  await run;
});

test('TemplateHook: a once template is never re-rendered', async () => {
  const sources = new MemorySources();
  sources.put('a', { v: '1' });
  sources.put('b', { v: '1' });
  const task = makeTask('t', { run_for: '10s' }, {
    templates: [
      tmpl({ embeddedTmpl: '{{ with nomadVar "a" }}{{ .v }}{{ end }}', destPath: 'local/once', once: true }),
      tmpl({ embeddedTmpl: '{{ with nomadVar "b" }}{{ .v }}{{ end }}', destPath: 'local/b', changeMode: 'noop' }),
    ],
  });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  sources.put('a', { v: '2' });
  sources.put('b', { v: '2' });
  await h.waitFor(() => readFileSync(join(h.dir, 't', 'local', 'b'), 'utf8') === '2');
  assert.equal(readFileSync(join(h.dir, 't', 'local', 'once'), 'utf8'), '1');
  assert.deepEqual(h.types('t'), ['Received', 'Task Setup', 'Started']);
  await h.runner.kill();
  await run;
});

test('TemplateHook: a directory swapped for a symlink out of the alloc dir is refused at the next write', async () => {
  const sources = new MemorySources();
  sources.put('app', { v: '1' });
  const task = makeTask('t', { run_for: '10s' }, { templates: [tmpl({ embeddedTmpl: '{{ with nomadVar "app" }}{{ .v }}{{ end }}', destPath: 'local/sub/out.txt', changeMode: 'noop' })] });
  const h = allocHarness(makeJob([task]), await mockDriver(), { templates: settings(sources) });
  const run = h.runner.run();
  await h.waitFor(() => h.types('t').includes('Started'));
  const outside = mkdtempSync(join(tmpdir(), 'tpl-outside-'));
  const sub = join(h.dir, 't', 'local', 'sub');
  rmSync(sub, { recursive: true });
  symlinkSync(outside, sub);
  sources.put('app', { v: '2' });
  await run;
  assert.deepEqual(messages(h.events, 'Killing'), ['Template failed: template destination path "local/sub/out.txt" escapes alloc directory']);
  assert.ok(!existsSync(join(outside, 'out.txt')));
  assert.equal(h.runner.task('t')!.state().failed, true);
});
