/**
 * Plugin config schemas of the built-in drivers, so agent config files can be
 * checked (with field and line) when they load, before any driver is set up.
 */
import type { ObjectSpec } from '../model/config-spec.js';
import { silentLogger } from '../model/logger.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { RawExecDriver } from '../drivers/raw-exec/driver.js';
import { ExecDriver } from '../drivers/exec/driver.js';
import { QemuDriver } from '../drivers/qemu/driver.js';
import { VirtDriver } from '../drivers/virt/driver.js';

/** The plugin "NAME" { config { } } schema of a built-in driver; undefined for other (external) plugins. */
export function builtinPluginSchema(name: string): ObjectSpec | undefined {
  const ctx = { logger: silentLogger, now: Date.now };
  // Constructing a driver does no work (setConfig and tasks do): only the schema is read.
  const noDir = (): string => '';
  switch (name) {
    case 'mock_driver':
      return new MockDriver(ctx).configSchema();
    case 'raw_exec':
      return new RawExecDriver(ctx, { dataDir: noDir }).configSchema();
    case 'exec':
      return new ExecDriver(ctx, { dataDir: noDir }).configSchema();
    case 'qemu':
      return new QemuDriver(ctx, { dataDir: noDir }).configSchema();
    case 'virt':
      return new VirtDriver(ctx, { dataDir: noDir }).configSchema();
    default:
      return undefined;
  }
}
