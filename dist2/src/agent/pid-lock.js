/**
 * One agent per data dir: DATA_DIR/agent.pid holds the live agent's pid. Two
 * agents on one state.db would both resume every allocation and run each
 * task twice. A pid file left by a killed agent is taken over when that pid
 * is gone.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { DroverError, ErrorCode, isErrno } from '../model/errors.js';
/** Takes the lock or throws naming the agent that holds it; returns the release function. */
export function lockDataDir(dataDir) {
    const path = join(dataDir, 'agent.pid');
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            const fd = openSync(path, 'wx', 0o644);
            writeSync(fd, `${process.pid}\n`);
            closeSync(fd);
            return () => {
                try {
                    if (readFileSync(path, 'utf8').trim() === String(process.pid))
                        rmSync(path, { force: true });
                }
                catch (err) {
                    if (!isErrno(err, 'ENOENT'))
                        throw err;
                    // Already gone.
                }
            };
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err;
            const pid = Number(readFileSync(path, 'utf8').trim());
            if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
                throw new DroverError(ErrorCode.conflict, `another drover agent (pid ${pid}) is using data dir ${dataDir}`);
            }
            rmSync(path, { force: true });
        }
    }
    throw new DroverError(ErrorCode.internal, `cannot lock data dir ${dataDir}`);
}
function alive(pid) {
    try {
        process.kill(pid, 0);
    }
    catch (err) {
        return err.code === 'EPERM';
    }
    // A killed agent whose parent has not reaped it yet is a zombie: it holds nothing.
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ESRCH'))
            throw err;
        return true;
    }
}
//# sourceMappingURL=pid-lock.js.map