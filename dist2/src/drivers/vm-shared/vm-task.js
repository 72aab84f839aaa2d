/**
 * One VM as a driver tracks it: the QEMU process the executor daemon runs
 * (its exit is the task's exit), the QMP socket to talk to the machine, and
 * the stop sequence both VM drivers share:
 *
 *   graceful:  system_powerdown (ACPI power button) ──exit──▶ done
 *                 │ no exit within the kill timeout
 *                 ▼
 *   always:    kill signal to QEMU (it tears the VM down at once, flushing
 *              its disk images) ──QEMU hangs for KILL_GRACE_MS──▶ SIGKILL
 */
import { errorMessage } from '../../model/errors.js';
import { ExecutorTask } from '../shared/executor-task.js';
import { QmpClient } from './qmp.js';
import { VmStats } from './vm-stats.js';
/** How long QEMU gets to exit on the kill signal before SIGKILL. */
export const KILL_GRACE_MS = 5_000;
/** How long a QMP connection attempt may take during stop (the VM may already be gone). */
const QMP_CONNECT_MS = 2_000;
/** A running (or finished) VM. */
export class VmTask extends ExecutorTask {
    qmpPath;
    graceful;
    stats;
    constructor(o) {
        super(o);
        this.qmpPath = o.qmpPath;
        this.graceful = o.graceful;
        this.stats = new VmStats(o.state.pid);
    }
    /**
     * Stops the VM: when graceful, presses the ACPI power button and waits up
     * to `timeoutMs` for the guest to power off; then (or at once) sends
     * `signal` (SIGTERM when empty) to QEMU and SIGKILL after KILL_GRACE_MS.
     * Resolves once QEMU is gone.
     */
    async stop(timeoutMs, signal) {
        if (!this.running)
            return;
        if (this.graceful) {
            try {
                await this.powerdown();
                if (await this.exit.exitsWithin(timeoutMs))
                    return;
                this.logger.info('graceful shutdown timed out, killing the VM', { task_id: this.taskId, timeout_ms: timeoutMs });
            }
            catch (err) {
                this.logger.debug('error sending graceful shutdown', { task_id: this.taskId, error: errorMessage(err) });
            }
        }
        if (!this.running)
            return;
        await super.stop(this.graceful ? KILL_GRACE_MS : Math.max(timeoutMs, KILL_GRACE_MS), signal === '' ? 'SIGTERM' : signal);
    }
    /** Presses the virtual power button (QMP system_powerdown). */
    async powerdown() {
        await this.qmp('system_powerdown');
    }
    /** QEMU's view of the machine (query-status), for recovery and inspection. */
    queryStatus(timeoutMs = QMP_CONNECT_MS) {
        return this.qmp('query-status', timeoutMs);
    }
    /** The QEMU process's CPU and memory as the host sees them. */
    sample() {
        return this.stats.sample();
    }
    async qmp(command, timeoutMs = QMP_CONNECT_MS) {
        const c = await QmpClient.connect(this.qmpPath, { timeoutMs });
        try {
            return await c.execute(command);
        }
        finally {
            c.close();
        }
    }
}
//# sourceMappingURL=vm-task.js.map