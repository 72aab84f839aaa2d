/**
 * One-shot exec in a task's context (Nomad's Executor.Exec / ExecScript):
 * stdout and stderr interleaved into a buffer that keeps the last
 * CHECK_BUF_SIZE bytes, the exit code, and a deadline after which the
 * command's process group is SIGKILLed.
 */
import { DroverError, ErrorCode } from '../../model/errors.js';
import { trySignal } from '../proc.js';
import { spawnDetached } from './spawn.js';
/** Nomad's CheckBufSize (client/structs): 4 KiB of output. */
export const CHECK_BUF_SIZE = 4 * 1024;
/** Runs `plan` to completion or the deadline (Unix ms; 0 = none). */
export async function runExec(plan, deadlineMs) {
    const { child, started } = spawnDetached(plan, ['ignore', 'pipe', 'pipe']);
    await started;
    const ring = new TailBuffer(CHECK_BUF_SIZE);
    child.stdout?.on('data', (b) => ring.push(b));
    child.stderr?.on('data', (b) => ring.push(b));
    const pid = child.pid;
    let timer;
    if (deadlineMs > 0)
        timer = setTimeout(() => trySignal(-pid, 'SIGKILL'), Math.max(0, deadlineMs - Date.now()));
    try {
        const code = await new Promise((resolve, reject) => {
            child.once('error', (err) => reject(new DroverError(ErrorCode.internal, err.message, { cause: err })));
            // Like Go's ExitStatus(): -1 when a signal ended it (a deadline kill included).
            child.once('close', (c, sig) => resolve(sig !== null ? -1 : (c ?? -1)));
        });
        return { output: ring.bytes(), exitCode: code };
    }
    finally {
        clearTimeout(timer);
    }
}
/** Keeps the last `cap` bytes written (Nomad's circbuf). */
export class TailBuffer {
    cap;
    chunks = [];
    size = 0;
    constructor(cap) {
        this.cap = cap;
    }
    push(b) {
        this.chunks.push(b);
        this.size += b.length;
        while (this.size - (this.chunks[0]?.length ?? 0) >= this.cap)
            this.size -= this.chunks.shift().length;
    }
    bytes() {
        const all = Buffer.concat(this.chunks);
        return all.length > this.cap ? all.subarray(all.length - this.cap) : all;
    }
}
//# sourceMappingURL=exec.js.map