/**
 * Test harness: runs `drover agent` as a real child process on a temp data
 * dir and an ephemeral port, and hands back an ApiClient for it. Every
 * agent started here is killed when the test process exits, so a failing
 * test leaves no stray agents behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from './client.js';
import type { ApiAllocationListStub, ApiJob } from '../model/nomad-api/index.js';
import { eventually, scaled } from '../model/testing/eventually.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
/** The node flags of drover's `#!/usr/bin/env -S node …` line: an agent here runs as the `drover` command runs it. */
const NODE_FLAGS = readFileSync(MAIN, 'utf8').split('\n', 1)[0]?.match(/ --\S+/g)?.map((f) => f.trim()) ?? [];
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface AgentProcess {
  readonly address: string;
  readonly dataDir: string;
  readonly client: ApiClient;
  readonly proc: ChildProcess;
  /** Everything the agent printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends `signal` and waits for the process to exit (and be reaped). */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** Reuse a data dir (restart after a kill); default: a new temp dir. */
  readonly dataDir?: string;
  readonly args?: readonly string[];
  /** Agent config HCL written to a file and passed with -config. */
  readonly configHcl?: string;
  readonly token?: string;
  readonly env?: Record<string, string>;
}

/** Starts an agent and waits until it prints its address. */
export async function startAgent(o: StartOptions = {}): Promise<AgentProcess> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'drover-agent-'));
  const args = [...NODE_FLAGS, MAIN, 'agent', '-data-dir', dataDir, '-port', '0', ...(o.args ?? [])];
  if (o.configHcl !== undefined) {
    const file = join(dataDir, `agent-${Date.now()}.hcl`);
    writeFileSync(file, o.configHcl);
    args.push('-config', file);
  }
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
  live.add(proc);
  let stdout = '';
  let stderr = '';
  let killedByTest = false;
  let listening = false;
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code, signal) => {
      // An agent dying under a test is otherwise only "connection refused": say how, with its last words.
      if (listening && !killedByTest) process.stderr.write(`# agent ${proc.pid} on ${dataDir} exited unasked (code ${code}, signal ${signal}):\n# ${stderr.slice(-1500).replace(/\n/g, '\n# ')}\n`);
      resolve(code);
    }),
  );
  void exited.then(() => live.delete(proc));
  proc.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    // A hang guard only (a loaded machine can take long to start an agent); on
    // timeout the agent is killed, else its pipes would keep the test process alive.
    // Cleared once the agent listens: it must never fire on a running agent.
    const limitMs = scaled(60_000);
    const guard = setTimeout(() => {
      killedByTest = true;
      proc.kill('SIGKILL');
      reject(new Error(`agent did not start in ${limitMs} ms:\n${stdout}\n${stderr}`));
    }, limitMs);
    guard.unref();
    proc.stdout?.on('data', (b: Buffer) => {
      stdout += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(guard);
        listening = true;
        resolve(m[1] as string);
      }
    });
    void exited.then((code) => {
      clearTimeout(guard);
      reject(new Error(`agent exited (${code}) before listening:\n${stdout}\n${stderr}`));
    });
  });
  return {
    address,
    dataDir,
    client: new ApiClient({ address, ...(o.token !== undefined ? { token: o.token } : {}) }),
    proc,
    output: () => ({ stdout, stderr }),
    kill: async (signal = 'SIGTERM') => {
      killedByTest = true;
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Parses HCL through the agent and registers it; returns the JSON job. */
export async function runHcl(client: ApiClient, hcl: string): Promise<ApiJob> {
  const job = await client.jobs.parse(hcl);
  await client.jobs.register(job);
  return job;
}

/** The event types of one task of an alloc stub, in order. */
export function eventTypes(a: Pick<ApiAllocationListStub, 'TaskStates'>, task: string): string[] {
  return (a.TaskStates[task]?.Events ?? []).map((e) => e.Type);
}

/** A one-group mock_driver job in HCL; `extra` goes in the task block, `group` in the group's. */
export function mockJob(id: string, config: string, opts: { count?: number; type?: string; task?: string; extra?: string; group?: string } = {}): string {
  return `job "${id}" {
  type = "${opts.type ?? 'service'}"
  group "g" {
    count = ${opts.count ?? 1}
${opts.group ?? ''}
    task "${opts.task ?? 't'}" {
      driver = "mock_driver"
      kill_timeout = "1s"
      config {
${config}
      }
${opts.extra ?? ''}
    }
  }
}
`;
}

/**
 * Task and group lines asking for little (10 MHz, 10 MiB, a 10 MB ephemeral disk and the
 * logs to fit it), for benchmarks that run hundreds of allocations: with Nomad's
 * defaults (100 MHz, 300 MiB, 300 MB) the scheduler fits only a few dozen on a small node.
 */
export const SMALL_ALLOC = {
  task: '      resources {\n        cpu    = 10\n        memory = 10\n      }\n      logs {\n        max_files     = 1\n        max_file_size = 5\n      }',
  group: '    ephemeral_disk {\n      size = 10\n    }',
} as const;

/** Agent config with raw_exec enabled, for end-to-end tests of real tasks. */
export const RAW_EXEC_CONFIG = 'plugin "raw_exec" {\n  config {\n    enabled = true\n  }\n}\n';

/**
 * Purges every job of each agent still running and waits until its
 * allocations are gone (tasks stopped, their networks torn down), then stops
 * it: tasks outlive agents by design, so a test must end them itself.
 */
export async function purgeAndStop(agents: readonly AgentProcess[]): Promise<void> {
  const failures: unknown[] = [];
  for (const a of agents) {
    if (a.proc.exitCode !== null || a.proc.signalCode !== null) continue;
    for (const j of await a.client.jobs.list().catch(() => [])) await a.client.jobs.deregister(j.ID, { purge: true }).catch(() => undefined);
    // A purge that never ends is a leftover task: every agent is still stopped, then the test fails saying so.
    await eventually(async () => (await a.client.allocations.list()).length === 0, { timeoutMs: 30_000, message: `allocations purged on ${a.dataDir}` }).catch((err: unknown) =>
      failures.push(err),
    );
    await a.kill();
  }
  if (failures.length > 0) throw failures[0];
}
