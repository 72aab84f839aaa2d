/**
 * Joining a network namespace between fork and exec: the native spawner's
 * setns step and the sh prefix's nsenter hop (what exec sessions and the
 * child_process fallback use), their failures, and planLaunch refusing a
 * path that names no namespace. Root and iproute2 only.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DroverError, ErrorCode } from '../../model/errors.js';
import type { ExitResult } from '../../model/task-result.js';
import type { LaunchSpec } from '../types.js';
import { planLaunch, type SpawnPlan } from './command.js';
import { spawnDetached, spawnTask, TASK_SPAWNER } from './spawn.js';

let skip: string | undefined;
const name = `drover-test-${randomUUID()}`;
const nsPath = `/var/run/netns/${name}`;
let link = '';

before(() => {
  if (process.getuid?.() !== 0) skip = 'joining a network namespace needs root';
  else {
    try {
      execFileSync('ip', ['netns', 'add', name]);
      link = `net:[${fs.statSync(nsPath).ino}]`;
    } catch (err) {
      skip = `cannot create a network namespace here: ${(err as Error).message}`;
    }
  }
  if (skip) process.stderr.write(`# executor netns tests skipped: ${skip}\n`);
});

after(() => {
  if (fs.existsSync(nsPath)) execFileSync('ip', ['netns', 'delete', name]);
});

const hostLink = (): string => fs.readlinkSync('/proc/self/ns/net');
const readlinkPlan = (setup?: SpawnPlan['setup']): SpawnPlan => ({ file: '/usr/bin/readlink', args: ['/proc/self/ns/net'], env: { PATH: '/usr/bin:/bin' }, cwd: '/', ...(setup ? { setup } : {}) });

/** Runs `plan` through spawnTask with stdout into a file. */
async function viaSpawnTask(plan: SpawnPlan): Promise<{ exit: ExitResult; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-netns-spawn-'));
  const fd = fs.openSync(path.join(dir, 'out'), 'w');
  try {
    let done!: (r: ExitResult) => void;
    const exited = new Promise<ExitResult>((r) => (done = r));
    await spawnTask(plan, fd, fd, done);
    const exit = await exited;
    return { exit, out: fs.readFileSync(path.join(dir, 'out'), 'utf8') };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `plan` through child_process with the sh prefix (the exec-session path). */
async function viaShellPrefix(plan: SpawnPlan): Promise<{ code: number | null; out: string; err: string }> {
  const { child, started } = spawnDetached(plan, ['ignore', 'pipe', 'pipe']);
  await started;
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', (c: number | null) => r(c)));
  return { code, out, err };
}

test(`spawnTask (${TASK_SPAWNER}): the task runs in the namespace it is given, the daemon stays outside`, async (t) => {
  if (skip) return t.skip(skip);
  const before = hostLink();
  const r = await viaSpawnTask(readlinkPlan({ cgroupProcs: [], netnsPath: nsPath }));
  assert.deepEqual(r.exit, { exitCode: 0, signal: 0, oomKilled: false });
  assert.equal(r.out.trim(), link);
  assert.notEqual(link, before);
  assert.equal(hostLink(), before, 'the spawning process did not move');
  // Without the setup the task stays in the host's namespace.
  assert.equal((await viaSpawnTask(readlinkPlan())).out.trim(), before);
});

test('sh prefix: nsenter --net joins the namespace before setpriv drops to the task user', async (t) => {
  if (skip) return t.skip(skip);
  const r = await viaShellPrefix({
    file: '/bin/sh',
    args: ['-c', 'readlink /proc/self/ns/net; id -u'],
    env: { PATH: '/usr/bin:/bin' },
    cwd: '/',
    setup: { cgroupProcs: [], netnsPath: nsPath, user: { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent', groups: [65534] } },
  });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${link}\n65534\n`);
});

test('native spawner: a file that is no namespace fails the setns step, naming it', { skip: TASK_SPAWNER === 'native' ? false : 'the native spawner is not built' }, async (t) => {
  if (skip) return t.skip(skip);
  await assert.rejects(
    spawnTask(readlinkPlan({ cgroupProcs: [], netnsPath: '/dev/null' }), 1, 2, () => assert.fail('no exit for a task that never started')),
    (err: unknown) => err instanceof DroverError && err.code === ErrorCode.driverStart && /join network namespace: Invalid argument/.test(err.message),
  );
});

test('planLaunch: a namespace path that does not exist, or names no namespace, is a start error naming the path', async (t) => {
  if (skip) return t.skip(skip);
  const spec: LaunchSpec = {
    taskId: 'alloc/t/1',
    command: '/bin/true',
    args: [],
    env: {},
    cwd: '/',
    user: '',
    output: { kind: 'paths', stdoutPath: '/dev/null', stderrPath: '/dev/null' },
    resources: { cpuShares: 100, memoryMb: 64, memoryMaxMb: 0, pidsLimit: 0 },
    cgroup: false,
  };
  const missing = `/var/run/netns/drover-missing-${randomUUID()}`;
  await assert.rejects(planLaunch({ ...spec, netnsPath: missing }, undefined), (err: unknown) => {
    assert.ok(err instanceof DroverError);
    assert.equal(err.code, ErrorCode.driverStart);
    assert.equal(err.message, `network namespace ${missing} does not exist`);
    return true;
  });
  await assert.rejects(planLaunch({ ...spec, netnsPath: '/etc/hostname' }, undefined), /\/etc\/hostname is not a network namespace/);
  const plan = await planLaunch({ ...spec, netnsPath: nsPath }, undefined);
  assert.equal(plan.setup?.netnsPath, nsPath);
});
