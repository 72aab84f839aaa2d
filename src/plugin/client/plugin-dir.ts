/**
 * Loading a plugin_dir as Nomad's loader does: every executable file whose
 * (cleaned) name has a `plugin "NAME"` block is launched with that block's
 * args and config; others are skipped with a warning. The driver name is the
 * plugin's own (PluginInfo.Name), not the file name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentConfig } from '../../drivers/types.js';
import type { Logger } from '../../model/logger.js';
import { errorMessage } from '../../model/errors.js';
import type { ReattachConfig } from './generation.js';
import { loadExternalDriver, type ExternalDriver, type RestartReport } from './supervisor.js';

/** A `plugin "NAME" { args = [...] config { ... } }` block. */
export interface PluginBlock {
  readonly args?: readonly string[];
  readonly config?: Readonly<Record<string, unknown>>;
}

/** What loadPluginDir needs from the agent. */
export interface PluginDirOptions {
  readonly pluginDir: string;
  /** Plugin blocks by file name. */
  readonly plugins: Readonly<Record<string, PluginBlock>>;
  readonly logger: Logger;
  readonly agentConfig?: AgentConfig;
  /** Stored reattach configs (agent state) by file name, to adopt plugins left running. */
  readonly reattach?: (file: string) => ReattachConfig | undefined;
  readonly onRestart?: (file: string, r: RestartReport) => void;
}

/** The loaded plugins by driver name, and per-file failures. */
export interface PluginDirResult {
  readonly drivers: ReadonlyMap<string, ExternalDriver & { readonly file: string }>;
  readonly errors: Readonly<Record<string, string>>;
}

/** Loads every configured plugin in the dir; one plugin failing does not stop the others. */
export async function loadPluginDir(o: PluginDirOptions): Promise<PluginDirResult> {
  const drivers = new Map<string, ExternalDriver & { file: string }>();
  const errors: Record<string, string> = {};
  let entries: string[];
  try {
    entries = fs.readdirSync(o.pluginDir).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      o.logger.warn("skipping external plugins since plugin_dir doesn't exist", { plugin_dir: o.pluginDir });
      return { drivers, errors };
    }
    throw err;
  }
  for (const file of entries) {
    const full = path.join(o.pluginDir, file);
    const st = fs.statSync(full);
    if (st.isDirectory()) continue;
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
        ...(o.onRestart ? { onRestart: (r: RestartReport) => o.onRestart?.(file, r) } : {}),
      });
      const prev = drivers.get(ext.name);
      if (prev) {
        await ext.kill();
        throw new Error(`driver ${ext.name} is already provided by ${prev.file}`);
      }
      drivers.set(ext.name, Object.assign(ext, { file }));
    } catch (err) {
      errors[file] = errorMessage(err);
      o.logger.error('failed to load plugin', { plugin: file, error: errorMessage(err) });
    }
  }
  return { drivers, errors };
}
