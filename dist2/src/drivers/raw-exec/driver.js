import { currentUser, lookupUser } from '../../executor/users.js';
import { DriverStartError, errorMessage } from '../../model/errors.js';
import { ExecutorDriver } from '../shared/executor-driver.js';
import { ExecutorTask, launchedState } from '../shared/executor-task.js';
import { DRIVER_API_VERSION, DRIVER_HEALTHY } from '../types.js';
import { DEFAULT_PLUGIN_CONFIG, decodePluginConfig, decodeTaskConfig, pluginConfigSchema, taskConfigSchema, validateTaskConfig } from './config.js';
import { buildLaunchSpec, lookupBin, makeExecutable } from './launch.js';
/** The driver's name in jobs and plugin blocks. */
export const RAW_EXEC_DRIVER_NAME = 'raw_exec';
/** Nomad's raw_exec driver. */
export class RawExecDriver extends ExecutorDriver {
    constructor(ctx, opts) {
        super(ctx, {
            info: { type: 'driver', pluginApiVersions: [DRIVER_API_VERSION], pluginVersion: '0.1.0', name: RAW_EXEC_DRIVER_NAME },
            // Signals, exec, no filesystem isolation.
            capabilities: { sendSignals: true, exec: true, fsIsolation: 'none', netIsolationModes: ['host', 'group'], mustInitiateNetwork: false, mountConfigs: 'none' },
            pluginConfigSchema,
            taskConfigSchema,
            defaultConfig: DEFAULT_PLUGIN_CONFIG,
        }, opts);
    }
    decodeConfig(raw) {
        return decodePluginConfig(raw);
    }
    /** Healthy with driver.raw_exec = true when enabled; undetected ("disabled") otherwise. */
    buildFingerprint() {
        if (!this.config.enabled)
            return { attributes: {}, health: 'undetected', healthDescription: 'disabled' };
        return { attributes: { 'driver.raw_exec': true }, health: 'healthy', healthDescription: DRIVER_HEALTHY };
    }
    /** Checks the config and user, finds the binary as Nomad's executor does, and launches. */
    async launch(cfg, on) {
        if (!this.config.enabled)
            throw new DriverStartError('raw_exec is disabled');
        const tc = decodeTaskConfig(cfg.driverConfig);
        const bad = validateTaskConfig(tc);
        if (bad)
            throw new DriverStartError(`failed driver config validation: ${bad.message}`);
        this.checkUser(cfg.user);
        let command;
        try {
            command = lookupBin(cfg.taskDir.dir, tc.command);
            makeExecutable(command);
        }
        catch (err) {
            throw new DriverStartError(`failed to launch command with executor: ${errorMessage(err)}`, { cause: err });
        }
        this.ctx.logger.info('starting task', { task: cfg.name, command, args: tc.args });
        const launched = await this.launchOn(on, buildLaunchSpec(cfg, tc, this.config, command, process.getuid?.() === 0));
        return { task: this.task(cfg, launchedState(on.dataDir, launched), on) };
    }
    async reattach(config, state, _extra, on, _info) {
        return this.task(config, state, on);
    }
    task(config, state, on) {
        return new ExecutorTask({ config, executor: on.executor, state, logger: this.ctx.logger, now: this.ctx.now });
    }
    /** Nomad's Validate: the task's user (the agent's when unset) must not be a denied uid or in a denied gid. */
    checkUser(user) {
        let u;
        try {
            u = user === '' ? currentUser() : lookupUser(user);
        }
        catch (err) {
            throw new DriverStartError(`failed driver config validation: ${errorMessage(err)}`);
        }
        if (this.config.deniedHostUids.contains(u.uid))
            throw new DriverStartError(`failed driver config validation: running as uid ${u.uid} is disallowed`);
        const gid = u.groups.find((g) => this.config.deniedHostGids.contains(g));
        if (gid !== undefined)
            throw new DriverStartError(`failed driver config validation: running as gid ${gid} is disallowed`);
    }
}
//# sourceMappingURL=driver.js.map