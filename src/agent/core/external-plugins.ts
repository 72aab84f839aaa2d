/**
 * External driver plugins from the agent's plugin_dir (Nomad's plugin
 * loader): each configured executable is launched as a go-plugin, registered
 * under its own driver name (overriding a built-in of that name, as Nomad
 * does), and its reattach config is kept in the agent's state so a restarted
 * agent adopts a plugin left running instead of starting another.
 */
import type { DriverRegistry } from '../../drivers/registry.js';
import type { Logger } from '../../model/logger.js';
import { loadPluginDir, type PluginBlock } from '../../plugin/client/plugin-dir.js';
import type { ReattachConfig } from '../../plugin/client/generation.js';
import type { ExternalDriver } from '../../plugin/client/supervisor.js';
import type { AgentConfig } from '../config/agent-config.js';
import type { StateDB } from '../state/state-db.js';

const META_PREFIX = 'plugin_reattach:';

/** Loads the configured plugins and registers them; failures are logged per plugin, as Nomad does. */
export async function loadExternalPlugins(config: AgentConfig, drivers: DriverRegistry, db: StateDB, logger: Logger): Promise<ExternalDriver[]> {
  if (config.pluginDir === '') return [];
  const labels = new Set([...Object.keys(config.pluginArgs), ...Object.keys(config.plugins)]);
  const plugins: Record<string, PluginBlock> = {};
  for (const label of labels) plugins[label] = { args: config.pluginArgs[label] ?? [], config: config.plugins[label] ?? {} };
  const remember = (file: string, ext: { reattachConfig(): ReattachConfig }): void =>
    db.durable(() => db.setMeta(`${META_PREFIX}${file}`, JSON.stringify(ext.reattachConfig())));
  const loaded = await loadPluginDir({
    pluginDir: config.pluginDir,
    plugins,
    logger,
    reattach: (file) => {
      const raw = db.meta(`${META_PREFIX}${file}`);
      return raw ? (JSON.parse(raw) as ReattachConfig) : undefined;
    },
    onRestart: (file) => {
      const ext = loaded.drivers.get([...loaded.drivers.keys()].find((n) => loaded.drivers.get(n)?.file === file) ?? '');
      if (ext) remember(file, ext);
    },
  });
  for (const [name, ext] of loaded.drivers) {
    if (drivers.get(name)) logger.info('external plugin replaces the built-in driver', { driver: name, plugin: ext.file });
    drivers.replace(name, ext.driver);
    remember(ext.file, ext);
  }
  return [...loaded.drivers.values()];
}
