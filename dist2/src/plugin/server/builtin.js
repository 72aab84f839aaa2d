/** What `drover plugin serve` gives the driver it serves (any of drivers/catalog.ts). */
import * as os from 'node:os';
import * as path from 'node:path';
/** The default -data-dir: /var/lib/drover/nomad-plugins as root, ~/.local/state/drover/nomad-plugins otherwise. */
export function defaultServeDataDir() {
    if (process.getuid?.() === 0)
        return '/var/lib/drover/nomad-plugins';
    return path.join(os.homedir(), '.local', 'state', 'drover', 'nomad-plugins');
}
//# sourceMappingURL=builtin.js.map