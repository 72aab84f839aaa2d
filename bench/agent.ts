/**
 * Agent benchmark (issue 4), real agent processes over real HTTP:
 *  - job submissions/s through PUT /v1/jobs (one client in sequence, and 16 in flight);
 *  - time to recover 200 running mock tasks after a SIGKILL (spawn → all 200 "running" via the API);
 *  - agent RSS with 200 running tasks;
 *  - the SQLite cost of one task-state write (what the task runner does per event).
 * Data dirs go to tmpfs when there is one (see taskrunner.ts for why).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent, newTaskState } from '../src/model/index.js';
import { openDatabase } from '../src/agent/state/state-db.js';
import { SqliteTaskStateStore } from '../src/agent/state/task-store.js';
import { mockJob, SMALL_ALLOC, startAgent, type AgentProcess } from '../src/api/testing.js';
import type { ApiJob } from '../src/model/nomad-api/index.js';
import type { BenchResult } from './stats.js';

const BASE = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const TASKS = 200;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round((Number(m?.[1] ?? 0) / 1024) * 10) / 10;
}

async function waitRunning(a: AgentProcess, n: number, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const allocs = await a.client.allocations.list({ taskStates: false }).catch(() => []);
    if (allocs.filter((x) => x.ClientStatus === 'running').length >= n) return;
    if (Date.now() > end) throw new Error(`only ${allocs.length} allocs, not ${n} running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function submissions(a: AgentProcess, template: ApiJob, n: number, inFlight: number, prefix: string): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        const i = next++;
        await a.client.jobs.register({ ...template, ID: `${prefix}${i}`, Name: `${prefix}${i}` });
      }
    }),
  );
  return Math.round(n / ((performance.now() - t0) / 1000));
}

export async function benchAgent(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const dataDir = mkdtempSync(join(BASE, 'drover-bench-agent-'));
  let a = await startAgent({ dataDir });
  try {
    const template = await a.client.jobs.parse(mockJob('tmpl', 'run_for = "30m"', { extra: SMALL_ALLOC.task, group: SMALL_ALLOC.group }));
    results.push({ name: 'job submissions through the API (sequential)', value: await submissions(a, template, 200, 1, 'seq'), unit: 'jobs/s' });
    await waitRunning(a, 200);
    results.push({ name: 'job submissions through the API (16 in flight)', value: await submissions(a, template, 200, 16, 'par'), unit: 'jobs/s' });
    await waitRunning(a, 400);
    // 400 tasks now; stop the first 200 so exactly TASKS run.
    for (let i = 0; i < 200; i++) await a.client.jobs.deregister(`seq${i}`, { purge: true });
    for (;;) {
      const live = (await a.client.allocations.list({ taskStates: false })).length;
      if (live === TASKS) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    results.push({ name: `agent RSS with ${TASKS} running mock tasks`, value: rssMb(a.proc.pid as number), unit: 'MB' });
    await a.kill('SIGKILL');
    const t0 = performance.now();
    a = await startAgent({ dataDir });
    const listening = performance.now() - t0;
    await waitRunning(a, TASKS);
    results.push({ name: `recover ${TASKS} running tasks after SIGKILL (spawn → all running)`, value: Math.round(performance.now() - t0), unit: 'ms' });
    results.push({ name: '  of which: process start → API listening', value: Math.round(listening), unit: 'ms' });
    results.push({ name: `agent RSS after recovering ${TASKS} tasks`, value: rssMb(a.proc.pid as number), unit: 'MB' });
  } finally {
    await a.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }

  // One task-state write as the runner does it on every event (prepared UPSERT, WAL, synchronous=NORMAL).
  const dbDir = mkdtempSync(join(tmpdir(), 'drover-bench-store-'));
  const store = new SqliteTaskStateStore(openDatabase(dbDir));
  const state = newTaskState();
  for (let i = 0; i < 10; i++) state.events.push(newEvent('Started', Date.now(), {}));
  const N = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) store.putTaskState(`alloc-${i % 200}`, 't', state);
  results.push({ name: 'task-state write per event (disk, 10 events in state)', value: Math.round(((performance.now() - t0) / N) * 1000 * 10) / 10, unit: 'µs' });
  rmSync(dbDir, { recursive: true, force: true });
  return results;
}
