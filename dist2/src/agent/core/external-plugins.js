import { loadPluginDir } from '../../plugin/client/plugin-dir.js';
const META_PREFIX = 'plugin_reattach:';
/** Loads the configured plugins and registers them; failures are logged per plugin, as Nomad does. */
export async function loadExternalPlugins(config, drivers, db, logger) {
    if (config.pluginDir === '')
        return [];
    const labels = new Set([...Object.keys(config.pluginArgs), ...Object.keys(config.plugins)]);
    const plugins = {};
    for (const label of labels)
        plugins[label] = { args: config.pluginArgs[label] ?? [], config: config.plugins[label] ?? {} };
    const remember = (file, ext) => db.durable(() => db.setMeta(`${META_PREFIX}${file}`, JSON.stringify(ext.reattachConfig())));
    const loaded = await loadPluginDir({
        pluginDir: config.pluginDir,
        plugins,
        logger,
        reattach: (file) => {
            const raw = db.meta(`${META_PREFIX}${file}`);
            return raw ? JSON.parse(raw) : undefined;
        },
        onRestart: (file) => {
            const ext = loaded.drivers.get([...loaded.drivers.keys()].find((n) => loaded.drivers.get(n)?.file === file) ?? '');
            if (ext)
                remember(file, ext);
        },
    });
    for (const [name, ext] of loaded.drivers) {
        if (drivers.get(name))
            logger.info('external plugin replaces the built-in driver', { driver: name, plugin: ext.file });
        drivers.replace(name, ext.driver);
        remember(ext.file, ext);
    }
    return [...loaded.drivers.values()];
}
//# sourceMappingURL=external-plugins.js.map