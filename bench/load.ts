/**
 * Load benchmark (issue 16), the figures of src/chaos/load.test.ts on a quiet
 * machine: 500 mock_driver allocations on one agent and 20 clients, each with
 * an event stream, a stats poll and a log follow open, looping over API reads
 * and writes for LOAD_SECONDS (default 60). Reports the API's p50/p99 latency,
 * the agent's peak RSS and its CPU over the loop; a round whose event streams
 * dropped anything or whose calls failed throws instead of reporting.
 */
import { existsSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent } from '../src/api/testing.js';
import { LOAD_AGENT_CONFIG, pct, runLoad, streamProblems } from '../src/chaos/load-run.js';
import type { BenchResult } from './stats.js';

const BASE = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const ALLOCS = 500;
const CLIENTS = 20;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);

export async function benchLoad(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(BASE, 'drover-bench-load-'));
  const agent = await startAgent({ dataDir, configHcl: LOAD_AGENT_CONFIG });
  try {
    const r = await runLoad(agent, { allocs: ALLOCS, clients: CLIENTS, durationMs: SECONDS * 1000 });
    const problems = [...r.errors, ...streamProblems(r)];
    if (problems.length > 0) throw new Error(`load round failed: ${problems.slice(0, 5).join('; ')}`);
    const all = [...r.latency.values()].flat();
    const round = (x: number): number => Math.round(x * 10) / 10;
    const reads = ['jobs list', 'allocs list', 'job read', 'alloc read'].flatMap((op) => r.latency.get(op) ?? []);
    return [
      { name: `API calls in ${SECONDS} s (${ALLOCS} allocs, ${CLIENTS} clients)`, value: all.length, unit: 'calls' },
      { name: 'API latency p50 (all calls)', value: round(pct(all, 50)), unit: 'ms' },
      { name: 'API latency p99 (all calls)', value: round(pct(all, 99)), unit: 'ms' },
      { name: '  reads p99 (jobs/allocs list, job/alloc read)', value: round(pct(reads, 99)), unit: 'ms' },
      { name: '  job update p99', value: round(pct(r.latency.get('job update') ?? [], 99)), unit: 'ms' },
      { name: '  alloc stats p99', value: round(pct(r.latency.get('alloc stats') ?? [], 99)), unit: 'ms' },
      { name: 'agent RSS peak', value: Math.max(...r.rssMb), unit: 'MB' },
      { name: 'agent CPU over the loop', value: r.cpuPct, unit: '% of a core' },
      { name: 'event batches per stream (all delivered, checked)', value: r.streams[0]?.indexes.length ?? 0, unit: 'batches' },
    ];
  } finally {
    await agent.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
