/**
 * Dispatch (issue 13): 1,000 dispatches of a short raw_exec batch job to a
 * real agent process, 8 in flight at a time as a queue worker would send
 * them. Figures: dispatches accepted per second, children completed per
 * second (first dispatch → last child dead), the agent's RSS after, and
 * after `system gc` collected the finished children (what a node running
 * cron work settles at: the agent collects them itself after job_gc_threshold).
 */
import { readFileSync } from 'node:fs';
import { RAW_EXEC_CONFIG, purgeAndStop, runHcl, startAgent } from '../src/api/testing.js';
import type { BenchResult } from './stats.js';

const DISPATCHES = Number(process.env.BENCH_DISPATCHES ?? 1_000);
const IN_FLIGHT = 8;

const JOB = `job "work" {
  type = "batch"
  parameterized {
    payload       = "optional"
    meta_optional = ["n"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
`;

function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 102.4) / 10;
}

export async function benchDispatch(): Promise<BenchResult[]> {
  const agent = await startAgent({ configHcl: RAW_EXEC_CONFIG });
  try {
    await runHcl(agent.client, JOB);
    const before = rssMiB(agent.proc.pid as number);
    const t0 = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < DISPATCHES) {
        const n = next++;
        await agent.client.jobs.dispatch('work', { meta: { n: String(n) } });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const accepted = performance.now() - t0;
    for (;;) {
      const allocs = await agent.client.allocations.list();
      if (allocs.length >= DISPATCHES && allocs.every((a) => a.ClientStatus === 'complete' || a.ClientStatus === 'failed')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const done = performance.now() - t0;
    const after = rssMiB(agent.proc.pid as number);
    const g0 = performance.now();
    await agent.client.system.garbageCollect();
    const gcMs = performance.now() - g0;
    const remaining = (await agent.client.jobs.list()).length;
    if (remaining !== 1) throw new Error(`system gc left ${remaining} jobs, expected only the parent`);
    const collected = rssMiB(agent.proc.pid as number);
    return [
      { name: `${DISPATCHES} dispatches accepted (8 in flight)`, value: Math.round((DISPATCHES / accepted) * 1000), unit: 'dispatches/s' },
      { name: `… children run to completion`, value: Math.round((DISPATCHES / done) * 1000), unit: 'children/s' },
      { name: 'agent RSS before dispatching', value: before, unit: 'MiB' },
      { name: `agent RSS after ${DISPATCHES} children`, value: after, unit: 'MiB' },
      { name: `system gc of ${DISPATCHES} finished children`, value: Math.round(gcMs), unit: 'ms' },
      { name: 'agent RSS after system gc', value: collected, unit: 'MiB' },
    ];
  } finally {
    await purgeAndStop([agent]);
  }
}
