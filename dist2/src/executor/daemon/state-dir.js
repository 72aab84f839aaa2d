/**
 * Where the daemon keeps its per-task state (journal, spools, records).
 *
 * On tmpfs when the host has one (/dev/shm), else DIR/executor/tasks. Why:
 * creating a file costs 0.2–0.6 ms on this host's ext4 and ~0.01 ms on
 * tmpfs, and a launch creates several; on tmpfs a launch and a
 * crash→restart cycle are milliseconds faster. Nothing is lost by it: the
 * state only has to outlive the daemon and the agent, not a reboot (after
 * a reboot the tasks themselves are gone, as with Nomad's executors).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { isRunning } from '../proc.js';
import { errorMessage, isErrno } from '../../model/errors.js';
/** statfs f_type of tmpfs. */
const TMPFS_MAGIC = 0x01021994;
/** Picks (and creates) the state dir; `explicit` wins. `shm` is the tmpfs to try (injectable for tests). */
export function resolveStateDir(paths, explicit, log, shm = '/dev/shm') {
    const dir = explicit ?? tmpfsStateDir(paths, shm, log) ?? paths.tasksDir;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A back-reference, so state left behind by a daemon whose data dir was deleted can be found and swept.
    fs.writeFileSync(join(dir, DATA_DIR_FILE), paths.dataDir);
    return dir;
}
const DATA_DIR_FILE = '.data-dir';
/**
 * Removes sibling state dirs (other data dirs' daemons on this tmpfs) that
 * nobody can use any more: their data dir is gone, no daemon holds their
 * lock, and none of their tasks still runs. Keeps a killed test's or
 * deleted agent's state from piling up in RAM.
 */
export async function sweepOrphanStateDirs(stateDir, log) {
    const root = dirname(stateDir);
    let names;
    try {
        names = fs.readdirSync(root);
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            throw err;
        return;
    }
    for (const name of names) {
        const dir = join(root, name);
        if (dir === stateDir || !/^[0-9a-f]{32}$/.test(name))
            continue;
        try {
            const dataDir = fs.readFileSync(join(dir, DATA_DIR_FILE), 'utf8');
            if (fs.existsSync(dataDir) || anyTaskRunning(dir) || !(await lockFree(`\0drover-executor-${name}`)))
                continue;
            fs.rmSync(dir, { recursive: true, force: true });
            log(`removed orphaned state ${dir} (data dir ${dataDir} is gone)`);
        }
        catch (err) {
            // Raced with its owner (gone already): leave it; anything else is worth a line in the daemon log.
            if (!isErrno(err, 'ENOENT', 'ENOTDIR'))
                log(`cannot sweep state ${dir}: ${errorMessage(err)}`);
        }
    }
}
function anyTaskRunning(dir) {
    for (const key of fs.readdirSync(dir)) {
        try {
            const rec = JSON.parse(fs.readFileSync(join(dir, key, 'task.json'), 'utf8'));
            if (!rec.exit && isRunning(rec.pid, rec.procStartTicks))
                return true;
        }
        catch (err) {
            // Not a task (no task.json, or not JSON); a read failure of another kind is not "nothing runs".
            if (!(err instanceof SyntaxError) && !isErrno(err, 'ENOENT', 'ENOTDIR'))
                throw err;
        }
    }
    return false;
}
/** True when no daemon holds the abstract lock (binding it succeeds; released at once). */
function lockFree(name) {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.once('error', () => resolve(false));
        srv.listen(name, () => srv.close(() => resolve(true)));
    });
}
/** <shm>/drover-executor-<uid>/<digest>, if <shm> is tmpfs and the per-user dir is safely ours. */
function tmpfsStateDir(paths, base, log) {
    try {
        if (fs.statfsSync(base).type !== TMPFS_MAGIC)
            return undefined;
        const uid = process.getuid?.() ?? 0;
        const root = join(base, `drover-executor-${uid}`);
        try {
            fs.mkdirSync(root, { mode: 0o700 });
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err;
        }
        // /dev/shm is world-writable: refuse a dir (or symlink) someone else planted.
        const st = fs.lstatSync(root);
        if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
            log(`not using ${root} for task state: not a private directory of uid ${uid}`);
            return undefined;
        }
        return join(root, paths.digest);
    }
    catch (err) {
        log(`no tmpfs state dir (${err.message}); using ${paths.tasksDir}`);
        return undefined;
    }
}
/** Removes the state dir when nothing is left in it (daemon stopping idle). */
export function removeStateDirIfEmpty(dir) {
    try {
        if (fs.readdirSync(dir).some((n) => n !== DATA_DIR_FILE))
            return;
        fs.rmSync(join(dir, DATA_DIR_FILE), { force: true });
        fs.rmdirSync(dir);
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ENOTEMPTY'))
            throw err;
        // already gone
    }
}
//# sourceMappingURL=state-dir.js.map