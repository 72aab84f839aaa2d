#!/usr/bin/env node
/**
 * The drover binary: argv → executor daemon or CLI. Entry points are loaded
 * lazily so the executor daemon never loads the HCL parser, HTTP or gRPC.
 */
const argv = process.argv.slice(2);
async function main() {
    if (argv[0] === 'executor') {
        const { executorMain } = await import('./executor/main.js');
        return executorMain(argv.slice(1));
    }
    if (argv[0] === 'plugin' && argv[1] === 'serve') {
        // Straight to the plugin server: a Nomad client launches it repeatedly, and the CLI costs ~0.5 s to load.
        const { pluginServeMain } = await import('./plugin/serve-main.js');
        return pluginServeMain(argv.slice(2));
    }
    const [{ cli }, { processIo }] = await Promise.all([import('./cli/index.js'), import('./cli/io.js')]);
    return cli(argv, processIo());
}
main().then((code) => {
    process.exitCode = code;
}, (err) => {
    process.stderr.write(`drover: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
});
export {};
//# sourceMappingURL=main.js.map