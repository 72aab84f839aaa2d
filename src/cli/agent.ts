/**
 * `drover agent -data-dir DIR [-bind ADDR] [-port N] [-config FILE]…`: the
 * long-running agent. Prints the address it listens on; SIGINT / SIGTERM
 * shut it down gracefully and leave tasks running (Nomad's client
 * behaviour), to be re-attached by the next start on the same data dir.
 */
import { resolve } from 'node:path';
import { isLogLevel, loadAgentConfigFile, mergeConfigs, runAgent, stderrLogger, type PartialAgentConfig } from '../agent/index.js';
import { builtinPluginSchema } from '../drivers/catalog.js';
import { HclParserProcess, useHclBackend } from '../hcl/index.js';
import { parseFlags, UsageError } from './flags.js';
import { printWarnings, type Io } from './io.js';

export const AGENT_USAGE = `Usage: drover agent -data-dir DIR [options]

  Starts a long-running agent: tasks survive agent restarts, state lives in
  DIR/state.db, and the HTTP API listens on 127.0.0.1:4646 by default.

Options:
  -data-dir DIR      Where state, alloc dirs and logs live (required, or data_dir in a config file).
  -config FILE       Agent config file in HCL (repeatable; later files win).
  -bind ADDR         Address the HTTP API binds to (default 127.0.0.1).
  -port N            HTTP port (default 4646; 0 picks a free one).
  -acl-enabled       Require ACL tokens (bootstrap with 'drover acl bootstrap').
  -log-level LEVEL   trace, debug, info (default), warn or error.
`;

/** How long the agent keeps its HCL parser process after the last parse. */
const HCL_PARSER_IDLE_MS = 1_000;

export async function agentCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    'data-dir': { type: 'string' },
    config: { type: 'string', multiple: true },
    bind: { type: 'string' },
    port: { type: 'string' },
    'acl-enabled': { type: 'boolean' },
    'log-level': { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help || positionals.length > 0) {
    io.err(AGENT_USAGE);
    return values.help ? 0 : 1;
  }
  const level = (values['log-level'] as string | undefined) ?? 'info';
  if (!isLogLevel(level)) throw new UsageError(`-log-level: unknown level ${JSON.stringify(level)}`);
  // The agent parses HCL (its config, jobs sent to /v1/jobs/parse) in a child process it ends after 1 s
  // unused: the parser holds 70–150 MB RSS (its Go heap grows with the job), which a running agent then
  // carries only while jobs arrive; a scripted burst of `job run`s, or typing in the UI's editor, finds it warm.
  useHclBackend(new HclParserProcess(HCL_PARSER_IDLE_MS).parse);
  const parts: PartialAgentConfig[] = [];
  for (const file of (values.config as string[] | undefined) ?? []) {
    const { config, warnings } = await loadAgentConfigFile(file, { pluginSchema: builtinPluginSchema });
    printWarnings(io, warnings);
    parts.push(config);
  }
  const flags: PartialAgentConfig = {};
  if (values.bind !== undefined) flags.bindAddr = values.bind as string;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`-port: invalid port ${JSON.stringify(values.port)}`);
    flags.httpPort = port;
  }
  if (values['acl-enabled']) flags.aclEnabled = true;
  parts.push(flags);
  const merged = mergeConfigs(values['data-dir'] as string | undefined, parts);
  if (!merged.dataDir) throw new UsageError('Must specify data directory: -data-dir DIR or data_dir in a config file');
  const config = { ...merged, dataDir: resolve(merged.dataDir) };

  // A long-running agent outlives whoever reads its output (`drover agent | head`): it keeps running and drops the lines.
  io.onOutputClosed?.(() => {});
  const logger = stderrLogger(level);
  const running = await runAgent(config, logger);
  io.out(`==> drover agent started! Log data will stream in below:`);
  io.out(`    Data dir: ${config.dataDir}`);
  io.out(`    Node ID: ${running.agent.node.id}`);
  io.out(`    ACL: ${config.aclEnabled ? 'enabled' : 'disabled'}`);
  io.out(`==> drover agent listening on http://${running.http.address}`);
  io.out(`    Web UI: http://${running.http.address}/ui`);

  await new Promise<void>((done) => {
    let caught = false;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (caught) {
        io.err(`==> Caught ${sig} again: exiting at once`);
        process.exit(1);
      }
      caught = true;
      io.err(`==> Caught signal: ${sig}; gracefully shutting down (tasks keep running)`);
      void running.stop().then(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        done();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  io.err('==> drover agent shutdown complete');
  // Exit now: in-process work (mock_driver's simulated tasks, idle sockets) must not keep the
  // process alive after a shutdown that deliberately leaves tasks to the next agent.
  process.exit(0);
}
