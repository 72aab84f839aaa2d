/**
 * The command line for running a command inside a running isolated task
 * (Nomad's Exec / ExecStreaming): nsenter into the task's namespaces
 * (network too when it runs in an allocation's) and root, then the same
 * env + setpriv hop the task got.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { LaunchSpec } from '../types.js';
import { normalizeCapability } from './capabilities.js';
import { isolationOf, taskUser, type IsolatedCommand } from './launch.js';
import { envHopArgs, setprivArgs } from './privileges.js';
import { findTools, type IsolationTools } from './tools.js';
import { isErrno } from '../../model/errors.js';

/**
 * `pid` is the process the executor launched. With a private pid namespace
 * that is unshare's waiter, which lives outside the namespace, so we enter
 * through its child (the task, PID 1 inside). nsenter -p forks once more so
 * the command is inside the pid namespace; it passes the exit status through.
 */
export function buildIsolatedExec(
  spec: LaunchSpec,
  pid: number,
  command: string,
  args: readonly string[],
  opts: { readonly tools?: IsolationTools; readonly procDir?: string } = {},
): IsolatedCommand {
  const iso = isolationOf(spec);
  const t = opts.tools ?? findTools();
  const target = iso.pidMode === 'private' ? childOf(pid, opts.procDir) : pid;
  const nsenter = ['-t', String(target), '--mount', '--uts'];
  if (iso.ipcMode === 'private') nsenter.push('--ipc');
  if (iso.pidMode === 'private') nsenter.push('--pid');
  // The task joined the allocation's network namespace before unshare; the exec joins the task's.
  if (spec.netnsPath !== undefined) nsenter.push('--net');
  nsenter.push('--root', '--');
  // A TTY session's process group would be nsenter's, outside the pid namespace, so an
  // interactive shell could not run job control: give it its own session and the terminal.
  const ttySession = iso.pidMode === 'private' ? [t.sh, '-c', 'if [ -t 0 ]; then exec "$0" --ctty "$@"; fi; exec "$@"', t.setsid] : [];
  const final = [...envHopArgs(t, spec.cwd || '/', spec.env), ...setprivArgs(t, taskUser(spec.user), iso.capabilities.map(normalizeCapability)), command, ...args];
  return { file: t.nsenter, args: [...nsenter, ...ttySession, ...final] };
}

/**
 * Resolves once the task has finished its setup and sits in its own root:
 * entering earlier (exec right after start) would find the process before
 * pivot_root, with the host's root. Polls briefly; a task that never gets
 * there (setup failed, exited) is an error.
 */
export async function waitUntilIsolated(spec: LaunchSpec, pid: number, opts: { readonly timeoutMs?: number; readonly procDir?: string } = {}): Promise<void> {
  const iso = isolationOf(spec);
  const want = statSync(iso.root);
  const end = Date.now() + (opts.timeoutMs ?? 5_000);
  let last = 'task not started';
  for (;;) {
    try {
      const target = iso.pidMode === 'private' ? childOf(pid, opts.procDir) : pid;
      const root = statSync(`${opts.procDir ?? '/proc'}/${target}/root`);
      if (root.ino === want.ino && root.dev === want.dev) return;
      last = 'task still setting up its root';
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > end) throw new Error(`cannot exec into task process ${pid}: ${last}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The (single) child of `pid`, found through /proc/<n>/stat (no /proc/<pid>/task/<pid>/children on every kernel). */
export function childOf(pid: number, procDir = '/proc'): number {
  for (const name of readdirSync(procDir)) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`${procDir}/${name}/stat`, 'utf8');
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'ESRCH')) throw err;
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parens, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) return Number(name);
  }
  throw new Error(`task process ${pid} has no child in its pid namespace (task not running?)`);
}
