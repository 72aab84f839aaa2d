/**
 * On-disk layout of one executor data dir:
 *
 *   DIR/executor.sock            the daemon's unix socket
 *   DIR/executor.log             the daemon's own stdout/stderr
 *   STATE/<key>/                 one dir per task: task.json (journal),
 *                                stdout/stderr spools and their .pos records
 *
 * STATE is on tmpfs when the host has one (see daemon/state-dir.ts), else
 * DIR/executor/tasks.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
/** Unix socket paths longer than this do not fit in sockaddr_un. */
export const MAX_SOCKET_PATH = 107;
/** The layout under `dataDir` (made absolute). */
export function daemonPaths(dataDir) {
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
export function taskKey(taskId) {
    let out = '';
    for (const byte of Buffer.from(taskId, 'utf8')) {
        const c = String.fromCharCode(byte);
        out += /[A-Za-z0-9_-]/.test(c) || (c === '.' && out !== '') ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}
/** The journal dir of one task under the daemon's state dir. */
export function taskDir(stateDir, taskId) {
    return join(stateDir, taskKey(taskId));
}
//# sourceMappingURL=paths.js.map