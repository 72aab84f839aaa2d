/** Spawning a planned command in its own session, and turning waitpid results into Nomad's exit semantics. */
import { spawn } from 'node:child_process';
import { DroverError, ErrorCode } from '../../model/errors.js';
import { signalNumber } from '../signals.js';
/**
 * Starts `plan` detached (setsid: its own session and process group, so
 * signals to the group reach the whole task and nothing of the daemon).
 * The returned child has a pid; `started` settles once the exec succeeded or failed.
 */
export function spawnDetached(plan, stdio) {
    const child = spawn(plan.file, plan.args, { cwd: plan.cwd, env: plan.env, detached: true, stdio });
    const started = new Promise((resolve, reject) => {
        child.once('spawn', () => resolve());
        child.once('error', (err) => reject(spawnError(plan, err)));
    });
    started.catch(() => undefined);
    return { child, started };
}
/** Nomad's message for a command that could not start. */
function spawnError(plan, err) {
    return new DroverError(ErrorCode.driverStart, `failed to start command path=${JSON.stringify(plan.file)} --- args=${JSON.stringify([plan.file, ...plan.args])}: ${err.message}`, { cause: err });
}
/** A task's exit as Nomad's executor reports it: killed by a signal → code 128+n and signal n. */
export function exitFromStatus(code, signal) {
    if (signal !== null) {
        const n = signalNumber(signal) ?? 0;
        return { exitCode: 128 + n, signal: n, oomKilled: false };
    }
    return { exitCode: code ?? 0, signal: 0, oomKilled: false };
}
//# sourceMappingURL=spawn.js.map