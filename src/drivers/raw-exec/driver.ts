/**
 * raw_exec: Nomad's unisolated fork/exec driver, on drover's executor
 * daemon. Tasks run as the agent's user (or `user`), in their own session
 * and process group; stopping kills the whole tree. Beyond Nomad: as root
 * every task gets its own cgroup (cleanup of the whole tree, memory and CPU
 * stats, memory limits), unless the plugin config sets no_cgroups.
 */
import { currentUser, lookupUser } from '../../executor/users.js';
import { DriverStartError, errorMessage } from '../../model/errors.js';
import { ProcessDriver, type ExecutorDriverOptions, type Launched } from '../shared/executor-driver.js';
import type { PooledExecutor } from '../shared/executor-pool.js';
import { launchedState, type ExecutorTask } from '../shared/executor-task.js';
import { DRIVER_API_VERSION, DRIVER_HEALTHY, type DriverContext, type Fingerprint, type TaskConfig } from '../types.js';
import { DEFAULT_PLUGIN_CONFIG, decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, validateTaskConfig, type RawExecPluginConfig } from './config.js';
import { buildLaunchSpec, lookupBin, makeExecutable } from './launch.js';

/** The driver's name in jobs and plugin blocks. */
export const RAW_EXEC_DRIVER_NAME = 'raw_exec';

/** Nomad's raw_exec driver. */
export class RawExecDriver extends ProcessDriver<RawExecPluginConfig> {
  constructor(ctx: DriverContext, opts: ExecutorDriverOptions) {
    super(
      ctx,
      {
        info: { type: 'driver', pluginApiVersions: [DRIVER_API_VERSION], pluginVersion: '0.1.0', name: RAW_EXEC_DRIVER_NAME },
        // Signals, exec, no filesystem isolation.
        capabilities: { sendSignals: true, exec: true, fsIsolation: 'none', netIsolationModes: ['host', 'group'], mustInitiateNetwork: false, mountConfigs: 'none' },
        pluginConfigSchema,
        taskConfigSchema,
        defaultConfig: DEFAULT_PLUGIN_CONFIG,
      },
      opts,
    );
  }

  protected decodeConfig(raw: Readonly<Record<string, unknown>>): RawExecPluginConfig {
    return decodePluginConfig(raw);
  }

  /** Healthy with driver.raw_exec = true when enabled; undetected ("disabled") otherwise. */
  protected buildFingerprint(): Fingerprint {
    if (!this.config.enabled) return { attributes: {}, health: 'undetected', healthDescription: 'disabled' };
    return { attributes: { 'driver.raw_exec': true }, health: 'healthy', healthDescription: DRIVER_HEALTHY };
  }

  /** Checks the config and user, finds the binary as Nomad's executor does, and launches. */
  protected async launch(cfg: TaskConfig, on: PooledExecutor): Promise<Launched<ExecutorTask>> {
    if (!this.config.enabled) throw new DriverStartError('raw_exec is disabled');
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
    this.ctx.logger.info('starting task', { task: cfg.name, command, args: tc.args });
    const launched = await this.launchOn(on, buildLaunchSpec(cfg, tc, this.config, command, process.getuid?.() === 0));
    return { task: this.processTask(cfg, launchedState(on.dataDir, launched), on) };
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
}
