/**
 * max_run_duration (Nomad's max_run_duration alloc hook): a batch or sysbatch
 * allocation still running that long after it was created is stopped. The
 * deadline is the alloc's create time plus the duration, so an agent restart,
 * task restarts or a late prerun never move it; a deadline already past when
 * the hook arms (the agent was down) fires at once.
 */
import type { JobType } from '../../model/job.js';
import type { Logger } from '../../model/logger.js';
import type { CheckClock } from '../checks/types.js';
import type { AllocPostrunHook, AllocPrerunHook, AllocUpdateHook } from './types.js';

/** setTimeout fires at once beyond this (2^31-1 ms, ~24.8 days), so longer waits are slept in pieces. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface MaxRunDurationHookConfig {
  readonly jobType: JobType;
  /** The group's max_run_duration; undefined when unset. */
  readonly maxRunDurationMs: number | undefined;
  /** The alloc's create time (unix ms); without it there is no deadline, as in Nomad. */
  readonly createTime: number | undefined;
  readonly clock: CheckClock;
  /** Aborts on agent shutdown: the timer stops, tasks keep running (the next agent re-arms it). */
  readonly signal: AbortSignal;
  /** Stops the allocation; told the deadline it passed. */
  readonly onTimeout: (deadlineMs: number) => void;
  readonly logger: Logger;
}

export class MaxRunDurationHook implements AllocPrerunHook, AllocUpdateHook, AllocPostrunHook {
  readonly name = 'max_run_duration';
  private readonly done = new AbortController();
  /** The duration in force: an in-place job update may change it. */
  private maxRunDurationMs: number | undefined;
  /** Aborts the armed timer (re-armed on update). */
  private timer: AbortController | undefined;

  constructor(private readonly cfg: MaxRunDurationHookConfig) {
    this.maxRunDurationMs = cfg.maxRunDurationMs;
  }

  /** The deadline (unix ms), or undefined when this alloc has none (Nomad's Allocation.MaxRunDurationDeadline). */
  deadline(): number | undefined {
    const { createTime, jobType } = this.cfg;
    const ms = this.maxRunDurationMs;
    if (ms === undefined || ms <= 0 || !createTime) return undefined;
    if (jobType !== 'batch' && jobType !== 'sysbatch') return undefined;
    return createTime + ms;
  }

  /** Arms the timer and returns at once: tasks start meanwhile. */
  prerun(): Promise<void> {
    this.arm();
    return Promise.resolve();
  }

  /** A job version updated in place: a changed duration moves the deadline (still from the create time); none disarms it. */
  update(group: { readonly maxRunDurationMs?: number }): Promise<void> {
    if (group.maxRunDurationMs === this.maxRunDurationMs || this.done.signal.aborted) return Promise.resolve();
    this.cfg.logger.debug('updated max_run_duration', { old_ms: this.maxRunDurationMs, new_ms: group.maxRunDurationMs });
    this.maxRunDurationMs = group.maxRunDurationMs;
    // Before prerun armed anything, prerun arms with the new value.
    if (this.timer) this.arm();
    return Promise.resolve();
  }

  /** Every task is done: the deadline no longer matters. */
  postrun(): Promise<void> {
    this.done.abort();
    return Promise.resolve();
  }

  private arm(): void {
    this.timer?.abort();
    this.timer = new AbortController();
    const deadline = this.deadline();
    if (deadline !== undefined) void this.waitFor(deadline, this.timer.signal);
  }

  private async waitFor(deadline: number, timer: AbortSignal): Promise<void> {
    const { clock, logger } = this.cfg;
    const signal = AbortSignal.any([this.cfg.signal, this.done.signal, timer]);
    logger.debug('armed max_run_duration timer', { deadline: new Date(deadline).toISOString(), remaining_ms: deadline - clock.now() });
    for (;;) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      if (!(await clock.sleep(Math.min(remaining, MAX_TIMER_MS), signal))) return;
    }
    if (signal.aborted) return;
    logger.debug('allocation exceeded max_run_duration, killing tasks', { deadline: new Date(deadline).toISOString() });
    this.cfg.onTimeout(deadline);
  }
}
