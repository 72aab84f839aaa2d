import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriverStartError, DroverError, TaskAlreadyExistsError, TaskNotFoundError, ValidationError } from '../../model/errors.js';
import { isExecStreamingDriver, type ExitResult, type Fingerprint, type LogRotation, type TaskConfig } from '../types.js';
import { silentLogger } from '../../model/logger.js';
import { PLUGIN_SHUTDOWN_ERR } from './command.js';
import { MockDriver } from './driver.js';
import { eventually, within } from '../../model/testing/eventually.js';
import { ManualClock } from '../../model/testing/manual-clock.js';

let seq = 0;

function newDriver(now: () => number = Date.now): MockDriver {
  return new MockDriver({ logger: silentLogger, now });
}

/*
 * Timing in these tests: lower bounds only ("not before run_for"), measured on
 * the monotonic clock the driver's timers use; the exact schedule (run_for,
 * repeats without drift, plugin_exit_after, cancel) is asserted on a manual
 * clock in command.test.ts, and speed is measured by bench/ (plugin.ts: StartTask
 * p50/p99; taskrunner.ts: 1,000-task bursts). Hang guards use `within`.
 */

/** A TaskConfig with real directories under a fresh temp dir. */
function taskConfig(driverConfig: Record<string, unknown>, opts: { name?: string; logRotation?: LogRotation; dir?: string } = {}): TaskConfig {
  const allocDir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'drover-mock-'));
  const name = opts.name ?? 'web';
  const logDir = path.join(allocDir, 'alloc', 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const id = `alloc-${++seq}/${name}/${Math.random().toString(36).slice(2)}`;
  return {
    id,
    jobName: 'mock',
    jobId: 'mock',
    taskGroupName: 'group',
    name,
    namespace: 'default',
    nodeName: 'node',
    nodeId: 'node-1',
    allocId: `alloc-${seq}`,
    env: {},
    resources: { cpuShares: 100, cores: 0, memoryMb: 128, memoryMaxMb: 0 },
    mounts: [],
    devices: [],
    user: '',
    allocDir,
    taskDir: {
      dir: path.join(allocDir, name),
      sharedAllocDir: path.join(allocDir, 'alloc'),
      logDir,
      localDir: path.join(allocDir, name, 'local'),
      secretsDir: path.join(allocDir, name, 'secrets'),
      tmpDir: path.join(allocDir, name, 'tmp'),
    },
    stdoutPath: path.join(logDir, `${name}.stdout.0`),
    stderrPath: path.join(logDir, `${name}.stderr.0`),
    ...(opts.logRotation ? { logRotation: opts.logRotation } : {}),
    driverConfig,
  };
}

/** Starts a task and returns its config with the time startTask resolved. */
async function start(d: MockDriver, driverConfig: Record<string, unknown>, opts: Parameters<typeof taskConfig>[1] = {}) {
  const cfg = taskConfig(driverConfig, opts);
  const t0 = performance.now();
  const res = await d.startTask(cfg);
  return { cfg, res, t0, startMs: performance.now() - t0 };
}

async function waitExit(d: MockDriver, id: string, t0: number): Promise<{ r: ExitResult; ms: number }> {
  const r = await d.waitTask(id, {});
  return { r, ms: performance.now() - t0 };
}

async function rejectsWith<T extends Error>(p: Promise<unknown> | (() => unknown), cls: new (...a: never[]) => T, re?: RegExp): Promise<T> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    if (re) assert.match(e.message, re);
    return e;
  }
  assert.fail(`expected ${cls.name}`);
}

test('MockDriver: plugin info, schemas and default capabilities', () => {
  const d = newDriver();
  assert.deepEqual(d.pluginInfo(), { type: 'driver', pluginApiVersions: ['v0.1.0'], pluginVersion: '0.1.0', name: 'mock_driver' });
  assert.ok('fs_isolation' in d.configSchema().fields);
  assert.ok('exec_command' in d.taskConfigSchema().fields);
  assert.deepEqual(d.capabilities(), {
    sendSignals: true,
    exec: true,
    fsIsolation: 'none',
    netIsolationModes: [],
    mustInitiateNetwork: false,
    mountConfigs: 'none',
  });
  assert.ok(isExecStreamingDriver(d));
});

test('MockDriver_SetConfig: fs_isolation sets the capability; a bad value is rejected by field name', async () => {
  const d = newDriver();
  await d.setConfig({ pluginConfig: { fs_isolation: 'chroot' } });
  assert.equal(d.capabilities().fsIsolation, 'chroot');
  await d.setConfig({ pluginConfig: { fs_isolation: 'image' } });
  assert.equal(d.capabilities().fsIsolation, 'image');
  const e = await rejectsWith(d.setConfig({ pluginConfig: { fs_isolation: 'vm' } }), ValidationError, /fs_isolation/);
  assert.equal(e.field, 'config.fs_isolation');
  assert.equal(d.capabilities().fsIsolation, 'image', 'a rejected config changes nothing');
});

test('MockDriver_Fingerprint: healthy with driver.mock_driver, ends on abort', async () => {
  const d = newDriver();
  const ac = new AbortController();
  const seen: Fingerprint[] = [];
  const done = (async () => {
    for await (const fp of d.fingerprint({ signal: ac.signal })) seen.push(fp);
  })();
  await eventually(() => seen.length > 0, { message: 'the first fingerprint' });
  ac.abort();
  await done;
  assert.deepEqual(seen, [{ attributes: { 'driver.mock_driver': true }, health: 'healthy', healthDescription: 'Healthy' }]);
});

test('MockDriver_Fingerprint: shutdown_periodic_duration (seconds) turns the driver undetected on time', async () => {
  const d = newDriver();
  // t0 before setConfig, which starts the countdown: a late t0 would make the lower bound flaky.
  const t0 = performance.now();
  await d.setConfig({ pluginConfig: { shutdown_periodic_after: true, shutdown_periodic_duration: 0.3 } });
  const ac = new AbortController();
  const seen: { fp: Fingerprint; ms: number }[] = [];
  await within(
    (async () => {
      for await (const fp of d.fingerprint({ signal: ac.signal })) {
        seen.push({ fp, ms: performance.now() - t0 });
        if (seen.length === 2) ac.abort();
      }
    })(),
    10_000,
    'the fingerprint stream',
  );
  assert.equal(seen[0]?.fp.health, 'healthy');
  assert.deepEqual(seen[1]?.fp, { attributes: {}, health: 'undetected', healthDescription: 'disabled' });
  const ms = seen[1]?.ms ?? 0;
  // Date.now() (ms granularity) sets the deadline: up to 1 ms of it may be gone before t0.
  assert.ok(ms >= 299, `switched after ${ms}ms`);
});

test('MockDriver_Fingerprint: shutdown_periodic_after without a duration is undetected at once; without the toggle never', async () => {
  const d = newDriver();
  await d.setConfig({ pluginConfig: { shutdown_periodic_after: true } });
  const ac = new AbortController();
  for await (const fp of d.fingerprint({ signal: ac.signal })) {
    assert.equal(fp.health, 'undetected');
    ac.abort();
  }
  const d2 = newDriver();
  await d2.setConfig({ pluginConfig: { shutdown_periodic_duration: 0 } });
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(), 50); // a ref'd timer: AbortSignal.timeout would let the loop drain
  for await (const fp of d2.fingerprint({ signal: ac2.signal })) assert.equal(fp.health, 'healthy');
});

test('MockDriver_Fingerprint: a setConfig during the stream emits the change', async () => {
  const d = newDriver();
  const ac = new AbortController();
  const seen: string[] = [];
  const done = (async () => {
    for await (const fp of d.fingerprint({ signal: ac.signal })) {
      seen.push(fp.health);
      if (seen.length === 2) ac.abort();
    }
  })();
  await eventually(() => seen.length === 1, { message: 'the first fingerprint' });
  await d.setConfig({ pluginConfig: { shutdown_periodic_after: true } });
  await done;
  assert.deepEqual(seen, ['healthy', 'undetected']);
});

test('MockDriver_StartTask: run_for times the exit; exit_code, exit_signal and exit_err_msg are reported', async () => {
  const d = newDriver();
  const { cfg, res, t0 } = await start(d, { run_for: '200ms', exit_code: 7, exit_signal: 9, exit_err_msg: 'the application crashed' });
  assert.equal(res.handle.version, 1);
  assert.equal(res.handle.state, 'running');
  assert.equal(res.handle.config, cfg);
  const running = await d.inspectTask(cfg.id);
  assert.equal(running.state, 'running');
  assert.equal(running.completedAt, 0);
  assert.equal(running.exitResult, undefined);
  const { r, ms } = await waitExit(d, cfg.id, t0);
  assert.ok(ms >= 200, `exited after ${ms}ms`);
  assert.deepEqual(r, { exitCode: 7, signal: 9, oomKilled: false, err: 'the application crashed' });
  const st = await d.inspectTask(cfg.id);
  assert.equal(st.state, 'exited');
  assert.equal(st.name, 'web');
  assert.deepEqual(st.exitResult, r);
  assert.ok(st.completedAt >= st.startedAt + 199, 'completedAt after startedAt + run_for');
  assert.deepEqual(await d.waitTask(cfg.id, {}), r, 'waiting on an exited task returns at once');
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_StartTask: run_for 0 is cheap — no sleep, no files, 1,000 tasks in well under a second', async () => {
  const d = newDriver();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-mock-'));
  const cfgs = Array.from({ length: 1000 }, (_, i) => taskConfig({ run_for: '0s' }, { dir, name: `t${i}` }));
  const startAll = async () => {
    for (const c of cfgs) await d.startTask(c);
    return Promise.all(cfgs.map((c) => d.waitTask(c.id, {})));
  };
  // Speed is measured by bench/ (taskrunner.ts bursts); this only catches a hang.
  const results = await within(startAll(), 30_000, '1,000 start+exit');
  for (const r of results) assert.deepEqual(r, { exitCode: 0, signal: 0, oomKilled: false });
  assert.deepEqual(fs.readdirSync(path.join(dir, 'alloc', 'logs')), [], 'no output configured: no log file opened');
  for (const c of cfgs) await d.destroyTask(c.id, false);
});

test('MockDriver_StartTask: start_block_for delays the return of startTask', async () => {
  const d = newDriver();
  const { cfg, startMs } = await start(d, { start_block_for: '150ms', run_for: '0s' });
  assert.ok(startMs >= 150, `start took ${startMs}ms`);
  await d.waitTask(cfg.id, {});
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_StartTask: start_error carries start_error_recoverable; nothing is registered', async () => {
  const d = newDriver();
  for (const recoverable of [true, false]) {
    const cfg = taskConfig({ start_error: 'failed to start', start_error_recoverable: recoverable });
    const e = await rejectsWith(d.startTask(cfg), DriverStartError, /^failed to start$/);
    assert.equal(e.recoverable, recoverable);
    assert.equal(e.code, 'driver_start');
    await rejectsWith(d.inspectTask(cfg.id), TaskNotFoundError);
  }
  // start_block_for applies before start_error, as in Nomad.
  const t0 = performance.now();
  await rejectsWith(d.startTask(taskConfig({ start_error: 'late', start_block_for: '100ms' })), DriverStartError);
  assert.ok(performance.now() - t0 >= 100);
});

test('MockDriver_StartTask: a bad config {} is a ValidationError; a duplicate id is rejected', async () => {
  const d = newDriver();
  const e = await rejectsWith(d.startTask(taskConfig({ run_for: 'forever' })), ValidationError);
  assert.equal(e.field, 'config.run_for');
  await rejectsWith(d.startTask(taskConfig({ driver_port_map: 'nope' })), ValidationError, /malformed port map/);
  const { cfg } = await start(d, { run_for: '10s' });
  await rejectsWith(d.startTask(cfg), TaskAlreadyExistsError);
  await d.destroyTask(cfg.id, true);
});

test('MockDriver_StartTask: driver_ip, driver_advertise and driver_port_map form the DriverNetwork', async () => {
  const d = newDriver();
  const a = await start(d, { driver_ip: '10.1.2.3', driver_advertise: true, driver_port_map: 'http:8080' });
  assert.deepEqual(a.res.network, { ip: '10.1.2.3', autoAdvertise: true, portMap: { http: 8080 } });
  const b = await start(d, {});
  assert.deepEqual(b.res.network, { ip: '', autoAdvertise: false, portMap: {} });
  assert.equal(d.getTaskConfig()?.config, b.cfg);
  assert.equal(d.getTaskConfig()?.mock.command.runForMs, 0);
  for (const x of [a, b]) {
    await d.waitTask(x.cfg.id, {});
    await d.destroyTask(x.cfg.id, false);
  }
});

test('MockDriver_Output: stdout/stderr written once plus `repeat` times, every repeat_duration, before the exit', async () => {
  const d = newDriver();
  const { cfg, t0 } = await start(d, {
    run_for: '0s',
    stdout_string: 'hello\n',
    stdout_repeat: 3,
    stdout_repeat_duration: '60ms',
    stderr_string: 'err!',
    stderr_repeat: 1,
    stderr_repeat_duration: '20ms',
  });
  // The first write happens as the task starts.
  assert.equal(fs.readFileSync(cfg.stdoutPath, 'utf8'), 'hello\n');
  const { ms } = await waitExit(d, cfg.id, t0);
  // As Nomad: the exit waits for the output to finish even when run_for is shorter.
  assert.ok(ms >= 180, `exited after ${ms}ms`);
  assert.equal(fs.readFileSync(cfg.stdoutPath, 'utf8'), 'hello\n'.repeat(4));
  assert.equal(fs.readFileSync(cfg.stderrPath, 'utf8'), 'err!'.repeat(2));
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_Output: repeats land on schedule (absolute deadlines, no drift)', async () => {
  const d = newDriver();
  const { cfg, t0 } = await start(d, { run_for: '0s', stdout_string: 'x', stdout_repeat: 5, stdout_repeat_duration: '40ms' });
  const times: number[] = [];
  let last = 0;
  await eventually(
    () => {
      const n = fs.readFileSync(cfg.stdoutPath, 'utf8').length;
      if (n > last) {
        times.push(performance.now() - t0);
        last = n;
      }
      return last >= 6;
    },
    { intervalMs: 2, message: 'all six writes' },
  );
  // The absolute schedule (no drift when a timer fires late) is exact in command.test.ts; here: not early.
  assert.ok((times.at(-1) ?? 0) >= 200, `last write at ${times.at(-1)}ms`);
  await d.waitTask(cfg.id, {});
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_Output: run_for longer than the output keeps the task running; appends to existing files', async () => {
  const d = newDriver();
  const cfg = taskConfig({ run_for: '150ms', stdout_string: 'a' });
  fs.writeFileSync(cfg.stdoutPath, 'before:');
  const t0 = performance.now();
  await d.startTask(cfg);
  const { ms } = await waitExit(d, cfg.id, t0);
  assert.ok(ms >= 150, `exited after ${ms}ms`);
  assert.equal(fs.readFileSync(cfg.stdoutPath, 'utf8'), 'before:a');
  assert.equal(fs.existsSync(cfg.stderrPath), false, 'stderr had nothing to write: never opened');
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_Output: with logRotation the driver rotates <task>.stdout.N itself', async () => {
  const d = newDriver();
  const { cfg } = await start(d, { stdout_string: '0123456789', stdout_repeat: 2, stderr_string: 'e' }, { logRotation: { maxFiles: 2, maxFileSizeBytes: 8 } });
  await d.waitTask(cfg.id, {});
  const logs = cfg.taskDir.logDir;
  assert.deepEqual(fs.readdirSync(logs).sort(), ['web.stderr.0', 'web.stdout.2', 'web.stdout.3']);
  assert.equal(fs.readFileSync(path.join(logs, 'web.stdout.2'), 'utf8') + fs.readFileSync(path.join(logs, 'web.stdout.3'), 'utf8'), '67890123456789');
  assert.equal(fs.readFileSync(path.join(logs, 'web.stderr.0'), 'utf8'), 'e');
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_Output: an unwritable log path ends the task with the error, as Nomad', async () => {
  const d = newDriver();
  const cfg = { ...taskConfig({ run_for: '10s', stdout_string: 'x' }), stdoutPath: '/nonexistent/dir/web.stdout.0' };
  await d.startTask(cfg);
  const r = await d.waitTask(cfg.id, {});
  assert.equal(r.exitCode, 0);
  assert.match(r.err ?? '', /ENOENT/);
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_Output: FIFO log paths never block start; output arrives once a reader attaches', async (t) => {
  const d = newDriver();
  const cfg = taskConfig({ run_for: '0s', stdout_string: 'via fifo\n', stdout_repeat: 1, stdout_repeat_duration: '10ms' });
  try {
    execFileSync('mkfifo', [cfg.stdoutPath]);
  } catch {
    t.skip('mkfifo is not available');
    return;
  }
  // No reader exists until start and the whole run are over: finishing proves neither waited for one.
  await within(d.startTask(cfg), 10_000, 'start did not wait for a FIFO reader');
  await within(d.waitTask(cfg.id, {}), 10_000, 'the run ends without a FIFO reader');
  const chunks: Buffer[] = [];
  for await (const c of fs.createReadStream(cfg.stdoutPath)) chunks.push(c as Buffer);
  assert.equal(Buffer.concat(chunks).toString(), 'via fifo\n'.repeat(2));
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_StopTask: without kill_after the task exits at once with its configured result', async () => {
  const d = newDriver();
  // Durations no test run reaches, so "at once" is "before any of them", however loaded the machine.
  const { cfg } = await start(d, { run_for: '1h', exit_code: 3, exit_signal: 15, stdout_string: 'x', stdout_repeat: 100, stdout_repeat_duration: '1h' });
  const stopTimeoutMs = 3_600_000;
  const t0 = performance.now();
  await within(d.stopTask(cfg.id, stopTimeoutMs, 'SIGINT'), 10_000, 'stopTask');
  assert.ok(performance.now() - t0 < stopTimeoutMs);
  assert.equal((await d.inspectTask(cfg.id)).state, 'exited');
  assert.deepEqual(await d.waitTask(cfg.id, {}), { exitCode: 3, signal: 15, oomKilled: false });
  assert.equal(fs.readFileSync(cfg.stdoutPath, 'utf8'), 'x', 'output stopped with the kill');
  await d.stopTask(cfg.id, 0, 'SIGKILL'); // already exited: a no-op
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_StopTask: kill_after holds the exit that long, ignoring the stop timeout', async () => {
  const d = newDriver();
  const { cfg } = await start(d, { run_for: '30s', kill_after: '200ms', exit_signal: 9, exit_err_msg: 'error on exit' });
  const wait = d.waitTask(cfg.id, {});
  const t0 = performance.now();
  await d.stopTask(cfg.id, 10, 'SIGINT');
  const ms = performance.now() - t0;
  assert.ok(ms >= 200, `stop took ${ms}ms`);
  assert.deepEqual(await wait, { exitCode: 0, signal: 9, oomKilled: false, err: 'error on exit' });
  await d.destroyTask(cfg.id, false);
});

test('MockDriver on a manual clock: kill_after holds the exit exactly that long; run_for ends the task at its deadline', async () => {
  const clock = new ManualClock(1_000);
  const d = new MockDriver({ logger: silentLogger, now: clock.now }, clock);
  const { cfg } = await start(d, { run_for: '30s', kill_after: '200ms', exit_signal: 9 });
  let stopped = false;
  const stop = d.stopTask(cfg.id, 10, 'SIGINT').then(() => (stopped = true));
  clock.advance(199);
  await new Promise((r) => setImmediate(r));
  assert.equal(stopped, false, 'still holding at 199 ms');
  assert.equal((await d.inspectTask(cfg.id)).state, 'running');
  clock.advance(1);
  await stop;
  assert.deepEqual(await d.waitTask(cfg.id, {}), { exitCode: 0, signal: 9, oomKilled: false });
  assert.equal((await d.inspectTask(cfg.id)).completedAt, 1_200);
  await d.destroyTask(cfg.id, false);

  const { cfg: timed } = await start(d, { run_for: '5s', exit_code: 4 });
  clock.advance(4_999);
  assert.equal((await d.inspectTask(timed.id)).state, 'running');
  clock.advance(1);
  assert.equal((await d.waitTask(timed.id, {})).exitCode, 4);
  assert.equal((await d.inspectTask(timed.id)).completedAt, 6_200);
  await d.destroyTask(timed.id, false);
});

test('MockDriver_StopTask: with kill_after, a task that exits first ends the stop early', async () => {
  const d = newDriver();
  const killAfterMs = 3_600_000;
  const { cfg, t0 } = await start(d, { run_for: '100ms', kill_after: '1h', exit_code: 1 });
  await within(d.stopTask(cfg.id, 0, 'SIGTERM'), 10_000, 'stopTask');
  const ms = performance.now() - t0;
  assert.ok(ms >= 100 && ms < killAfterMs, `stop returned after ${ms}ms`);
  assert.equal((await d.waitTask(cfg.id, {})).exitCode, 1);
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_WaitTask: plugin_exit_after reports the plugin shut down', async () => {
  const d = newDriver();
  const { cfg, t0 } = await start(d, { run_for: '10s', plugin_exit_after: '120ms', exit_code: 5 });
  const { r, ms } = await waitExit(d, cfg.id, t0);
  assert.ok(ms >= 120, `exited after ${ms}ms`);
  assert.deepEqual(r, { exitCode: 0, signal: 0, oomKilled: false, err: PLUGIN_SHUTDOWN_ERR });
  assert.equal(PLUGIN_SHUTDOWN_ERR, 'plugin is shut down');
  await d.destroyTask(cfg.id, false);
});

test('MockDriver_WaitTask: aborting the wait rejects with AbortError and leaves the task running', async () => {
  const d = newDriver();
  const { cfg } = await start(d, { run_for: '10s' });
  const ac = new AbortController();
  const p = d.waitTask(cfg.id, { signal: ac.signal });
  ac.abort();
  await assert.rejects(p, { name: 'AbortError' });
  await assert.rejects(d.waitTask(cfg.id, { signal: ac.signal }), { name: 'AbortError' });
  assert.equal((await d.inspectTask(cfg.id)).state, 'running');
  await d.destroyTask(cfg.id, true);
});

test('MockDriver_SignalTask: succeeds unless signal_error is set', async () => {
  const d = newDriver();
  const a = await start(d, { run_for: '10s' });
  await d.signalTask(a.cfg.id, 'SIGHUP');
  const b = await start(d, { run_for: '10s', signal_error: 'got signal' });
  const e = await rejectsWith(d.signalTask(b.cfg.id, 'SIGUSR1'), DroverError, /^got signal$/);
  assert.equal(e.recoverable, false);
  assert.equal((await d.inspectTask(b.cfg.id)).state, 'running', 'a signal does not stop the task');
  for (const x of [a, b]) await d.destroyTask(x.cfg.id, true);
});

test('MockDriver_DestroyTask: refuses a running task without force; afterwards the id is unknown everywhere', async () => {
  const d = newDriver();
  const { cfg } = await start(d, { run_for: '10s', stdout_string: 'x', stdout_repeat: 100, stdout_repeat_duration: '50ms', exec_command: [{}] });
  const wait = d.waitTask(cfg.id, {});
  await rejectsWith(d.destroyTask(cfg.id, false), DroverError, /^cannot destroy running task$/);
  assert.equal((await d.inspectTask(cfg.id)).state, 'running');
  await d.destroyTask(cfg.id, true);
  assert.deepEqual(await wait, { exitCode: 0, signal: 0, oomKilled: false }, 'a forced destroy kills the task');
  const id = cfg.id;
  await rejectsWith(d.inspectTask(id), TaskNotFoundError);
  await rejectsWith(d.waitTask(id, {}), TaskNotFoundError);
  await rejectsWith(d.stopTask(id, 0, 'SIGINT'), TaskNotFoundError);
  await rejectsWith(d.destroyTask(id, true), TaskNotFoundError);
  await rejectsWith(d.signalTask(id, 'SIGINT'), TaskNotFoundError);
  await rejectsWith(d.execTask(id, ['ls'], 0), TaskNotFoundError);
  await rejectsWith(d.execTaskStreaming(id, { command: ['ls'], tty: false, stdout() {}, stderr() {} }), TaskNotFoundError);
  await rejectsWith(() => d.taskStats(id, 100, {}), TaskNotFoundError);
  const size = fs.statSync(cfg.stdoutPath).size;
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(fs.statSync(cfg.stdoutPath).size, size, 'no output after destroy');
});

test('MockDriver_DestroyTask: leaves no timer behind (nothing keeps the event loop alive)', async () => {
  const d = newDriver();
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate').length;
  await new Promise((r) => setImmediate(r));
  const before = timers();
  const cfgs = [];
  for (const c of [
    { run_for: '10s', kill_after: '10s', plugin_exit_after: '10s', stdout_string: 'x', stdout_repeat: 5, stdout_repeat_duration: '1s', stderr_string: 'y', stderr_repeat: 5, stderr_repeat_duration: '1s' },
    { run_for: '0s' },
  ]) {
    const { cfg } = await start(d, c);
    cfgs.push(cfg);
  }
  const stats = d.taskStats(cfgs[0]?.id ?? '', 1000, {})[Symbol.asyncIterator]();
  await stats.next();
  const second = stats.next(); // parked on the interval timer
  void d.stopTask(cfgs[0]?.id ?? '', 0, 'SIGINT').catch(() => {}); // parks on kill_after
  assert.ok(timers() > before);
  for (const c of cfgs) await d.destroyTask(c.id, true);
  assert.deepEqual(await second, { done: true, value: undefined }, 'stats end when the task is destroyed');
  await new Promise((r) => setImmediate(r));
  assert.equal(timers(), before);
});

test('MockDriver_RecoverTask: a new driver instance resumes the task from its handle, run_for counted from the first start', async () => {
  const d1 = newDriver();
  const { cfg, res, t0 } = await start(d1, { run_for: '1h', exit_code: 4, kill_after: '50ms', signal_error: 'sig', exec_command: [{ stdout_string: 'hi', exit_code: 2 }] });
  const before = await d1.inspectTask(cfg.id);
  await d1.destroyTask(cfg.id, true); // the old agent is gone

  // The new agent's clock says all but 400 ms of run_for passed while it was away:
  // the task must end ~400 ms after its first start, not 1h after the recovery.
  const away = 3_600_000 - 400;
  const d2 = newDriver(() => Date.now() + away);
  await rejectsWith(d2.inspectTask(cfg.id), TaskNotFoundError);
  await d2.recoverTask(res.handle);
  await d2.recoverTask(res.handle); // recovering a live task again changes nothing
  const st = await d2.inspectTask(cfg.id);
  assert.equal(st.state, 'running');
  assert.equal(st.startedAt, before.startedAt);
  await rejectsWith(d2.signalTask(cfg.id, 'SIGHUP'), DroverError, /^sig$/);
  const { r, ms } = await within(waitExit(d2, cfg.id, t0), 60_000, 'the recovered task counting run_for from its first start');
  // Date.now() (ms granularity) stamps startedAt: allow that 1 ms.
  assert.ok(ms >= 399 && ms < 3_600_000, `recovered task exited ${ms}ms after the original start`);
  assert.deepEqual(r, { exitCode: 4, signal: 0, oomKilled: false });
  await d2.destroyTask(cfg.id, false);

  // kill_after survives recovery too.
  const { cfg: c2, res: r2 } = await start(d1, { run_for: '10s', kill_after: '100ms' });
  await d1.destroyTask(c2.id, true);
  const d3 = newDriver();
  await d3.recoverTask(r2.handle);
  const t1 = performance.now();
  await d3.stopTask(c2.id, 0, 'SIGINT');
  assert.ok(performance.now() - t1 >= 100);
  await d3.destroyTask(c2.id, false);
});

test('MockDriver_RecoverTask: a task whose run_for passed while away exits at once; bad state is an error', async () => {
  const d1 = newDriver();
  const { cfg, res } = await start(d1, { run_for: '1h', exit_code: 6 });
  await d1.destroyTask(cfg.id, true);
  const d2 = newDriver(() => Date.now() + 2 * 3_600_000); // two hours later
  await d2.recoverTask(res.handle);
  const t0 = performance.now();
  assert.equal((await within(d2.waitTask(cfg.id, {}), 10_000, 'the overdue task')).exitCode, 6);
  assert.ok(performance.now() - t0 < 3_600_000, 'did not run run_for again');
  await d2.destroyTask(cfg.id, false);

  const bad = { ...res.handle, driverState: Buffer.from('{"startedAt":"yesterday"}') };
  await rejectsWith(d2.recoverTask(bad), DroverError, /failed to decode task state from handle: startedAt is not a number/);
  await rejectsWith(d2.recoverTask({ ...res.handle, driverState: Buffer.from('not json') }), DroverError, /failed to decode/);
});

test('MockDriver_ExecTask: without exec_command, Nomad\'s Exec("task", [...]) reply', async () => {
  const d = newDriver();
  const { cfg } = await start(d, { run_for: '10s' });
  const r = await d.execTask(cfg.id, ['echo', 'hi there'], 1000);
  assert.equal(Buffer.from(r.stdout).toString(), 'Exec("web", ["echo" "hi there"])');
  assert.equal(r.stderr.length, 0);
  assert.deepEqual(r.exitResult, { exitCode: 0, signal: 0, oomKilled: false });
  await d.destroyTask(cfg.id, true);
});

test('MockDriver_ExecTask: exec_command sets output, exit code and duration; timeoutMs bounds it', async () => {
  const d = newDriver();
  const { cfg } = await start(d, {
    run_for: '10s',
    exec_command: [{ run_for: '100ms', exit_code: 2, exit_err_msg: 'check failed', stdout_string: 'out ', stdout_repeat: 1, stdout_repeat_duration: '10ms', stderr_string: 'err' }],
  });
  const t0 = performance.now();
  const r = await d.execTask(cfg.id, ['/bin/check'], 0);
  const ms = performance.now() - t0;
  assert.ok(ms >= 100, `exec took ${ms}ms`);
  assert.equal(Buffer.from(r.stdout).toString(), 'out out ');
  assert.equal(Buffer.from(r.stderr).toString(), 'err');
  assert.deepEqual(r.exitResult, { exitCode: 2, signal: 0, oomKilled: false, err: 'check failed' });
  await rejectsWith(d.execTask(cfg.id, ['/bin/check'], 30), DroverError, /timed out/);
  assert.equal((await d.inspectTask(cfg.id)).state, 'running', 'exec does not affect the task');
  await d.destroyTask(cfg.id, true);
});

test('MockDriver_ExecTaskStreaming: streams exec_command; showinput echoes stdin; abort rejects', async () => {
  const d = newDriver();
  const none = await start(d, { run_for: '10s' });
  await rejectsWith(d.execTaskStreaming(none.cfg.id, { command: ['sh'], tty: false, stdout() {}, stderr() {} }), DroverError, /no exec command is configured/);

  const { cfg } = await start(d, { run_for: '10s', exec_command: [{ run_for: '20ms', exit_code: 3, stdout_string: 'o', stdout_repeat: 2, stderr_string: 'e' }] });
  const out: string[] = [];
  const err: string[] = [];
  const r = await d.execTaskStreaming(cfg.id, {
    command: ['sh'],
    tty: false,
    stdout: (c) => out.push(Buffer.from(c).toString()),
    stderr: (c) => err.push(Buffer.from(c).toString()),
  });
  assert.deepEqual(out, ['o', 'o', 'o']);
  assert.deepEqual(err, ['e']);
  assert.deepEqual(r, { exitCode: 3, signal: 0, oomKilled: false });

  async function* stdin(): AsyncIterable<Uint8Array> {
    yield Buffer.from('line 1\n');
    yield Buffer.from('line 2');
  }
  let shown = '';
  const r2 = await d.execTaskStreaming(cfg.id, { command: ['showinput'], tty: true, stdin: stdin(), stdout: (c) => (shown += Buffer.from(c).toString()), stderr() {} });
  assert.equal(shown, 'TTY: true\nStdin:\nline 1\nline 2\n');
  assert.deepEqual(r2, { exitCode: 0, signal: 0, oomKilled: false });

  const { cfg: slow } = await start(d, { run_for: '10s', exec_command: [{ run_for: '10s' }] });
  const ac = new AbortController();
  const p = d.execTaskStreaming(slow.id, { command: ['sleep'], tty: false, stdout() {}, stderr() {}, signal: ac.signal });
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(p, { name: 'AbortError' });
  for (const id of [none.cfg.id, cfg.id, slow.id]) await d.destroyTask(id, true);
});

test('MockDriver_TaskStats: first sample at once, then one per interval, plausible values, ends on abort', async () => {
  const NOW = 1_700_000_000_000;
  const d = newDriver(() => NOW); // the driver's clock stamps the samples: exact timestamps
  const { cfg } = await start(d, { run_for: '10s' });
  // "At once": with an interval no run reaches, only an immediate first sample can arrive.
  const acFirst = new AbortController();
  const first = d.taskStats(cfg.id, 3_600_000, { signal: acFirst.signal })[Symbol.asyncIterator]();
  assert.equal((await within(first.next(), 10_000, 'the first stats sample')).done, false);
  acFirst.abort();
  assert.deepEqual(await within(first.next(), 10_000, 'the stats stream to end'), { done: true, value: undefined });

  const ac = new AbortController();
  const t0 = performance.now();
  const at: number[] = [];
  const samples = (async () => {
    for await (const s of d.taskStats(cfg.id, 80, { signal: ac.signal })) {
      at.push(performance.now() - t0);
      assert.ok(s.memory.rss > 0 && s.memory.rss <= 128 * 1024 * 1024);
      assert.deepEqual(s.memory.measured, ['RSS']);
      assert.ok(s.cpu.percent > 0 && s.cpu.percent < 100);
      assert.equal(s.timestamp, NOW);
      if (at.length === 3) ac.abort();
    }
  })();
  await within(samples, 10_000, 'three stats samples');
  assert.equal(at.length, 3);
  assert.ok((at[2] ?? 0) >= 160, `third sample at ${at[2]}ms`);
  await d.destroyTask(cfg.id, true);
});

test('MockDriver_TaskEvents: no events; the stream ends on abort', async () => {
  const d = newDriver();
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  const events = [];
  for await (const e of d.taskEvents({ signal: ac.signal })) events.push(e);
  assert.deepEqual(events, []);
});
