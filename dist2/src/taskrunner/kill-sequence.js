import { ErrorCode, DroverError, errorMessage } from '../model/errors.js';
import { sleep as realSleep, unlessAborted } from './abort.js';
/** Nomad retries a failing StopTask this many times. */
const KILL_FAILURE_LIMIT = 5;
const KILL_BACKOFF_BASE_MS = 100;
const KILL_BACKOFF_LIMIT_MS = 5_000;
export async function runKillSequence(k) {
    const sleep = k.sleep ?? realSleep;
    await k.preKill();
    if (k.shutdownDelayMs > 0) {
        k.onShutdownDelay();
        const early = new AbortController();
        const result = await Promise.race([k.exit.then((r) => r), sleep(k.shutdownDelayMs, AbortSignal.any([early.signal, k.shutdown])).then(() => undefined)]);
        early.abort();
        if (result !== undefined)
            return { result };
        if (k.shutdown.aborted)
            return {};
    }
    let killError;
    for (let attempt = 0; attempt < KILL_FAILURE_LIMIT; attempt++) {
        try {
            await k.driver.stopTask(k.taskId, k.killTimeoutMs, k.killSignal);
            killError = undefined;
            break;
        }
        catch (err) {
            if (err instanceof DroverError && err.code === ErrorCode.taskNotFound)
                return {};
            killError = errorMessage(err);
            const backoff = Math.min(KILL_BACKOFF_BASE_MS * 4 ** attempt, KILL_BACKOFF_LIMIT_MS);
            const exited = await unlessAborted(Promise.race([k.exit, sleep(backoff, k.shutdown).then(() => undefined)]), k.shutdown);
            if (exited !== undefined)
                return { result: exited };
            // Shutting down: leave the task alone rather than retry the stop at once.
            if (k.shutdown.aborted)
                return { killError };
        }
    }
    const result = await unlessAborted(k.exit, k.shutdown);
    return { result, killError };
}
//# sourceMappingURL=kill-sequence.js.map