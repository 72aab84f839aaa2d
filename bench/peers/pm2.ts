/**
 * PM2 as a user runs it for non-Node programs: fork mode, `interpreter:
 * none`, an ecosystem file per unit (`pm2 start|stop|delete FILE`), its own
 * PM2_HOME per scenario, `pm2 kill` at the end.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, delay, runCommand, type CommandResult } from './command.js';
import { isAlive } from './proc.js';
import type { Peer, RunningPeer, TaskSpec } from './peer.js';

/** Where PM2 was installed for this run (see install.ts). */
export interface Pm2Install {
  /** node_modules/pm2/bin/pm2, run with this node. */
  readonly script: string;
  readonly version: string;
}

function app(dir: string, unit: string, t: TaskSpec): Record<string, unknown> {
  const [script, ...args] = t.argv;
  return {
    name: `${unit}-${t.name}`,
    script,
    args,
    interpreter: 'none',
    exec_mode: 'fork',
    instances: 1,
    autorestart: t.restart !== 'once',
    restart_delay: 0,
    // A task living under min_uptime (1 s) counts as an unstable restart, and PM2 gives up after max_restarts (16).
    ...(t.restart === 'crash-loop' ? { max_restarts: 1_000_000 } : {}),
    // PM2 writes both streams to files by default (no rotation without the pm2-logrotate module).
    out_file: join(dir, 'logs', `${unit}-${t.name}.out`),
    error_file: join(dir, 'logs', `${unit}-${t.name}.err`),
  };
}

export function pm2Peer(install: Pm2Install): Peer {
  return {
    name: 'pm2',
    label: `PM2 ${install.version}`,
    async start(dir) {
      const env = { ...process.env, PM2_HOME: join(dir, 'pm2home') };
      const pm2 = (args: readonly string[]): Promise<CommandResult> =>
        runCommand([process.execPath, install.script, ...args], { env, timeoutMs: 180_000 });
      const pidFile = join(dir, 'pm2home', 'pm2.pid');
      const godPid = (): number | undefined => {
        try {
          const pid = Number(readFileSync(pidFile, 'utf8').trim());
          return Number.isInteger(pid) && pid > 0 ? pid : undefined;
        } catch {
          return undefined;
        }
      };
      const shutdown = async (): Promise<void> => {
        const pid = godPid();
        const r = await pm2(['kill']);
        if (pid !== undefined) {
          const end = performance.now() + 60_000;
          while (isAlive(pid) && performance.now() < end) await delay(20);
          if (isAlive(pid)) process.kill(pid, 'SIGKILL');
        }
        check('pm2 kill', r);
      };
      try {
        // `pm2 ping` spawns the God daemon, so no scenario times its start.
        check('pm2 ping', await pm2(['ping']));
        if (godPid() === undefined) throw new Error(`pm2 ping left no ${pidFile}`);
      } catch (err) {
        await pm2(['kill']);
        throw err;
      }
      const ecosystem = (unit: string): string => join(dir, `${unit}.ecosystem.json`);
      const running: RunningPeer = {
        managerPids: () => {
          const pid = godPid();
          return pid !== undefined && isAlive(pid) ? [pid] : [];
        },
        prepare(unit, tasks) {
          writeFileSync(ecosystem(unit), JSON.stringify({ apps: tasks.map((t) => app(dir, unit, t)) }, null, 2));
        },
        submit: (unit) => pm2(['start', ecosystem(unit)]),
        stop: (unit) => pm2(['stop', ecosystem(unit)]),
        async remove(unit) {
          check(`pm2 delete ${unit}`, await pm2(['delete', ecosystem(unit)]));
        },
        stdoutFiles(unit, task) {
          const f = join(dir, 'logs', `${unit}-${task}.out`);
          return existsSync(f) ? [f] : [];
        },
        shutdown,
      };
      return running;
    },
  };
}

