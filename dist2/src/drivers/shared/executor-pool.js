/**
 * Executor daemon clients by data dir, shared by a driver's tasks. A task
 * recovered from an older handle may name another data dir than the one
 * configured now, so clients are kept per dir.
 */
import { ExecutorClient } from '../../executor/client.js';
import { errorMessage } from '../../model/errors.js';
/** One client per executor data dir; `injected` replaces every daemon (tests that must not reach one). */
export class ExecutorPool {
    dataDir;
    injected;
    clients = new Map();
    constructor(dataDir, injected) {
        this.dataDir = dataDir;
        this.injected = injected;
    }
    /** The executor for `dataDir` (the configured one by default). */
    get(dataDir = this.dataDir) {
        if (this.injected)
            return { executor: this.injected, dataDir };
        let c = this.clients.get(dataDir);
        if (!c)
            this.clients.set(dataDir, (c = new ExecutorClient({ dataDir })));
        return { executor: c, dataDir };
    }
    /** Stops daemons left with nothing to supervise and closes every connection; running tasks keep running. */
    async close(logger) {
        for (const c of this.clients.values()) {
            try {
                await c.stopDaemonIfIdle();
            }
            catch (err) {
                logger.warn('stopping idle executor failed', { error: errorMessage(err) });
            }
            c.close();
        }
        this.clients.clear();
    }
}
//# sourceMappingURL=executor-pool.js.map