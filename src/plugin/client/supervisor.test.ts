/**
 * PluginSupervisor against real plugin processes whose deaths are placed
 * exactly: a plugin executable of the test's own (drover's plugin server
 * with one driver method wrapped) SIGKILLs itself inside a chosen call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { silentLogger } from '../../model/logger.js';
import { eventually } from '../../model/testing/eventually.js';
import { testTaskConfig } from '../testing/task-config.js';
import { loadExternalDriver } from './supervisor.js';

const SERVE = pathToFileURL(fileURLToPath(new URL('../server/serve.js', import.meta.url))).href;

/**
 * A mock_driver plugin executable that dies (SIGKILL, no reply) in its next
 * call of `method` while the file `armed` exists; the file is removed first,
 * so only one process dies there. While the file `down` exists it exits at
 * once, before its handshake (a plugin that cannot start).
 */
function dyingPlugin(dir: string, method: string, armed: string, down = join(dir, 'down')): string {
  const file = join(dir, 'dying-mock');
  writeFileSync(
    file,
    `#!${process.execPath}
'use strict';
const fs = require('node:fs');
if (fs.existsSync(${JSON.stringify(down)})) process.exit(1);
import(${JSON.stringify(SERVE)}).then(async (m) => {
  const served = await m.startPluginServer('mock_driver', m.processServeIo(), {});
  if (typeof served === 'number') process.exit(served);
  const orig = served.driver[${JSON.stringify(method)}].bind(served.driver);
  served.driver[${JSON.stringify(method)}] = (...args) => {
    if (fs.existsSync(${JSON.stringify(armed)})) {
      fs.rmSync(${JSON.stringify(armed)});
      process.kill(process.pid, 'SIGKILL');
    }
    return orig(...args);
  };
  process.exit(await served.done);
});
`,
  );
  chmodSync(file, 0o755);
  return file;
}

test('PluginSupervisor: a replacement that dies while recovering tasks loses none of them; the next one recovers them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drover-supervisor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const armed = join(dir, 'armed');
  const ext = await loadExternalDriver({ path: dyingPlugin(dir, 'recoverTask', armed), logger: silentLogger, config: {}, restart: { initialBackoffMs: 50 } });
  t.after(() => ext.kill());
  const cfg = testTaskConfig({ run_for: '1500ms', exit_code: 4 });
  await ext.driver.startTask(cfg);
  const wait = ext.driver.waitTask(cfg.id, {});
  const first = ext.pid();
  // The first replacement dies inside RecoverTask: a crash loop, not a task the plugin cannot find.
  writeFileSync(armed, '');
  ext.driver.crash();
  const r = await wait;
  assert.equal(existsSync(armed), false, 'a replacement died in RecoverTask');
  assert.equal(r.exitCode, 4, `the task's own exit: ${JSON.stringify(r)}`);
  assert.equal(ext.restarts(), 1, 'one replacement adopted (the one that died recovering is not counted)');
  assert.notEqual(ext.pid(), first);
  assert.equal((await ext.driver.inspectTask(cfg.id)).state, 'exited');
  await ext.driver.destroyTask(cfg.id, false);
});

test('PluginSupervisor: relaunching never stops; calls fail once a restart gave up, a task wait outlasts the outage', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drover-supervisor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const down = join(dir, 'down');
  const ext = await loadExternalDriver({
    path: dyingPlugin(dir, 'recoverTask', join(dir, 'armed'), down),
    logger: silentLogger,
    config: {},
    restart: { attempts: 2, initialBackoffMs: 20, maxBackoffMs: 50 },
  });
  t.after(() => ext.kill());
  const cfg = testTaskConfig({ run_for: '1500ms', exit_code: 4 });
  await ext.driver.startTask(cfg);
  const wait = ext.driver.waitTask(cfg.id, {});
  const ac = new AbortController();
  t.after(() => ac.abort());
  const health: string[] = [];
  const fingerprints = (async () => {
    for await (const fp of ext.driver.fingerprint({ signal: ac.signal })) {
      health.push(fp.health);
      if (health.includes('undetected') && fp.health === 'healthy') return;
    }
  })();
  // The plugin crashes and cannot start again for a while: more failed launches than `attempts`.
  writeFileSync(down, '');
  ext.driver.crash();
  await assert.rejects(ext.driver.inspectTask(cfg.id), /plugin could not be restarted after 2 attempts/);
  // It can start again: the supervisor, still relaunching, brings it back and recovers the task.
  rmSync(down);
  const r = await wait;
  assert.equal(r.exitCode, 4, `the task's own exit: ${JSON.stringify(r)}`);
  assert.equal(ext.restarts(), 1);
  await fingerprints;
  // Unhealthy while relaunching, undetected once given up, healthy again when back.
  assert.equal(health.at(-1), 'healthy', health.join(','));
  assert.ok(health.includes('unhealthy') && health.includes('undetected'), health.join(','));
  await ext.driver.destroyTask(cfg.id, false);
});

/** A raw_exec plugin executable that SIGKILLs itself right after StartTask launched the task, as many times as the file `armed` says. */
function dyingAfterStart(dir: string, armed: string): string {
  const file = join(dir, 'dying-raw');
  writeFileSync(
    file,
    `#!${process.execPath}
'use strict';
const fs = require('node:fs');
import(${JSON.stringify(SERVE)}).then(async (m) => {
  const served = await m.startPluginServer('raw_exec', m.processServeIo(), { dataDir: ${JSON.stringify(join(dir, 'executor'))} });
  if (typeof served === 'number') process.exit(served);
  const orig = served.driver.startTask.bind(served.driver);
  served.driver.startTask = async (...args) => {
    const res = await orig(...args);
    const n = fs.existsSync(${JSON.stringify(armed)}) ? Number(fs.readFileSync(${JSON.stringify(armed)}, 'utf8')) : 0;
    if (n > 0) {
      fs.writeFileSync(${JSON.stringify(armed)}, String(n - 1));
      process.kill(process.pid, 'SIGKILL');
    }
    return res;
  };
  process.exit(await served.done);
});
`,
  );
  chmodSync(file, 0o755);
  return file;
}

// Known hole (issue 16, plugin crash campaign): StartTask is retried once on a replacement, as
// Nomad's task runner does; when that one dies too, the start fails, yet raw_exec's executor
// daemon already runs the task under that id and nobody holds its handle: the task runner's
// next start (a new id) is a second copy. A fix needs a way to destroy a task by id on the
// executor without a handle (DestroyTask of an unknown id is TaskNotFound without asking the
// daemon today, and tests rely on that).
test('PluginSupervisor: a start cut short by two plugin deaths leaves no task running (the executor had launched it)', { todo: 'the launched task runs on with no handle: see above' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drover-supervisor-'));
  const armed = join(dir, 'armed');
  const marker = join(dir, 'ran');
  const pids = (): number[] => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).map(Number) : []);
  const ext = await loadExternalDriver({ path: dyingAfterStart(dir, armed), logger: silentLogger, config: { enabled: true }, restart: { initialBackoffMs: 50 } });
  t.after(async () => {
    for (const p of pids()) if (alive(p)) process.kill(p, 'SIGKILL');
    await ext.driver.shutdown({}).catch(() => {});
    await ext.kill();
    // The executor daemon keeps the record of a task nobody destroyed, so it does not stop on its own.
    for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      const cmd = (() => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      })();
      if (cmd.includes(join(dir, 'executor'))) process.kill(Number(p), 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });
  // The plugin dies after launching the task, and so does its replacement on the retried start.
  writeFileSync(armed, '2');
  const cfg = testTaskConfig({ command: '/bin/sh', args: ['-c', `echo $$ >> ${marker}; exec sleep 60`] });
  await assert.rejects(ext.driver.startTask(cfg), /plugin is shut down/);
  assert.equal(readFileSync(armed, 'utf8'), '0', 'both plugins died in StartTask');
  // The task the executor launched under that id (once: the launch is idempotent) does not run on unowned.
  const [pid, ...more] = pids();
  assert.ok(pid !== undefined && more.length === 0, `launched once: ${pids().join(',')}`);
  await eventually(() => !alive(pid), { timeoutMs: 5_000, message: `task ${pid} destroyed` });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
