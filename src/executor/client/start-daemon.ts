/**
 * Starting the executor daemon for a data dir when none answers: spawned
 * detached (its own session, so it outlives the agent or driver that
 * started it) with its output appended to DIR/executor.log. Two clients
 * racing here both spawn one; the daemon that loses the lock exits at once
 * (see daemon.ts), so exactly one serves the socket.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DroverError, ErrorCode, isErrno } from '../../model/errors.js';
import { MAX_SOCKET_PATH, type DaemonPaths } from '../paths.js';

/** drover's entry point (dist/src/main.js), which dispatches `executor`. */
const MAIN_JS = fileURLToPath(new URL('../../main.js', import.meta.url));

/**
 * V8 flags that keep the idle daemon small: a 1 MiB young generation
 * instead of 16 MiB (the daemon allocates little and slowly), and GC work on
 * the main thread only (fewer threads touching memory).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1', '--single-threaded-gc'];

/** How a spawned daemon ended: its exit status, or the signal that killed it (then `code` is null). */
export interface DaemonExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Spawns a daemon; returns a promise that settles when it exits. */
export function spawnDaemon(paths: DaemonPaths): { pid: number; exited: Promise<DaemonExit> } {
  if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH) {
    throw new DroverError(ErrorCode.internal, `executor socket path too long (> ${MAX_SOCKET_PATH} bytes): ${paths.socket}; use a shorter data dir`);
  }
  fs.mkdirSync(paths.dataDir, { recursive: true });
  const logFd = fs.openSync(paths.log, 'a', 0o600);
  try {
    // Raise the soft fd limit to the hard one: a few fds per task add up with hundreds of tasks.
    const child = spawn(
      '/bin/sh',
      ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', process.execPath, ...DAEMON_NODE_FLAGS, MAIN_JS, 'executor', '-data-dir', paths.dataDir],
      { detached: true, stdio: ['ignore', logFd, logFd], cwd: '/' },
    );
    const exited = new Promise<DaemonExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: 127, signal: null }));
    });
    child.unref();
    return { pid: child.pid ?? 0, exited };
  } finally {
    fs.closeSync(logFd);
  }
}

/** The last lines of the daemon log, for error messages. */
export function logTail(paths: DaemonPaths, lines = 5): string {
  try {
    return fs.readFileSync(paths.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    return '';
  }
}
