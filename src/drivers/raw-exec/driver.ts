/**
 * raw_exec: Nomad's unisolated fork/exec driver, on drover's executor
 * daemon. Tasks run as the agent's user (or `user`), in their own session
 * and process group; stopping kills the whole tree. Beyond Nomad: as root
 * every task gets its own cgroup (cleanup of the whole tree, memory and CPU
 * stats, memory limits), unless the plugin config sets no_cgroups.
 */
import { ExecutorClient } from '../../executor/client.js';
import { currentUser, lookupUser } from '../../executor/users.js';
import type { ObjectSpec } from '../../model/config-spec.js';
import { DroverError, DriverStartError, ErrorCode, TaskAlreadyExistsError, TaskNotFoundError, errorMessage } from '../../model/errors.js';
import {
  DRIVER_HEALTHY,
  type Capabilities,
  type DriverConfig,
  type DriverContext,
  type DriverPlugin,
  type DriverShutdowner,
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
import { DEFAULT_PLUGIN_CONFIG, decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, validateTaskConfig, type RawExecPluginConfig } from './config.js';
import { RawExecTaskHandle } from './handle.js';
import { execViaExecutor, pollExecutorStats, signalViaExecutor } from '../shared/executor-ops.js';
import { buildLaunchSpec, lookupBin, makeExecutable } from './launch.js';
import { decodeTaskState, encodeTaskState } from './state.js';

/** The driver's name in jobs and plugin blocks. */
export const RAW_EXEC_DRIVER_NAME = 'raw_exec';

/** Handle format version this driver writes and reads. */
const TASK_HANDLE_VERSION = 1;

const PLUGIN_INFO: PluginInfo = Object.freeze({
  type: 'driver',
  pluginApiVersions: Object.freeze([DRIVER_API_VERSION]),
  pluginVersion: '0.1.0',
  name: RAW_EXEC_DRIVER_NAME,
});

const CAPABILITIES: Capabilities = Object.freeze({
  sendSignals: true,
  exec: true,
  fsIsolation: 'none',
  netIsolationModes: Object.freeze(['host', 'group'] as const),
  mustInitiateNetwork: false,
  mountConfigs: 'none',
});

/** Where the driver's executor daemon lives. */
export interface RawExecDriverOptions {
  /** The executor data dir (a function when it is only known later, as in `drover run`). */
  readonly dataDir: string | (() => string);
}

/** Nomad's raw_exec driver. */
export class RawExecDriver implements DriverPlugin, ExecStreamingDriver, DriverShutdowner {
  private readonly tasks = new Map<string, RawExecTaskHandle>();
  private readonly clients = new Map<string, ExecutorClient>();
  private config: RawExecPluginConfig = DEFAULT_PLUGIN_CONFIG;
  private readonly configChanged = new EventTarget();

  constructor(
    private readonly ctx: DriverContext,
    private readonly opts: RawExecDriverOptions,
  ) {}

  /** Plugin metadata. */
  pluginInfo(): PluginInfo {
    return PLUGIN_INFO;
  }

  /** Schema of the plugin "raw_exec" config block. */
  configSchema(): ObjectSpec {
    return pluginConfigSchema;
  }

  /** Applies the plugin config; bad fields throw ValidationError and change nothing. */
  async setConfig(cfg: DriverConfig): Promise<void> {
    this.config = decodePluginConfig(cfg.pluginConfig);
    this.configChanged.dispatchEvent(new Event('change'));
  }

  /** Schema of a task's config {}. */
  taskConfigSchema(): ObjectSpec {
    return taskConfigSchema;
  }

  /** Nomad's raw_exec capabilities: signals, exec, no filesystem isolation. */
  capabilities(): Capabilities {
    return CAPABILITIES;
  }

  /** Healthy with driver.raw_exec = true when enabled; undetected ("disabled") otherwise. Re-emitted on setConfig. */
  async *fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    const signal = opts.signal;
    let last: string | undefined;
    while (!signal?.aborted) {
      const fp = this.buildFingerprint();
      const key = JSON.stringify(fp);
      if (key !== last) {
        last = key;
        yield fp;
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal?.removeEventListener('abort', done);
          this.configChanged.removeEventListener('change', done);
          resolve();
        };
        signal?.addEventListener('abort', done, { once: true });
        this.configChanged.addEventListener('change', done, { once: true });
      });
    }
  }

  /** Reattaches to a task the executor daemon still supervises (running or exited meanwhile). */
  async recoverTask(handle: TaskHandle): Promise<void> {
    const id = handle.config.id;
    if (this.tasks.has(id)) return;
    let state;
    try {
      state = decodeTaskState(handle.driverState);
    } catch (err) {
      this.ctx.logger.error('failed to decode task state from handle', { error: errorMessage(err), task_id: id });
      throw new DroverError(ErrorCode.internal, `failed to decode task state from handle: ${errorMessage(err)}`, { cause: err });
    }
    const client = this.client(state.executorDataDir);
    let info;
    try {
      info = await client.inspect(id);
    } catch (err) {
      throw new DroverError(ErrorCode.internal, `failed to reattach to executor: ${errorMessage(err)}`, { cause: err });
    }
    if (info.pid !== state.pid) throw new DroverError(ErrorCode.internal, `failed to reattach to executor: task runs as pid ${info.pid}, handle says ${state.pid}`);
    const h = new RawExecTaskHandle({ config: handle.config, client, pid: state.pid, startedAt: state.startedAt, now: this.ctx.now });
    this.tasks.set(id, h);
    h.start();
  }

  /** Starts the task through the executor daemon. */
  async startTask(cfg: TaskConfig): Promise<StartResult> {
    if (!this.config.enabled) throw new DriverStartError('raw_exec is disabled');
    if (this.tasks.has(cfg.id)) throw new TaskAlreadyExistsError(cfg.id);
    const tc = decodeTaskConfig(cfg.driverConfig);
    const bad = validateTaskConfig(tc);
    if (bad) throw new DriverStartError(`failed driver config validation: ${bad.message}`);
    this.checkUser(cfg.user);
    let command: string;
    try {
      command = lookupBin(cfg.taskDir.dir, tc.command);
      makeExecutable(command);
    } catch (err) {
      throw new DriverStartError(`failed to launch command with executor: ${errorMessage(err)}`, { cause: err });
    }
    const client = this.client(this.dataDir());
    const spec = buildLaunchSpec(cfg, tc, this.config, command, process.getuid?.() === 0);
    this.ctx.logger.info('starting task', { task_name: cfg.name, command, args: tc.args });
    let launched;
    try {
      launched = await client.launch(spec);
    } catch (err) {
      throw new DriverStartError(`failed to launch command with executor: ${errorMessage(err)}`, { recoverable: err instanceof DroverError && err.recoverable, cause: err });
    }
    const h = new RawExecTaskHandle({ config: cfg, client, pid: launched.pid, startedAt: launched.startedAt, now: this.ctx.now });
    this.tasks.set(cfg.id, h);
    h.start();
    const driverState = encodeTaskState({
      taskId: cfg.id,
      executorDataDir: client.dataDir,
      pid: launched.pid,
      procStartTicks: launched.procStartTicks,
      startedAt: launched.startedAt,
      ...(launched.cgroup ? { cgroup: launched.cgroup } : {}),
    });
    return { handle: { version: TASK_HANDLE_VERSION, config: cfg, state: 'running', driverState } };
  }

  /** Resolves with the task's exit (at once if it already exited). */
  waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    try {
      return this.get(taskId).wait(opts.signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** kill_signal (default SIGINT) to the task's group, SIGKILL to the whole tree after timeoutMs; resolves once it exited. */
  async stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    const h = this.get(taskId);
    try {
      await h.client.shutdown(taskId, signal, timeoutMs);
    } catch (err) {
      if (err instanceof TaskNotFoundError) return;
      throw new DroverError(ErrorCode.internal, `executor Shutdown failed: ${errorMessage(err)}`, { cause: err });
    }
    await h.exited;
  }

  /** Forgets the task; a running one needs force (it is then killed). The executor's record and cgroup go too. */
  async destroyTask(taskId: string, force: boolean): Promise<void> {
    const h = this.get(taskId);
    if (h.running && !force) throw new DroverError(ErrorCode.internal, 'cannot destroy running task');
    if (h.running) {
      await h.client.shutdown(taskId, '', 0).catch((err: unknown) => this.ctx.logger.error('destroying executor failed', { error: errorMessage(err) }));
      await h.exited;
    }
    await h.client.destroy(taskId).catch((err: unknown) => {
      if (!(err instanceof TaskNotFoundError)) this.ctx.logger.warn('executor destroy failed', { task_id: taskId, error: errorMessage(err) });
    });
    h.dispose();
    this.tasks.delete(taskId);
  }

  /** Nomad's TaskStatus. */
  async inspectTask(taskId: string): Promise<TaskStatus> {
    return this.get(taskId).status();
  }

  /** Usage every intervalMs (first at once) until abort or the task ends. */
  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    const h = this.get(taskId);
    return pollExecutorStats({ executor: h.client, taskId, running: () => h.running, exited: h.exited, disposed: h.disposed }, intervalMs, opts.signal, this.ctx.logger);
  }

  /** raw_exec emits no driver events; the stream ends on abort. */
  async *taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    const signal = opts.signal;
    if (signal?.aborted) return;
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  }

  /** Sends a signal; an unknown name becomes SIGINT (with a warning), as Nomad. */
  async signalTask(taskId: string, signal: string): Promise<void> {
    await signalViaExecutor(this.get(taskId).client, taskId, signal, this.ctx.logger);
  }

  /** Runs a command beside the task; output (stdout+stderr, last 4 KiB) and exit code. */
  async execTask(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    return execViaExecutor(this.get(taskId).client, taskId, cmd, timeoutMs);
  }

  /** Interactive exec, on a real TTY when asked. */
  async execTaskStreaming(taskId: string, opts: ExecOptions & Signalable): Promise<ExitResult> {
    if (opts.command.length === 0) throw new DroverError(ErrorCode.validation, 'error cmd must have at least one value');
    return this.get(taskId).client.execStreaming(taskId, opts);
  }

  /** Host shutdown: stops the executor daemon if it has nothing left to supervise, and closes connections. */
  async shutdown(_opts: Signalable): Promise<void> {
    for (const c of this.clients.values()) {
      try {
        await c.stopDaemonIfIdle();
      } catch (err) {
        this.ctx.logger.warn('stopping idle executor failed', { error: errorMessage(err) });
      }
      c.close();
    }
    this.clients.clear();
  }

  private buildFingerprint(): Fingerprint {
    if (!this.config.enabled) return { attributes: {}, health: 'undetected', healthDescription: 'disabled' };
    return { attributes: { 'driver.raw_exec': true }, health: 'healthy', healthDescription: DRIVER_HEALTHY };
  }

  /** Nomad's Validate: the task's user (the agent's when unset) must not be a denied uid or in a denied gid. */
  private checkUser(user: string): void {
    let u;
    try {
      u = user === '' ? currentUser() : lookupUser(user);
    } catch (err) {
      throw new DriverStartError(`failed driver config validation: ${errorMessage(err)}`);
    }
    if (this.config.deniedHostUids.contains(u.uid)) throw new DriverStartError(`failed driver config validation: running as uid ${u.uid} is disallowed`);
    const gid = u.groups.find((g) => this.config.deniedHostGids.contains(g));
    if (gid !== undefined) throw new DriverStartError(`failed driver config validation: running as gid ${gid} is disallowed`);
  }

  private dataDir(): string {
    return typeof this.opts.dataDir === 'function' ? this.opts.dataDir() : this.opts.dataDir;
  }

  private client(dataDir: string): ExecutorClient {
    let c = this.clients.get(dataDir);
    if (!c) this.clients.set(dataDir, (c = new ExecutorClient({ dataDir })));
    return c;
  }

  private get(taskId: string): RawExecTaskHandle {
    const h = this.tasks.get(taskId);
    if (!h) throw new TaskNotFoundError(taskId);
    return h;
  }
}


