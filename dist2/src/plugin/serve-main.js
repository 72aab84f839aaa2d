/**
 * Entry for `drover plugin serve DRIVER [-data-dir DIR]`, reached straight
 * from main.ts so a Nomad client launching the plugin does not pay for
 * loading the CLI (HCL parser, HTTP client): on this machine that is ~0.5 s
 * per launch, and Nomad launches a plugin several times while loading it.
 * Flags come from the shim or from the Nomad plugin block's `args`.
 */
import { servePlugin } from './server/serve.js';
export const SERVE_USAGE = 'Usage: drover plugin serve DRIVER [-data-dir DIR]\n';
/** Serves the driver; exits the process when the host is done with it (task timers would keep it alive). */
export async function pluginServeMain(argv) {
    const parsed = parseServeArgs(argv);
    if (typeof parsed === 'string') {
        process.stderr.write(`${parsed}\n${SERVE_USAGE}`);
        return 1;
    }
    const code = await servePlugin(parsed.driver, undefined, parsed.dataDir !== undefined ? { dataDir: parsed.dataDir } : {});
    process.exit(code);
}
/** DRIVER plus -data-dir DIR / -data-dir=DIR (one or two dashes); a string is the error. */
export function parseServeArgs(argv) {
    let driver;
    let dataDir;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const m = /^--?data-dir(?:=(.*))?$/.exec(a);
        if (m) {
            dataDir = m[1] ?? argv[++i];
            if (dataDir === undefined || dataDir === '')
                return 'flag -data-dir needs a directory';
        }
        else if (a.startsWith('-'))
            return `unknown flag ${a}`;
        else if (driver === undefined)
            driver = a;
        else
            return `unexpected argument ${JSON.stringify(a)}`;
    }
    return driver === undefined ? 'missing DRIVER' : { driver, ...(dataDir !== undefined ? { dataDir } : {}) };
}
//# sourceMappingURL=serve-main.js.map