/**
 * virt: hashicorp's nomad-driver-virt, without libvirt. Each task is a VM
 * booted from a cloud image (optionally a thin qcow2 copy, grown to
 * primary_disk_size) with a cloud-init NoCloud seed made for the task, run
 * by QEMU under the executor daemon, optionally bridged to a host network
 * with port mappings. The serial console is the task's stdout.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { DroverError, DriverStartError, ErrorCode, errorMessage } from '../../model/errors.js';
import type { ExecutorDriverOptions, Launched } from '../shared/executor-driver.js';
import type { PooledExecutor } from '../shared/executor-pool.js';
import type { ExecutorTaskState } from '../shared/executor-task.js';
import type { TaskInspect } from '../../executor/types.js';
import { DRIVER_API_VERSION, DRIVER_HEALTHY, type DriverContext, type Fingerprint, type TaskConfig } from '../types.js';
import { renderSeed } from '../vm-shared/cloud-init.js';
import { resolveAllowedImage } from '../vm-shared/image-path.js';
import { DEFAULT_EMULATOR, kvmAvailable, lookPath, qemuVersion, versionNumber } from '../vm-shared/qemu-host.js';
import { writeSeedIso } from '../vm-shared/seed-iso.js';
import { VmDriver } from '../vm-shared/vm-driver.js';
import type { VmTask } from '../vm-shared/vm-task.js';
import { buildVirtArgs, vmNameFromTaskId } from './args.js';
import { DEFAULT_PLUGIN_CONFIG, decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, type VirtPluginConfig, type VirtTaskConfig } from './config.js';
import { prepareDisk } from './disk.js';
import { removeFiles, vmFiles } from './files.js';
import { BridgeNet } from './net/bridge.js';
import type { TeardownSpec, VirtNet } from './net/types.js';
import { guestMounts, seedConfig } from './seed.js';

/** The driver's name in jobs and plugin blocks (nomad-driver-virt registers as "virt"). */
export const VIRT_DRIVER_NAME = 'virt';

const FINGERPRINT_PERIOD_MS = 30_000;

/** Construction options. */
export interface VirtDriverOptions extends ExecutorDriverOptions {
  /** The network sub-system (bridge + tap by default). */
  readonly net?: VirtNet;
}

/** What a VM owns on the host besides its QEMU process, undone when it is destroyed. */
interface VmHostResources {
  /** The overlay (thin copies only), the seed, the QMP socket. */
  readonly files: readonly string[];
  readonly netTeardown?: TeardownSpec;
}

/** The virt driver. */
export class VirtDriver extends VmDriver<VirtPluginConfig> {
  private readonly net: VirtNet;
  private readonly owned = new WeakMap<VmTask, VmHostResources>();

  constructor(ctx: DriverContext, opts: VirtDriverOptions) {
    super(
      ctx,
      {
        info: { type: 'driver', pluginApiVersions: [DRIVER_API_VERSION], pluginVersion: 'v0.1.0', name: VIRT_DRIVER_NAME },
        /**
         * nomad-driver-virt's capabilities, except log collection: it disables it
         * (libvirt keeps the console), while drover's VM serial console is the
         * task's stdout, so logs are collected.
         */
        capabilities: { sendSignals: false, exec: false, fsIsolation: 'image', netIsolationModes: ['host'], mustInitiateNetwork: false, mountConfigs: 'all' },
        pluginConfigSchema,
        taskConfigSchema,
        defaultConfig: DEFAULT_PLUGIN_CONFIG,
        fingerprintPeriodMs: FINGERPRINT_PERIOD_MS,
        unsupported: { signal: 'This driver does not support signaling', exec: 'This driver does not support exec' },
      },
      opts,
    );
    this.net = opts.net ?? new BridgeNet({ logger: ctx.logger });
  }

  /** Decodes the config and initializes the network sub-system (idempotent); data_dir is made at first use. */
  protected async decodeConfig(raw: Readonly<Record<string, unknown>>): Promise<VirtPluginConfig> {
    const config = decodePluginConfig(raw);
    try {
      await this.net.init();
    } catch (err) {
      throw new DroverError(ErrorCode.pluginConfig, `virt: failed to init network controller: ${errorMessage(err)}`, { cause: err });
    }
    return config;
  }

  /** driver.virt, driver.virt.emulator.version (libvirt's integer form) and the network's attributes. */
  protected async buildFingerprint(): Promise<Fingerprint> {
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

  /** Prepares disk and seed, boots the VM, then builds its network (destroying the VM if that fails). */
  protected async launch(cfg: TaskConfig, on: PooledExecutor): Promise<Launched<VmTask>> {
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
      const started = await this.boot(on, { config: cfg, binary, args, qmpPath: files.qmp, attributes: { vm_name: vmName }, tcg: accelerator === 'tcg', graceful: true });
      let net;
      try {
        net = await this.net.vmStartedBuild(netReq);
      } catch (err) {
        // Nomad will not clean up a task whose start failed: the VM goes now.
        await started.task.kill();
        await started.task.forget();
        started.task.dispose();
        throw err;
      }
      const owned: VmHostResources = { files: created, ...(net.teardown ? { netTeardown: net.teardown } : {}) };
      this.owned.set(started.task, owned);
      this.ctx.logger.info('task started successfully', { task: vmName });
      return {
        task: started.task,
        extra: { ...started.extra, taskConfig: cfg, vmName, ...owned },
        ...(net.driverNetwork ? { network: net.driverNetwork } : {}),
      };
    } catch (err) {
      removeFiles(created);
      if (err instanceof DroverError) throw err;
      throw new DriverStartError(`virt: failed to start task ${cfg.allocId}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Checks the VM answers over QMP and takes back what it owns on the host. */
  protected override async reattach(config: TaskConfig, state: ExecutorTaskState, extra: Readonly<Record<string, unknown>>, on: PooledExecutor, info: TaskInspect): Promise<VmTask> {
    const { files, netTeardown } = extra;
    if (!Array.isArray(files) || !files.every((f): f is string => typeof f === 'string')) {
      throw new DroverError(ErrorCode.internal, `virt: failed to decode task state from handle ${config.id}: files is not a list`);
    }
    const task = await super.reattach(config, state, extra, on, info);
    this.owned.set(task, { files, ...(isTeardown(netTeardown) ? { netTeardown } : {}) });
    return task;
  }

  protected recoveredAttributes(extra: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
    return typeof extra['vmName'] === 'string' ? { vm_name: extra['vmName'] } : {};
  }

  /** An unknown task is not an error (as nomad-driver-virt). */
  override async stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    if (!this.tasks.has(taskId)) return this.ctx.logger.warn('task to stop not found', { task_id: taskId });
    await super.stopTask(taskId, timeoutMs, signal);
  }

  /** An unknown task is not an error (as nomad-driver-virt). */
  override async destroyTask(taskId: string, force: boolean): Promise<void> {
    if (!this.tasks.has(taskId)) return this.ctx.logger.warn('task to destroy not found', { task_id: taskId });
    await super.destroyTask(taskId, force);
  }

  /** Tears the VM's network down and deletes its overlay and seed; a failed teardown keeps the task so a retry can finish it. */
  protected override async cleanup(task: VmTask): Promise<void> {
    const owned = this.owned.get(task);
    try {
      await this.net.vmTerminatedTeardown(owned?.netTeardown);
    } catch (err) {
      throw new DroverError(ErrorCode.internal, `virt: failed to destroy task network: ${errorMessage(err)}`, { cause: err, recoverable: true });
    }
    removeFiles(owned?.files ?? []);
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
}

function isTeardown(v: unknown): v is TeardownSpec {
  return typeof v === 'object' && v !== null && Array.isArray((v as { iptablesRules?: unknown }).iptablesRules) && Array.isArray((v as { taps?: unknown }).taps);
}
