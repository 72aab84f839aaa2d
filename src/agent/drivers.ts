/**
 * The drivers built into drover (drivers/catalog.ts), created and
 * configured from the agent's plugin blocks. Like Nomad's -dev agent,
 * `drover run` enables raw_exec.
 */
import { DRIVER_CATALOG, type DriverHost } from '../drivers/catalog.js';
import { DriverRegistry } from '../drivers/registry.js';
import { isDriverShutdowner, type DriverContext } from '../drivers/types.js';

/** plugin "NAME" { config { ... } } blocks, by driver name. */
export type PluginConfigs = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What the built-in drivers need from their host beyond plugin blocks. */
export interface BuiltinDriverOptions extends DriverHost {
  /** Enable raw_exec unless its plugin block says otherwise (`drover run`, like Nomad's -dev agent). */
  readonly rawExecEnabled?: boolean;
}

/** Creates every built-in driver and applies its plugin block (bad config throws ValidationError naming the field). */
export async function builtinDrivers(ctx: DriverContext, pluginConfigs: PluginConfigs, opts: BuiltinDriverOptions): Promise<DriverRegistry> {
  const registry = new DriverRegistry();
  const defaults: PluginConfigs = opts.rawExecEnabled ? { raw_exec: { enabled: true } } : {};
  for (const entry of DRIVER_CATALOG) {
    const driver = await entry.create(ctx, opts);
    await driver.setConfig({ pluginConfig: { ...defaults[entry.name], ...pluginConfigs[entry.name] } });
    registry.register(entry.name, driver);
  }
  return registry;
}

/** Lets every driver that cares clean up on host shutdown (executor-backed drivers stop an idle daemon). */
export async function shutdownDrivers(registry: DriverRegistry, signal?: AbortSignal): Promise<void> {
  for (const name of registry.names()) {
    const d = registry.get(name);
    if (d && isDriverShutdowner(d)) await d.shutdown(signal ? { signal } : {});
  }
}
