/**
 * PluginSupervisor against real plugin processes whose deaths are placed
 * exactly: a plugin executable of the test's own (drover's plugin server
 * with one driver method wrapped) SIGKILLs itself inside a chosen call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { silentLogger } from '../../model/logger.js';
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
