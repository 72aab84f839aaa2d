/**
 * The drivers built into drover, configured from the agent's plugin blocks.
 * Like Nomad's -dev agent, `drover run` enables raw_exec.
 */
import { DriverRegistry } from '../drivers/registry.js';
import { isDriverShutdowner, type DriverContext, type DriverPlugin } from '../drivers/types.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { RawExecDriver } from '../drivers/raw-exec/driver.js';
import { ExecDriver } from '../drivers/exec/driver.js';
import { QemuDriver } from '../drivers/qemu/driver.js';
import { VirtDriver } from '../drivers/virt/driver.js';
import { DriverStartError } from '../model/errors.js';

/** plugin "NAME" { config { ... } } blocks, by driver name. */
export type PluginConfigs = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What the built-in drivers need from their host beyond plugin blocks. */
export interface BuiltinDriverOptions {
  /** The executor data dir (the agent's data dir); a function when it is known only later. */
  readonly dataDir?: string | (() => string);
  /** Enable raw_exec unless its plugin block says otherwise (`drover run`, like Nomad's -dev agent). */
  readonly rawExecEnabled?: boolean;
}

export async function builtinDrivers(ctx: DriverContext, pluginConfigs: PluginConfigs = {}, opts: BuiltinDriverOptions = {}): Promise<DriverRegistry> {
  const registry = new DriverRegistry();
  const dataDir =
    opts.dataDir ??
    ((): string => {
      throw new DriverStartError('raw_exec: no executor data dir configured (builtinDrivers option dataDir)');
    });
  // Each driver logs under its own name with driver=NAME, as under Nomad's driver manager.
  const own = (name: string): DriverContext => ({ ...ctx, logger: ctx.logger.named('driver_mgr').named(name).with({ driver: name }) });
  const all: Array<[string, DriverPlugin]> = [
    ['mock_driver', new MockDriver(own('mock_driver'))],
    ['raw_exec', new RawExecDriver(own('raw_exec'), { dataDir })],
    ['exec', new ExecDriver(own('exec'), { dataDir })],
    ['qemu', new QemuDriver(own('qemu'), { dataDir })],
    ['virt', new VirtDriver(own('virt'), { dataDir })],
  ];
  const defaults: PluginConfigs = opts.rawExecEnabled ? { raw_exec: { enabled: true } } : {};
  for (const [name, driver] of all) {
    await driver.setConfig({ pluginConfig: { ...defaults[name], ...pluginConfigs[name] } });
    registry.register(name, driver);
  }
  return registry;
}

/** Lets every driver that cares clean up on host shutdown (raw_exec stops an idle executor daemon). */
export async function shutdownDrivers(registry: DriverRegistry, signal?: AbortSignal): Promise<void> {
  for (const name of registry.names()) {
    const d = registry.get(name);
    if (d && isDriverShutdowner(d)) await d.shutdown(signal ? { signal } : {});
  }
}
