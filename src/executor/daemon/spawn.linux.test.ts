import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExitResult } from '../../model/task-result.js';
import { DroverError, ErrorCode } from '../../model/errors.js';
import { spawnTask, TASK_SPAWNER } from './spawn.js';
import type { SpawnPlan } from './command.js';

const isRoot = process.getuid?.() === 0;

/** Runs `script` through spawnTask with stdout into a file; resolves with its exit and output. */
async function run(script: string, extra: Partial<SpawnPlan> = {}): Promise<{ exit: ExitResult; out: string; pid: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-spawn-'));
  const outFile = path.join(dir, 'out');
  const fd = fs.openSync(outFile, 'w');
  try {
    let resolveExit!: (r: ExitResult) => void;
    const exited = new Promise<ExitResult>((r) => (resolveExit = r));
    const { pid } = await spawnTask({ file: '/bin/sh', args: ['-c', script], env: { PATH: '/usr/bin:/bin' }, cwd: dir, ...extra }, fd, fd, resolveExit);
    const exit = await exited;
    return { exit, out: fs.readFileSync(outFile, 'utf8'), pid };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test(`spawnTask (${TASK_SPAWNER}): exit code, signal, own session, cwd, exact env, default SIGPIPE`, async () => {
  const r = await run('echo "sid=$(cut -d" " -f6 /proc/$$/stat) pid=$$ pwd=$(pwd) env=$(env | sort | tr "\\n" ,)"; grep SigIgn /proc/$$/status; exit 7');
  assert.deepEqual(r.exit, { exitCode: 7, signal: 0, oomKilled: false });
  assert.match(r.out, new RegExp(`sid=${r.pid} pid=${r.pid} `), 'the task leads its own session');
  assert.match(r.out, /pwd=\/tmp\/drover-spawn-/);
  // Only what the plan gives (the shell adds PWD, and some shells SHLVL and _).
  const env = /env=([^\n]*)\n/.exec(r.out)?.[1]?.split(',').filter((e) => e !== '' && !/^(PWD|SHLVL|_)=/.test(e));
  assert.deepEqual(env, ['PATH=/usr/bin:/bin']);
  // Node ignores SIGPIPE; a task must not inherit that.
  assert.match(r.out, /SigIgn:\s+0+\n/);
  const killed = await run('kill -TERM $$; sleep 5');
  assert.deepEqual(killed.exit, { exitCode: 143, signal: 15, oomKilled: false });
});

test(`spawnTask (${TASK_SPAWNER}): a command that cannot start is a start error naming it`, async () => {
  await assert.rejects(
    spawnTask({ file: '/nonexistent/cmd', args: [], env: {}, cwd: '/' }, 1, 2, () => assert.fail('no exit for a task that never started')),
    (err: unknown) => err instanceof DroverError && err.code === ErrorCode.driverStart && /path="\/nonexistent\/cmd"/.test(err.message),
  );
});

test(`spawnTask (${TASK_SPAWNER}): oom_score_adj and user are set before exec`, { skip: isRoot ? false : 'needs root to switch users' }, async () => {
  const r = await run('echo "$(id -u) $(id -g) $(id -G) $(cat /proc/self/oom_score_adj)"', {
    setup: { cgroupProcs: [], oomScoreAdj: 300, user: { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent', groups: [65534] } },
  });
  assert.deepEqual(r.exit, { exitCode: 0, signal: 0, oomKilled: false });
  assert.equal(r.out.trim(), '65534 65534 65534 300');
});

test(`spawnTask (${TASK_SPAWNER}): a setup step that fails leaves nothing running`, { skip: isRoot ? false : 'needs root to write cgroup.procs' }, async () => {
  const before = new Set(fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)));
  const attempt = spawnTask({ file: '/bin/sleep', args: ['30'], env: {}, cwd: '/', setup: { cgroupProcs: ['/nonexistent-cgroup/cgroup.procs'] } }, 1, 2, () => undefined);
  if (TASK_SPAWNER === 'native') {
    await assert.rejects(attempt, (err: unknown) => err instanceof DroverError && /join cgroup: No such file or directory/.test(err.message));
  } else {
    await attempt; // the sh prefix exits 125 instead
  }
  const sleeping = fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && !before.has(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8') === '/bin/sleep\x0030\x00';
      } catch {
        return false;
      }
    });
  assert.deepEqual(sleeping, []);
});
