/**
 * Health checks (issue 11): the agent's CPU while it runs 100 http checks at
 * a 1 s interval against a real task, beside the same agent and task with no
 * checks. A real agent process; CPU is its utime+stime from /proc over a
 * window that starts once every check has reported, as a share of one core.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHcl, startAgent, type AgentProcess } from '../src/api/testing.js';
import type { BenchResult } from './stats.js';

const BASE = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const CHECKS = 100;
const WINDOW_MS = Number(process.env.BENCH_CHECKS_WINDOW_MS ?? 20_000);
const CONFIG = 'plugin "raw_exec" {\n  config {\n    enabled = true\n  }\n}\n';
const SERVER = "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.env.NOMAD_PORT_http))";

function job(checks: number): string {
  const blocks = Array.from(
    { length: checks },
    (_, i) => `      check {\n        name     = "c${i}"\n        type     = "http"\n        path     = "/${i}"\n        interval = "1s"\n        timeout  = "1s"\n      }`,
  ).join('\n');
  return `job "checks" {
  group "g" {
    network {
      port "http" {}
    }
    service {
      name = "checked"
      port = "http"
${blocks}
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = ${JSON.stringify(process.execPath)}
        args    = ["-e", ${JSON.stringify(SERVER)}]
      }
    }
  }
}
`;
}

/** utime + stime of `pid` in ms (USER_HZ is 100 on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Agent CPU (% of one core) over the window, with `checks` checks running. */
async function agentCpu(checks: number): Promise<number> {
  const dataDir = mkdtempSync(join(BASE, 'drover-bench-checks-'));
  let a: AgentProcess | undefined;
  try {
    a = await startAgent({ dataDir, configHcl: CONFIG });
    const agent = a;
    await runHcl(agent.client, job(checks));
    await until('the task running', async () => (await agent.client.jobs.allocations('checks')).some((x) => x.ClientStatus === 'running'));
    const [alloc] = await agent.client.jobs.allocations('checks');
    if (checks > 0 && alloc) {
      await until(`${checks} checks passing`, async () => Object.values(await agent.client.client.checks(alloc.ID)).filter((c) => c.Status === 'success').length === checks);
    }
    const pid = agent.proc.pid as number;
    const c0 = cpuMs(pid);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const used = cpuMs(pid) - c0;
    return Math.round((used / (performance.now() - t0)) * 1000) / 10;
  } finally {
    if (a) {
      await a.client.jobs.deregister('checks', { purge: true }).catch(() => undefined);
      const agent = a;
      await until('the job purged', async () => (await agent.client.jobs.list()).length === 0, 30_000).catch(() => undefined);
      await a.kill();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchChecks(): Promise<BenchResult[]> {
  const none = await agentCpu(0);
  const hundred = await agentCpu(CHECKS);
  return [
    { name: 'agent CPU, one task, no checks', value: none, unit: '% of a core' },
    { name: `agent CPU, ${CHECKS} http checks at 1s interval`, value: hundred, unit: '% of a core' },
  ];
}
