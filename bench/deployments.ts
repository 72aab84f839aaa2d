/**
 * Rolling updates (issue 14): a destructive update of a 50-allocation group
 * with max_parallel 5 on a real agent process (raw_exec `sleep`), timed from
 * the registration to the deployment's success, against its floor: each of
 * the 50 / 5 = 10 waves waits min_healthy_time, so the sum of min_healthy_time
 * along the rollout is 10 × min_healthy_time. The excess, per wave, is what
 * drover adds: stopping the old allocs, starting the new, judging health.
 * The allocations ask for little (SMALL_ALLOC): the scheduler counts them
 * against the node, and 50 of Nomad's defaults do not fit a 2-core node.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAW_EXEC_CONFIG, SMALL_ALLOC, startAgent, type AgentProcess } from '../src/api/testing.js';
import type { BenchResult } from './stats.js';

const BASE = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const COUNT = 50;
const MAX_PARALLEL = 5;
const MIN_HEALTHY_MS = Number(process.env.BENCH_DEPLOY_MIN_HEALTHY_MS ?? 1_000);

function job(version: number): string {
  return `job "roll" {
  group "g" {
    count = ${COUNT}
${SMALL_ALLOC.group}
    update {
      max_parallel      = ${MAX_PARALLEL}
      health_check      = "task_states"
      min_healthy_time  = "${MIN_HEALTHY_MS}ms"
      healthy_deadline  = "5m"
      progress_deadline = "10m"
    }
    task "t" {
      driver       = "raw_exec"
      kill_timeout = "2s"
      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
      env {
        VERSION = "${version}"
      }
${SMALL_ALLOC.task}
    }
  }
}
`;
}

async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Registers `version` and returns ms until its deployment succeeded. */
async function deploy(a: AgentProcess, version: number): Promise<number> {
  const parsed = await a.client.jobs.parse(job(version));
  const t0 = performance.now();
  await a.client.jobs.register(parsed);
  await until(`deployment of version ${version}`, async () => {
    const d = await a.client.deployments.latestForJob('roll');
    if (d?.JobVersion === version && d.Status === 'failed') throw new Error(`deployment failed: ${d.StatusDescription}`);
    return d?.JobVersion === version && d.Status === 'successful';
  });
  return performance.now() - t0;
}

export async function benchDeployments(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(BASE, 'drover-bench-deploy-'));
  let a: AgentProcess | undefined;
  try {
    a = await startAgent({ dataDir, configHcl: RAW_EXEC_CONFIG });
    const agent = a;
    const initial = await deploy(agent, 0);
    const rolling = await deploy(agent, 1);
    const waves = COUNT / MAX_PARALLEL;
    const floor = waves * MIN_HEALTHY_MS;
    return [
      { name: `first version, ${COUNT} placed at once (floor ${MIN_HEALTHY_MS} ms)`, value: Math.round(initial), unit: 'ms' },
      { name: `rolling update, ${COUNT} allocs, max_parallel ${MAX_PARALLEL}`, value: Math.round(rolling), unit: 'ms' },
      { name: `sum of min_healthy_time along it (${waves} × ${MIN_HEALTHY_MS} ms)`, value: floor, unit: 'ms' },
      { name: 'excess per wave (stop old, start new, judge health)', value: Math.round((rolling - floor) / waves), unit: 'ms' },
    ];
  } finally {
    if (a) {
      const agent = a;
      await agent.client.jobs.deregister('roll', { purge: true }).catch(() => undefined);
      await until('the job purged', async () => (await agent.client.jobs.list()).length === 0, 60_000).catch(() => undefined);
      await agent.kill();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
