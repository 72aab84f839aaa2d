/**
 * `drover run JOB.hcl`: validate the job and run it in the foreground on an
 * embedded agent (the same Agent core as `drover agent`, SQLite state in a
 * temporary data dir, no HTTP API), printing task events live.
 * Ctrl-C / SIGTERM stop the job through the agent, so tasks get their kill
 * sequence (kill_signal, kill_timeout); a second Ctrl-C exits at once.
 */
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { displayMessage } from '../model/task-event.js';
import { Agent, allocDirOf, builtinDrivers, followLogs, loadAgentConfigFile, lockDataDir, mergeConfigs, shutdownDrivers, startHttpServer, type AllocView, type HttpServer } from '../agent/index.js';
import { builtinDriverSchemas, builtinPluginSchema } from '../drivers/catalog.js';
import type { DriverRegistry } from '../drivers/registry.js';
import { formatProblem, ValidationError } from '../model/errors.js';
import { silentLogger } from '../model/logger.js';
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
  -data-dir DIR       Keep the agent's state, alloc dirs and logs in DIR (default: a temporary dir, removed at exit).
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
  const flags = values as { var?: string[]; 'var-file'?: string[] };
  // With a plugin_dir, drivers are checked once the agent has loaded its plugins (below).
  const external = agentConfig.pluginDir !== '';
  const { job, warnings } = await loadJobFile(file, flags, external ? undefined : builtinDriverSchemas);
  printWarnings(io, warnings);

  const keep = typeof values['data-dir'] === 'string';
  const dataDir = keep ? resolve(values['data-dir'] as string) : await mkdtemp(join(tmpdir(), 'drover-run-'));
  await mkdir(dataDir, { recursive: true });
  const printer = values.json ? jsonPrinter(io.out) : tablePrinter(io.out);
  const logsDone = new AbortController();
  const followers: Promise<void>[] = [];
  const followed = new Set<string>();
  const follow = (allocId: string, task: string): void => {
    const key = `${allocId}/${task}`;
    if (!values.logs || followed.has(key)) return;
    followed.add(key);
    for (const type of ['stdout', 'stderr'] as const) {
      followers.push(streamLogs(allocDirOf(dataDir, allocId), task, type, logsDone.signal, type === 'stdout' ? io.rawOut : io.rawErr));
    }
  };

  let agent: Agent | undefined;
  let registered = false;
  let stoppedBy: NodeJS.Signals | 'closed output' | undefined;
  const stop = (why: NonNullable<typeof stoppedBy>): void => {
    if (stoppedBy) {
      io.err(`==> ${why} again: exiting without waiting for tasks`);
      process.exit(130);
    }
    stoppedBy = why;
    if (why !== 'closed output') io.err(`==> Caught ${why}, stopping job "${job.id}" (press Ctrl-C again to exit at once)`);
    // Nomad's job stop: every task gets its kill sequence (kill_signal, kill_timeout, then force).
    if (agent && registered) agent.deregister(job.id, false);
  };
  const onSignal = (sig: NodeJS.Signals): void => stop(sig);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `drover run -json job.hcl | head`: the reader went away, as if by Ctrl-C; stop the job and clean up without a word.
  io.onOutputClosed?.(() => stop('closed output'));
  let unlock: (() => void) | undefined;
  let drivers: DriverRegistry | undefined;
  let taskApi: HttpServer | undefined;
  try {
    unlock = lockDataDir(dataDir);
    // raw_exec is enabled as on Nomad's -dev agent; its executor daemon lives in the run's data dir.
    drivers = await builtinDrivers(ctx, agentConfig.plugins, { dataDir, rawExecEnabled: true });
    // Allocations of this run: those that did not exist before it registered the job.
    const earlier = new Set<string>();
    let watching = false;
    agent = await Agent.start({
      config: { ...agentConfig, dataDir },
      logger: silentLogger,
      drivers,
      fingerprintDrivers: [...new Set(job.groups.flatMap((g) => g.tasks.map((t) => t.driver)))],
      onTaskEvent: (alloc, task, event) => {
        if (!watching || earlier.has(alloc.id)) return;
        printer.print(alloc, task, event);
        if (event.type === 'Started') follow(alloc.id, task);
      },
    });
    const a = agent;
    // No TCP API, but tasks' secrets/api.sock serve it (workload identity's task API).
    taskApi = await startHttpServer(a, { host: '127.0.0.1', port: 0, maxBodyBytes: agentConfig.httpMaxBodyBytes, listen: false });
    if (external) await loadJobFile(file, flags, a.drivers); // unknown drivers and bad config {} named with their lines
    // A kept data dir may hold this job from an earlier run: stop what is left of it, then run it afresh.
    const previous = a.job(job.id);
    if (previous && !previous.stop) {
      a.deregister(job.id, false);
      await waitAllocs(a, a.allocs(job.id));
    }
    for (const v of a.allocs()) earlier.add(v.record.id);
    watching = true;
    const count = job.groups.reduce((n, g) => n + g.count, 0);
    if (!values.json) io.err(`==> Running job "${job.id}" (${count} allocation${count === 1 ? '' : 's'}) in ${dataDir}`);
    if (!stoppedBy) {
      await a.register(job);
      registered = true;
      // Stopped while registering (the first events can close a short pipe): stop now that there is a job to stop.
      if (stoppedBy) a.deregister(job.id, false);
    }
    const ours = a.allocs(job.id).filter((v) => !earlier.has(v.record.id));
    await waitAllocs(a, ours);
    logsDone.abort();
    await Promise.all(followers);
    const outcomes = ours.map((v) => a.alloc(v.record.id) ?? v);
    const failed = outcomes.filter((o) => o.record.clientStatus === 'failed');
    if (failed.length > 0) {
      io.err(`==> Job "${job.id}" failed: ${failed.length} of ${outcomes.length} allocation(s) failed`);
      for (const f of failed) for (const r of failureReasons(f)) io.err(`    ${f.record.name} (${f.record.id.slice(0, 8)}): ${r}`);
      return 1;
    }
    if (stoppedBy !== 'closed output') io.err(`==> Job "${job.id}" ${stoppedBy ? `stopped (${stoppedBy})` : 'completed'}: ${outcomes.length} allocation(s) complete`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    logsDone.abort();
    // Every alloc of the run has ended: this closes the state database and stops the drivers (raw_exec's executor daemon).
    await taskApi?.close();
    if (agent) await agent.shutdown();
    else if (drivers) await shutdownDrivers(drivers);
    unlock?.();
    if (!keep) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Resolves when every one of the allocations has ended. */
async function waitAllocs(agent: Agent, allocs: readonly AllocView[]): Promise<void> {
  await Promise.all(allocs.map((v) => agent.waitAlloc(v.record.id)));
}

/** The events that explain a failed allocation's tasks, newest last (or why it could not run at all). */
function failureReasons(view: AllocView): string[] {
  const reasons: string[] = [];
  for (const [name, s] of view.states) {
    if (!s.failed) continue;
    const telling = [...s.events].reverse().find((e) => e.type !== 'Not Restarting' && e.type !== 'Killed' && e.type !== 'Killing');
    const last = s.events[s.events.length - 1];
    const parts = [last ? `${last.type}: ${displayMessage(last)}` : 'failed'];
    if (telling && telling !== last) parts.push(`after ${telling.type}: ${displayMessage(telling)}`);
    reasons.push(`task "${name}" ${parts.join(', ')}`);
  }
  if (reasons.length === 0 && view.record.clientDescription) reasons.push(view.record.clientDescription);
  return reasons;
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

async function streamLogs(allocDir: string, task: string, type: 'stdout' | 'stderr', signal: AbortSignal, write: (b: Uint8Array) => void): Promise<void> {
  for await (const chunk of followLogs({ logDir: join(allocDir, 'alloc', 'logs'), task, type, signal })) write(chunk);
}
