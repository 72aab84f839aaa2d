import { TaskStatsSampler } from '../stats/task-stats.js';
import { writeRecord } from './journal.js';
/**
 * The exit of a task that ended while the daemon was not its parent. The
 * kernel tells the exit status only to the parent, which after a daemon
 * restart is init. Exit code -1 (as Nomad's raw_exec reports an exit it
 * could not observe) and `err` set, so it never reads as a success.
 */
export const UNKNOWN_EXIT = Object.freeze({
    exitCode: -1,
    signal: 0,
    oomKilled: false,
    err: 'exit status unknown: executor restarted while the task was running',
});
/** In-memory state of one task. */
export class SupervisedTask {
    rec;
    dir;
    output;
    /** Set while the process is our child. */
    child;
    sampler = new TaskStatsSampler();
    waiters = new Set();
    constructor(dir, rec) {
        this.dir = dir;
        this.rec = rec;
    }
    get id() {
        return this.rec.spec.taskId;
    }
    get pid() {
        return this.rec.pid;
    }
    get exited() {
        return this.rec.exit !== undefined;
    }
    /** What launch returned (also the answer to a repeated launch of the same id). */
    launched() {
        return {
            taskId: this.id,
            pid: this.rec.pid,
            startedAt: this.rec.startedAt,
            procStartTicks: this.rec.procStartTicks,
            ...(this.rec.cgroup ? { cgroup: Object.values(this.rec.cgroup.dirs)[0] } : {}),
        };
    }
    inspect() {
        const exit = this.rec.exit;
        return {
            taskId: this.id,
            state: exit ? 'exited' : 'running',
            pid: this.rec.pid,
            startedAt: this.rec.startedAt,
            completedAt: exit?.completedAt ?? 0,
            ...(exit ? { exitResult: exit.result } : {}),
        };
    }
    /** Resolves at exit; `signal` removes the waiter and rejects. */
    wait(signal) {
        const exit = this.rec.exit;
        if (exit)
            return Promise.resolve(exit.result);
        return new Promise((resolve, reject) => {
            const onAbort = () => {
                this.waiters.delete(done);
                const err = new Error('wait aborted');
                err.name = 'AbortError';
                reject(err);
            };
            const done = (r) => {
                signal?.removeEventListener('abort', onAbort);
                resolve(r);
            };
            if (signal?.aborted)
                return onAbort();
            signal?.addEventListener('abort', onAbort, { once: true });
            this.waiters.add(done);
        });
    }
    /** Records the exit in the journal, then wakes every waiter. */
    finish(result, completedAt) {
        if (this.rec.exit)
            return;
        this.child = undefined;
        this.rec = { ...this.rec, exit: { result, completedAt } };
        writeRecord(this.dir, this.rec);
        for (const w of [...this.waiters])
            w(result);
        this.waiters.clear();
    }
}
//# sourceMappingURL=task.js.map