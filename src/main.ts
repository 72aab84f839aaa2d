#!/usr/bin/env -S node --max-semi-space-size=1
/**
 * The drover binary: argv → executor daemon or CLI. Entry points are loaded
 * lazily so the executor daemon never loads the HCL parser, HTTP or gRPC.
 *
 * The shebang caps V8's young generation at 1 MB per semi-space (Node's default
 * grows to 8): measured on the agent, idle RSS 86 → 71 MB and the cost of 300
 * running tasks 39 → 25 MB; start times stay within run-to-run noise. V8 reads the flag only
 * at start, so it applies when drover runs as the `drover` binary (npm link,
 * or dist/src/main.js executed directly), not under `node dist/src/main.js`.
 */
const argv = process.argv.slice(2);

async function main(): Promise<number> {
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`drover: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
