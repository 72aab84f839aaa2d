/**
 * Executor clients by data dir, shared by a driver's tasks.
 *
 * Why QEMU runs under the executor daemon instead of `-daemonize`: the
 * daemon is QEMU's parent, so the driver gets QEMU's real exit status; it
 * writes the serial console (QEMU's stdout with -nographic) to the task's
 * rotated log files even while the agent is down; it puts QEMU in a cgroup;
 * and it outlives agent and driver restarts, which is what lets a VM keep
 * running and be reattached. A self-daemonized QEMU would need a file
 * chardev (no rotation), and its exit code would be lost to init.
 */
import { ExecutorClient } from '../../executor/client.js';
import { errorMessage } from '../../model/errors.js';
import type { Logger } from '../types.js';

/** Where the executor daemon lives (a function when known only later, as in `drover run`). */
export type ExecutorDataDir = string | (() => string);

/** One client per executor data dir. */
export class ExecutorPool {
  private readonly clients = new Map<string, ExecutorClient>();

  constructor(private readonly dataDir: ExecutorDataDir) {}

  /** The client for `dataDir` (the configured one by default). */
  get(dataDir?: string): ExecutorClient {
    const dir = dataDir ?? (typeof this.dataDir === 'function' ? this.dataDir() : this.dataDir);
    let c = this.clients.get(dir);
    if (!c) this.clients.set(dir, (c = new ExecutorClient({ dataDir: dir })));
    return c;
  }

  /** Stops idle daemons and closes every connection (VMs keep running). */
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
