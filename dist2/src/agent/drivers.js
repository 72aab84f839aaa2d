/**
 * The drivers built into drover (drivers/catalog.ts), created and
 * configured from the agent's plugin blocks. Like Nomad's -dev agent,
 * `drover run` enables raw_exec.
 */
import { DRIVER_CATALOG } from '../drivers/catalog.js';
import { DriverRegistry } from '../drivers/registry.js';
import { isDriverShutdowner } from '../drivers/types.js';
/** Creates every built-in driver and applies its plugin block (bad config throws ValidationError naming the field). */
export async function builtinDrivers(ctx, pluginConfigs, opts) {
    const registry = new DriverRegistry();
    // Each driver logs under its own name with driver=NAME, as under Nomad's driver manager.
    const own = (name) => ({ ...ctx, logger: ctx.logger.named('driver_mgr').named(name).with({ driver: name }) });
    const defaults = opts.rawExecEnabled ? { raw_exec: { enabled: true } } : {};
    for (const entry of DRIVER_CATALOG) {
        const driver = await entry.create(own(entry.name), opts);
        await driver.setConfig({ pluginConfig: { ...defaults[entry.name], ...pluginConfigs[entry.name] } });
        registry.register(entry.name, driver);
    }
    return registry;
}
/** Lets every driver that cares clean up on host shutdown (executor-backed drivers stop an idle daemon). */
export async function shutdownDrivers(registry, signal) {
    for (const name of registry.names()) {
        const d = registry.get(name);
        if (d && isDriverShutdowner(d))
            await d.shutdown(signal ? { signal } : {});
    }
}
//# sourceMappingURL=drivers.js.map