/**
 * drover as a user runs it: `drover agent -data-dir DIR -port 0 -config
 * agent.hcl` (raw_exec enabled), `drover job run -detach FILE` with one group
 * per task, `drover job stop [-purge] JOB`. Shutting down: `job stop -purge`
 * of every job, then SIGTERM to the agent and to its executor daemon (an
 * agent leaves tasks and daemon running on purpose).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, delay, runCommand, waitFor } from './command.js';
import { findPids, isAlive, parentOf } from './proc.js';
import type { Peer, RunningPeer, TaskSpec } from './peer.js';

/** How often a missing HCL parser process is looked for again. */
const PARSER_RESCAN_MS = 250;

/** The drover binary as `npm link` installs it: run directly, so its shebang's V8 flags apply. */
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

const AGENT_CONFIG = `plugin "raw_exec" {
  config {
    enabled = true
  }
}
`;

/** An HCL string literal: JSON's escapes, plus HCL's own template openers. */
function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

function groupHcl(t: TaskSpec): string {
  const [command, ...args] = t.argv;
  const lines = [`  group ${hclString(t.name)} {`];
  if (t.restart === 'crash-loop') {
    // Nomad's "delay" mode with no delay and attempts no window reaches: restart at once, forever.
    lines.push('    restart {', '      attempts = 1000000', '      interval = "24h"', '      delay    = "0s"', '      mode     = "delay"', '    }');
  } else if (t.restart === 'once') {
    lines.push('    restart {', '      attempts = 0', '      mode     = "fail"', '    }');
  }
  // Nomad requires the logs to fit in the group's ephemeral disk (300 MB by default). The scheduler
  // counts that disk, CPU and memory against the node, so small processes ask for little, as a user
  // running hundreds of them would (with Nomad's defaults a 2-core node fits about 40): just over the
  // default logs' 100 MB of disk, 10 MHz and 10 MiB.
  if (t.bigLogs) lines.push('    ephemeral_disk {', '      size = 400', '    }');
  else lines.push('    ephemeral_disk {', '      size = 110', '    }');
  lines.push(
    `    task ${hclString(t.name)} {`,
    '      driver = "raw_exec"',
    '      config {',
    `        command = ${hclString(command ?? '')}`,
    `        args    = [${args.map(hclString).join(', ')}]`,
    '      }',
  );
  if (t.bigLogs) lines.push('      logs {', '        max_files     = 3', '        max_file_size = 100', '      }');
  // The log burst keeps Nomad's default memory (300): its output is charged to it until the executor has copied it
  // (executor/daemon/state-dir.ts), and with 10 MiB the kernel throttles it to disk writeback speed (~200 MiB/s here).
  lines.push('      resources {', '        cpu    = 10', `        memory = ${t.bigLogs ? 300 : 10}`, '      }');
  lines.push('    }', '  }');
  return lines.join('\n');
}

function jobHcl(unit: string, tasks: readonly TaskSpec[]): string {
  const type = tasks.every((t) => t.restart === 'once') ? 'batch' : 'service';
  return `job ${hclString(unit)} {\n  type = "${type}"\n${tasks.map(groupHcl).join('\n')}\n}\n`;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const end = performance.now() + 30_000;
  while (isAlive(pid) && performance.now() < end) await delay(20);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Task state lives in the data dir, but a daemon that adopted a tmpfs state dir of
 * an earlier drover (/dev/shm/drover-executor-<uid>/<digest>, naming its data dir
 * in .data-dir) keeps using it: whatever is left there would outlive the scenario's directory.
 */
function removeExecutorState(dataDir: string): void {
  const root = `/dev/shm/drover-executor-${process.getuid?.() ?? 0}`;
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    try {
      if (readFileSync(join(dir, '.data-dir'), 'utf8') !== dataDir) continue;
    } catch {
      continue;
    }
    console.log(`note: drover's executor left its state dir ${dir} behind; removing it`);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function droverPeer(version: string): Peer {
  return {
    name: 'drover',
    label: `drover ${version}`,
    async start(dir, signal) {
      const dataDir = join(dir, 'data');
      const configFile = join(dir, 'agent.hcl');
      const agentLog = join(dir, 'agent.log');
      writeFileSync(configFile, AGENT_CONFIG);
      const fd = openSync(agentLog, 'a');
      // Agent output goes to a file, as it would to a journal; the default log level, as a user gets.
      const agent = spawn(MAIN, ['agent', '-data-dir', dataDir, '-port', '0', '-config', configFile], {
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      const isExecutor = (argv: readonly string[]): boolean => {
        const i = argv.indexOf('-data-dir');
        return argv.includes('executor') && i >= 0 && argv[i + 1] === dataDir;
      };
      let executorPid: number | undefined;
      const executorPids = (): number[] => {
        if (executorPid === undefined || !isAlive(executorPid)) executorPid = findPids(isExecutor)[0];
        return executorPid === undefined ? [] : [executorPid];
      };
      // The agent's HCL parser process (hcl/backend.ts) while it lives, a few seconds after each parse.
      // Looked up at most every PARSER_RESCAN_MS: peak sampling asks for the pids every few milliseconds.
      let parserPid: number | undefined;
      let parserScannedAt = -Infinity;
      const parserPids = (): number[] => {
        if ((parserPid === undefined || !isAlive(parserPid)) && performance.now() - parserScannedAt >= PARSER_RESCAN_MS) {
          parserScannedAt = performance.now();
          parserPid = findPids((argv) => argv.some((a) => a.endsWith('/hcl/parse-server.js'))).find((pid) => parentOf(pid) === agent.pid);
        }
        return parserPid !== undefined && isAlive(parserPid) ? [parserPid] : [];
      };
      let address: string | undefined;
      const shutdown = async (): Promise<void> => {
        try {
          // Stopping the agent leaves tasks running (Nomad's client behaviour): stop every job first.
          if (address !== undefined && agent.exitCode === null) {
            const jobs: unknown = await fetch(`${address}/v1/jobs`).then((r) => r.json());
            for (const job of Array.isArray(jobs) ? (jobs as unknown[]) : []) {
              const id: unknown = typeof job === 'object' && job !== null && 'ID' in job ? job.ID : undefined;
              if (typeof id !== 'string') continue;
              const r = await runCommand([MAIN, 'job', 'stop', '-purge', id], { env: { ...process.env, DROVER_ADDR: address }, timeoutMs: 180_000 });
              check(`drover job stop -purge ${id}`, r);
            }
          }
        } finally {
          await stopProcess(agent);
          // The daemon outlives its agent by design; with no task left it exits on SIGTERM.
          for (const pid of findPids(isExecutor)) await stopPid(pid);
          removeExecutorState(dataDir);
        }
      };
      try {
        address = await waitFor(
          'the drover agent to listen',
          () => {
            if (agent.exitCode !== null) throw new Error(`drover agent exited ${agent.exitCode}:\n${readFileSync(agentLog, 'utf8')}`);
            return /listening on (http:\/\/\S+)/.exec(readFileSync(agentLog, 'utf8'))?.[1];
          },
          { timeoutMs: 120_000, intervalMs: 20, signal },
        );
      } catch (err) {
        await shutdown();
        throw err;
      }
      const env = { ...process.env, DROVER_ADDR: address };
      const cli = (args: readonly string[]) => runCommand([MAIN, ...args], { env, timeoutMs: 180_000 });
      const jobFile = (unit: string): string => join(dir, `${unit}.nomad.hcl`);
      const running: RunningPeer = {
        managerPids: () => (isAlive(agent.pid ?? 0) ? [agent.pid ?? 0, ...parserPids(), ...executorPids()] : executorPids()),
        prepare(unit, tasks) {
          writeFileSync(jobFile(unit), jobHcl(unit, tasks));
        },
        submit: (unit) => cli(['job', 'run', '-detach', jobFile(unit)]),
        stop: (unit) => cli(['job', 'stop', unit]),
        async remove(unit) {
          check(`drover job stop -purge ${unit}`, await cli(['job', 'stop', '-purge', unit]));
        },
        stdoutFiles(_unit, task) {
          // One alloc per group; the task's files are <task>.stdout.<n>, n growing with each rotation.
          const allocRoot = join(dataDir, 'alloc');
          if (!existsSync(allocRoot)) return [];
          const files: { n: number; path: string }[] = [];
          for (const alloc of readdirSync(allocRoot)) {
            const logs = join(allocRoot, alloc, 'alloc', 'logs');
            if (!existsSync(logs)) continue;
            for (const f of readdirSync(logs)) {
              const m = /^(.+)\.stdout\.(\d+)$/.exec(f);
              if (m && m[1] === task) files.push({ n: Number(m[2]), path: join(logs, f) });
            }
          }
          return files.sort((a, b) => a.n - b.n).map((f) => f.path);
        },
        shutdown,
      };
      return running;
    },
  };
}
