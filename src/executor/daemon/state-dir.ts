/**
 * Where the daemon keeps its per-task state (journal, spools, records):
 * DIR/executor/tasks, on the data dir's filesystem.
 *
 * Not on tmpfs, though creating a file there is cheaper (drover used
 * /dev/shm before): a task writes its output straight into its spool, and a
 * file's pages are charged to the memory cgroup of the task that wrote
 * them. On tmpfs (no swap) nothing can reclaim them until the daemon has
 * copied and punched them, so a task with a small memory limit that logs
 * faster than the copy was OOM-killed by its own logs (`memory = 10` and a
 * `cat` of 256 MiB: killed within the first 10 MiB). On a disk filesystem
 * the same pages are page cache: the kernel writes them back and reclaims
 * them, slowing the writer instead of killing it, and pages punched soon
 * after their copy never reach the disk. Launch and restart times did not
 * move beyond run-to-run noise (peers bench, interleaved: a restart cycle
 * took 9.5–16 ms with the state on either).
 *
 * A tmpfs state dir an earlier drover left with tasks in it is adopted, so
 * an upgrade loses none of them; once it is empty it goes, and later
 * daemons start on disk.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import type { DaemonPaths } from '../paths.js';
import { isRunning } from '../proc.js';
import { errorMessage, isErrno } from '../../model/errors.js';

/** statfs f_type of tmpfs. */
const TMPFS_MAGIC = 0x01021994;

/** Picks (and creates) the state dir; `explicit` wins. `shm` is where an earlier drover kept it (injectable for tests). */
export function resolveStateDir(paths: DaemonPaths, explicit: string | undefined, log: (m: string) => void, shm = '/dev/shm'): string {
  const dir = explicit ?? earlierTmpfsStateDir(paths, shm, log) ?? paths.tasksDir;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A back-reference, so state left behind by a daemon whose data dir was deleted can be found and swept.
  fs.writeFileSync(join(dir, DATA_DIR_FILE), paths.dataDir);
  return dir;
}

/** The per-user dir on tmpfs under which earlier drovers kept each data dir's state. */
export function tmpfsStateRoot(shm = '/dev/shm'): string {
  return join(shm, `drover-executor-${process.getuid?.() ?? 0}`);
}

const DATA_DIR_FILE = '.data-dir';

/**
 * Removes the state dirs under `root` (earlier drovers' daemons on tmpfs)
 * that nobody can use any more: their data dir is gone, no daemon holds
 * their lock, and none of their tasks still runs. Keeps a killed test's or
 * deleted agent's state from piling up in RAM.
 */
export async function sweepOrphanStateDirs(root: string, stateDir: string, log: (m: string) => void): Promise<void> {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    return;
  }
  for (const name of names) {
    const dir = join(root, name);
    if (dir === stateDir || !/^[0-9a-f]{32}$/.test(name)) continue;
    try {
      const dataDir = fs.readFileSync(join(dir, DATA_DIR_FILE), 'utf8');
      if (fs.existsSync(dataDir) || anyTaskRunning(dir) || !(await lockFree(`\0drover-executor-${name}`))) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      log(`removed orphaned state ${dir} (data dir ${dataDir} is gone)`);
    } catch (err) {
      // Raced with its owner (gone already): leave it; anything else is worth a line in the daemon log.
      if (!isErrno(err, 'ENOENT', 'ENOTDIR')) log(`cannot sweep state ${dir}: ${errorMessage(err)}`);
    }
  }
}

function anyTaskRunning(dir: string): boolean {
  for (const key of fs.readdirSync(dir)) {
    try {
      const rec = JSON.parse(fs.readFileSync(join(dir, key, 'task.json'), 'utf8')) as { pid: number; procStartTicks: number; exit?: unknown };
      if (!rec.exit && isRunning(rec.pid, rec.procStartTicks)) return true;
    } catch (err) {
      // Not a task (no task.json, or not JSON); a read failure of another kind is not "nothing runs".
      if (!(err instanceof SyntaxError) && !isErrno(err, 'ENOENT', 'ENOTDIR')) throw err;
    }
  }
  return false;
}

/** True when no daemon holds the abstract lock (binding it succeeds; released at once). */
function lockFree(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(name, () => srv.close(() => resolve(true)));
  });
}

/**
 * <shm>/drover-executor-<uid>/<digest> when an earlier drover left tasks
 * there (and the per-user dir is safely ours); an empty one is removed.
 */
function earlierTmpfsStateDir(paths: DaemonPaths, shm: string, log: (m: string) => void): string | undefined {
  const root = tmpfsStateRoot(shm);
  const dir = join(root, paths.digest);
  try {
    if (fs.statfsSync(shm).type !== TMPFS_MAGIC || !fs.existsSync(dir)) return undefined;
    // /dev/shm is world-writable: refuse a dir (or symlink) someone else planted.
    const uid = process.getuid?.() ?? 0;
    const st = fs.lstatSync(root);
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
      log(`not adopting ${dir}: ${root} is not a private directory of uid ${uid}`);
      return undefined;
    }
    if (fs.readdirSync(dir).some((n) => n !== DATA_DIR_FILE)) {
      log(`task state of an earlier drover found in ${dir}: kept there until its tasks are gone`);
      return dir;
    }
    removeStateDirIfEmpty(dir);
    return undefined;
  } catch (err) {
    log(`cannot read an earlier drover's task state in ${dir} (${(err as Error).message}); using ${paths.tasksDir}`);
    return undefined;
  }
}

/** Removes the state dir when nothing is left in it (daemon stopping idle). */
export function removeStateDirIfEmpty(dir: string): void {
  try {
    if (fs.readdirSync(dir).some((n) => n !== DATA_DIR_FILE)) return;
    fs.rmSync(join(dir, DATA_DIR_FILE), { force: true });
    fs.rmdirSync(dir);
  } catch (err) {
    if (!isErrno(err, 'ENOENT', 'ENOTEMPTY')) throw err;
    // already gone
  }
}
