/**
 * The one list of drivers built into drover: name, schemas, and how to
 * build each. Schemas come from the drivers' light config modules, so job
 * files and agent configs are checked without loading any driver; a
 * driver's own module is imported only when it is created.
 */
import type { ObjectSpec } from '../model/config-spec.js';
import type { DriverSchemas } from '../model/driver-schemas.js';
import type { DriverContext, DriverPlugin } from './types.js';
import * as exec from './exec/config.js';
import * as mock from './mock/config.js';
import * as qemu from './qemu/config.js';
import * as rawExec from './raw-exec/config.js';
import * as virt from './virt/config.js';

/** What a driver gets from its host beyond the DriverContext. */
export interface DriverHost {
  /**
   * The executor daemon's data dir (the agent's data dir, or `drover plugin
   * serve -data-dir`). It must be the same on every start: that is how a
   * restarted host finds its tasks.
   */
  readonly dataDir: string;
}

/** One built-in driver. */
export interface DriverEntry {
  /** The name in jobs (`driver = "..."`) and plugin blocks. */
  readonly name: string;
  /** plugin "NAME" { config { } } */
  readonly pluginConfigSchema: ObjectSpec;
  /** A task's config { } */
  readonly taskConfigSchema: ObjectSpec;
  /** Imports the driver and builds it (not yet configured: call setConfig). */
  create(ctx: DriverContext, host: DriverHost): Promise<DriverPlugin>;
}

/** Every built-in driver, in the order they are listed to users. */
export const DRIVER_CATALOG: readonly DriverEntry[] = [
  {
    name: 'mock_driver',
    pluginConfigSchema: mock.pluginConfigSchema,
    taskConfigSchema: mock.taskConfigSchema,
    create: async (ctx) => new (await import('./mock/driver.js')).MockDriver(ctx),
  },
  {
    name: 'raw_exec',
    pluginConfigSchema: rawExec.pluginConfigSchema,
    taskConfigSchema: rawExec.taskConfigSchema,
    create: async (ctx, host) => new (await import('./raw-exec/driver.js')).RawExecDriver(ctx, { dataDir: host.dataDir }),
  },
  {
    name: 'exec',
    pluginConfigSchema: exec.pluginConfigSchema,
    taskConfigSchema: exec.taskConfigSchema,
    create: async (ctx, host) => new (await import('./exec/driver.js')).ExecDriver(ctx, { dataDir: host.dataDir }),
  },
  {
    name: 'qemu',
    pluginConfigSchema: qemu.pluginConfigSchema,
    taskConfigSchema: qemu.taskConfigSchema,
    create: async (ctx, host) => new (await import('./qemu/driver.js')).QemuDriver(ctx, { dataDir: host.dataDir }),
  },
  {
    name: 'virt',
    pluginConfigSchema: virt.pluginConfigSchema,
    taskConfigSchema: virt.taskConfigSchema,
    create: async (ctx, host) => new (await import('./virt/driver.js')).VirtDriver(ctx, { dataDir: host.dataDir }),
  },
];

/** The built-in driver called `name`. */
export function catalogEntry(name: string): DriverEntry | undefined {
  return DRIVER_CATALOG.find((d) => d.name === name);
}

/** The built-in drivers' plugin config schema, for checking agent config files; undefined for other (external) plugins. */
export function builtinPluginSchema(name: string): ObjectSpec | undefined {
  return catalogEntry(name)?.pluginConfigSchema;
}

/** The built-in drivers' task schemas, for checking job files without an agent. */
export const builtinDriverSchemas: DriverSchemas = {
  taskConfigSchema: (name) => catalogEntry(name)?.taskConfigSchema,
  names: () => DRIVER_CATALOG.map((d) => d.name),
};
