/**
 * `drover run JOB.hcl`: validate the job and run it in the foreground on an
 * embedded agent with a temporary data dir, printing task events live.
 * Ctrl-C / SIGTERM stop the tasks gracefully (kill_signal, kill_timeout);
 * a second Ctrl-C exits at once.
 */
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtinDrivers, shutdownDrivers } from '../agent/drivers.js';
import { loadAgentConfigFile } from '../agent/config/parse-config.js';
import { mergeConfigs } from '../agent/config/agent-config.js';
import { builtinPluginSchema } from '../agent/plugin-schemas.js';
import { formatProblem, ValidationError } from '../model/errors.js';
import { JobRun, type AllocInfo } from '../agent/job-run.js';
import { fingerprintNode } from '../agent/node.js';
import { followLogs } from '../agent/logs/follower.js';
import { MemoryStateStore } from '../taskrunner/state-store.js';
import { silentLogger } from '../drivers/types.js';
import { parseFlags, UsageError } from './flags.js';
import { JOB_FILE_FLAGS, loadJobFile } from './job-file.js';
import { jsonPrinter, tablePrinter } from './event-printer.js';
import { printWarnings, type Io } from './io.js';

export const RUN_USAGE = `Usage: drover run [options] <job.hcl>

  Runs the job in the foreground on an embedded agent and prints task events
  as they happen. Exits 0 when every allocation completes, 1 when one fails.

Options:
  -var name=value     Set an HCL2 input variable (repeatable).
  -var-file FILE      Read input variables from FILE (repeatable).
  -json               Print events as JSON lines.
  -logs               Stream the tasks' stdout and stderr.
  -data-dir DIR       Keep alloc dirs and logs in DIR (default: a temporary dir, removed at exit).
  -config FILE        Agent config (as for drover agent): plugin "NAME" { config { } } blocks
                      and client { meta { } } apply to this run (repeatable).
`;

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...JOB_FILE_FLAGS,
    json: { type: 'boolean' },
    logs: { type: 'boolean' },
    'data-dir': { type: 'string' },
    config: { type: 'string', multiple: true },
    help: { type: 'boolean' },
  });
  if (values.help || positionals.length !== 1) {
    io.err(RUN_USAGE);
    return values.help ? 0 : 1;
  }
  const file = positionals[0] as string;
  const ctx = { logger: silentLogger, now: Date.now };
  // The same agent config files `drover agent` takes: driver plugin blocks and node meta.
  const agentConfig = await loadAgentConfigs((values.config as string[] | undefined) ?? [], io);
  // raw_exec is enabled as on Nomad's -dev agent; its executor daemon lives in the run's data dir.
  const drivers = await builtinDrivers(ctx, agentConfig.plugins, { dataDir: () => dataDir, rawExecEnabled: true });
  const { job, warnings } = await loadJobFile(file, values as { var?: string[]; 'var-file'?: string[] }, drivers);
  printWarnings(io, warnings);

  const keep = typeof values['data-dir'] === 'string';
  const dataDir = keep ? resolve(values['data-dir'] as string) : await mkdtemp(join(tmpdir(), 'drover-run-'));
  await mkdir(dataDir, { recursive: true });
  const printer = values.json ? jsonPrinter(io.out) : tablePrinter(io.out);
  const logsDone = new AbortController();
  const followers: Promise<void>[] = [];
  const followed = new Set<string>();
  const follow = (alloc: AllocInfo, task: string): void => {
    const key = `${alloc.id}/${task}`;
    if (!values.logs || followed.has(key)) return;
    followed.add(key);
    for (const type of ['stdout', 'stderr'] as const) {
      followers.push(streamLogs(alloc, task, type, logsDone.signal, type === 'stdout' ? io.rawOut : io.rawErr));
    }
  };

  const run = new JobRun({
    job,
    dataDir,
    drivers,
    store: new MemoryStateStore(),
    node: fingerprintNode({ meta: agentConfig.client.meta, datacenter: agentConfig.datacenter }),
    logger: silentLogger,
    now: Date.now,
    random: Math.random,
    onTaskEvent: (alloc, task, event) => {
      printer.print(alloc, task, event);
      if (event.type === 'Started') follow(alloc, task);
    },
  });
  if (!values.json) io.err(`==> Running job "${job.id}" (${run.allocs.length} allocation${run.allocs.length === 1 ? '' : 's'}) in ${dataDir}`);

  let stoppedBy: string | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stoppedBy) {
      io.err(`==> ${sig} again: exiting without waiting for tasks`);
      process.exit(130);
    }
    stoppedBy = sig;
    io.err(`==> Caught ${sig}, stopping job "${job.id}" (press Ctrl-C again to exit at once)`);
    void run.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcomes = await run.run();
    logsDone.abort();
    await Promise.all(followers);
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length > 0) {
      io.err(`==> Job "${job.id}" failed: ${failed.length} of ${outcomes.length} allocation(s) failed`);
      for (const f of failed) for (const r of f.reasons) io.err(`    ${f.alloc.name} (${f.alloc.id.slice(0, 8)}): ${r}`);
      return 1;
    }
    io.err(`==> Job "${job.id}" ${stoppedBy ? `stopped (${stoppedBy})` : 'completed'}: ${outcomes.length} allocation(s) complete`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await shutdownDrivers(drivers);
    if (!keep) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Reads and merges -config files (later files win), printing their warnings. */
async function loadAgentConfigs(files: readonly string[], io: Io): Promise<ReturnType<typeof mergeConfigs>> {
  const parts = [];
  for (const f of files) {
    let parsed;
    try {
      parsed = await loadAgentConfigFile(f, { pluginSchema: builtinPluginSchema });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      throw new UsageError(`Error loading configuration from ${f}:\n${err.problems.map((p) => `\t* ${formatProblem(p)}`).join('\n')}`);
    }
    const { config, warnings } = parsed;
    for (const w of warnings) io.err(`Warning: ${formatProblem(w)}`);
    parts.push(config);
  }
  return mergeConfigs(undefined, parts);
}

async function streamLogs(alloc: AllocInfo, task: string, type: 'stdout' | 'stderr', signal: AbortSignal, write: (b: Uint8Array) => void): Promise<void> {
  for await (const chunk of followLogs({ logDir: join(alloc.dir, 'alloc', 'logs'), task, type, signal })) write(chunk);
}
