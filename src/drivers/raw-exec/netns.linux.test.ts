/**
 * raw_exec in an allocation's network namespace (Nomad's group network
 * mode): the task, one-shot execs and interactive sessions (pipes and TTY)
 * all run inside the namespace TaskConfig.networkIsolation names, also after
 * the driver and the executor daemon restarted; a namespace that does not
 * exist is a start error naming it. Root and iproute2 only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { ExecutorClient } from '../../executor/client.js';
import { alive } from '../../executor/testing.js';
import { DroverError, ErrorCode } from '../../model/errors.js';
import { eventually } from '../../model/testing/eventually.js';
import { netnsFixture, type TestNetns } from '../shared/netns-testing.js';
import type { ExitResult, TaskConfig } from '../types.js';
import { rawExecHarness, type RawExecHarness } from './testing.js';

const fx = netnsFixture();
let h: RawExecHarness;
let ns: TestNetns;

before(async () => {
  if (fx.skip) {
    process.stderr.write(`# raw_exec netns tests skipped: ${fx.skip}\n`);
    return;
  }
  h = await rawExecHarness();
  ns = await fx.make();
});

after(async () => {
  try {
    await h?.cleanup();
  } finally {
    await fx.cleanup();
  }
});

/** A long-running task in `ns` that prints its namespace first. */
function inNetns(path = ns.path): TaskConfig {
  return h.taskConfig({ command: '/bin/sh', args: ['-c', 'readlink /proc/self/ns/net; exec sleep 60'] }, { networkIsolation: { mode: 'group', path, labels: {} } });
}

/** Runs `readlink /proc/self/ns/net` through execTaskStreaming; returns what it printed. */
async function streamedLink(taskId: string, tty: boolean): Promise<{ exit: ExitResult; out: string }> {
  let out = '';
  const exit = await h.driver.execTaskStreaming(taskId, {
    command: ['/usr/bin/readlink', '/proc/self/ns/net'],
    tty,
    stdout: (b) => (out += Buffer.from(b).toString()),
    stderr: (b) => (out += Buffer.from(b).toString()),
  });
  return { exit, out };
}

test('raw_exec: the task and every exec into it run in the allocation namespace', async (t) => {
  if (fx.skip) return t.skip(fx.skip);
  assert.notEqual(ns.link, readlinkSync('/proc/self/ns/net'));
  const cfg = inNetns();
  await h.driver.startTask(cfg);
  await eventually(() => h.output(cfg) === `${ns.link}\n`, { message: 'the task to print its namespace' });

  const one = await h.driver.execTask(cfg.id, ['/usr/bin/readlink', '/proc/self/ns/net'], 10_000);
  assert.equal(one.exitResult.exitCode, 0);
  assert.equal(Buffer.from(one.stdout).toString(), `${ns.link}\n`);

  const piped = await streamedLink(cfg.id, false);
  assert.equal(piped.exit.exitCode, 0);
  assert.equal(piped.out, `${ns.link}\n`);
  const tty = await streamedLink(cfg.id, true);
  assert.equal(tty.exit.exitCode, 0);
  assert.equal(tty.out.trim(), ns.link);

  await h.driver.stopTask(cfg.id, 0, 'SIGKILL');
  await h.driver.destroyTask(cfg.id, false);
});

test('raw_exec: without a spec (host mode) the task keeps the host namespace', async (t) => {
  if (fx.skip) return t.skip(fx.skip);
  const cfg = h.taskConfig({ command: '/usr/bin/readlink', args: ['/proc/self/ns/net'] }, { networkIsolation: { mode: 'host', path: '', labels: {} } });
  await h.driver.startTask(cfg);
  assert.equal((await h.driver.waitTask(cfg.id, {})).exitCode, 0);
  assert.equal(h.output(cfg), `${readlinkSync('/proc/self/ns/net')}\n`);
  await h.driver.destroyTask(cfg.id, false);
});

test('raw_exec: a namespace path that does not exist fails the start, naming the path', async (t) => {
  if (fx.skip) return t.skip(fx.skip);
  const missing = fx.missingPath();
  await assert.rejects(h.driver.startTask(inNetns(missing)), (err: unknown) => {
    assert.ok(err instanceof DroverError);
    assert.equal(err.code, ErrorCode.driverStart);
    assert.equal(err.message, `failed to launch command with executor: network namespace ${missing} does not exist`);
    assert.equal(err.recoverable, false);
    return true;
  });
});

test('raw_exec: after the driver and the executor daemon restart, execs into a recovered task still join its namespace', async (t) => {
  if (fx.skip) return t.skip(fx.skip);
  const cfg = inNetns();
  const { handle } = await h.driver.startTask(cfg);
  await eventually(() => h.output(cfg) === `${ns.link}\n`, { message: 'the task to print its namespace' });
  // The agent goes away (its tasks keep running), then the daemon dies hard.
  await h.driver.shutdown({});
  const probe = new ExecutorClient({ dataDir: h.dataDir, autoStart: false });
  const daemonPid = (await probe.status()).pid;
  probe.close();
  process.kill(daemonPid, 'SIGKILL');
  await eventually(() => !alive(daemonPid), { message: 'the executor daemon to die' });

  // A new driver reattaches; its first call starts a new daemon, which re-adopts the task from its journal.
  const h2 = await rawExecHarness({ enabled: true }, h.dataDir);
  try {
    await h2.driver.recoverTask(handle);
    const one = await h2.driver.execTask(cfg.id, ['/usr/bin/readlink', '/proc/self/ns/net'], 10_000);
    assert.equal(Buffer.from(one.stdout).toString(), `${ns.link}\n`);
    await h2.driver.stopTask(cfg.id, 0, 'SIGKILL');
    await h2.driver.destroyTask(cfg.id, false);
  } finally {
    await h2.driver.shutdown({});
  }
});
