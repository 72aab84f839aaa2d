/**
 * mock_driver: Nomad's test driver (drivers/mock), the instrument the task
 * runner is tested and benchmarked with. Tasks are fake processes whose
 * run time, output, exit, start failures, signal/kill behaviour and exec
 * sessions are all set from the task's config {}.
 */
import { DroverError, ErrorCode, DriverStartError, errorMessage } from '../../model/errors.js';
import { noEvents } from '../shared/streams.js';
import { TaskTable } from '../shared/task-table.js';
import type { ObjectSpec } from '../../model/config-spec.js';
import {
  DRIVER_HEALTHY,
  type Capabilities,
  type DriverConfig,
  type DriverContext,
  type DriverNetwork,
  type DriverPlugin,
  type DriverTaskEvent,
  type ExecOptions,
  type ExecStreamingDriver,
  type ExecTaskResult,
  type ExitResult,
  type Fingerprint,
  type PluginInfo,
  type Signalable,
  type StartResult,
  type TaskConfig,
  type TaskHandle,
  type TaskResourceUsage,
  type TaskStatus, DRIVER_API_VERSION } from '../types.js';
import { CommandRun } from './command.js';
import {
  decodePluginConfig,
  decodeTaskConfig,
  emptyCommand,
  pluginConfigSchema,
  taskConfigSchema,
  type MockCommand,
  type MockPluginConfig,
  type MockTaskConfig,
} from './config.js';
import { MockTaskHandle, decodeTaskState, encodeTaskState, type MockTaskState } from './handle.js';
import { callbackSink } from './output.js';
import { abortError, realTimers, sleep, sleepUnlessAborted, type MockTimers } from './timers.js';

/** The driver's name in jobs and plugin blocks. */
export const MOCK_DRIVER_NAME = 'mock_driver';

/** Handle format version this driver writes and reads. */
const TASK_HANDLE_VERSION = 1;

const PLUGIN_INFO: PluginInfo = Object.freeze({
  type: 'driver',
  pluginApiVersions: Object.freeze([DRIVER_API_VERSION]),
  pluginVersion: '0.1.0',
  name: MOCK_DRIVER_NAME,
});

const DEFAULT_PLUGIN_CONFIG: MockPluginConfig = { fsIsolation: 'none', shutdownPeriodicAfter: false, shutdownPeriodicDurationMs: 0 };

const MiB = 1024 * 1024;

/** Nomad's mock driver as a DriverPlugin, with streaming exec. */
export class MockDriver implements DriverPlugin, ExecStreamingDriver {
  private readonly ctx: DriverContext;
  private readonly tasks = new TaskTable<MockTaskHandle>();
  private config: MockPluginConfig = DEFAULT_PLUGIN_CONFIG;
  /** Unix ms after which the fingerprint reports the driver gone; undefined: never. */
  private shutdownFingerprintAt: number | undefined;
  /** Wakes fingerprint streams when setConfig changes what they report. */
  private readonly configChanged = new EventTarget();
  private last: { config: TaskConfig; mock: MockTaskConfig } | undefined;

  /**
   * `timers` times everything a task does (start_block_for, run_for, output
   * repeats, kill_after, plugin_exit_after, the stats interval, the
   * fingerprint's shutdown switch): the monotonic clock by default, a manual
   * clock in tests that assert delays exactly.
   */
  constructor(ctx: DriverContext, private readonly timers: MockTimers = realTimers) {
    this.ctx = ctx;
  }

  /** Plugin metadata (Nomad's PluginInfo). */
  pluginInfo(): PluginInfo {
    return PLUGIN_INFO;
  }

  /** Schema of the plugin "mock_driver" config block. */
  configSchema(): ObjectSpec {
    return pluginConfigSchema;
  }

  /** Applies the plugin config; a bad fs_isolation (or any bad field) throws ValidationError naming it. */
  async setConfig(cfg: DriverConfig): Promise<void> {
    this.config = decodePluginConfig(cfg.pluginConfig);
    this.shutdownFingerprintAt = this.config.shutdownPeriodicAfter ? this.ctx.now() + this.config.shutdownPeriodicDurationMs : undefined;
    this.configChanged.dispatchEvent(new Event('change'));
  }

  /** Schema of a task's config {} block. */
  taskConfigSchema(): ObjectSpec {
    return taskConfigSchema;
  }

  /** What the driver supports; fsIsolation comes from the plugin config. */
  capabilities(): Capabilities {
    return {
      sendSignals: true,
      exec: true,
      fsIsolation: this.config.fsIsolation,
      netIsolationModes: [],
      mustInitiateNetwork: false,
      mountConfigs: 'none',
    };
  }

  /**
   * Healthy with attribute driver.mock_driver = true; with
   * shutdown_periodic_after, "undetected"/"disabled" once
   * shutdown_periodic_duration has passed (as Nomad's buildFingerprint).
   * Emits at once and on each change, with one timer for the switch.
   */
  async *fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    const signal = opts.signal;
    let lastKey: string | undefined;
    while (!signal?.aborted) {
      const fp = this.buildFingerprint();
      const key = JSON.stringify(fp);
      if (key !== lastKey) {
        lastKey = key;
        yield fp;
        continue; // re-check after the consumer resumes: time may have passed
      }
      await this.fingerprintChange(signal);
    }
  }

  /** Recreates a task from its handle, as Nomad's mock does: run_for shortened by the time already run, output re-written. */
  async recoverTask(handle: TaskHandle): Promise<void> {
    const id = handle.config.id;
    // Nomad's mock would replace a live handle and leak its goroutine; keeping it is what real drivers do.
    if (this.tasks.has(id)) return;
    let state: MockTaskState;
    try {
      state = decodeTaskState(handle.driverState);
    } catch (err) {
      this.ctx.logger.error('failed to decode task state from handle', { error: errorMessage(err), task_id: id });
      throw new DroverError(ErrorCode.internal, `failed to decode task state from handle: ${errorMessage(err)}`, { cause: err });
    }
    const ran = Math.max(0, this.ctx.now() - state.startedAt);
    const h = new MockTaskHandle({
      config: handle.config,
      state,
      runForMs: state.command.runForMs - ran,
      ...(state.execCommand ? { execRunForMs: state.execCommand.runForMs - ran } : {}),
      recovered: true,
      logger: this.ctx.logger,
      now: this.ctx.now,
      timers: this.timers,
    });
    this.tasks.add(id, h);
    h.start();
  }

  /** Starts a fake task: blocks start_block_for, fails with start_error, else runs in the background. */
  async startTask(config: TaskConfig): Promise<StartResult> {
    this.tasks.checkNew(config.id);
    const mock = decodeTaskConfig(config.driverConfig);
    if (mock.startBlockForMs > 0) await sleep(mock.startBlockForMs, this.timers);
    this.last = { config, mock };
    if (mock.startError !== '') throw new DriverStartError(mock.startError, { recoverable: mock.startErrorRecoverable });
    this.tasks.checkNew(config.id);

    const network: DriverNetwork = {
      ip: mock.driverIp,
      autoAdvertise: mock.driverAdvertise,
      portMap: mock.driverPortMap ? { [mock.driverPortMap.label]: mock.driverPortMap.port } : {},
    };
    const state: MockTaskState = {
      startedAt: this.ctx.now(),
      command: mock.command,
      ...(mock.execCommand ? { execCommand: mock.execCommand } : {}),
      pluginExitAfterMs: mock.pluginExitAfterMs,
      killAfterMs: mock.killAfterMs,
    };
    const h = new MockTaskHandle({
      config,
      state,
      runForMs: mock.command.runForMs,
      recovered: false,
      logger: this.ctx.logger,
      now: this.ctx.now,
      timers: this.timers,
    });
    this.tasks.add(config.id, h);
    this.ctx.logger.debug('starting task', { task: config.name });
    h.start();
    return {
      handle: { version: TASK_HANDLE_VERSION, config, state: 'running', driverState: encodeTaskState(state) },
      network,
    };
  }

  /** Resolves with the task's exit (at once if it already exited). */
  waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    try {
      return this.tasks.get(taskId).wait(opts.signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Nomad's mock ignores timeout and signal: it kills at once, or after
   * kill_after when set; the exit reports the configured exit_code,
   * exit_signal and exit_err_msg. Resolves once the task has exited.
   */
  async stopTask(taskId: string, _timeoutMs: number, _signal: string): Promise<void> {
    const h = this.tasks.get(taskId);
    this.ctx.logger.debug('killing task', { task: h.config.name, kill_after_ms: h.killAfterMs });
    await h.stop();
  }

  /** Forgets the task; a running one needs force (then it is killed). Every timer of the task is cleared. */
  async destroyTask(taskId: string, force: boolean): Promise<void> {
    const h = this.tasks.get(taskId);
    if (h.running && !force) throw new DroverError(ErrorCode.internal, 'cannot destroy running task');
    this.tasks.remove(taskId);
  }

  /** The task's status (Nomad's TaskStatus). */
  async inspectTask(taskId: string): Promise<TaskStatus> {
    return this.tasks.get(taskId).status();
  }

  /**
   * Fake but plausible usage every intervalMs (first at once), deterministic
   * per task id. Ends on abort or when the task is destroyed.
   */
  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    const h = this.tasks.get(taskId);
    return this.statsLoop(h, Math.max(1, intervalMs), opts.signal);
  }

  /** mock_driver emits no driver events; the stream just ends on abort. */
  taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    return noEvents(opts.signal);
  }

  /** Accepts any signal; fails with signal_error when configured. */
  async signalTask(taskId: string, _signal: string): Promise<void> {
    const h = this.tasks.get(taskId);
    if (h.command.signalError !== '') throw new DroverError(ErrorCode.internal, h.command.signalError);
  }

  /**
   * Without exec_command, Nomad's reply `Exec("<task>", ["cmd" "args"])` with
   * exit 0; with it, runs exec_command and returns its output and exit.
   * A timeoutMs > 0 bounds the run.
   */
  async execTask(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    const h = this.tasks.get(taskId);
    if (!h.execCommand) {
      const text = `Exec(${goQuote(h.config.name)}, [${cmd.map(goQuote).join(' ')}])`;
      return { stdout: Buffer.from(text), stderr: new Uint8Array(0), exitResult: { exitCode: 0, signal: 0, oomKilled: false } };
    }
    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    const exitResult = await this.runExec(h.execCommand, (c) => stdout.push(Buffer.from(c)), (c) => stderr.push(Buffer.from(c)), undefined, timeoutMs);
    return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), exitResult };
  }

  /**
   * Runs exec_command, streaming its output through the callbacks. The command
   * ["showinput"] echoes the tty flag and all of stdin instead (as Nomad's mock).
   */
  async execTaskStreaming(taskId: string, opts: ExecOptions & Signalable): Promise<ExitResult> {
    const h = this.tasks.get(taskId);
    this.ctx.logger.info('executing task', { task_id: taskId });
    if (!h.execCommand) throw new DroverError(ErrorCode.internal, 'no exec command is configured');
    let cmd: MockCommand = h.execCommand;
    if (opts.command.length === 1 && opts.command[0] === 'showinput') {
      const input: Uint8Array[] = [];
      if (opts.stdin) for await (const chunk of opts.stdin) input.push(Buffer.from(chunk));
      cmd = { ...emptyCommand, runForMs: 1, stdoutString: `TTY: ${opts.tty}\nStdin:\n${Buffer.concat(input).toString('utf8')}\n` };
    }
    return this.runExec(cmd, opts.stdout, opts.stderr, opts.signal, 0);
  }

  /** Test aid (Nomad's GetTaskConfig): the last TaskConfig passed to startTask and its decoded config. */
  getTaskConfig(): { config: TaskConfig; mock: MockTaskConfig } | undefined {
    return this.last;
  }

  private buildFingerprint(): Fingerprint {
    if (this.shutdownFingerprintAt !== undefined && this.ctx.now() >= this.shutdownFingerprintAt) {
      return { attributes: {}, health: 'undetected', healthDescription: 'disabled' };
    }
    return { attributes: { 'driver.mock_driver': true }, health: 'healthy', healthDescription: DRIVER_HEALTHY };
  }

  /** Resolves on the next possible fingerprint change: the shutdown deadline, a setConfig, or abort. */
  private fingerprintChange(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const at = this.shutdownFingerprintAt;
      const now = this.ctx.now();
      const cancelTimer = at !== undefined && at > now ? this.timers.after(at - now, () => done()) : undefined;
      const done = (): void => {
        cancelTimer?.();
        signal?.removeEventListener('abort', done);
        this.configChanged.removeEventListener('change', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      this.configChanged.addEventListener('change', done, { once: true });
    });
  }

  private async *statsLoop(h: MockTaskHandle, intervalMs: number, signal: AbortSignal | undefined): AsyncGenerator<TaskResourceUsage> {
    const signals = signal ? [signal, h.disposed] : [h.disposed];
    const random = seededRandom(h.config.id);
    const limit = (h.config.resources.memoryMb > 0 ? h.config.resources.memoryMb : 300) * MiB;
    let ticks = 0;
    while (!signals.some((s) => s.aborted)) {
      const at = this.ctx.now();
      const percent = 0.5 + 4 * random();
      ticks += (percent / 100) * (intervalMs / 10); // USER_HZ-style ticks for the interval
      const rss = Math.round(limit * (0.1 + 0.2 * random()));
      yield {
        memory: { rss, cache: 0, swap: 0, usage: rss, maxUsage: rss, kernelUsage: 0, kernelMaxUsage: 0, measured: ['RSS'] },
        cpu: {
          systemMode: 0,
          userMode: percent,
          totalTicks: Math.round(ticks),
          throttledPeriods: 0,
          throttledTime: 0,
          percent,
          measured: ['Percent', 'User Mode', 'Total Ticks'],
        },
        timestamp: this.ctx.now(),
      };
      // One sample per interval, counted from the last: a consumer that paused gets the next at once.
      if (!(await sleepUnlessAborted(Math.max(0, at + intervalMs - this.ctx.now()), signals, this.timers))) return;
    }
  }

  private runExec(
    cmd: MockCommand,
    stdout: (c: Uint8Array) => void,
    stderr: (c: Uint8Array) => void,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<ExitResult> {
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      let cancelTimeout: (() => void) | undefined;
      const onAbort = (): void => {
        cleanup();
        reject(abortError()); // before dispose, whose exit would resolve the promise first
        run.dispose();
      };
      const cleanup = (): void => {
        cancelTimeout?.();
        signal?.removeEventListener('abort', onAbort);
      };
      const run = new CommandRun({
        command: cmd,
        runForMs: cmd.runForMs,
        pluginExitAfterMs: 0,
        openStdout: () => callbackSink(stdout),
        openStderr: () => callbackSink(stderr),
        logger: this.ctx.logger,
        timers: this.timers,
        onExit: (r) => {
          cleanup();
          resolve(r);
        },
      });
      if (timeoutMs > 0) {
        cancelTimeout = this.timers.after(timeoutMs, () => {
          signal?.removeEventListener('abort', onAbort);
          reject(new DroverError(ErrorCode.internal, `exec timed out after ${timeoutMs}ms`));
          run.dispose();
        });
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      run.start();
    });
  }
}

/** Go's %q for plain strings (JSON quoting matches it for printable text). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** A small deterministic PRNG (mulberry32) seeded from a string, so stats are reproducible per task. */
function seededRandom(seed: string): () => number {
  let a = 0;
  for (let i = 0; i < seed.length; i++) a = (Math.imul(a, 31) + seed.charCodeAt(i)) | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
