/**
 * exec: Nomad's isolated fork/exec driver (drivers/exec). Tasks run under
 * the executor daemon in their own cgroup, pid/ipc/mount/uts namespaces and
 * a chroot of their task dir, as the task user with a reduced capability
 * set. Isolation itself lives in executor/isolation; this file maps Nomad's
 * driver contract onto the executor.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { detectIsolation, hostMountPropagation, NO_CGROUP_MOUNT, type IsolationSupport } from '../../executor/isolation/index.js';
import type { LaunchSpec } from '../../executor/types.js';
import { readAccounts } from '../../executor/users.js';
import { DriverStartError, ValidationError, errorMessage } from '../../model/errors.js';
import { ProcessDriver, type ExecutorDriverOptions, type Launched } from '../shared/executor-driver.js';
import type { PooledExecutor } from '../shared/executor-pool.js';
import { launchedState, type ExecutorTask } from '../shared/executor-task.js';
import { DRIVER_API_VERSION, DRIVER_HEALTHY, type DriverContext, type Fingerprint, type TaskConfig } from '../types.js';
import { calculateCapabilities } from './capabilities.js';
import { decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, type ExecPluginConfig } from './config.js';
import { checkHostIds } from './host-ids.js';
import { buildLaunchSpec } from './launch-spec.js';
import { openTaskDirs } from './task-dirs.js';

/** The driver's name in jobs and plugin blocks. */
export const EXEC_DRIVER_NAME = 'exec';

/** Nomad re-fingerprints exec every 30 s. */
const FINGERPRINT_PERIOD_MS = 30_000;

/** Where the executor daemon lives, and seams for tests. */
export interface ExecDriverOptions extends ExecutorDriverOptions {
  /** Isolation probe for fingerprints (tests replace it). */
  readonly detect?: () => Promise<IsolationSupport>;
}

/** Nomad's exec driver. */
export class ExecDriver extends ProcessDriver<ExecPluginConfig> {
  private readonly detect: () => Promise<IsolationSupport>;

  constructor(ctx: DriverContext, opts: ExecDriverOptions) {
    super(
      ctx,
      {
        info: { type: 'driver', pluginApiVersions: [DRIVER_API_VERSION], pluginVersion: '0.1.0', name: EXEC_DRIVER_NAME },
        // Signals, exec, chroot isolation, host and group networking, every mount config.
        capabilities: { sendSignals: true, exec: true, fsIsolation: 'chroot', netIsolationModes: ['host', 'group'], mustInitiateNetwork: false, mountConfigs: 'all' },
        pluginConfigSchema,
        taskConfigSchema,
        defaultConfig: decodePluginConfig({}),
        fingerprintPeriodMs: FINGERPRINT_PERIOD_MS,
      },
      opts,
    );
    this.detect = opts.detect ?? (() => detectIsolation());
  }

  protected decodeConfig(raw: Readonly<Record<string, unknown>>): ExecPluginConfig {
    return decodePluginConfig(raw);
  }

  /**
   * Healthy with driver.exec = true only when an isolated test command
   * really runs here; otherwise undetected (unhealthy without cgroups, as
   * Nomad) with the reason.
   */
  protected async buildFingerprint(): Promise<Fingerprint> {
    return toFingerprint(await this.detect());
  }

  /**
   * Validates the task config (cap_add within allow_caps, modes, work_dir),
   * checks the user against denied_host_uids/gids, and launches.
   */
  protected async launch(cfg: TaskConfig, on: PooledExecutor): Promise<Launched<ExecutorTask>> {
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
    this.ctx.logger.info('starting task', { task: cfg.name, command: task.command, capabilities });
    const spec = buildLaunchSpec(cfg, task, this.config, user, capabilities);
    this.warnUnpropagated(cfg, spec);
    const launched = await this.launchOn(on, spec);
    return { task: this.processTask(cfg, launchedState(on.dataDir, launched), on) };
  }

  /**
   * host-to-task or bidirectional on a host path whose mount is private
   * quietly shows the task nothing (as under Nomad): say why in the log.
   */
  private warnUnpropagated(cfg: TaskConfig, spec: LaunchSpec): void {
    const wanting = (spec.isolation?.mounts ?? []).filter((m) => m.propagation !== undefined && m.propagation !== 'private');
    if (wanting.length === 0) return;
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    for (const m of wanting) {
      const host = hostMountPropagation(realpathOr(m.hostPath), mountinfo);
      if (host?.propagation !== 'private') continue;
      this.ctx.logger.warn(`host path is on a private mount: propagation_mode ${m.propagation} will not show the task what is mounted there later (make ${host.mountPoint} shared: mount --make-shared)`, {
        task: cfg.name,
        host_path: m.hostPath,
        mount_point: host.mountPoint,
      });
    }
  }

}

/** Nomad's fingerprint for an isolation probe result. */
export function toFingerprint(s: IsolationSupport): Fingerprint {
  if (s.ok) return { attributes: { 'driver.exec': true }, health: 'healthy', healthDescription: DRIVER_HEALTHY };
  return { attributes: {}, health: s.reason === NO_CGROUP_MOUNT ? 'unhealthy' : 'undetected', healthDescription: s.reason };
}

/** The path with symlinks resolved, or as given when it does not exist (yet). */
function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
