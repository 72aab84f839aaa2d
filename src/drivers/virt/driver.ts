/**
 * virt: hashicorp's nomad-driver-virt, without libvirt. Each task is a VM
 * booted from a cloud image (optionally a thin qcow2 copy, grown to
 * primary_disk_size) with a cloud-init NoCloud seed made for the task, run
 * by QEMU under the executor daemon, optionally bridged to a host network
 * with port mappings. The serial console is the task's stdout.
 */
import { mkdirSync, readFileSync } from 'node:fs';
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
import { renderSeed } from '../vm-shared/cloud-init.js';
import { ExecutorPool, type ExecutorDataDir } from '../vm-shared/executors.js';
import { resolveAllowedImage } from '../vm-shared/image-path.js';
import { launchVm, recoverVm } from '../vm-shared/launch.js';
import { DEFAULT_EMULATOR, kvmAvailable, lookPath, qemuVersion, versionNumber } from '../vm-shared/qemu-host.js';
import { writeSeedIso } from '../vm-shared/seed-iso.js';
import { noEvents, periodic, statsStream } from '../vm-shared/streams.js';
import type { VmHandle } from '../vm-shared/vm-handle.js';
import { buildVirtArgs, vmNameFromTaskId } from './args.js';
import { DEFAULT_PLUGIN_CONFIG, decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, type VirtPluginConfig, type VirtTaskConfig } from './config.js';
import { prepareDisk } from './disk.js';
import { removeFiles, vmFiles } from './files.js';
import { BridgeNet } from './net/bridge.js';
import type { VirtNet } from './net/types.js';
import { guestMounts, seedConfig } from './seed.js';
import { decodeTaskState, encodeTaskState, type VirtTaskState } from './state.js';

/** The driver's name in jobs and plugin blocks (nomad-driver-virt registers as "virt"). */
export const VIRT_DRIVER_NAME = 'virt';

const TASK_HANDLE_VERSION = 1;
const FINGERPRINT_PERIOD_MS = 30_000;

const PLUGIN_INFO: PluginInfo = Object.freeze({
  type: 'driver',
  pluginApiVersions: Object.freeze([DRIVER_API_VERSION]),
  pluginVersion: 'v0.1.0',
  name: VIRT_DRIVER_NAME,
});

/**
 * nomad-driver-virt's capabilities, except log collection: it disables it
 * (libvirt keeps the console), while drover's VM serial console is the
 * task's stdout, so logs are collected.
 */
const CAPABILITIES: Capabilities = Object.freeze({
  sendSignals: false,
  exec: false,
  fsIsolation: 'image',
  netIsolationModes: Object.freeze(['host'] as const),
  mustInitiateNetwork: false,
  mountConfigs: 'none',
});

/** Construction options. */
export interface VirtDriverOptions {
  /** The executor data dir whose daemon runs QEMU. */
  readonly dataDir: ExecutorDataDir;
  /** The network sub-system (bridge + tap by default). */
  readonly net?: VirtNet;
  readonly fingerprintPeriodMs?: number;
}

interface Task {
  readonly handle: VmHandle;
  readonly client: ExecutorClient;
  readonly state: VirtTaskState;
}

/** The virt driver. */
export class VirtDriver implements DriverPlugin, DriverShutdowner {
  private readonly tasks = new Map<string, Task>();
  private readonly executors: ExecutorPool;
  private readonly net: VirtNet;
  private readonly fingerprintPeriodMs: number;
  private config: VirtPluginConfig = DEFAULT_PLUGIN_CONFIG;

  constructor(
    private readonly ctx: DriverContext,
    opts: VirtDriverOptions,
  ) {
    this.executors = new ExecutorPool(opts.dataDir);
    this.net = opts.net ?? new BridgeNet({ logger: ctx.logger });
    this.fingerprintPeriodMs = opts.fingerprintPeriodMs ?? FINGERPRINT_PERIOD_MS;
  }

  /** Plugin metadata. */
  pluginInfo(): PluginInfo {
    return PLUGIN_INFO;
  }

  /** Schema of the plugin "virt" config block. */
  configSchema(): ObjectSpec {
    return pluginConfigSchema;
  }

  /** Applies the config and initializes the network sub-system (idempotent); data_dir is made at first use. */
  async setConfig(cfg: DriverConfig): Promise<void> {
    const config = decodePluginConfig(cfg.pluginConfig);
    try {
      await this.net.init();
    } catch (err) {
      throw new DroverError(ErrorCode.pluginConfig, `virt: failed to init network controller: ${errorMessage(err)}`, { cause: err });
    }
    this.config = config;
  }

  /** Schema of a task's config {}. */
  taskConfigSchema(): ObjectSpec {
    return taskConfigSchema;
  }

  /** No signals, no exec; image isolation; host networking. */
  capabilities(): Capabilities {
    return CAPABILITIES;
  }

  /** driver.virt, driver.virt.emulator.version (libvirt's integer form) and the network's attributes; every 30 s. */
  fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    return periodic(() => this.buildFingerprint(), this.fingerprintPeriodMs, opts.signal);
  }

  /** Reattaches to a VM the executor daemon still runs, checking it over QMP. */
  async recoverTask(handle: TaskHandle): Promise<void> {
    const id = handle.config.id;
    if (this.tasks.has(id)) return;
    let state: VirtTaskState;
    try {
      state = decodeTaskState(handle.driverState);
    } catch (err) {
      throw new DroverError(ErrorCode.internal, `virt: failed to decode task state from handle ${id}: ${errorMessage(err)}`, { cause: err });
    }
    const client = this.executors.get(state.executorDataDir);
    const h = await recoverVm(handle.config, state, this.launchContext(client), { vm_name: state.vmName });
    this.tasks.set(id, { handle: h, client, state });
  }

  /** Prepares disk and seed, boots the VM, then builds its network (destroying the VM if that fails). */
  async startTask(cfg: TaskConfig): Promise<StartResult> {
    if (this.tasks.has(cfg.id)) throw new TaskAlreadyExistsError(cfg.id);
    const task = decodeTaskConfig(cfg.driverConfig);
    const vmName = vmNameFromTaskId(cfg.id);
    const policy = { baseDir: cfg.taskDir.dir, implicit: [cfg.allocDir, this.config.dataDir], imagePaths: this.config.imagePaths };
    const image = resolveAllowedImage(task.image, { ...policy, field: 'config.image' });
    // user_data is read into the seed: the same allowlist keeps jobs from copying arbitrary host files into a VM.
    const userData = task.userData === '' ? undefined : readFileSync(resolveAllowedImage(task.userData, { ...policy, field: 'config.user_data' }), 'utf8');
    const binary = this.emulatorBinary(task);
    const accelerator = this.accelerator();
    const netReq = { vmName, bridges: task.bridges, task: cfg };
    const netArgs = this.net.vmArgs(netReq);

    try {
      mkdirSync(this.config.dataDir, { recursive: true });
    } catch (err) {
      throw new DriverStartError(`virt: unable to create data dir: ${errorMessage(err)}`, { cause: err });
    }
    const files = vmFiles(this.config.dataDir, cfg.id, vmName);
    const created: string[] = [];
    try {
      const disk = await prepareDisk(image, { thin: task.useThinCopy, overlayPath: files.overlay, sizeMb: task.primaryDiskSizeMb });
      if (disk.overlay) created.push(files.overlay);
      created.push(files.seed);
      await writeSeedIso(files.seed, renderSeed(seedConfig(cfg, task, vmName, userData)));
      created.push(files.qmp);
      const args = buildVirtArgs(cfg, { vmName, machine: task.machine, accelerator, disk, seedPath: files.seed, qmpPath: files.qmp, mounts: guestMounts(cfg), netArgs });
      const client = this.executors.get();
      const { handle, state: proc } = await launchVm(
        { config: cfg, binary, args, qmpPath: files.qmp, attributes: { vm_name: vmName }, tcg: accelerator === 'tcg' },
        this.launchContext(client),
      );
      let net;
      try {
        net = await this.net.vmStartedBuild(netReq);
      } catch (err) {
        // Nomad will not clean up a task whose start failed: the VM goes now.
        await this.killNow(client, cfg.id, handle);
        await client.destroy(cfg.id).catch(() => undefined);
        handle.dispose();
        throw err;
      }
      const state: VirtTaskState = { ...proc, taskConfig: cfg, vmName, files: created, ...(net.teardown ? { netTeardown: net.teardown } : {}) };
      this.tasks.set(cfg.id, { handle, client, state });
      this.ctx.logger.info('task started successfully', { task_name: vmName });
      return {
        handle: { version: TASK_HANDLE_VERSION, config: cfg, state: 'running', driverState: encodeTaskState(state) },
        ...(net.driverNetwork ? { network: net.driverNetwork } : {}),
      };
    } catch (err) {
      removeFiles(created);
      if (err instanceof DroverError) throw err;
      throw new DriverStartError(`virt: failed to start task ${cfg.allocId}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Resolves with QEMU's exit (at once if it already exited). */
  waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    try {
      return this.get(taskId).handle.wait(opts.signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** ACPI power button, then QEMU killed after timeoutMs. An unknown task is not an error (as nomad-driver-virt). */
  async stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    const t = this.tasks.get(taskId);
    if (!t) {
      this.ctx.logger.warn('task to stop not found', { task_id: taskId });
      return;
    }
    try {
      await t.handle.stop(timeoutMs, signal, true);
    } catch (err) {
      if (t.handle.running) throw new DroverError(ErrorCode.internal, `virt: unable to stop task ${taskId}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /**
   * Removes the VM: kills it when `force` (a running VM otherwise refuses),
   * tears its network down, deletes its overlay and seed. A failed teardown
   * keeps the task so Nomad's retry can finish it.
   */
  async destroyTask(taskId: string, force: boolean): Promise<void> {
    const t = this.tasks.get(taskId);
    if (!t) {
      this.ctx.logger.warn('task to destroy not found', { task_id: taskId });
      return;
    }
    if (t.handle.running && !force) throw new DroverError(ErrorCode.internal, `virt: cannot destroy running task ${taskId}`);
    if (t.handle.running) await this.killNow(t.client, taskId, t.handle);
    await t.client.destroy(taskId).catch((err: unknown) => {
      if (!(err instanceof TaskNotFoundError)) this.ctx.logger.warn('executor destroy failed', { task_id: taskId, error: errorMessage(err) });
    });
    try {
      await this.net.vmTerminatedTeardown(t.state.netTeardown);
    } catch (err) {
      throw new DroverError(ErrorCode.internal, `virt: failed to destroy task network: ${errorMessage(err)}`, { cause: err, recoverable: true });
    }
    removeFiles(t.state.files);
    this.tasks.delete(taskId);
    t.handle.dispose();
  }

  /** The task's status (pid and vm_name attributes). */
  async inspectTask(taskId: string): Promise<TaskStatus> {
    return this.get(taskId).handle.status();
  }

  /** QEMU's CPU and memory every intervalMs, until abort, exit or destroy. */
  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    return statsStream(this.get(taskId).handle, intervalMs, opts.signal);
  }

  /** virt emits no driver events. */
  taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    return noEvents(opts.signal);
  }

  /** Not supported (nomad-driver-virt's message). */
  async signalTask(_taskId: string, _signal: string): Promise<void> {
    throw new NotSupportedError('This driver does not support signaling');
  }

  /** Not supported (nomad-driver-virt's message). */
  async execTask(_taskId: string, _cmd: readonly string[], _timeoutMs: number): Promise<ExecTaskResult> {
    throw new NotSupportedError('This driver does not support exec');
  }

  /** Host shutdown: stops idle executor daemons and closes connections; VMs keep running. */
  async shutdown(_opts: Signalable): Promise<void> {
    await this.executors.close(this.ctx.logger);
  }

  private async buildFingerprint(): Promise<Fingerprint> {
    let version: string;
    try {
      version = await qemuVersion(DEFAULT_EMULATOR);
    } catch (err) {
      this.ctx.logger.error('failed to generate fingerprint', { error: errorMessage(err) });
      return { attributes: {}, health: 'undetected', healthDescription: '' };
    }
    const attributes: Record<string, string | number | boolean> = { 'driver.virt': true, 'driver.virt.emulator.version': versionNumber(version) };
    this.net.fingerprint(attributes);
    return { attributes, health: 'healthy', healthDescription: DRIVER_HEALTHY };
  }

  private emulatorBinary(task: VirtTaskConfig): string {
    const bin = `qemu-system-${task.arch || DEFAULT_EMULATOR}`;
    const path = lookPath(bin);
    if (path === undefined) throw new DriverStartError(`virt: no emulator for arch "${task.arch || DEFAULT_EMULATOR}" (${bin} not found)`);
    return path;
  }

  private accelerator(): 'kvm' | 'tcg' {
    const want = this.config.accelerator;
    if (want === 'tcg') return 'tcg';
    if (kvmAvailable()) return 'kvm';
    if (want === 'kvm') throw new DriverStartError('virt: accelerator "kvm" configured but /dev/kvm cannot be opened on this host');
    return 'tcg';
  }

  private async killNow(client: ExecutorClient, taskId: string, handle: VmHandle): Promise<void> {
    await client.shutdown(taskId, 'SIGKILL', 0).catch((err: unknown) => this.ctx.logger.error('killing VM failed', { task_id: taskId, error: errorMessage(err) }));
    await handle.exited;
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
