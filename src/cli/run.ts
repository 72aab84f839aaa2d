/**
 * `drover run JOB.hcl`: validate the job and run it in the foreground on an
 * embedded agent (the same Agent core as `drover agent`, SQLite state in a
 * temporary data dir, no HTTP API), printing task events live.
 * Ctrl-C / SIGTERM stop the job through the agent, so tasks get their kill
 * sequence (kill_signal, kill_timeout); a second Ctrl-C exits at once.
 * A periodic job runs on schedule until then; a parameterized one is
 * dispatched once (run-template.ts).
 */
import { toApiAllocMetric } from '../agent/index.js';
import { allocMetricLines, failedGroupHeader } from './eval-format.js';
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
import { dispatchInputs, nextPeriodicLaunchMs, RUN_TEMPLATE_FLAGS, runMode } from './run-template.js';
import { launchText } from './periodic-time.js';
import { dispatchRequestProblem } from '../model/child-job.js';
import { JOB_FILE_FLAGS, loadJobFile } from './job-file.js';
import { jsonPrinter, tablePrinter } from './event-printer.js';
import { printWarnings, type Io } from './io.js';

export const RUN_USAGE = `Usage: drover run [options] <job.hcl>

  Runs the job in the foreground on an embedded agent and prints task events
  as they happen. Exits 0 when every allocation completes, 1 when one fails,
  2 when the node cannot take the job (its constraints, drivers or resources).

  A periodic job launches on its schedule until Ctrl-C, which stops the
  running launches; the exit code then says whether any launch failed. A
  parameterized job is dispatched once, with -meta and -payload, and runs
  like any other job.

Options:
  -var name=value     Set an HCL2 input variable (repeatable).
  -var-file FILE      Read input variables from FILE (repeatable).
  -json               Print events as JSON lines.
  -logs               Stream the tasks' stdout and stderr.
  -data-dir DIR       Keep the agent's state, alloc dirs and logs in DIR (default: a temporary dir, removed at exit).
  -config FILE        Agent config (as for drover agent): plugin "NAME" { config { } } blocks
                      and client { meta { } } apply to this run (repeatable).
  -meta KEY=VALUE     Dispatch metadata for a parameterized job (repeatable).
  -payload FILE       Dispatch payload for a parameterized job, from FILE or stdin ("-").
`;

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...JOB_FILE_FLAGS,
    json: { type: 'boolean' },
    logs: { type: 'boolean' },
    'data-dir': { type: 'string' },
    config: { type: 'string', multiple: true },
    ...RUN_TEMPLATE_FLAGS,
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
  const flags = values as { var?: string[]; 'var-file'?: string[]; meta?: string[]; payload?: string };
  // With a plugin_dir, drivers are checked once the agent has loaded its plugins (below).
  const external = agentConfig.pluginDir !== '';
  const { job, warnings } = await loadJobFile(file, flags, external ? undefined : builtinDriverSchemas);
  printWarnings(io, warnings);
  // Refused here, before anything starts: a schedule that never fires, a dispatch its job would refuse.
  const mode = runMode(job, flags, Date.now());
  const inputs = mode === 'dispatch' ? dispatchInputs(flags) : undefined;
  const dispatchProblem = inputs && job.parameterized ? dispatchRequestProblem(job.parameterized, inputs.payload, inputs.meta) : undefined;
  if (dispatchProblem) throw new UsageError(`Failed to dispatch job "${job.id}": ${dispatchProblem} (give meta with -meta KEY=VALUE and the payload with -payload FILE)`);

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
  // What a stop stops: the job, or the child a dispatch made of it (stopping a parent leaves its children running).
  let target = job.id;
  let stoppedBy: NodeJS.Signals | 'closed output' | undefined;
  let interrupted: () => void = () => undefined;
  const interruption = new Promise<void>((resolve) => (interrupted = resolve));
  const stop = (why: NonNullable<typeof stoppedBy>): void => {
    if (stoppedBy) {
      io.err(`==> ${why} again: exiting without waiting for tasks`);
      process.exit(130);
    }
    stoppedBy = why;
    if (why !== 'closed output') io.err(`==> Caught ${why}, stopping job "${job.id}" (press Ctrl-C again to exit at once)`);
    // Nomad's job stop: every task gets its kill sequence (kill_signal, kill_timeout, then force).
    if (agent && registered) agent.deregister(target, false);
    interrupted();
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
    const launches = new Set<string>();
    let watching = false;
    agent = await Agent.start({
      config: { ...agentConfig, dataDir },
      logger: silentLogger,
      drivers,
      fingerprintDrivers: [...new Set(job.groups.flatMap((g) => g.tasks.map((t) => t.driver)))],
      // A foreground run ends with its allocations and reports a failure; it never waits for a reschedule.
      reschedule: false,
      onTaskEvent: (alloc, task, event) => {
        if (!watching || earlier.has(alloc.id)) return;
        if (mode === 'periodic' && !launches.has(alloc.jobId)) {
          launches.add(alloc.jobId);
          const now = Date.now();
          const next = nextPeriodicLaunchMs(job, now);
          if (!values.json) io.err(`==> Launched "${alloc.jobId}"${next === undefined ? '' : `; next launch ${launchText(next, now, job.periodic?.timeZone ?? 'UTC')}`}`);
        }
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
    if (!values.json) {
      const now = Date.now();
      const next = nextPeriodicLaunchMs(job, now);
      if (mode === 'periodic' && next !== undefined) io.err(`==> Running periodic job "${job.id}" in ${dataDir} until interrupted; first launch ${launchText(next, now, job.periodic?.timeZone ?? 'UTC')}`);
      else io.err(`==> Running job "${job.id}" (${count} allocation${count === 1 ? '' : 's'}) in ${dataDir}`);
    }
    if (!stoppedBy) {
      const r = await a.register(job);
      registered = true;
      // A one-shot run has no other work to wait for: what the node cannot take fails the run at once, as Nomad's job run exits 2.
      const unplaced = Object.entries(r.failed ?? {});
      if (unplaced.length > 0) {
        io.err(`==> Job "${job.id}" cannot be placed on this node:`);
        for (const [group, m] of unplaced) {
          const api = toApiAllocMetric(m);
          io.err(`    ${failedGroupHeader(group, api)}`);
          for (const line of allocMetricLines(api, '      ')) io.err(line);
        }
        a.deregister(job.id, false);
        await waitAllocs(a, a.allocs(job.id));
        return 2;
      }
      if (inputs && !stoppedBy) {
        target = (await a.childJobs.dispatch(job.id, { ...inputs, idempotencyToken: '' })).dispatchedJobId;
        if (!values.json) io.err(`==> Dispatched "${target}"`);
      }
      // Stopped while registering (the first events can close a short pipe): stop now that there is a job to stop.
      if (stoppedBy) a.deregister(target, false);
    }
    if (mode === 'periodic') await stopLaunches(a, job.id, interruption);
    // A periodic run's allocations are its launches'.
    const ours = (mode === 'periodic' ? a.allocs() : a.allocs(target)).filter((v) => !earlier.has(v.record.id));
    await waitAllocs(a, ours);
    logsDone.abort();
    await Promise.all(followers);
    const outcomes = ours.map((v) => a.alloc(v.record.id) ?? v);
    const failed = outcomes.filter((o) => o.record.clientStatus === 'failed');
    if (failed.length > 0) {
      io.err(`==> Job "${target}" failed: ${failed.length} of ${outcomes.length} allocation(s) failed`);
      for (const f of failed) for (const r of failureReasons(f)) io.err(`    ${f.record.name} (${f.record.id.slice(0, 8)}): ${r}`);
      return 1;
    }
    const launched = mode === 'periodic' ? `${launches.size} launch${launches.size === 1 ? '' : 'es'}, ` : '';
    if (stoppedBy !== 'closed output') io.err(`==> Job "${target}" ${stoppedBy ? `stopped (${stoppedBy})` : 'completed'}: ${launched}${outcomes.length} allocation(s) complete`);
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

/**
 * Waits for the interruption (the parent is stopped by then, so nothing new is
 * scheduled), lets a launch under way finish, then stops every running launch.
 */
async function stopLaunches(agent: Agent, parentId: string, interruption: Promise<void>): Promise<void> {
  // The agent's launch timers are unref'd: this handle is what keeps the process up between launches.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    await interruption;
  } finally {
    clearInterval(keepAlive);
  }
  await agent.periodic.idle();
  for (const child of agent.jobs()) if (child.job.parentId === parentId && !child.stop) agent.deregister(child.id, false);
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
