/**
 * qemu: Nomad's QEMU driver (drivers/qemu). A task is one VM booted from
 * image_path, with QEMU run by the executor daemon; the serial console is
 * the task's stdout. Stop presses the ACPI power button over QMP when
 * graceful_shutdown is set and kills QEMU after the kill timeout.
 */
import type { ExecutorClient } from '../../executor/client.js';
import type { ObjectSpec } from '../../model/config-spec.js';
import { DroverError, DriverStartError, ErrorCode, NotSupportedError, TaskAlreadyExistsError, TaskNotFoundError, errorMessage } from '../../model/errors.js';
import {
  DRIVER_HEALTHY,
  type Capabilities,
  type DriverConfig,
  type DriverContext,
  type DriverPlugin,
  type DriverShutdowner,
  type DriverTaskEvent,
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
import { ExecutorPool, type ExecutorDataDir } from '../vm-shared/executors.js';
import { resolveAllowedImage } from '../vm-shared/image-path.js';
import { launchVm, recoverVm } from '../vm-shared/launch.js';
import { findEmulators, kvmAvailable, lookPath, qemuVersion } from '../vm-shared/qemu-host.js';
import { noEvents, periodic, statsStream } from '../vm-shared/streams.js';
import type { VmHandle } from '../vm-shared/vm-handle.js';
import { buildQemuCommand, validateArgs, validateEmulator } from './args.js';
import { DEFAULT_PLUGIN_CONFIG, decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, type QemuPluginConfig } from './config.js';
import { decodeTaskState, encodeTaskState } from './state.js';

/** The driver's name in jobs and plugin blocks. */
export const QEMU_DRIVER_NAME = 'qemu';

const TASK_HANDLE_VERSION = 1;
/** Nomad re-fingerprints qemu every 30 s. */
const FINGERPRINT_PERIOD_MS = 30_000;

const PLUGIN_INFO: PluginInfo = Object.freeze({
  type: 'driver',
  pluginApiVersions: Object.freeze([DRIVER_API_VERSION]),
  pluginVersion: '0.1.0',
  name: QEMU_DRIVER_NAME,
});

/** Nomad's qemu capabilities. */
const CAPABILITIES: Capabilities = Object.freeze({
  sendSignals: false,
  exec: false,
  fsIsolation: 'none',
  netIsolationModes: Object.freeze(['host', 'group'] as const),
  mustInitiateNetwork: false,
  mountConfigs: 'none',
});

/** Construction options. */
export interface QemuDriverOptions {
  /** The executor data dir whose daemon runs QEMU. */
  readonly dataDir: ExecutorDataDir;
  readonly fingerprintPeriodMs?: number;
}

interface Task {
  readonly handle: VmHandle;
  readonly client: ExecutorClient;
  readonly graceful: boolean;
}

/** Nomad's qemu driver. */
export class QemuDriver implements DriverPlugin, DriverShutdowner {
  private readonly tasks = new Map<string, Task>();
  private readonly executors: ExecutorPool;
  private readonly fingerprintPeriodMs: number;
  private config: QemuPluginConfig = DEFAULT_PLUGIN_CONFIG;

  constructor(
    private readonly ctx: DriverContext,
    opts: QemuDriverOptions,
  ) {
    this.executors = new ExecutorPool(opts.dataDir);
    this.fingerprintPeriodMs = opts.fingerprintPeriodMs ?? FINGERPRINT_PERIOD_MS;
  }

  /** Plugin metadata. */
  pluginInfo(): PluginInfo {
    return PLUGIN_INFO;
  }

  /** Schema of the plugin "qemu" config block. */
  configSchema(): ObjectSpec {
    return pluginConfigSchema;
  }

  /** Applies image_paths, args_allowlist and emulators_allowlist; bad fields throw ValidationError. */
  async setConfig(cfg: DriverConfig): Promise<void> {
    this.config = decodePluginConfig(cfg.pluginConfig);
  }

  /** Schema of a task's config {}. */
  taskConfigSchema(): ObjectSpec {
    return taskConfigSchema;
  }

  /** No signals, no exec, no filesystem isolation (as Nomad). */
  capabilities(): Capabilities {
    return CAPABILITIES;
  }

  /**
   * driver.qemu, driver.qemu.version (of the first allowed emulator) and
   * driver.qemu.emulators as Nomad; drover adds driver.qemu.kvm (whether
   * /dev/kvm opens). Undetected without an allowed emulator. Every 30 s.
   */
  fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    return periodic(() => this.buildFingerprint(), this.fingerprintPeriodMs, opts.signal);
  }

  /** Reattaches to a VM the executor daemon still runs, checking it over QMP. */
  async recoverTask(handle: TaskHandle): Promise<void> {
    const id = handle.config.id;
    if (this.tasks.has(id)) return;
    let state;
    try {
      state = decodeTaskState(handle.driverState);
    } catch (err) {
      this.ctx.logger.error('failed to decode taskConfig state from handle', { error: errorMessage(err), task_id: id });
      throw new DroverError(ErrorCode.internal, `failed to decode taskConfig state from handle: ${errorMessage(err)}`, { cause: err });
    }
    const client = this.executors.get(state.executorDataDir);
    const h = await recoverVm(handle.config, state, this.launchContext(client));
    this.tasks.set(id, { handle: h, client, graceful: state.gracefulShutdown });
  }

  /** Validates the config against the plugin's allowlists and boots the VM. */
  async startTask(cfg: TaskConfig): Promise<StartResult> {
    if (this.tasks.has(cfg.id)) throw new TaskAlreadyExistsError(cfg.id);
    const task = decodeTaskConfig(cfg.driverConfig);
    validateEmulator(task.emulator, this.config.emulatorsAllowlist);
    validateArgs(this.config.argsAllowlist, task.args);
    const image = resolveAllowedImage(task.imagePath, {
      field: 'config.image_path',
      baseDir: cfg.taskDir.dir,
      implicit: [cfg.allocDir],
      imagePaths: this.config.imagePaths,
    });
    if (task.accelerator === 'kvm' && !kvmAvailable()) throw new DriverStartError('KVM accelerator requested but /dev/kvm cannot be opened on this host');
    const bin = `qemu-system-${task.emulator}`;
    const binary = lookPath(bin);
    if (binary === undefined) throw new DriverStartError(`failed to resolve path to "${bin}" executable (Debian package qemu-system-x86 for x86_64)`);
    const cmd = buildQemuCommand(cfg, task, image);
    if (this.tasks.has(cfg.id)) throw new TaskAlreadyExistsError(cfg.id);

    const client = this.executors.get();
    const { handle, state } = await launchVm(
      { config: cfg, binary, args: cmd.args, env: cmd.env, qmpPath: cmd.qmpPath, tcg: task.accelerator === 'tcg' },
      this.launchContext(client),
    );
    this.tasks.set(cfg.id, { handle, client, graceful: task.gracefulShutdown });
    this.ctx.logger.debug('started new QEMU VM', { task_id: cfg.id, pid: handle.pid });
    const driverState = encodeTaskState({ ...state, gracefulShutdown: task.gracefulShutdown });
    const hasPorts = Object.keys(cmd.portMap).length > 0;
    return {
      handle: { version: TASK_HANDLE_VERSION, config: cfg, state: 'running', driverState },
      ...(hasPorts ? { network: { portMap: cmd.portMap, ip: '', autoAdvertise: false } } : {}),
    };
  }

  /** Resolves with QEMU's exit (at once if it already exited). */
  waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    try {
      return this.get(taskId).handle.wait(opts.signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** ACPI power button first when graceful_shutdown, QEMU killed after timeoutMs; resolves once QEMU is gone. */
  async stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    const t = this.get(taskId);
    try {
      await t.handle.stop(timeoutMs, signal, t.graceful);
    } catch (err) {
      if (!t.handle.running) return;
      throw new DroverError(ErrorCode.internal, `executor Shutdown failed: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Forgets the task; a running VM needs force (it is then killed at once). */
  async destroyTask(taskId: string, force: boolean): Promise<void> {
    const t = this.get(taskId);
    if (t.handle.running && !force) throw new DroverError(ErrorCode.internal, 'cannot destroy running task');
    if (t.handle.running) {
      await t.client.shutdown(taskId, 'SIGKILL', 0).catch((err: unknown) => this.ctx.logger.error('destroying executor failed', { error: errorMessage(err) }));
      await t.handle.exited;
    }
    await t.client.destroy(taskId).catch((err: unknown) => {
      if (!(err instanceof TaskNotFoundError)) this.ctx.logger.warn('executor destroy failed', { task_id: taskId, error: errorMessage(err) });
    });
    this.tasks.delete(taskId);
    t.handle.dispose();
  }

  /** The task's status (Nomad's TaskStatus, pid attribute). */
  async inspectTask(taskId: string): Promise<TaskStatus> {
    return this.get(taskId).handle.status();
  }

  /** QEMU's CPU and memory every intervalMs, until abort, exit or destroy. */
  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    return statsStream(this.get(taskId).handle, intervalMs, opts.signal);
  }

  /** qemu emits no driver events. */
  taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    return noEvents(opts.signal);
  }

  /** Not supported (Nomad's message). */
  async signalTask(_taskId: string, _signal: string): Promise<void> {
    throw new NotSupportedError("QEMU driver can't signal commands");
  }

  /** Not supported (Nomad's message). */
  async execTask(_taskId: string, _cmd: readonly string[], _timeoutMs: number): Promise<ExecTaskResult> {
    throw new NotSupportedError("QEMU driver can't execute commands");
  }

  /** Host shutdown: stops idle executor daemons and closes connections; VMs keep running. */
  async shutdown(_opts: Signalable): Promise<void> {
    await this.executors.close(this.ctx.logger);
  }

  private async buildFingerprint(): Promise<Fingerprint> {
    const emulators = findEmulators(this.config.emulatorsAllowlist);
    const first = emulators[0];
    if (first === undefined) return { attributes: {}, health: 'undetected', healthDescription: '' };
    let version: string;
    try {
      version = await qemuVersion(first);
    } catch (err) {
      return { attributes: {}, health: 'undetected', healthDescription: `Failed to execute qemu binary: ${errorMessage(err)}` };
    }
    return {
      attributes: { 'driver.qemu': true, 'driver.qemu.version': version, 'driver.qemu.emulators': emulators.join(','), 'driver.qemu.kvm': kvmAvailable() },
      health: 'healthy',
      healthDescription: DRIVER_HEALTHY,
    };
  }

  private launchContext(client: ExecutorClient) {
    return { executor: client, executorDataDir: client.dataDir, logger: this.ctx.logger, now: this.ctx.now };
  }

  private get(taskId: string): Task {
    const t = this.tasks.get(taskId);
    if (!t) throw new TaskNotFoundError(taskId);
    return t;
  }
}
