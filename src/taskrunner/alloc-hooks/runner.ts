/**
 * Runs one allocation-level phase across the alloc's hooks, in order.
 * Prerun stops at the first failure and reports it (the alloc cannot run);
 * PreKill and Postrun run every hook and only log failures, as Nomad does.
 */
import { errorMessage } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { TaskGroup } from '../../model/job.js';
import { isAllocPostrunHook, isAllocPreKillHook, isAllocPrerunHook, isAllocUpdateHook, type AllocHook } from './types.js';

export class AllocHookRunner {
  constructor(
    private readonly hooks: readonly AllocHook[],
    private readonly logger: Logger,
  ) {}

  /** Undefined when every prerun hook succeeded, else `pre-run hook "<name>" failed: <error>`. */
  async prerun(): Promise<string | undefined> {
    for (const h of this.hooks) {
      if (!isAllocPrerunHook(h)) continue;
      try {
        await h.prerun();
      } catch (err) {
        return `pre-run hook ${JSON.stringify(h.name)} failed: ${errorMessage(err)}`;
      }
    }
    return undefined;
  }

  async preKill(signal: AbortSignal): Promise<void> {
    for (const h of this.hooks) {
      if (isAllocPreKillHook(h)) await this.logged('prekill', h.name, () => h.preKill({ signal }));
    }
  }

  async update(group: TaskGroup): Promise<void> {
    for (const h of this.hooks) {
      if (isAllocUpdateHook(h)) await this.logged('update', h.name, () => h.update(group));
    }
  }

  async postrun(): Promise<void> {
    for (const h of this.hooks) {
      if (isAllocPostrunHook(h)) await this.logged('postrun', h.name, () => h.postrun());
    }
  }

  private async logged(phase: string, name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.error('alloc hook failed', { phase, hook: name, error: errorMessage(err) });
    }
  }
}
