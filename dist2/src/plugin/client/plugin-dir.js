/**
 * Loading a plugin_dir as Nomad's loader does: every executable file whose
 * (cleaned) name has a `plugin "NAME"` block is launched with that block's
 * args and config; others are skipped with a warning. The driver name is the
 * plugin's own (PluginInfo.Name), not the file name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../../model/errors.js';
import { loadExternalDriver } from './supervisor.js';
/** Loads every configured plugin in the dir; one plugin failing does not stop the others. */
export async function loadPluginDir(o) {
    const drivers = new Map();
    const errors = {};
    let entries;
    try {
        entries = fs.readdirSync(o.pluginDir).sort();
    }
    catch (err) {
        if (err.code === 'ENOENT') {
            o.logger.warn("skipping external plugins since plugin_dir doesn't exist", { plugin_dir: o.pluginDir });
            return { drivers, errors };
        }
        throw err;
    }
    for (const file of entries) {
        const full = path.join(o.pluginDir, file);
        const st = fs.statSync(full);
        if (st.isDirectory())
            continue;
        if ((st.mode & 0o111) === 0) {
            o.logger.warn('skipping un-executable file in plugin folder', { file: full });
            continue;
        }
        const block = o.plugins[file];
        if (!block) {
            o.logger.warn('plugin not referenced in the agent configuration file, loading skipped', { plugin: file });
            continue;
        }
        try {
            const rc = o.reattach?.(file);
            const ext = await loadExternalDriver({
                path: full,
                args: block.args ?? [],
                config: block.config ?? {},
                logger: o.logger,
                ...(o.agentConfig ? { agentConfig: o.agentConfig } : {}),
                ...(rc ? { reattach: rc } : {}),
                ...(o.onRestart ? { onRestart: (r) => o.onRestart?.(file, r) } : {}),
            });
            const prev = drivers.get(ext.name);
            if (prev) {
                await ext.kill();
                throw new Error(`driver ${ext.name} is already provided by ${prev.file}`);
            }
            drivers.set(ext.name, Object.assign(ext, { file }));
        }
        catch (err) {
            errors[file] = errorMessage(err);
            o.logger.error('failed to load plugin', { plugin: file, error: errorMessage(err) });
        }
    }
    return { drivers, errors };
}
//# sourceMappingURL=plugin-dir.js.map