/**
 * The scenarios, written once against RunningPeer so every peer is measured
 * by the same code. Definitions (see README.md):
 *  - "running": the task's own process exists (exec'd, found by its argv in
 *    /proc); "gone": its pid has left /proc (reaped by the manager);
 *  - times run from spawning the user's CLI command;
 *  - manager memory: Rss / Pss from smaps_rollup summed over the manager's
 *    own processes, never the tasks'.
 */
import { closeSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { check, delay, waitFor, type CommandResult } from './command.js';
import { cpuTicks, memoryKiB, ProcessCensus, rssKiB, type MemoryKiB } from './proc.js';
import { shellQuote, type RunningPeer, type TaskSpec } from './peer.js';

const MiB = 1024 * 1024;

export interface Settings {
  /** Pause before a memory reading, so start-up work has finished. */
  readonly settleMs: number;
  readonly restartWindowMs: number;
  readonly pollMs: number;
}

/** The file the log scenario's task writes to stdout: numbered 64-byte lines. */
export interface LogData {
  readonly path: string;
  readonly bytes: number;
  readonly lines: number;
}

export interface ScenarioContext {
  readonly peer: RunningPeer;
  readonly dir: string;
  readonly signal: AbortSignal;
  readonly settings: Settings;
  readonly logData: LogData;
  /** A fresh marker argument, also used to find leftovers. */
  marker(): string;
}

export type Figures = Record<string, number>;

export interface Scenario {
  readonly name: string;
  /** Restart runs fewer rounds (BENCH_RESTART_ROUNDS). */
  readonly restartRounds?: boolean;
  /** Hard limit for warm-up plus the scenario; cleanup runs after it either way. */
  readonly timeoutMs: number;
  run(ctx: ScenarioContext): Promise<Figures>;
}

/** `sleep` with one marker argument (`3600.<nonce>`, still a valid duration), and nothing else. */
function isSleepWith(marker: string): (argv: readonly string[]) => boolean {
  return (argv) => argv.length === 2 && argv[1] === marker && basename(argv[0] ?? '') === 'sleep';
}

function sleepTasks(n: number, marker: string): TaskSpec[] {
  return Array.from({ length: n }, (_, i) => ({ name: `t${i}`, argv: ['/bin/sleep', marker], restart: 'service' as const }));
}

/**
 * Runs `command` and resolves with the ms from its spawn until `done` holds,
 * plus the command's own result; fails early if the command fails.
 */
async function timeUntil(
  ctx: ScenarioContext,
  what: string,
  command: () => Promise<CommandResult>,
  done: () => boolean,
  timeoutMs: number,
): Promise<{ ms: number; command: CommandResult }> {
  const t0 = performance.now();
  let result: CommandResult | undefined;
  let failure: Error | undefined;
  const pending = command().then(
    (r) => (result = r),
    (err: unknown) => (failure = err instanceof Error ? err : new Error(`${what}: ${JSON.stringify(err)}`)),
  );
  const ms = await waitFor(
    what,
    () => {
      if (failure !== undefined) throw failure;
      if (result && result.code !== 0) check(what, result);
      return done() ? performance.now() - t0 : undefined;
    },
    { timeoutMs, intervalMs: ctx.settings.pollMs, signal: ctx.signal },
  );
  await pending;
  if (failure !== undefined) throw failure;
  if (!result) throw new Error(`${what}: the command did not finish`);
  return { ms, command: check(what, result) };
}

/** How long the manager's CPU use is read while the started tasks sit idle. */
const IDLE_CPU_WINDOW_MS = 10_000;

/** CPU the manager's processes use over `ms` (percent of one core) while nothing is asked of them. */
async function managerCpuPercent(ctx: ScenarioContext, ms: number): Promise<number> {
  const pids = ctx.peer.managerPids();
  const before = cpuTicks(pids);
  const t0 = performance.now();
  await delay(ms);
  const ticks = cpuTicks(pids) - before;
  return (ticks / 100 / ((performance.now() - t0) / 1000)) * 100;
}

/** Median of a few readings, so one GC or page-cache blip does not decide the figure. */
async function settledMemory(ctx: ScenarioContext): Promise<MemoryKiB> {
  await delay(ctx.settings.settleMs);
  const samples: MemoryKiB[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(memoryKiB(ctx.peer.managerPids()));
    await delay(200);
  }
  const mid = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return { rss: mid(samples.map((s) => s.rss)), pss: mid(samples.map((s) => s.pss)) };
}

/** Starts one sleep task and removes it, so the manager's lazily started parts (drover's executor daemon) exist before anything is timed. */
export async function warmUp(ctx: ScenarioContext): Promise<void> {
  const unit = 'warm';
  const marker = ctx.marker();
  const census = new ProcessCensus(isSleepWith(marker));
  ctx.peer.prepare(unit, sleepTasks(1, marker));
  check('warm-up start', await ctx.peer.submit(unit));
  await waitFor('the warm-up task to run', () => (census.count() === 1 ? true : undefined), { timeoutMs: 120_000, intervalMs: 20, signal: ctx.signal });
  await ctx.peer.remove(unit);
  await waitFor('the warm-up task to be gone', () => (census.count() === 0 ? true : undefined), { timeoutMs: 120_000, intervalMs: 20, signal: ctx.signal });
}

/** Start N sleep tasks until all run; with `stop`, then stop them all until all are gone; with `memory`, idle and per-task memory. */
function startScenario(n: number, opts: { stop?: boolean; memory?: boolean }): Scenario {
  return {
    name: `start-${n}`,
    timeoutMs: 600_000,
    async run(ctx) {
      const figures: Figures = {};
      const unit = 'start';
      const marker = ctx.marker();
      const census = new ProcessCensus(isSleepWith(marker));
      ctx.peer.prepare(unit, sleepTasks(n, marker));
      let idle: MemoryKiB | undefined;
      if (opts.memory) {
        idle = await settledMemory(ctx);
        figures.idleRssMiB = idle.rss / 1024;
        figures.idlePssMiB = idle.pss / 1024;
      }
      const started = await timeUntil(ctx, `${n} tasks running`, () => ctx.peer.submit(unit), () => census.count() >= n, 300_000);
      figures.allRunningMs = started.ms;
      figures.commandMs = started.command.ms;
      if (idle) {
        const full = await settledMemory(ctx);
        figures.perTaskRssKiB = (full.rss - idle.rss) / n;
        figures.perTaskPssKiB = (full.pss - idle.pss) / n;
        figures.busyIdleCpuPercent = await managerCpuPercent(ctx, IDLE_CPU_WINDOW_MS);
      }
      if (opts.stop) {
        const stopped = await timeUntil(ctx, `${n} tasks gone`, () => ctx.peer.stop(unit), () => census.count() === 0, 300_000);
        figures.stopMs = stopped.ms;
        figures.stopCommandMs = stopped.command.ms;
      }
      return figures;
    },
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A task that appends a line and exits 1, restarted with no delay: restarts per second within a fixed window. */
const restartScenario: Scenario = {
  name: 'restart',
  restartRounds: true,
  timeoutMs: 300_000,
  async run(ctx) {
    const unit = 'crash';
    const starts = join(ctx.dir, 'starts');
    // Each start appends "x\n": the file's size counts starts without a clock in the task.
    ctx.peer.prepare(unit, [{ name: 'crash', argv: ['/bin/sh', '-c', `echo x >> ${shellQuote(starts)}; exit 1`], restart: 'crash-loop' }]);
    check('start the crash loop', await ctx.peer.submit(unit));
    // Two starts mean the restart path has run once; the window starts there.
    await waitFor('a first restart', () => (fileSize(starts) >= 4 ? true : undefined), { timeoutMs: 120_000, intervalMs: ctx.settings.pollMs, signal: ctx.signal });
    // Watch the file grow: the first and last growth seen in the window bound whole cycles,
    // so a slow restarter (about one a second) is not rounded to the window's length.
    const end = performance.now() + ctx.settings.restartWindowMs;
    let prev = fileSize(starts);
    let first: { t: number; size: number } | undefined;
    let last: { t: number; size: number } | undefined;
    while (performance.now() < end) {
      ctx.signal.throwIfAborted();
      await delay(ctx.settings.pollMs);
      const size = fileSize(starts);
      if (size === prev) continue;
      prev = size;
      last = { t: performance.now(), size };
      first ??= last;
    }
    const restarts = first && last ? (last.size - first.size) / 2 : 0;
    const seconds = first && last ? (last.t - first.t) / 1000 : 0;
    if (restarts === 0) return { restartsPerSec: NaN, cycleMs: NaN, restartsInWindow: 0 };
    return { restartsPerSec: restarts / seconds, cycleMs: (seconds * 1000) / restarts, restartsInWindow: restarts };
  },
};

/** What reached the log files, checked line by line against the numbered source. */
export interface LogCheck {
  readonly bytes: number;
  readonly lostLines: number;
  /** First and last missing line numbers (0 when none): a lost tail differs from holes in the middle. */
  readonly firstLost: number;
  readonly lastLost: number;
  readonly duplicateLines: number;
  readonly badLines: number;
}

/** Reads the files in order and counts which numbered lines arrived intact. */
export function checkLog(files: readonly string[], data: LogData): LogCheck {
  const seen = new Uint8Array(data.lines + 1);
  const tail = Buffer.from(' ' + 'x'.repeat(50));
  let bytes = 0;
  let unique = 0;
  let duplicateLines = 0;
  let badLines = 0;
  let carry = Buffer.alloc(0);
  const line = (b: Buffer): void => {
    const n = b.length === 63 && b.compare(tail, 0, tail.length, 12, 63) === 0 ? Number(b.toString('latin1', 0, 12)) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > data.lines) badLines++;
    else if (seen[n]) duplicateLines++;
    else {
      seen[n] = 1;
      unique++;
    }
  };
  const buf = Buffer.alloc(8 * MiB);
  for (const f of files) {
    const fd = openSync(f, 'r');
    try {
      for (;;) {
        const got = readSync(fd, buf, 0, buf.length, null);
        if (got === 0) break;
        bytes += got;
        let chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
        let start = 0;
        for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
          line(chunk.subarray(start, nl));
          start = nl + 1;
        }
        chunk = chunk.subarray(start);
        carry = Buffer.from(chunk);
      }
    } finally {
      closeSync(fd);
    }
  }
  if (carry.length > 0) badLines++;
  const firstLost = unique === data.lines ? 0 : seen.indexOf(0, 1);
  const lastLost = unique === data.lines ? 0 : seen.lastIndexOf(0);
  return { bytes, lostLines: data.lines - unique, firstLost, lastLost, duplicateLines, badLines };
}

/** Writes `mib` MiB of numbered lines ("000000000001 xxx…x\n", 64 bytes each) for the log scenario. */
export function writeLogData(path: string, mib: number): LogData {
  const lines = Math.floor((mib * MiB) / 64);
  const fd = openSync(path, 'w');
  try {
    const pad = ' ' + 'x'.repeat(50) + '\n';
    const perChunk = 65_536;
    for (let first = 1; first <= lines; first += perChunk) {
      const parts: string[] = [];
      for (let i = first; i < first + perChunk && i <= lines; i++) parts.push(String(i).padStart(12, '0') + pad);
      writeSync(fd, parts.join(''));
    }
  } finally {
    closeSync(fd);
  }
  return { path, bytes: lines * 64, lines };
}

/** One task writes the numbered file to stdout: time until every byte is in the log files, what was lost, the manager's peak RSS. */
const logScenario: Scenario = {
  name: 'logs',
  timeoutMs: 600_000,
  async run(ctx) {
    const unit = 'burst';
    const startFile = join(ctx.dir, 'burst.start');
    const data = ctx.logData;
    // The task stamps the moment it begins writing (date forks once before cat replaces the shell).
    const script = `date +%s%N > ${shellQuote(startFile)}; exec cat ${shellQuote(data.path)}`;
    ctx.peer.prepare(unit, [{ name: 'burst', argv: ['/bin/sh', '-c', script], restart: 'once', bigLogs: true }]);
    let peakKiB = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling && !ctx.signal.aborted) {
        peakKiB = Math.max(peakKiB, rssKiB(ctx.peer.managerPids()));
        await delay(20);
      }
    })();
    let doneAt: number;
    try {
      check('start the log task', await ctx.peer.submit(unit));
      const total = (): number => ctx.peer.stdoutFiles(unit, 'burst').reduce((sum, f) => sum + fileSize(f), 0);
      // Until every byte arrived, or nothing more arrived for 10 s (then the check below counts the loss).
      let last = -1;
      let lastChange = performance.now();
      doneAt = await waitFor(
        `${data.bytes} bytes in the log files`,
        () => {
          const now = performance.timeOrigin + performance.now();
          const got = total();
          if (got >= data.bytes) return now;
          if (got !== last) {
            last = got;
            lastChange = performance.now();
          } else if (got > 0 && performance.now() - lastChange > 10_000) return now - 10_000;
          return undefined;
        },
        { timeoutMs: 300_000, intervalMs: ctx.settings.pollMs, signal: ctx.signal },
      );
    } finally {
      sampling = false;
      await sampler;
    }
    const startedAt = Number(readFileSync(startFile, 'utf8').trim()) / 1e6;
    const got = checkLog(ctx.peer.stdoutFiles(unit, 'burst'), data);
    return {
      mibPerSec: got.bytes / MiB / ((doneAt - startedAt) / 1000),
      lostLines: got.lostLines,
      lostBytes: data.bytes - got.bytes,
      firstLostLine: got.firstLost,
      lastLostLine: got.lastLost,
      duplicateLines: got.duplicateLines,
      badLines: got.badLines,
      peakRssMiB: peakKiB / 1024,
    };
  },
};

export const SCENARIOS: readonly Scenario[] = [
  startScenario(10, {}),
  startScenario(100, { stop: true }),
  startScenario(300, { memory: true }),
  restartScenario,
  logScenario,
];
