/**
 * On-disk layout of one executor data dir:
 *
 *   DIR/executor.sock            the daemon's unix socket
 *   DIR/executor.log             the daemon's own stdout/stderr
 *   STATE/<key>/                 one dir per task: task.json (journal),
 *                                stdout/stderr spools and their .pos records
 *
 * STATE is DIR/executor/tasks (see daemon/state-dir.ts; a tmpfs dir an
 * earlier drover left with tasks in it is kept until they are gone).
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

/** Where a daemon keeps its socket, log and journal. */
export interface DaemonPaths {
  readonly dataDir: string;
  readonly socket: string;
  readonly log: string;
  /** The on-disk fallback for the task state dir (daemon/state-dir.ts picks the real one). */
  readonly tasksDir: string;
  /** A short digest of the data dir: names its lock and its tmpfs state dir. */
  readonly digest: string;
  /** Abstract unix socket name (Linux): held while a daemon runs, released by the kernel when it dies. */
  readonly lockName: string;
}

/** Unix socket paths longer than this do not fit in sockaddr_un. */
export const MAX_SOCKET_PATH = 107;

/** The layout under `dataDir` (made absolute). */
export function daemonPaths(dataDir: string): DaemonPaths {
  const dir = resolve(dataDir);
  const digest = createHash('sha256').update(dir).digest('hex').slice(0, 32);
  return {
    dataDir: dir,
    socket: join(dir, 'executor.sock'),
    log: join(dir, 'executor.log'),
    tasksDir: join(dir, 'executor', 'tasks'),
    digest,
    lockName: `\0drover-executor-${digest}`,
  };
}

/**
 * A task id as one path segment (cgroup and journal dir names): letters,
 * digits, '.', '_' and '-' stay, everything else is %XX-encoded, so the
 * result is reversible and safe unquoted in a shell word.
 */
export function taskKey(taskId: string): string {
  let out = '';
  for (const byte of Buffer.from(taskId, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(c) || (c === '.' && out !== '') ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The journal dir of one task under the daemon's state dir. */
export function taskDir(stateDir: string, taskId: string): string {
  return join(stateDir, taskKey(taskId));
}
