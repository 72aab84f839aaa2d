/**
 * `npm run bench`: runs every benchmark and prints figures. Each suite runs
 * several rounds; the median of the rounds is reported beside the range, so
 * machine noise is visible. `npm run bench -- taskrunner` runs one suite.
 * `npm run bench -- peers` (only when named: it installs PM2 and supervisord)
 * runs the side-by-side comparison of bench/peers/, with its own rounds.
 * `npm run bench -- network` sets up and tears down bridge networks (root).
 * `npm run bench -- checks`: the agent's CPU with 100 http checks at a 1 s interval.
 * `npm run bench -- templates`: render 1,000 templates; var put → task restarted by its template.
 * `npm run bench -- dispatch`: 1,000 dispatches of a short batch job; throughput and agent memory.
 * `npm run bench -- deployments`: a 50-allocation rolling update, max_parallel 5, against its min_healthy_time floor.
 * `npm run bench -- ui`: the web UI's first-load size; cold loads of the jobs page with 500 jobs (one round: its own 7 loads).
 * `npm run bench -- load`: 500 allocations, 20 clients with event stream, stats and log follow open: API p50/p99, agent RSS and CPU.
 */
import { benchTaskRunner } from './taskrunner.js';
import { benchExec } from './exec.js';
import { benchExecutor } from './executor.js';
import { benchPlugin } from './plugin.js';
import { benchAgent } from './agent.js';
import { benchVm } from './vm.js';
import { benchNetwork } from './network.js';
import { benchChecks } from './checks.js';
import { benchTemplates } from './templates.js';
import { benchDispatch } from './dispatch.js';
import { benchDeployments } from './deployments.js';
import { benchUi } from './ui.js';
import { benchLoad } from './load.js';
import { benchPeers } from './peers/run-peers.js';
import { median, printResults, type BenchResult } from './stats.js';

const suites: Record<string, () => Promise<BenchResult[]>> = {
  taskrunner: benchTaskRunner,
  exec: benchExec,
  executor: benchExecutor,
  plugin: benchPlugin,
  agent: benchAgent,
  vm: benchVm,
  network: benchNetwork,
  checks: benchChecks,
  templates: benchTemplates,
  dispatch: benchDispatch,
  deployments: benchDeployments,
  ui: benchUi,
  load: benchLoad,
};

/** Suites that take their own samples (a median and range of their own): one round each. */
const SINGLE_ROUND = new Set(['ui']);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  if (only.includes('peers')) await benchPeers();
  if (only.length > 0 && only.every((name) => name === 'peers')) return;
  for (const [name, run] of Object.entries(suites)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const rounds: BenchResult[][] = [];
    const n = SINGLE_ROUND.has(name) ? 1 : ROUNDS;
    for (let i = 0; i < n; i++) rounds.push(await run());
    const first = rounds[0] ?? [];
    printResults(
      `${name} (median of ${n} rounds; range in brackets)`,
      first.map((r, idx) => {
        const vals = rounds.map((round) => round[idx]?.value ?? NaN);
        return { name: `${r.name} [${Math.min(...vals)}–${Math.max(...vals)}]`, value: median(vals), unit: r.unit };
      }),
    );
  }
}

await main();
