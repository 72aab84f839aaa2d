/**
 * Allocation-level hooks (Nomad's allocrunner RunnerHook phases, the ones
 * drover needs): Prerun before any task starts, Update when the alloc moves to
 * a new job version in place, PreKill before the tasks are killed, Postrun
 * once every task is done. As with task hooks, each phase is
 * a one-method interface a hook opts into.
 */
import type { TaskGroup } from '../../model/job.js';

export interface AllocHook {
  readonly name: string;
}

export interface AllocPrerunHook extends AllocHook {
  /** A failure fails the allocation: its tasks never start (Nomad's "failed to setup alloc"). */
  prerun(): Promise<void>;
}

export interface AllocPreKillHook extends AllocHook {
  /** Before the tasks are killed; `signal` aborts when the agent shuts down (waits must end then). May come more than once. */
  preKill(req: { readonly signal: AbortSignal }): Promise<void>;
}

export interface AllocUpdateHook extends AllocHook {
  /** The alloc moved to a new job version in place (Nomad's RunnerUpdateHook); `group` is the new version's. */
  update(group: TaskGroup): Promise<void>;
}

export interface AllocPostrunHook extends AllocHook {
  /** Every task is done for good (not run when the agent merely shuts down). */
  postrun(): Promise<void>;
}

type AnyAllocHook = AllocHook & Partial<AllocPrerunHook & AllocPreKillHook & AllocUpdateHook & AllocPostrunHook>;

export const isAllocPrerunHook = (h: AllocHook): h is AllocPrerunHook => typeof (h as AnyAllocHook).prerun === 'function';
export const isAllocPreKillHook = (h: AllocHook): h is AllocPreKillHook => typeof (h as AnyAllocHook).preKill === 'function';
export const isAllocUpdateHook = (h: AllocHook): h is AllocUpdateHook => typeof (h as AnyAllocHook).update === 'function';
export const isAllocPostrunHook = (h: AllocHook): h is AllocPostrunHook => typeof (h as AnyAllocHook).postrun === 'function';
