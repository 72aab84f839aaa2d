/**
 * supervisord as a user runs it: a daemonized `supervisord -c FILE` with its
 * own socket, pidfile and log dir per scenario; one program section per task
 * in an included file per unit, grouped, loaded with `supervisorctl update`;
 * `stop UNIT:*`;
 * `supervisorctl shutdown` at the end.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { check, delay, runCommand, waitFor, type CommandResult } from './command.js';
import { isAlive } from './proc.js';
import { shellQuote, type Peer, type RunningPeer, type TaskSpec } from './peer.js';

export interface SupervisordInstall {
  readonly supervisord: string;
  readonly supervisorctl: string;
  readonly version: string;
}

/** supervisord's config values go through Python %-expansion. */
const esc = (s: string): string => s.replace(/%/g, '%%');

function program(dir: string, unit: string, t: TaskSpec): string {
  const name = `${unit}-${t.name}`;
  const log = join(dir, 'logs', name);
  const lines = [`[program:${name}]`, `command=${esc(t.argv.map(shellQuote).join(' '))}`, 'autostart=true'];
  switch (t.restart) {
    case 'service':
      // Restart whatever the exit code, as drover's service jobs and PM2 do; startsecs stays at its default (1 s).
      lines.push('autorestart=true');
      break;
    case 'crash-loop':
      // startsecs=0: the process counts as started at once, so exits are restarts, not start failures with backoff.
      lines.push('autorestart=true', 'startsecs=0', 'startretries=1000000');
      break;
    case 'once':
      lines.push('autorestart=false', 'startsecs=0');
      break;
    default: {
      const never: never = t.restart;
      throw new Error(`unknown restart policy ${String(never)}`);
    }
  }
  // Rotation as drover's: 10 × 10 MiB every day, 3 × 100 MiB for the log scenario.
  const [size, backups] = t.bigLogs ? ['100MB', 2] : ['10MB', 9];
  lines.push(
    `stdout_logfile=${esc(`${log}.out`)}`,
    `stdout_logfile_maxbytes=${size}`,
    `stdout_logfile_backups=${backups}`,
    `stderr_logfile=${esc(`${log}.err`)}`,
    'stderr_logfile_maxbytes=10MB',
    'stderr_logfile_backups=9',
  );
  return lines.join('\n');
}

export function supervisordPeer(install: SupervisordInstall): Peer {
  return {
    name: 'supervisord',
    label: `supervisord ${install.version}`,
    async start(dir, signal) {
      const conf = join(dir, 'supervisord.conf');
      const pidFile = join(dir, 'supervisord.pid');
      const units = join(dir, 'units');
      mkdirSync(units, { recursive: true });
      mkdirSync(join(dir, 'logs'), { recursive: true });
      writeFileSync(
        conf,
        [
          '[unix_http_server]',
          `file=${esc(join(dir, 'supervisor.sock'))}`,
          '[supervisord]',
          `logfile=${esc(join(dir, 'supervisord.log'))}`,
          `pidfile=${esc(pidFile)}`,
          `childlogdir=${esc(join(dir, 'logs'))}`,
          '[rpcinterface:supervisor]',
          'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
          '[supervisorctl]',
          `serverurl=unix://${esc(join(dir, 'supervisor.sock'))}`,
          '[include]',
          `files = ${esc(join(units, '*.conf'))}`,
          '',
        ].join('\n'),
      );
      const ctl = (args: readonly string[]): Promise<CommandResult> => runCommand([install.supervisorctl, '-c', conf, ...args], { timeoutMs: 180_000 });
      const pid = (): number | undefined => {
        try {
          const n = Number(readFileSync(pidFile, 'utf8').trim());
          return Number.isInteger(n) && n > 0 ? n : undefined;
        } catch {
          return undefined;
        }
      };
      const shutdown = async (): Promise<void> => {
        const p = pid();
        if (p === undefined || !isAlive(p)) return;
        const r = await ctl(['shutdown']);
        // It stops its processes before exiting, which takes a while with 300 of them on a loaded host.
        const end = performance.now() + 240_000;
        while (isAlive(p) && performance.now() < end) await delay(20);
        if (isAlive(p)) process.kill(p, 'SIGKILL');
        if (r.code !== 0) check('supervisorctl shutdown', r);
      };
      // Daemonizes (its default): the command returns once the daemon forked.
      check('supervisord', await runCommand([install.supervisord, '-c', conf], { timeoutMs: 60_000 }));
      try {
        await waitFor('supervisord to answer', () => (pid() !== undefined && existsSync(join(dir, 'supervisor.sock')) ? true : undefined), {
          timeoutMs: 60_000,
          intervalMs: 20,
          signal,
        });
        check('supervisorctl pid', await ctl(['pid']));
      } catch (err) {
        const p = pid();
        if (p !== undefined && isAlive(p)) process.kill(p, 'SIGKILL');
        throw err;
      }
      const unitFile = (unit: string): string => join(units, `${unit}.conf`);
      const running: RunningPeer = {
        managerPids: () => {
          const p = pid();
          return p !== undefined && isAlive(p) ? [p] : [];
        },
        prepare(unit, tasks) {
          // A unit is a supervisord group, so starting, stopping or removing it is one call, as with a drover job or an ecosystem file.
          const group = `[group:${unit}]\nprograms=${tasks.map((t) => `${unit}-${t.name}`).join(',')}`;
          writeFileSync(unitFile(unit), [group, ...tasks.map((t) => program(dir, unit, t))].join('\n\n') + '\n');
        },
        // `update` re-reads the config and adds (and, autostart, starts) the new group.
        submit: () => ctl(['update']),
        stop: (unit) => ctl(['stop', `${unit}:*`]),
        async remove(unit) {
          rmSync(unitFile(unit), { force: true });
          check(`supervisorctl update (remove ${unit})`, await ctl(['update']));
        },
        stdoutFiles(unit, task) {
          // supervisord rotates NAME.out → NAME.out.1 → NAME.out.2: the highest number is the oldest.
          const base = join(dir, 'logs', `${unit}-${task}.out`);
          return [`${base}.2`, `${base}.1`, base].filter((f) => existsSync(f));
        },
        shutdown,
      };
      return running;
    },
  };
}
