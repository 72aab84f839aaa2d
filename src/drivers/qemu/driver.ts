/**
 * qemu: Nomad's QEMU driver (drivers/qemu). A task is one VM booted from
 * image_path, with QEMU run by the executor daemon; the serial console is
 * the task's stdout. Stop presses the ACPI power button over QMP when
 * graceful_shutdown is set and kills QEMU after the kill timeout.
 */
import { DriverStartError, errorMessage } from '../../model/errors.js';
import type { ExecutorDriverOptions, Launched } from '../shared/executor-driver.js';
import type { PooledExecutor } from '../shared/executor-pool.js';
import { DRIVER_API_VERSION, DRIVER_HEALTHY, type DriverContext, type Fingerprint, type TaskConfig } from '../types.js';
import { resolveAllowedImage } from '../vm-shared/image-path.js';
import { findEmulators, kvmAvailable, lookPath, qemuVersion } from '../vm-shared/qemu-host.js';
import { VmDriver } from '../vm-shared/vm-driver.js';
import type { VmTask } from '../vm-shared/vm-task.js';
import { buildQemuCommand, validateArgs, validateEmulator } from './args.js';
import { DEFAULT_PLUGIN_CONFIG, decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, type QemuPluginConfig } from './config.js';

/** The driver's name in jobs and plugin blocks. */
export const QEMU_DRIVER_NAME = 'qemu';

/** Nomad re-fingerprints qemu every 30 s. */
const FINGERPRINT_PERIOD_MS = 30_000;

/** Nomad's qemu driver. */
export class QemuDriver extends VmDriver<QemuPluginConfig> {
  constructor(ctx: DriverContext, opts: ExecutorDriverOptions) {
    super(
      ctx,
      {
        info: { type: 'driver', pluginApiVersions: [DRIVER_API_VERSION], pluginVersion: '0.1.0', name: QEMU_DRIVER_NAME },
        // No signals, no exec, no filesystem isolation (as Nomad).
        capabilities: { sendSignals: false, exec: false, fsIsolation: 'none', netIsolationModes: ['host', 'group'], mustInitiateNetwork: false, mountConfigs: 'none' },
        pluginConfigSchema,
        taskConfigSchema,
        defaultConfig: DEFAULT_PLUGIN_CONFIG,
        fingerprintPeriodMs: FINGERPRINT_PERIOD_MS,
        unsupported: { signal: "QEMU driver can't signal commands", exec: "QEMU driver can't execute commands" },
      },
      opts,
    );
  }

  /** image_paths, args_allowlist and emulators_allowlist. */
  protected decodeConfig(raw: Readonly<Record<string, unknown>>): QemuPluginConfig {
    return decodePluginConfig(raw);
  }

  /**
   * driver.qemu, driver.qemu.version (of the first allowed emulator) and
   * driver.qemu.emulators as Nomad; drover adds driver.qemu.kvm (whether
   * /dev/kvm opens). Undetected without an allowed emulator.
   */
  protected async buildFingerprint(): Promise<Fingerprint> {
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

  /** Validates the config against the plugin's allowlists and boots the VM. */
  protected async launch(cfg: TaskConfig, on: PooledExecutor): Promise<Launched<VmTask>> {
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
    const hasPorts = Object.keys(cmd.portMap).length > 0;
    const started = await this.boot(on, {
      config: cfg,
      binary,
      args: cmd.args,
      env: cmd.env,
      qmpPath: cmd.qmpPath,
      tcg: task.accelerator === 'tcg',
      joinNetns: true,
      graceful: task.gracefulShutdown,
      ...(hasPorts ? { network: { portMap: cmd.portMap, ip: '', autoAdvertise: false } } : {}),
    });
    this.ctx.logger.debug('started new QEMU VM', { task_id: cfg.id, pid: started.task.pid });
    return started;
  }

  protected recoveredAttributes(): Readonly<Record<string, string>> {
    return {};
  }
}
