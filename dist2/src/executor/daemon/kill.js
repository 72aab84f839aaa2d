/**
 * Stopping a task (Nomad's Executor.Shutdown): the signal (default SIGINT)
 * to the task's process group, up to `graceMs` for it to exit, then SIGKILL
 * to the whole tree — the process group, and every process of its cgroup
 * (which also catches daemons that left the group with setsid).
 */
import { DroverError, ErrorCode } from '../../model/errors.js';
import { killAll } from '../cgroups/index.js';
import { trySignal } from '../proc.js';
import { signalNumber } from '../signals.js';
/** How long a SIGKILLed task may take to be seen gone (Nomad waits 15 s too). */
const KILL_WAIT_MS = 15_000;
/** Resolves once the task's main process is gone and its cgroup empty. */
export async function shutdownTask(task, signal, graceMs, poke) {
    const name = signal === '' ? 'SIGINT' : signal;
    const sig = signalNumber(name);
    if (sig === undefined)
        throw new DroverError(ErrorCode.validation, `error unknown signal given for shutdown: ${signal}`);
    const exited = task.wait().then(() => true);
    if (!task.exited && graceMs > 0) {
        signalGroup(task.pid, sig);
        await raceTimeout(exited, graceMs, poke);
    }
    if (!task.exited)
        trySignal(task.pid, 'SIGKILL');
    // After the main process is gone its group may live on (children, grandchildren): Nomad's killProcessTree.
    trySignal(-task.pid, 'SIGKILL');
    if (task.rec.cgroup)
        await killAll(task.rec.cgroup);
    if (!(await raceTimeout(exited, KILL_WAIT_MS, poke))) {
        throw new DroverError(ErrorCode.internal, `process did not exit after ${KILL_WAIT_MS / 1000} seconds`, { recoverable: true });
    }
}
/** Sends `sig` to the process group led by `pid` (the task's session), or to `pid` alone if there is no group. */
export function signalGroup(pid, sig) {
    return trySignal(-pid, sig) || trySignal(pid, sig);
}
/** True if `p` settles within `ms`; `poke` runs every 10 ms meanwhile (adopted tasks are polled, not reaped). */
async function raceTimeout(p, ms, poke) {
    let timer;
    let ticker;
    const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
        ticker = setInterval(poke, 10);
    });
    try {
        return await Promise.race([p, timeout]);
    }
    finally {
        clearTimeout(timer);
        clearInterval(ticker);
    }
}
//# sourceMappingURL=kill.js.map