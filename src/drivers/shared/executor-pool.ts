/**
 * Executor daemon clients by data dir, shared by a driver's tasks. A task
 * recovered from an older handle may name another data dir than the one
 * configured now, so clients are kept per dir.
 */
import { ExecutorClient } from '../../executor/client.js';
import type { Executor } from '../../executor/types.js';
import { errorMessage } from '../../model/errors.js';
import type { Logger } from '../types.js';

/** An executor and the data dir whose daemon it talks to. */
export interface PooledExecutor {
  readonly executor: Executor;
  readonly dataDir: string;
}

/** One client per executor data dir; `injected` replaces every daemon (tests that must not reach one). */
export class ExecutorPool {
  private readonly clients = new Map<string, ExecutorClient>();

  constructor(
    private readonly dataDir: string,
    private readonly injected?: Executor,
  ) {}

  /** The executor for `dataDir` (the configured one by default). */
  get(dataDir: string = this.dataDir): PooledExecutor {
    if (this.injected) return { executor: this.injected, dataDir };
    let c = this.clients.get(dataDir);
    if (!c) this.clients.set(dataDir, (c = new ExecutorClient({ dataDir })));
    return { executor: c, dataDir };
  }

  /** Stops daemons left with nothing to supervise and closes every connection; running tasks keep running. */
  async close(logger: Logger): Promise<void> {
    for (const c of this.clients.values()) {
      try {
        await c.stopDaemonIfIdle();
      } catch (err) {
        logger.warn('stopping idle executor failed', { error: errorMessage(err) });
      }
      c.close();
    }
    this.clients.clear();
  }
}
