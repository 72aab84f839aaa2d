/**
 * One executor daemon per data dir. The lock is flock on DIR/executor.lock
 * (mode 0600, ours): the kernel releases it when the daemon dies, so a crash
 * never leaves it stale, and only a user who can open the file can contend
 * for it. The abstract unix socket name is still bound beside it: other
 * daemons' orphan sweeps look for it (state-dir.ts). Alone it was the lock,
 * but the abstract namespace has no permissions, so any local user who bound
 * the name first kept every daemon of the data dir from starting.
 * Without the native addon (not built) the abstract name is the lock again.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import type { DaemonPaths } from '../paths.js';
import { nativeAddon } from './native.js';

export interface DaemonLock {
  release(): void;
}

/** Takes the lock; undefined when another daemon holds it. Throws when the lock file is not safely ours. */
export async function acquireDaemonLock(paths: DaemonPaths): Promise<DaemonLock | undefined> {
  if (!nativeAddon) {
    const server = await bindAbstract(paths.lockName);
    return server && { release: () => server.close() };
  }
  const file = join(paths.dataDir, 'executor.lock');
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  try {
    const st = fs.fstatSync(fd);
    const uid = process.getuid?.() ?? st.uid;
    if (!st.isFile() || st.uid !== uid) throw new Error(`${file} is not a file owned by uid ${uid}: refusing it as the executor's lock`);
    if ((st.mode & 0o077) !== 0) fs.fchmodSync(fd, 0o600);
    if (!nativeAddon.tryLock(fd)) {
      fs.closeSync(fd);
      return undefined;
    }
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  // The marker only: a squatter on the name costs the orphan sweep one state dir, never the daemon.
  const marker = await bindAbstract(paths.lockName);
  return {
    release: () => {
      marker?.close();
      fs.closeSync(fd);
    },
  };
}

/** Binds an abstract unix socket name; undefined when it is taken. */
function bindAbstract(name: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(undefined) : reject(err)));
    server.listen(name, () => resolve(server));
  });
}
