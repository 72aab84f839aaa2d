/**
 * exec: Nomad's isolated fork/exec driver (drivers/exec). Tasks run under
 * the executor daemon in their own cgroup, pid/ipc/mount/uts namespaces and
 * a chroot of their task dir, as the task user with a reduced capability
 * set. Isolation itself lives in executor/isolation; this file maps Nomad's
 * driver contract onto the executor.
 */
import { DriverStartError, DroverError, ErrorCode, TaskAlreadyExistsError, TaskNotFoundError, ValidationError, errorMessage, isRecoverable } from '../../model/errors.js';
import type { ObjectSpec } from '../../model/config-spec.js';
import { ExecutorClient } from '../../executor/client.js';
import type { Executor } from '../../executor/types.js';
import { detectIsolation, NO_CGROUP_MOUNT, type IsolationSupport } from '../../executor/isolation/index.js';
import { execViaExecutor, pollExecutorStats, signalViaExecutor } from '../shared/executor-ops.js';
import { readAccounts } from '../../executor/users.js';
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
import { calculateCapabilities } from './capabilities.js';
import { decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, type ExecPluginConfig } from './config.js';
import { ExecTaskHandle } from './handle.js';
import { checkHostIds } from './host-ids.js';
import { buildLaunchSpec } from './launch-spec.js';
import { decodeTaskState, encodeTaskState } from './state.js';
import { openTaskDirs } from './task-dirs.js';

/** The driver's name in jobs and plugin blocks. */
export const EXEC_DRIVER_NAME = 'exec';

const TASK_HANDLE_VERSION = 1;
/** Nomad re-fingerprints exec every 30 s. */
const FINGERPRINT_PERIOD_MS = 30_000;

const PLUGIN_INFO: PluginInfo = Object.freeze({
  type: 'driver',
  pluginApiVersions: Object.freeze([DRIVER_API_VERSION]),
  pluginVersion: '0.1.0',
  name: EXEC_DRIVER_NAME,
});

const CAPABILITIES: Capabilities = Object.freeze({
  sendSignals: true,
  exec: true,
  fsIsolation: 'chroot',
  netIsolationModes: Object.freeze(['host', 'group'] as const),
  mustInitiateNetwork: false,
  mountConfigs: 'all',
});

/** Where the executor daemon lives, and seams for tests. */
export interface ExecDriverOptions {
  /** The executor data dir (a function when it is only known later, as in `drover run`). */
  readonly dataDir: string | (() => string);
  /** Use this executor instead of the daemon of the data dir (tests that must not reach one). */
  readonly executor?: Executor;
  /** Isolation probe for fingerprints (tests replace it). */
  readonly detect?: () => Promise<IsolationSupport>;
  readonly fingerprintPeriodMs?: number;
}

/** Nomad's exec driver as a DriverPlugin, with streaming exec. */
export class ExecDriver implements DriverPlugin, ExecStreamingDriver, DriverShutdowner {
  private readonly ctx: DriverContext;
  private readonly opts: ExecDriverOptions;
  private readonly detect: () => Promise<IsolationSupport>;
  private readonly fingerprintPeriodMs: number;
  private readonly tasks = new Map<string, ExecTaskHandle>();
  private readonly clients = new Map<string, ExecutorClient>();
  private config: ExecPluginConfig = decodePluginConfig({});

  constructor(ctx: DriverContext, opts: ExecDriverOptions) {
    this.ctx = ctx;
    this.opts = opts;
    this.detect = opts.detect ?? (() => detectIsolation());
    this.fingerprintPeriodMs = opts.fingerprintPeriodMs ?? FINGERPRINT_PERIOD_MS;
  }

  /** Plugin metadata (Nomad's PluginInfo). */
  pluginInfo(): PluginInfo {
    return PLUGIN_INFO;
  }

  /** Schema of the plugin "exec" config block. */
  configSchema(): ObjectSpec {
    return pluginConfigSchema;
  }

  /** Applies the plugin config; throws ValidationError naming each bad field. */
  async setConfig(cfg: DriverConfig): Promise<void> {
    this.config = decodePluginConfig(cfg.pluginConfig);
  }

  /** Schema of a task's config {} block. */
  taskConfigSchema(): ObjectSpec {
    return taskConfigSchema;
  }

  /** Signals, exec, chroot isolation, host and group networking, every mount config. */
  capabilities(): Capabilities {
    return CAPABILITIES;
  }

  /**
   * Healthy with driver.exec = true only when an isolated test command
   * really runs here; otherwise undetected (unhealthy without cgroups, as
   * Nomad) with the reason. Re-checked every 30 s; emits on change.
   */
  async *fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    let last: string | undefined;
    while (!opts.signal?.aborted) {
      const fp = toFingerprint(await this.detect());
      const key = JSON.stringify(fp);
      if (key !== last) {
        last = key;
        yield fp;
      }
      if (!(await sleep(this.fingerprintPeriodMs, opts.signal))) return;
    }
  }

  /** Reattaches to a task the executor daemon still holds. */
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
    const { launched } = state;
    const executor = this.executor(state.executorDataDir);
    let info;
    try {
      info = await executor.inspect(launched.taskId);
    } catch (err) {
      this.ctx.logger.error('failed to reattach to executor', { error: errorMessage(err), task_id: id });
      throw new DroverError(ErrorCode.internal, `failed to reattach to executor: ${errorMessage(err)}`, { cause: err });
    }
    if (info.pid !== launched.pid) throw new DroverError(ErrorCode.internal, `failed to reattach to executor: task runs as pid ${info.pid}, handle says ${launched.pid}`);
    const h = new ExecTaskHandle({ config: handle.config, launched, executor, executorDataDir: state.executorDataDir, logger: this.ctx.logger, now: this.ctx.now });
    this.tasks.set(id, h);
    h.start();
  }

  /**
   * Validates the task config (cap_add within allow_caps, modes, work_dir),
   * checks the user against denied_host_uids/gids, and launches.
   */
  async startTask(cfg: TaskConfig): Promise<StartResult> {
    if (this.tasks.has(cfg.id)) throw new TaskAlreadyExistsError(cfg.id);
    const task = decodeTaskConfig(cfg.driverConfig);
    let capabilities: string[];
    try {
      capabilities = calculateCapabilities(this.config.allowCaps, task.capAdd, task.capDrop);
    } catch (err) {
      throw new ValidationError([{ field: 'config.cap_add', message: errorMessage(err) }]);
    }
    const user = cfg.user === '' ? 'nobody' : cfg.user; // Nomad's default for exec
    let resolved;
    try {
      resolved = checkHostIds(user, { uids: this.config.deniedHostUids, gids: this.config.deniedHostGids }, readAccounts());
    } catch (err) {
      throw new DriverStartError(errorMessage(err));
    }
    openTaskDirs(cfg.taskDir, resolved);
    const spec = buildLaunchSpec(cfg, task, this.config, user, capabilities);
    this.ctx.logger.info('starting task', { task_name: cfg.name, command: task.command, capabilities });
    const executorDataDir = this.dataDir();
    const executor = this.executor(executorDataDir);
    let launched;
    try {
      launched = await executor.launch(spec);
    } catch (err) {
      throw new DriverStartError(`failed to launch command with executor: ${errorMessage(err)}`, { recoverable: isRecoverable(err), cause: err });
    }
    const h = new ExecTaskHandle({ config: cfg, launched, executor, executorDataDir, logger: this.ctx.logger, now: this.ctx.now });
    this.tasks.set(cfg.id, h);
    h.start();
    return { handle: { version: TASK_HANDLE_VERSION, config: cfg, state: 'running', driverState: encodeTaskState({ executorDataDir, launched }) } };
  }

  /** Resolves with the task's exit (at once if it already exited). */
  waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    try {
      return this.get(taskId).wait(opts.signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** kill_signal to the task's group, SIGKILL to its whole tree after timeoutMs; resolves once it exited. */
  async stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    const h = this.get(taskId);
    try {
      await h.executor.shutdown(taskId, signal, timeoutMs);
    } catch (err) {
      if (err instanceof TaskNotFoundError) return;
      throw new DroverError(ErrorCode.internal, `executor Shutdown failed: ${errorMessage(err)}`, { cause: err });
    }
    await h.wait();
  }

  /** Forgets the task; a running one needs force (it is then killed). The executor's record and cgroup go too. */
  async destroyTask(taskId: string, force: boolean): Promise<void> {
    const h = this.get(taskId);
    if (h.running && !force) throw new DroverError(ErrorCode.internal, 'cannot destroy running task');
    if (h.running) {
      await h.executor.shutdown(taskId, '', 0).catch((err: unknown) => this.ctx.logger.error('destroying executor failed', { error: errorMessage(err), task_id: taskId }));
    }
    await h.executor.destroy(taskId).catch((err: unknown) => {
      if (!(err instanceof TaskNotFoundError)) this.ctx.logger.warn('executor destroy failed', { task_id: taskId, error: errorMessage(err) });
    });
    h.dispose();
    this.tasks.delete(taskId);
  }

  /** The task's status (Nomad's TaskStatus). */
  async inspectTask(taskId: string): Promise<TaskStatus> {
    return this.get(taskId).status();
  }

  /** The executor's cgroup-based usage every intervalMs (first at once), until abort or destroy. */
  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    const h = this.get(taskId);
    return pollExecutorStats({ executor: h.executor, taskId, running: () => h.running, exited: h.wait(), disposed: h.disposed }, intervalMs, opts.signal, this.ctx.logger);
  }

  /** exec emits no driver events; the stream just ends on abort. */
  async *taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    const signal = opts.signal;
    if (signal?.aborted) return;
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  }

  /** Forwards a signal; an unknown name becomes SIGINT with a warning, as Nomad does. */
  async signalTask(taskId: string, signal: string): Promise<void> {
    await signalViaExecutor(this.get(taskId).executor, taskId, signal, this.ctx.logger);
  }

  /** Runs a command inside the task (its namespaces, chroot, user); output interleaved on stdout, like Nomad. */
  async execTask(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    return execViaExecutor(this.get(taskId).executor, taskId, cmd, timeoutMs);
  }

  /** Interactive exec inside the task (TTY when asked). */
  async execTaskStreaming(taskId: string, opts: ExecOptions & Signalable): Promise<ExitResult> {
    if (opts.command.length === 0) throw new DroverError(ErrorCode.validation, 'error cmd must have at least one value');
    return this.get(taskId).executor.execStreaming(taskId, opts);
  }

  /** Host shutdown: stops each executor daemon that has nothing left to supervise, and closes connections. */
  async shutdown(_opts: Signalable): Promise<void> {
    for (const h of this.tasks.values()) h.dispose();
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

  private dataDir(): string {
    return typeof this.opts.dataDir === 'function' ? this.opts.dataDir() : this.opts.dataDir;
  }

  /** The injected executor, or the client of the daemon of `dataDir` (one per data dir). */
  private executor(dataDir: string): Executor {
    if (this.opts.executor) return this.opts.executor;
    let c = this.clients.get(dataDir);
    if (!c) this.clients.set(dataDir, (c = new ExecutorClient({ dataDir })));
    return c;
  }

  private get(taskId: string): ExecTaskHandle {
    const h = this.tasks.get(taskId);
    if (!h) throw new TaskNotFoundError(taskId);
    return h;
  }
}

/** Nomad's fingerprint for an isolation probe result. */
export function toFingerprint(s: IsolationSupport): Fingerprint {
  if (s.ok) return { attributes: { 'driver.exec': true }, health: 'healthy', healthDescription: DRIVER_HEALTHY };
  return { attributes: {}, health: s.reason === NO_CGROUP_MOUNT ? 'unhealthy' : 'undetected', healthDescription: s.reason };
}

/** Resolves true after ms, false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
