/**
 * The lifecycle every executor-backed driver (raw_exec, exec, qemu, virt)
 * shares: the task table, recovery against the executor daemon, wait, stop,
 * destroy, inspect, stats, signal, exec and shutdown, written once. A driver
 * extends it with only what differs: its schemas and plugin config, its
 * fingerprint, how it launches a task (the LaunchSpec) and what it keeps in
 * driver_state beside the common fields.
 *
 * One behaviour where the former copies drifted:
 * - destroyTask(force) kills a running task and waits for its exit before
 *   the executor's record (and cgroup) is dropped, then runs the driver's
 *   cleanup; a cleanup failure keeps the task so a retry can finish it.
 * - shutdown disposes every handle (background waits, stats streams) and
 *   closes the executor connections; the tasks themselves keep running
 *   under their daemon and are recovered by the next host.
 */
import type { LaunchedTask, LaunchSpec, TaskInspect } from '../../executor/types.js';
import type { ObjectSpec } from '../../model/config-spec.js';
import { DriverStartError, DroverError, ErrorCode, NotSupportedError, ValidationError, errorMessage, isRecoverable } from '../../model/errors.js';
import type {
  Capabilities,
  DriverConfig,
  DriverContext,
  DriverNetwork,
  DriverPlugin,
  DriverShutdowner,
  DriverTaskEvent,
  ExecOptions,
  ExecStreamingDriver,
  ExecTaskResult,
  ExitResult,
  Fingerprint,
  PluginInfo,
  Signalable,
  StartResult,
  TaskConfig,
  TaskHandle,
  TaskResourceUsage,
  TaskStatus,
} from '../types.js';
import { ExecutorPool, type PooledExecutor } from './executor-pool.js';
import { decodeExecutorState, encodeExecutorState, ExecutorTask, type ExecutorTaskOptions, type ExecutorTaskState } from './executor-task.js';
import { ChangeSignal, fingerprintLoop, noEvents, pollStats } from './streams.js';
import { TaskTable } from './task-table.js';

/** Handle format version the executor-backed drivers write and read. */
const TASK_HANDLE_VERSION = 1;

/** What is fixed about a driver: the answers to Nomad's metadata calls. */
export interface ExecutorDriverSpec<P> {
  readonly info: PluginInfo;
  readonly capabilities: Capabilities;
  readonly pluginConfigSchema: ObjectSpec;
  readonly taskConfigSchema: ObjectSpec;
  /** The plugin config before setConfig. */
  readonly defaultConfig: P;
  /** How often the fingerprint is re-checked; undefined: only when the config changes. */
  readonly fingerprintPeriodMs?: number;
  /** The driver's own words for what it cannot do (Nomad's messages differ per driver). */
  readonly unsupported?: { readonly signal: string; readonly exec: string };
}

/** Where the executor daemon lives, and a seam for tests. */
export interface ExecutorDriverOptions {
  /** The executor data dir (the agent's data dir, or `drover plugin serve -data-dir`). */
  readonly dataDir: string;
  /** Use this executor instead of the daemon of the data dir (tests that must not reach one). */
  readonly executor?: ExecutorTaskOptions['executor'];
  readonly fingerprintPeriodMs?: number;
}

/** What a driver's launch produced. */
export interface Launched<T> {
  readonly task: T;
  /** The driver's fields kept in driver_state beside the common ones. */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly network?: DriverNetwork;
}

/** An executor-backed DriverPlugin; subclasses supply config decoding, fingerprint, launch and reattach. */
export abstract class ExecutorDriver<P, T extends ExecutorTask = ExecutorTask> implements DriverPlugin, ExecStreamingDriver, DriverShutdowner {
  protected config: P;
  protected readonly tasks = new TaskTable<T>();
  protected readonly executors: ExecutorPool;
  private readonly configChanged = new ChangeSignal();
  private readonly fingerprintPeriodMs: number | undefined;

  constructor(
    protected readonly ctx: DriverContext,
    private readonly spec: ExecutorDriverSpec<P>,
    opts: ExecutorDriverOptions,
  ) {
    this.config = spec.defaultConfig;
    this.executors = new ExecutorPool(opts.dataDir, opts.executor);
    this.fingerprintPeriodMs = opts.fingerprintPeriodMs ?? spec.fingerprintPeriodMs;
  }

  /** Decodes (and applies) the plugin config; bad fields throw ValidationError and change nothing. */
  protected abstract decodeConfig(raw: Readonly<Record<string, unknown>>): P | Promise<P>;
  /** The current fingerprint. */
  protected abstract buildFingerprint(): Fingerprint | Promise<Fingerprint>;
  /** Validates the task, launches it on `on` and builds its handle (not yet started). */
  protected abstract launch(cfg: TaskConfig, on: PooledExecutor): Promise<Launched<T>>;
  /** Builds the handle of a task the executor still holds, from its stored state. */
  protected abstract reattach(config: TaskConfig, state: ExecutorTaskState, extra: Readonly<Record<string, unknown>>, on: PooledExecutor, info: TaskInspect): Promise<T>;

  /** What the driver must undo besides the executor's record when a task is destroyed (networks, files). */
  protected async cleanup(_task: T): Promise<void> {}

  /** Plugin metadata (Nomad's PluginInfo). */
  pluginInfo(): PluginInfo {
    return this.spec.info;
  }

  /** Schema of the plugin "NAME" config block. */
  configSchema(): ObjectSpec {
    return this.spec.pluginConfigSchema;
  }

  /** Applies the plugin config and re-fingerprints. */
  async setConfig(cfg: DriverConfig): Promise<void> {
    this.config = await this.decodeConfig(cfg.pluginConfig);
    this.configChanged.fire();
  }

  /** Schema of a task's config {} block. */
  taskConfigSchema(): ObjectSpec {
    return this.spec.taskConfigSchema;
  }

  /** What the driver supports (Nomad's Capabilities). */
  capabilities(): Capabilities {
    return this.spec.capabilities;
  }

  /** Emits the fingerprint at once, then on every change (re-checked periodically and on setConfig), until aborted. */
  fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    return fingerprintLoop(() => this.buildFingerprint(), this.fingerprintPeriodMs, this.configChanged, opts.signal);
  }

  /** Reattaches to a task the executor daemon still supervises (running, or exited while nobody watched). */
  async recoverTask(handle: TaskHandle): Promise<void> {
    const id = handle.config.id;
    if (this.tasks.has(id)) return;
    let decoded;
    try {
      decoded = decodeExecutorState(handle.driverState);
    } catch (err) {
      this.ctx.logger.error('failed to decode task state from handle', { error: errorMessage(err), task_id: id });
      throw new DroverError(ErrorCode.internal, `failed to decode task state from handle: ${errorMessage(err)}`, { cause: err });
    }
    const { state, extra } = decoded;
    const on = this.executors.get(state.executorDataDir);
    let info: TaskInspect;
    try {
      info = await on.executor.inspect(id);
    } catch (err) {
      this.ctx.logger.error('failed to reattach to executor', { error: errorMessage(err), task_id: id });
      throw new DroverError(ErrorCode.internal, `failed to reattach to executor: ${errorMessage(err)}`, { cause: err });
    }
    if (info.pid !== state.pid) throw new DroverError(ErrorCode.internal, `failed to reattach to executor: task runs as pid ${info.pid}, handle says ${state.pid}`);
    const task = await this.reattach(handle.config, state, extra, on, info);
    this.tasks.add(id, task);
    task.start();
  }

  /** Launches the task through the executor daemon. */
  async startTask(cfg: TaskConfig): Promise<StartResult> {
    this.tasks.checkNew(cfg.id);
    const { task, extra, network } = await this.launch(cfg, this.executors.get());
    this.tasks.add(cfg.id, task);
    task.start();
    const driverState = encodeExecutorState({ ...extra, ...task.state });
    return { handle: { version: TASK_HANDLE_VERSION, config: cfg, state: 'running', driverState }, ...(network ? { network } : {}) };
  }

  /** Resolves with the task's exit (at once if it already exited). */
  waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    try {
      return this.tasks.get(taskId).wait(opts.signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Stops the task (kill_signal, then SIGKILL after timeoutMs); resolves once it has exited. */
  async stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    await this.tasks.get(taskId).stop(timeoutMs, signal);
  }

  /** Forgets the task; a running one needs force (it is then killed and waited for). */
  async destroyTask(taskId: string, force: boolean): Promise<void> {
    const t = this.tasks.get(taskId);
    if (t.running && !force) throw new DroverError(ErrorCode.internal, 'cannot destroy running task');
    await t.kill();
    await t.forget();
    await this.cleanup(t);
    this.tasks.remove(taskId);
  }

  /** Nomad's TaskStatus. */
  async inspectTask(taskId: string): Promise<TaskStatus> {
    return this.tasks.get(taskId).status();
  }

  /** Usage every intervalMs (the first at once) until abort, exit or destroy. */
  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    const t = this.tasks.get(taskId);
    const source = { taskId, running: () => t.running, sample: () => t.sample(), ended: t.ended };
    return pollStats(source, intervalMs, opts.signal, (err) => {
      if (err instanceof ValidationError) throw err;
      // A daemon restart or a sample racing the exit: skip this one.
      this.ctx.logger.debug('skipping a stats sample', { error: errorMessage(err), task_id: taskId });
    });
  }

  /** Executor-backed drivers emit no driver events; the stream ends on abort. */
  taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    return noEvents(opts.signal);
  }

  /** Sends a signal; an unknown name becomes SIGINT (with a warning), as Nomad. */
  async signalTask(taskId: string, signal: string): Promise<void> {
    if (!this.spec.capabilities.sendSignals) throw new NotSupportedError(this.spec.unsupported?.signal ?? 'driver does not support signals');
    await this.tasks.get(taskId).signal(signal);
  }

  /** Runs a command beside the task; output (stdout+stderr, last 4 KiB) and exit code. */
  async execTask(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    this.checkExec();
    return this.tasks.get(taskId).exec(cmd, timeoutMs);
  }

  /** Interactive exec, on a real TTY when asked. */
  async execTaskStreaming(taskId: string, opts: ExecOptions & Signalable): Promise<ExitResult> {
    this.checkExec();
    return this.tasks.get(taskId).execStreaming(opts);
  }

  /** Host shutdown: handles are released and idle executor daemons stopped; running tasks keep running. */
  async shutdown(_opts: Signalable): Promise<void> {
    this.tasks.clear();
    await this.executors.close(this.ctx.logger);
  }

  /** Runs `spec` on `on`; a failure is Nomad's "failed to launch command with executor", recoverable when the cause is. */
  protected async launchOn(on: PooledExecutor, spec: LaunchSpec): Promise<LaunchedTask> {
    try {
      return await on.executor.launch(spec);
    } catch (err) {
      throw new DriverStartError(`failed to launch command with executor: ${errorMessage(err)}`, { recoverable: isRecoverable(err), cause: err });
    }
  }

  private checkExec(): void {
    if (!this.spec.capabilities.exec) throw new NotSupportedError(this.spec.unsupported?.exec ?? 'driver does not support exec');
  }
}

/**
 * An executor-backed driver whose task is the plain supervised process
 * (raw_exec, exec): recovery only rebuilds the handle from driver_state.
 */
export abstract class ProcessDriver<P> extends ExecutorDriver<P> {
  protected async reattach(config: TaskConfig, state: ExecutorTaskState, _extra: Readonly<Record<string, unknown>>, on: PooledExecutor): Promise<ExecutorTask> {
    return this.processTask(config, state, on);
  }

  /** The handle of the process `state` names, supervised by `on`'s daemon. */
  protected processTask(config: TaskConfig, state: ExecutorTaskState, on: PooledExecutor): ExecutorTask {
    return new ExecutorTask({ config, executor: on.executor, state, logger: this.ctx.logger, now: this.ctx.now });
  }
}
