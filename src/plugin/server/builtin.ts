/** What `drover plugin serve` gives the driver it serves (any of drivers/catalog.ts). */
import * as os from 'node:os';
import * as path from 'node:path';

/** What a served driver gets from `drover plugin serve` flags. */
export interface ServeOptions {
  /**
   * The executor daemon's data dir (raw_exec, exec, qemu, virt). It must be the same on
   * every launch of the plugin: that is how a restarted plugin finds its tasks.
   */
  readonly dataDir: string;
}

/** The default -data-dir: /var/lib/drover/nomad-plugins as root, ~/.local/state/drover/nomad-plugins otherwise. */
export function defaultServeDataDir(): string {
  if (process.getuid?.() === 0) return '/var/lib/drover/nomad-plugins';
  return path.join(os.homedir(), '.local', 'state', 'drover', 'nomad-plugins');
}
