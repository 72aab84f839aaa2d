/**
 * The executor daemon process: one per data dir. Holds a kernel-managed
 * lock (daemon/lock.ts: released when the process dies, so a crash never
 * leaves a stale lock), re-adopts journaled tasks, then serves
 * DIR/executor.sock. SIGTERM/SIGINT stop the daemon and leave every task
 * running; the next daemon re-adopts them.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { detectCgroups } from '../cgroups/index.js';
import { daemonPaths, MAX_SOCKET_PATH } from '../paths.js';
import { acquireDaemonLock } from './lock.js';
import { serveConnection } from './server.js';
import { removeStateDirIfEmpty, resolveStateDir, sweepOrphanStateDirs, tmpfsStateRoot } from './state-dir.js';
import { Supervisor } from './supervisor.js';
import { TASK_SPAWNER } from './spawn.js';

/** Runs until stopped; resolves with the process exit code. `stateDir` overrides daemon/state-dir.ts's choice. */
export async function runDaemon(dataDir: string, stateDir?: string): Promise<number> {
  const paths = daemonPaths(dataDir);
  const log = (msg: string): void => {
    process.stderr.write(`${new Date().toISOString()} [executor ${process.pid}] ${msg}\n`);
  };
  if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH) {
    log(`socket path too long (${Buffer.byteLength(paths.socket)} > ${MAX_SOCKET_PATH} bytes): ${paths.socket}`);
    return 1;
  }
  fs.mkdirSync(paths.dataDir, { recursive: true });
  const lock = await acquireDaemonLock(paths);
  if (!lock) {
    log('another executor already serves this data dir');
    return 0;
  }
  const layout = detectCgroups();
  const sup = new Supervisor(resolveStateDir(paths, stateDir, log), layout, log);
  await sup.recover();

  // We hold the lock, so a socket file here is a dead daemon's.
  fs.rmSync(paths.socket, { force: true });
  const server = net.createServer();
  let stopping = false;
  let finished: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finished = resolve));
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${why}); ${sup.status().running} task(s) keep running`);
    server.close();
    lock.release();
    sup.close();
    if (sup.status().tasks === 0) removeStateDirIfEmpty(sup.stateDir);
    fs.rmSync(paths.socket, { force: true });
    finished(0);
  };
  server.on('connection', (sock) => serveConnection(sock, sup, () => stop('idle and asked to stop'), log));
  // Bound under umask 077: a socket takes its mode from the umask, and under a loose one another user could connect before the chmod.
  const umask = process.umask(0o077);
  try {
    await listen(server, paths.socket);
  } finally {
    process.umask(umask);
  }
  fs.chmodSync(paths.socket, 0o600);
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => undefined);
  log(`serving ${paths.socket} (cgroups: ${layout.mode}; spawner: ${TASK_SPAWNER}; state in ${sup.stateDir}; ${sup.status().tasks} task(s) recovered)`);
  void sweepOrphanStateDirs(tmpfsStateRoot(), sup.stateDir, log);
  const code = await done;
  // Sockets of clients still connected would keep the loop alive.
  setImmediate(() => process.exit(code));
  return code;
}

function listen(server: net.Server, path: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
