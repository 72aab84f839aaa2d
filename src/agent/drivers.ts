/**
 * The drivers built into drover, configured from the agent's plugin blocks.
 * Like Nomad's -dev agent, `drover run` enables raw_exec.
 */
import { DriverRegistry } from '../drivers/registry.js';
import type { DriverContext, DriverPlugin } from '../drivers/types.js';
import { MockDriver } from '../drivers/mock/driver.js';

/** plugin "NAME" { config { ... } } blocks, by driver name. */
export type PluginConfigs = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export async function builtinDrivers(ctx: DriverContext, pluginConfigs: PluginConfigs = {}): Promise<DriverRegistry> {
  const registry = new DriverRegistry();
  const all: Array<[string, DriverPlugin]> = [['mock_driver', new MockDriver(ctx)]];
  for (const [name, driver] of all) {
    await driver.setConfig({ pluginConfig: pluginConfigs[name] ?? {} });
    registry.register(name, driver);
  }
  return registry;
}
