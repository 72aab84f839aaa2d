import * as exec from './exec/config.js';
import * as mock from './mock/config.js';
import * as qemu from './qemu/config.js';
import * as rawExec from './raw-exec/config.js';
import * as virt from './virt/config.js';
/** Every built-in driver, in the order they are listed to users. */
export const DRIVER_CATALOG = [
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
export function catalogEntry(name) {
    return DRIVER_CATALOG.find((d) => d.name === name);
}
/** The built-in drivers' plugin config schema, for checking agent config files; undefined for other (external) plugins. */
export function builtinPluginSchema(name) {
    return catalogEntry(name)?.pluginConfigSchema;
}
/** The built-in drivers' task schemas, for checking job files without an agent. */
export const builtinDriverSchemas = {
    taskConfigSchema: (name) => catalogEntry(name)?.taskConfigSchema,
    names: () => DRIVER_CATALOG.map((d) => d.name),
};
//# sourceMappingURL=catalog.js.map