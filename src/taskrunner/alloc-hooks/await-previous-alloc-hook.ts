/**
 * Nomad's await_previous_allocations hook (allocwatcher's localPrevAlloc):
 * an allocation that replaces another on this node starts none of its tasks
 * until the one it replaces has ended, sticky disk or not, so the two never
 * run side by side (ports, host volumes, a singleton's data).
 */
import type { Logger } from '../../model/logger.js';
import { endedOrAborted, type PreviousAlloc } from './sticky-disk-hook.js';
import type { AllocPrerunHook } from './types.js';

export interface AwaitPreviousAllocHookConfig {
  readonly previous: PreviousAlloc;
  /** Aborts on agent shutdown: stop waiting (the next start waits again). */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

export class AwaitPreviousAllocHook implements AllocPrerunHook {
  readonly name = 'await_previous_allocations';

  constructor(private readonly cfg: AwaitPreviousAllocHookConfig) {}

  async prerun(): Promise<void> {
    this.cfg.logger.debug('waiting for previous alloc to terminate', { previous_alloc: this.cfg.previous.id });
    await endedOrAborted(this.cfg.previous.ended, this.cfg.signal);
  }
}
