/**
 * `drover plugin serve DRIVER` and `drover plugin install DIR [DRIVER...]`:
 * drover's drivers as Nomad task driver plugins (see src/plugin/README.md).
 */
import * as path from 'node:path';
import { UsageError } from './flags.js';
export const PLUGIN_USAGE = `Usage: drover plugin <subcommand> [args]

Subcommands:
  serve DRIVER               Serve one driver over Nomad's plugin protocol
                             (started by a Nomad client from its plugin_dir)
  install DIR [DRIVER...]    Write a plugin executable per driver into DIR,
                             a Nomad client's plugin_dir`;
export async function pluginCommand(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
        case 'serve': {
            const { pluginServeMain } = await import('../plugin/serve-main.js');
            return pluginServeMain(rest);
        }
        case 'install': {
            const [dir, ...drivers] = rest;
            if (dir === undefined)
                throw new UsageError(`plugin install needs a directory\n\n${PLUGIN_USAGE}`);
            const { installPluginShims, nomadConfigSnippet } = await import('../plugin/install.js');
            const files = installPluginShims(dir, { drivers });
            for (const f of files)
                io.out(`Installed ${f}`);
            const names = files.map((f) => path.basename(f).replace(/^drover-driver-/, ''));
            io.out(`\nAdd to the Nomad client's agent config:\n\n${nomadConfigSnippet(path.resolve(dir), names)}`);
            return 0;
        }
        case undefined:
        case '-h':
        case '-help':
        case '--help':
            io.err(PLUGIN_USAGE);
            return sub === undefined ? 1 : 0;
        default:
            io.err(`Unknown plugin subcommand ${JSON.stringify(sub)}\n\n${PLUGIN_USAGE}`);
            return 1;
    }
}
//# sourceMappingURL=plugin.js.map