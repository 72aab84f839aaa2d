/**
 * exec end to end through the real executor daemon: isolated tasks start,
 * exit, stop, report stats and OOM kills, accept exec sessions and signals,
 * and are recovered by a new driver instance. Root only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExecutorClient } from '../../executor/client.js';
import { detectIsolation, mountsUnder, removeIsolatedRoot } from '../../executor/isolation/index.js';
import { DroverError, TaskNotFoundError } from '../../model/errors.js';
import type { TaskConfig, TaskResourceUsage } from '../types.js';
import { silentLogger, sinkLogger, type LogRecord } from '../../model/logger.js';
import { eventually } from '../../model/testing/eventually.js';
import { ExecDriver } from './driver.js';
import { decodeExecutorState } from '../shared/executor-task.js';
import { execTaskConfig } from './testing.js';

let skipReason: string | undefined;
let base = '';
let dataDir = '';
const drivers: ExecDriver[] = [];
const allocs: TaskConfig[] = [];

before(async () => {
  const s = await detectIsolation();
  if (!s.ok) skipReason = `isolation unavailable here: ${s.reason}`;
  base = mkdtempSync(join(tmpdir(), 'drover-exec-e2e-'));
  dataDir = join(base, 'data');
});

after(async () => {
  // A failed test may leave its task behind: kill and forget whatever is still known.
  for (const d of drivers) for (const c of allocs) await d.destroyTask(c.id, true).catch(() => undefined);
  for (const d of drivers) await d.shutdown({});
  const client = new ExecutorClient({ dataDir, autoStart: false });
  try {
    await client.stopDaemonIfIdle();
  } finally {
    client.close();
  }
  for (const c of allocs) removeIsolatedRoot(c.taskDir.dir);
  assert.deepEqual(mountsUnder(base), []);
  rmSync(base, { recursive: true, force: true });
});

async function newDriver(pluginConfig: Record<string, unknown> = {}): Promise<ExecDriver> {
  const d = new ExecDriver({ logger: silentLogger, now: Date.now }, { dataDir });
  await d.setConfig({ pluginConfig });
  drivers.push(d);
  return d;
}

function config(driverConfig: Record<string, unknown>, opts: Parameters<typeof execTaskConfig>[1] = {}): TaskConfig {
  const c = execTaskConfig(driverConfig, { allocDir: join(base, `alloc${allocs.length}`), ...opts });
  allocs.push(c);
  return c;
}

/** Starts, waits for the exit, destroys; returns the exit and stdout. */
async function runToExit(d: ExecDriver, c: TaskConfig) {
  await d.startTask(c);
  const exit = await d.waitTask(c.id, {});
  await d.destroyTask(c.id, false);
  return { exit, stdout: readFileSync(c.stdoutPath, 'utf8'), stderr: readFileSync(c.stderrPath, 'utf8') };
}

/** Host pids whose cwd or root is inside the task dir (a task's processes, wherever they moved). */
function processesIn(c: TaskConfig): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const root = readlinkSync(`/proc/${name}/root`);
      if (root.startsWith(c.taskDir.dir)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Every process below `root` (by parent pid). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, ppid] of parent) {
      if (ppid !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Polls the task's stdout log until it contains `text`. */
async function logged(c: TaskConfig, text: string): Promise<void> {
  await eventually(() => existsSync(c.stdoutPath) && readFileSync(c.stdoutPath, 'utf8').includes(text), { intervalMs: 20, message: `"${text}" in ${c.stdoutPath}` });
}

describe('exec driver through the executor', () => {
  test('fingerprint: driver.exec = true on this host', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    const ac = new AbortController();
    for await (const fp of d.fingerprint({ signal: ac.signal })) {
      assert.deepEqual(fp, { attributes: { 'driver.exec': true }, health: 'healthy', healthDescription: 'Healthy' });
      ac.abort();
    }
  });

  test('start → exit code, output in the task log, as nobody in its own namespaces', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    const c = config({ command: '/bin/sh', args: ['-c', 'echo pid=$$ uid=$(id -u) dir=$NOMAD_TASK_DIR; ls /local >/dev/null; test -e /home || echo no-home; exit 3'] });
    const r = await runToExit(d, c);
    assert.deepEqual(r.exit, { exitCode: 3, signal: 0, oomKilled: false });
    assert.equal(r.stdout, 'pid=1 uid=65534 dir=/local\nno-home\n');
  });

  test('capabilities: Nomad defaults, cap_drop all → none, cap_add within allow_caps', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    const capEff = async (cfg: Record<string, unknown>, user = 'root'): Promise<string> => {
      const r = await runToExit(d, config({ command: '/bin/sh', args: ['-c', 'grep CapEff /proc/self/status'], ...cfg }, { user }));
      return r.stdout.trim().split(/\s+/)[1] as string;
    };
    assert.equal(await capEff({}), '00000000a80405fb'); // Nomad's 13 defaults
    assert.equal(await capEff({ cap_drop: ['all'] }), '0000000000000000');
    assert.equal(await capEff({ cap_drop: ['all'], cap_add: ['net_bind_service'] }, 'nobody'), '0000000000000400');
  });

  test('stop: kill_signal, then SIGKILL to the whole tree after the timeout; destroy rules', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    // PID 1 of a namespace has no default action for SIGINT (as under Nomad) and the
    // background sleep ignores it (sh's async lists do), so this needs the SIGKILL.
    const c = config({ command: '/bin/sh', args: ['-c', 'sleep 60 & echo started; exec sleep 61'] });
    await d.startTask(c);
    await logged(c, 'started');
    // Until sh has exec'd `sleep 61` it is PID 1 with a SIGINT handler and would exit 130 on the signal.
    const taskPid = Number((await d.inspectTask(c.id)).driverAttributes['pid']);
    await eventually(() => descendants(taskPid).some((p) => cmdline(p) === 'sleep\x0061\x00'), { message: 'sleep 61 to replace the shell' });
    await assert.rejects(d.destroyTask(c.id, false), (e: unknown) => e instanceof DroverError && /cannot destroy running task/.test(e.message));
    const t0 = Date.now();
    await d.stopTask(c.id, 300, 'SIGINT');
    const elapsed = Date.now() - t0;
    const exit = await d.waitTask(c.id, {});
    const context = `after ${elapsed} ms: ${JSON.stringify(exit)}; log: ${readFileSync(c.stderrPath, 'utf8')}`;
    assert.ok(elapsed >= 250, `waited for the kill timeout ${context}`);
    assert.equal(exit.signal, 9, context);
    const pid = Number((await d.inspectTask(c.id)).driverAttributes['pid']);
    assert.ok(!existsSync(`/proc/${pid}`), context);
    assert.deepEqual(processesIn(c), [], `no process of the task survives ${context}`);
    await d.destroyTask(c.id, false);
    await assert.rejects(d.inspectTask(c.id), TaskNotFoundError);
  });

  test('signals reach the task; a task handling SIGTERM stops on it', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    const c = config({ command: '/bin/sh', args: ['-c', 'trap "echo hup" HUP; trap "echo bye; exit 0" TERM; echo ready; while :; do sleep 0.05; done'] });
    await d.startTask(c);
    await logged(c, 'ready');
    await d.signalTask(c.id, 'SIGHUP');
    await logged(c, 'hup');
    await d.stopTask(c.id, 5_000, 'SIGTERM');
    assert.deepEqual(await d.waitTask(c.id, {}), { exitCode: 0, signal: 0, oomKilled: false });
    assert.match(readFileSync(c.stdoutPath, 'utf8'), /ready\nhup\nbye\n/);
    await d.destroyTask(c.id, false);
  });

  test('exec into the running task: its pid namespace, chroot and user', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    const c = config({ command: '/bin/sh', args: ['-c', 'echo ready; exec sleep 60'], work_dir: '/local' });
    await d.startTask(c);
    await logged(c, 'ready');
    const probe = ['/bin/sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; pwd; id -u; test -e /home || echo no-home; exit 5'];
    // "ready" comes just before the task's exec of sleep: probe until it happened.
    const r = await eventually(
      async () => {
        const x = await d.execTask(c.id, probe, 5_000);
        return Buffer.from(x.stdout).toString().startsWith('sleep') && x;
      },
      { intervalMs: 25, message: 'the task to exec sleep' },
    );
    assert.equal(Buffer.from(r.stdout).toString(), 'sleep 60 \n/local\n65534\nno-home\n');
    assert.equal(r.exitResult.exitCode, 5);
    await d.stopTask(c.id, 0, 'SIGKILL');
    await d.waitTask(c.id, {});
    await d.destroyTask(c.id, false);
  });

  test('host volumes: propagation_mode host-to-task and bidirectional show what the host mounts later, private does not; read-only holds', async (t) => {
    if (skipReason) return t.skip(skipReason);
    // Propagation needs the host path on a shared mount (systemd makes / shared; here / may be private).
    const vol = join(base, 'vol');
    mkdirSync(join(vol, 'sub'), { recursive: true });
    writeFileSync(join(vol, 'sub', 'file'), 'on-disk\n');
    const sh = (...args: string[]): void => {
      const r = spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8' });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    };
    sh('mount', '--bind', vol, vol);
    try {
      const warnings: LogRecord[] = [];
      const d = new ExecDriver({ logger: sinkLogger((r) => r.level === 'warn' && warnings.push(r)), now: Date.now }, { dataDir });
      drivers.push(d);
      await d.setConfig({ pluginConfig: {} });

      // On a private mount nothing would propagate: the driver says so.
      sh('mount', '--make-private', vol);
      const quiet: TaskConfig = { ...config({ command: '/bin/true' }), mounts: [{ hostPath: vol, taskPath: '/v', readonly: false, propagationMode: 'host-to-task' }] };
      await runToExit(d, quiet);
      assert.deepEqual(warnings.map((w) => w.fields['mount_point']), [vol]);
      assert.match(warnings[0]?.message ?? '', /private mount: propagation_mode host-to-task will not show the task what is mounted there later/);

      sh('mount', '--make-shared', vol);
      const c: TaskConfig = {
        ...config({ command: '/bin/sh', args: ['-c', 'echo ready; exec sleep 60'] }),
        mounts: [
          { hostPath: vol, taskPath: '/slave', readonly: true, propagationMode: 'host-to-task' },
          { hostPath: vol, taskPath: '/shared', readonly: false, propagationMode: 'bidirectional' },
          { hostPath: vol, taskPath: '/private', readonly: true, propagationMode: 'private' },
          { hostPath: vol, taskPath: '/default', readonly: false, propagationMode: '' },
        ],
      };
      await d.startTask(c);
      await logged(c, 'ready');
      const probe = async (): Promise<string> => {
        const x = await d.execTask(c.id, ['/bin/sh', '-c', 'for m in slave shared private default; do echo "$m $(cat /$m/sub/file)"; done; touch /slave/x 2>&1; touch /private/x 2>&1; touch /shared/sub/by-task && echo wrote'], 5_000);
        return Buffer.from(x.stdout).toString().replace(/^touch: /gm, '');
      };
      const readOnly = "cannot touch '/slave/x': Read-only file system\ncannot touch '/private/x': Read-only file system\n";
      assert.equal(await probe(), `slave on-disk\nshared on-disk\nprivate on-disk\ndefault on-disk\n${readOnly}wrote\n`);

      // The task's namespace exists: now the host mounts over the volume's sub dir.
      sh('mount', '-t', 'tmpfs', '-o', 'size=64k', 'drover-test', join(vol, 'sub'));
      writeFileSync(join(vol, 'sub', 'file'), 'mounted-later\n');
      assert.equal(await probe(), `slave mounted-later\nshared mounted-later\nprivate on-disk\ndefault on-disk\n${readOnly}wrote\n`);
      assert.ok(existsSync(join(vol, 'sub', 'by-task')), 'the task wrote through the propagated tmpfs');

      // Unmounting propagates as well.
      sh('umount', join(vol, 'sub'));
      assert.equal(await probe(), `slave on-disk\nshared on-disk\nprivate on-disk\ndefault on-disk\n${readOnly}wrote\n`);
      assert.ok(existsSync(join(vol, 'sub', 'by-task')));
      assert.equal(warnings.length, 1, 'no warning once the host path is shared');
      await d.stopTask(c.id, 0, 'SIGKILL');
      await d.waitTask(c.id, {});
      await d.destroyTask(c.id, false);
    } finally {
      spawnSync('umount', ['-R', '-l', vol]);
    }
  });

  test('interactive exec on a TTY inside the task', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    const c = config({ command: '/bin/sh', args: ['-c', 'echo ready; exec sleep 60'] });
    await d.startTask(c);
    await logged(c, 'ready');
    let out = '';
    async function* stdin(): AsyncIterable<Uint8Array> {
      yield Buffer.from('echo in=$(id -u)\nexit 6\n');
    }
    const exit = await d.execTaskStreaming(c.id, {
      command: ['/bin/sh', '-c', 'test -t 0 && echo tty-yes; exec /bin/sh'],
      tty: true,
      stdin: stdin(),
      stdout: (b) => (out += Buffer.from(b).toString()),
      stderr: (b) => (out += Buffer.from(b).toString()),
    });
    assert.equal(exit.exitCode, 6, out);
    assert.match(out, /tty-yes/);
    assert.match(out, /in=65534/);
    await d.stopTask(c.id, 0, 'SIGKILL');
    await d.destroyTask(c.id, false);
  });

  test('stats come from the task\'s cgroup', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    const c = config({ command: '/bin/sh', args: ['-c', 'x=$(head -c 8000000 /dev/zero | tr "\\0" a); echo ready; exec sleep 60'] });
    await d.startTask(c);
    await logged(c, 'ready');
    const ac = new AbortController();
    let sample: TaskResourceUsage | undefined;
    for await (const s of d.taskStats(c.id, 100, { signal: ac.signal })) {
      sample = s;
      ac.abort();
    }
    assert.ok(sample && sample.memory.usage > 0 && sample.memory.measured.length > 0, JSON.stringify(sample));
    assert.ok(sample.cpu.measured.includes('Total Ticks') || sample.cpu.measured.length > 0);
    await d.stopTask(c.id, 0, 'SIGKILL');
    await d.waitTask(c.id, {});
    await d.destroyTask(c.id, false);
  });

  test('a task over memory_max is OOM-killed and reported', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver();
    // dash keeps a command substitution's output in memory: 200 MB against a 32 MiB limit.
    const c = config({ command: '/bin/sh', args: ['-c', 'x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived'] }, { memoryMb: 32, memoryMaxMb: 32 });
    const r = await runToExit(d, c);
    assert.equal(r.exit.oomKilled, true, JSON.stringify(r.exit));
    assert.equal(r.exit.signal, 9);
    assert.doesNotMatch(r.stdout, /survived/);
  });

  test('a fork bomb is held by pids_limit and fully killed on stop', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d = await newDriver({ pids_limit: 64 });
    // The bomb's PID 1 must stay (its exit would tear the pid namespace down by itself).
    const c = config({ command: '/bin/sh', args: ['-c', 'echo ready; b() { b | b & }; b; exec sleep 60'] });
    const res = await d.startTask(c);
    await logged(c, 'ready');
    const memCg = decodeExecutorState(res.handle.driverState).state.cgroup ?? '';
    const pidsCg = memCg.replace('/sys/fs/cgroup/memory/', '/sys/fs/cgroup/pids/');
    if (pidsCg !== memCg && existsSync(`${pidsCg}/pids.max`)) {
      assert.equal(readFileSync(`${pidsCg}/pids.max`, 'utf8').trim(), '64');
      // The bomb has run into the limit: the kernel refused forks at pids.max.
      await eventually(() => /^max [1-9]/m.test(readFileSync(`${pidsCg}/pids.events`, 'utf8')), { message: 'forks refused at pids_limit' });
      assert.ok(Number(readFileSync(`${pidsCg}/pids.current`, 'utf8')) <= 64);
    }
    await d.stopTask(c.id, 0, 'SIGKILL');
    const exit = await d.waitTask(c.id, {});
    assert.equal(exit.signal, 9);
    if (existsSync(`${pidsCg}/cgroup.procs`)) assert.equal(readFileSync(`${pidsCg}/cgroup.procs`, 'utf8').trim(), '');
    await d.destroyTask(c.id, false);
  });

  test('recoverTask: a new driver reattaches from driver_state and sees the exit', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const d1 = await newDriver();
    // Runs until the test creates /local/go, so it is surely still running when recovered.
    const c = config({ command: '/bin/sh', args: ['-c', 'echo ready; while [ ! -e /local/go ]; do sleep 0.02; done; exit 7'] });
    const res = await d1.startTask(c);
    await logged(c, 'ready');
    await d1.shutdown({});
    const d2 = await newDriver();
    await d2.recoverTask(res.handle);
    await d2.recoverTask(res.handle); // idempotent
    assert.equal((await d2.inspectTask(c.id)).state, 'running');
    writeFileSync(join(c.taskDir.localDir, 'go'), '');
    assert.deepEqual(await d2.waitTask(c.id, {}), { exitCode: 7, signal: 0, oomKilled: false });
    await d2.destroyTask(c.id, false);
    await assert.rejects(d2.recoverTask({ ...res.handle, driverState: Buffer.from('junk') }), /failed to decode task state from handle/);
  });
});
