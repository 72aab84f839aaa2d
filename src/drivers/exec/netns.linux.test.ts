/**
 * The exec driver in an allocation's network namespace: the isolated task
 * (own mount/uts/ipc/pid namespaces and chroot) sits in the namespace
 * TaskConfig.networkIsolation names, its /sys shows that namespace's
 * interfaces, and one-shot and interactive execs (pipes and TTY, private
 * and host pid mode) join it; a missing namespace is a start error naming
 * it. Root, isolation and iproute2 only.
 */
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectIsolation, mountsUnder, removeIsolatedRoot } from '../../executor/isolation/index.js';
import { DroverError, ErrorCode } from '../../model/errors.js';
import { silentLogger } from '../../model/logger.js';
import { eventually } from '../../model/testing/eventually.js';
import { netnsFixture, type TestNetns } from '../shared/netns-testing.js';
import type { ExitResult, TaskConfig } from '../types.js';
import { ExecDriver } from './driver.js';
import { execTaskConfig } from './testing.js';

const fx = netnsFixture();
let skip: string | undefined;
let base = '';
let driver: ExecDriver;
let ns: TestNetns;
const configs: TaskConfig[] = [];

before(async () => {
  skip = fx.skip;
  if (!skip) {
    const s = await detectIsolation();
    if (!s.ok) skip = `isolation unavailable here: ${s.reason}`;
  }
  if (skip) {
    process.stderr.write(`# exec netns tests skipped: ${skip}\n`);
    return;
  }
  base = mkdtempSync(join(tmpdir(), 'drover-exec-netns-'));
  driver = new ExecDriver({ logger: silentLogger, now: Date.now }, { dataDir: join(base, 'data') });
  await driver.setConfig({ pluginConfig: {} });
  ns = await fx.make();
});

after(async () => {
  try {
    if (base !== '') {
      for (const c of configs) await driver.destroyTask(c.id, true).catch(() => undefined);
      // Stops the (now idle) executor daemon too.
      await driver.shutdown({});
      for (const c of configs) removeIsolatedRoot(c.taskDir.dir);
      assert.deepEqual(mountsUnder(base), []);
      rmSync(base, { recursive: true, force: true });
    }
  } finally {
    await fx.cleanup();
  }
});

function config(pidMode: 'private' | 'host', path = ns.path): TaskConfig {
  const c = execTaskConfig(
    { command: '/bin/sh', args: ['-c', 'readlink /proc/self/ns/net; ls /sys/class/net; echo ready; exec sleep 60'], pid_mode: pidMode },
    { allocDir: join(base, `alloc${configs.length}`) },
  );
  const withNet: TaskConfig = { ...c, networkIsolation: { mode: 'group', path, labels: {} } };
  configs.push(withNet);
  return withNet;
}

async function streamedLink(taskId: string, tty: boolean): Promise<{ exit: ExitResult; out: string }> {
  let out = '';
  const exit = await driver.execTaskStreaming(taskId, {
    command: ['/usr/bin/readlink', '/proc/self/ns/net'],
    tty,
    stdout: (b) => (out += Buffer.from(b).toString()),
    stderr: (b) => (out += Buffer.from(b).toString()),
  });
  return { exit, out };
}

for (const pidMode of ['private', 'host'] as const) {
  test(`exec (pid_mode ${pidMode}): the isolated task and every exec into it run in the allocation namespace`, async (t) => {
    if (skip) return t.skip(skip);
    assert.notEqual(ns.link, readlinkSync('/proc/self/ns/net'));
    const c = config(pidMode);
    await driver.startTask(c);
    await eventually(() => readFileSync(c.stdoutPath, 'utf8').includes('ready'), { message: 'the task to start' });
    // The namespace made by `ip netns add` has only lo: the task's own sysfs shows the joined namespace.
    assert.equal(readFileSync(c.stdoutPath, 'utf8'), `${ns.link}\nlo\nready\n`);

    const one = await driver.execTask(c.id, ['/usr/bin/readlink', '/proc/self/ns/net'], 10_000);
    assert.equal(one.exitResult.exitCode, 0, Buffer.from(one.stderr).toString());
    assert.equal(Buffer.from(one.stdout).toString(), `${ns.link}\n`);
    const piped = await streamedLink(c.id, false);
    assert.equal(piped.exit.exitCode, 0, piped.out);
    assert.equal(piped.out, `${ns.link}\n`);
    const tty = await streamedLink(c.id, true);
    assert.equal(tty.exit.exitCode, 0, tty.out);
    assert.equal(tty.out.trim(), ns.link);

    await driver.stopTask(c.id, 0, 'SIGKILL');
    await driver.destroyTask(c.id, false);
  });
}

test('exec: a namespace path that does not exist fails the start, naming the path', async (t) => {
  if (skip) return t.skip(skip);
  const missing = fx.missingPath();
  await assert.rejects(driver.startTask(config('private', missing)), (err: unknown) => {
    assert.ok(err instanceof DroverError);
    assert.equal(err.code, ErrorCode.driverStart);
    assert.match(err.message, new RegExp(`network namespace ${missing} does not exist`));
    return true;
  });
});
