/**
 * `npm run bench -- peers`: drover beside PM2 and supervisord (issue 10).
 * Installs the peers, then for every round runs each scenario against each
 * peer in an order that rotates from round to round (and scenario to
 * scenario), so load that drifts over the run falls on all of them alike.
 * Every scenario run starts its manager in a fresh directory, warms it up,
 * measures, and stops and removes everything even when it failed or hit its
 * hard timeout. Prints one table and writes the raw figures and a summary to
 * bench/results/. Settings and definitions: bench/peers/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomInt } from 'node:crypto';
import { withTimeout } from './command.js';
import { droverPeer } from './drover.js';
import { installPm2, installSupervisord } from './install.js';
import { pm2Peer } from './pm2.js';
import { findPids } from './proc.js';
import { summarise, table, type RunRecord } from './report.js';
import { SCENARIOS, warmUp, writeLogData, type Figures, type LogData, type Scenario, type ScenarioContext, type Settings } from './scenarios.js';
import { supervisordPeer } from './supervisord.js';
import type { Peer, PeerName, RunningPeer } from './peer.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const RESULTS = join(REPO, 'bench', 'results');
const ALL_PEERS: readonly PeerName[] = ['drover', 'pm2', 'supervisord'];

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

function envList(name: string): string[] | undefined {
  const raw = process.env[name];
  return raw ? raw.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;
}

function git(args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function droverVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '?';
  return `${version} (${git(['rev-parse', '--short', 'HEAD']) || 'unknown commit'})`;
}

const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/** Runs one scenario against one peer in its own directory; never throws, always cleans up. */
async function runOne(peer: Peer, scenario: Scenario, round: number, order: number, runDir: string, settings: Settings, logData: LogData, interrupt: AbortSignal): Promise<RunRecord> {
  const dir = mkdtempSync(join(runDir, `${scenario.name}-${peer.name}-`));
  const startedAt = new Date().toISOString();
  const ac = new AbortController();
  const onInterrupt = (): void => ac.abort(new Error('interrupted'));
  interrupt.addEventListener('abort', onInterrupt);
  const markers: string[] = [];
  let running: RunningPeer | undefined;
  let figures: Figures = {};
  let error: string | undefined;
  const problems: string[] = [];
  try {
    running = await withTimeout(`start ${peer.name}`, 180_000, ac, peer.start(dir, ac.signal));
    const ctx: ScenarioContext = {
      peer: running,
      dir,
      signal: ac.signal,
      settings,
      logData,
      marker: () => {
        const m = `3600.${randomInt(100_000_000, 999_999_999)}`;
        markers.push(m);
        return m;
      },
    };
    figures = await withTimeout(scenario.name, scenario.timeoutMs, ac, (async () => {
      await warmUp(ctx);
      return scenario.run(ctx);
    })());
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    interrupt.removeEventListener('abort', onInterrupt);
    // Stops the scenario's pollers if it timed out; cleanup gets its own limits.
    ac.abort(new Error('scenario over'));
    const cleanup = new AbortController();
    if (running) await withTimeout('shutdown', 300_000, cleanup, running.shutdown()).catch((err: Error) => problems.push(`shutdown: ${err.message}`));
    // Whatever still mentions the scenario's directory or a marker was left behind: report it, then kill it.
    for (const pid of findPids((argv) => argv.some((a) => a.includes(dir) || markers.includes(a)))) {
      if (pid === process.pid) continue;
      let what = String(pid);
      try {
        what = `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
        process.kill(pid, 'SIGKILL');
      } catch {
        continue;
      }
      problems.push(`left running: ${what}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length > 0) error = [error, ...problems].filter((s) => s !== undefined).join('; ');
  return { round, scenario: scenario.name, peer: peer.name, order, startedAt, figures, ...(error === undefined ? {} : { error }), leftovers: problems.filter((p) => p.startsWith('left running')) };
}

function resultPath(date: string, ext: string): string {
  let base = join(RESULTS, `${date}-peers`);
  if (existsSync(`${base}.json`)) base += `-${new Date().toISOString().slice(11, 16).replace(':', '')}`;
  return `${base}.${ext}`;
}

export async function benchPeers(): Promise<void> {
  const rounds = envNumber('BENCH_ROUNDS', 5);
  const restartRounds = Math.min(rounds, envNumber('BENCH_RESTART_ROUNDS', 3));
  const settings: Settings = {
    settleMs: envNumber('BENCH_SETTLE_MS', 3000),
    restartWindowMs: envNumber('BENCH_RESTART_WINDOW_MS', 6000),
    pollMs: envNumber('BENCH_POLL_MS', 5),
  };
  const logMiB = envNumber('BENCH_LOG_MIB', 256);
  const onlyPeers = envList('BENCH_PEERS');
  const onlyScenarios = envList('BENCH_SCENARIOS');
  const base = process.env.BENCH_DIR ?? os.tmpdir();
  const runDir = mkdtempSync(join(base, 'drover-bench-peers-'));
  const interrupt = new AbortController();
  const onSigint = (): void => {
    console.log('\ninterrupted: cleaning up the current scenario, then writing what was measured');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const wanted = (p: PeerName): boolean => !onlyPeers || onlyPeers.includes(p);
    const peers: Peer[] = [];
    const skipped: Partial<Record<PeerName, string>> = {};
    const labels: Partial<Record<PeerName, string>> = {};
    if (wanted('drover')) peers.push(droverPeer(droverVersion()));
    if (wanted('pm2')) {
      console.log('installing PM2 (npm) …');
      // BENCH_PM2_DIR keeps the install between runs (it is reused when present).
      const pm2 = await installPm2(process.env.BENCH_PM2_DIR ?? join(runDir, 'pm2'));
      if (pm2.ok) peers.push(pm2Peer(pm2.install));
      else skipped.pm2 = pm2.reason;
    }
    if (wanted('supervisord')) {
      const sup = await installSupervisord();
      if (sup.ok) peers.push(supervisordPeer(sup.install));
      else skipped.supervisord = sup.reason;
    }
    for (const p of peers) labels[p.name] = p.label;
    for (const [p, why] of Object.entries(skipped)) console.log(`skipping ${p}: ${why}`);
    const scenarios = SCENARIOS.filter((s) => !onlyScenarios || onlyScenarios.includes(s.name));
    const logData = writeLogData(join(runDir, 'log-data.txt'), logMiB);

    const date = new Date().toISOString().slice(0, 10);
    const jsonPath = resultPath(date, 'json');
    mkdirSync(RESULTS, { recursive: true });
    const loadBefore = load();
    const context = {
      date: new Date().toISOString(),
      commit: git(['rev-parse', 'HEAD']),
      dirty: git(['status', '--porcelain', '--', 'src']) !== '',
      host: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memMiB: Math.round(os.totalmem() / 1024 / 1024), kernel: os.release(), node: process.version, workDir: base },
      peers: labels,
      skipped,
      settings: { rounds, restartRounds, logMiB, ...settings },
      loadAverageBefore: loadBefore,
    };
    console.log(`peers: ${peers.map((p) => p.label).join(', ')}; ${rounds} rounds (${restartRounds} for restart); load average ${loadBefore}`);
    const runs: RunRecord[] = [];
    const save = (extra: Record<string, unknown>): void => writeFileSync(jsonPath, JSON.stringify({ ...context, ...extra, runs }, null, 2) + '\n');
    outer: for (let round = 0; round < rounds; round++) {
      for (const [si, scenario] of scenarios.entries()) {
        if (scenario.restartRounds && round >= restartRounds) continue;
        const shift = (round + si) % Math.max(peers.length, 1);
        const order = [...peers.slice(shift), ...peers.slice(0, shift)];
        for (const [position, peer] of order.entries()) {
          if (interrupt.signal.aborted) break outer;
          const rec = await runOne(peer, scenario, round, position, runDir, settings, logData, interrupt.signal);
          runs.push(rec);
          const figs = Object.entries(rec.figures).map(([k, v]) => `${k}=${Number.isFinite(v) ? Math.round(v * 100) / 100 : v}`).join(' ');
          console.log(`round ${round + 1}/${rounds} ${scenario.name.padEnd(9)} ${peer.name.padEnd(11)} ${figs}${rec.error ? `  ERROR: ${rec.error}` : ''}  (load ${load()})`);
          save({ partial: true });
        }
      }
    }
    const loadAfter = load();
    const columns = ALL_PEERS.filter((p) => labels[p] !== undefined || skipped[p] !== undefined).map((p) => ({ peer: p, label: labels[p] ?? `${p} (skipped)` }));
    const summary = summarise(runs, columns.map((c) => c.peer), skipped);
    const md = table(summary, columns);
    save({ loadAverageAfter: loadAfter, summary });
    const notes = [
      `# drover vs PM2 vs supervisord, ${context.date.slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `Commit ${context.commit.slice(0, 12)}${context.dirty ? ' (src/ modified)' : ''}; ${context.host.cpus} CPUs (${context.host.cpuModel}), ${context.host.memMiB} MiB, Linux ${context.host.kernel}, Node ${context.host.node}.`,
      `${rounds} rounds (${restartRounds} for restart), peers interleaved in rotating order; median [min–max]. Load average (1/5/15 min) before: ${loadBefore}; after: ${loadAfter}.`,
      ...Object.entries(skipped).map(([p, why]) => `Skipped ${p}: ${why}`),
      ...(runs.some((r) => r.error) ? ['', 'Failed runs:', ...runs.filter((r) => r.error).map((r) => `- round ${r.round + 1} ${r.scenario} ${r.peer}: ${r.error}`)] : []),
      '',
      md,
      '',
      `Raw figures: ${jsonPath.slice(RESULTS.length + 1)}. Settings and definitions: bench/peers/README.md.`,
      '',
    ].join('\n');
    writeFileSync(jsonPath.replace(/\.json$/, '.md'), notes);
    console.log(`\n${md}\n\nload average before ${loadBefore}, after ${loadAfter}\nwrote ${jsonPath} and its .md`);
  } finally {
    process.off('SIGINT', onSigint);
    rmSync(runDir, { recursive: true, force: true });
    const stray = findPids((argv) => argv.some((a) => a.includes(runDir)));
    if (stray.length > 0) console.log(`WARNING: processes still mention ${runDir}: ${stray.join(' ')}`);
  }
}
