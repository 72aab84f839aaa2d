/**
 * Launches periodic jobs' children on schedule (Nomad's nomad/periodic.go
 * PeriodicDispatch and leader.go restorePeriodicDispatcher): one timer for the
 * earliest next launch across jobs; prohibit_overlap skips a launch while a
 * child runs; on start, a job whose next launch after its recorded last one
 * has passed is launched once, now, and not once per missed instant.
 *
 * Schedules are wall-clock times, so a clock step moves them: after a step
 * forward over several instants the job is launched once, now, as on a
 * restart, not once per instant skipped (timers run on the monotonic clock and
 * only find out when they fire); after a step back an instant already launched
 * comes round again on the wall clock, and is not launched twice: a job's next
 * launch is never at or before its recorded last one (Nomad's periodic_launch
 * table).
 */
import type { Job } from '../../model/job.js';
import { PERIODIC_LAUNCH_SUFFIX } from '../../model/child-job.js';
import type { Logger } from '../../model/logger.js';
import { errorMessage } from '../../model/errors.js';
import { nextCronTime } from '../../jobspec/cron.js';
import type { JobRecord } from '../state/state-db.js';
import type { PeriodicLaunchStore } from '../state/periodic-store.js';
import type { ChildJobs } from './child-jobs.js';

/** The clock and one-shot timer the dispatcher runs on (injected: tests drive time by hand). */
export interface PeriodicTimers {
  now(): number;
  /** Calls fn after ms; returns a cancel function. */
  set(fn: () => void, ms: number): () => void;
}

/** Node's timers, unref'd: a pending launch must not keep a process alive by itself. */
export const realTimers: PeriodicTimers = {
  now: () => Date.now(),
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface PeriodicDispatcherDeps {
  readonly job: (id: string) => JobRecord | undefined;
  readonly jobs: () => JobRecord[];
  readonly launches: PeriodicLaunchStore;
  readonly durable: (fn: () => void) => void;
  readonly children: Pick<ChildJobs, 'launchPeriodic' | 'runningChildren'>;
  readonly timers: PeriodicTimers;
  readonly logger: Logger;
}

/** setTimeout's longest delay; a later launch re-arms on waking. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Nomad's IsPeriodicActive: a parameterized template is not (its dispatched children, periodic themselves, are). */
export function isPeriodicActive(r: JobRecord): boolean {
  const template = r.job.parameterized !== undefined && !r.job.dispatched;
  return r.job.periodic !== undefined && r.job.periodic.enabled && !r.stop && !template;
}

function specsOf(job: Job): readonly string[] {
  const p = job.periodic;
  if (!p) return [];
  return p.spec !== '' ? [p.spec] : p.specs;
}

/** The job's next launch strictly after `afterMs`, in its time zone; undefined when the schedule never fires again. */
export function nextLaunch(job: Job, afterMs: number): number | undefined {
  return nextCronTime(specsOf(job), job.periodic?.timeZone ?? 'UTC', afterMs);
}

export class PeriodicDispatcher {
  /** Tracked jobs and their next launch (Unix ms). */
  private readonly next = new Map<string, number>();
  private cancel: (() => void) | undefined;
  /** Launches run one after another, in order. */
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly d: PeriodicDispatcherDeps) {}

  /** Tracks every active periodic job; launches once, now, each one whose next launch passed while the agent was down. */
  start(): void {
    const now = this.d.timers.now();
    for (const r of this.d.jobs()) {
      if (!isPeriodicActive(r)) continue;
      const last = this.lastLaunch(r);
      if (last === undefined) {
        this.track(r);
        continue;
      }
      const due = nextLaunch(r.job, last);
      if (due !== undefined && due < now && this.overlapAllowed(r.job)) this.enqueue(r.job, now, 'restore');
      const upcoming = nextLaunch(r.job, Math.max(now, last));
      if (upcoming !== undefined) this.next.set(r.id, upcoming);
    }
    this.arm();
  }

  /** After a registration or deregistration of `jobId`: (re)track it from now, or drop it. */
  update(jobId: string): void {
    const r = this.d.job(jobId);
    if (!r || !isPeriodicActive(r)) this.next.delete(jobId);
    else this.track(r);
    this.arm();
  }

  /** The job's next scheduled launch (Unix ms), if it is tracked. */
  nextLaunchOf(jobId: string): number | undefined {
    return this.next.get(jobId);
  }

  /** Nomad's periodic force: launches a child now (overlap allowed or not); its ID. */
  async force(jobId: string): Promise<string> {
    const r = this.d.job(jobId);
    if (!r || !isPeriodicActive(r)) throw new Error(`can't force run non-tracked job "${jobId}"`);
    const at = this.d.timers.now();
    const result = this.chain.then(() => this.d.children.launchPeriodic(r.job, at));
    this.chain = result.then(() => undefined, () => undefined);
    return (await result).childId;
  }

  /** Resolves when every launch started so far has been registered (tests wait on it). */
  idle(): Promise<void> {
    return this.chain;
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
  }

  private track(r: JobRecord): void {
    const now = this.d.timers.now();
    // Nomad's FSM records the registration time as the launch of a job never launched yet.
    if (this.d.launches.get(r.job.namespace, r.id) === undefined) this.d.durable(() => this.d.launches.put(r.job.namespace, r.id, now));
    // After a clock step back, instants up to the last launch come round again: not launched twice.
    const next = nextLaunch(r.job, Math.max(now, this.lastLaunch(r) ?? now));
    if (next === undefined) this.next.delete(r.id);
    else this.next.set(r.id, next);
  }

  /**
   * The recorded last launch, or a later child's instant: a crash between a child's
   * registration and the launch record must not make the restart launch that instant's successor early.
   */
  private lastLaunch(r: JobRecord): number | undefined {
    let last = this.d.launches.get(r.job.namespace, r.id);
    const prefix = `${r.id}${PERIODIC_LAUNCH_SUFFIX}`;
    for (const c of this.d.jobs()) {
      if (c.job.parentId !== r.id || !c.id.startsWith(prefix)) continue;
      const secs = Number(c.id.slice(prefix.length));
      if (Number.isInteger(secs) && (last === undefined || secs * 1000 > last)) last = secs * 1000;
    }
    return last;
  }

  private overlapAllowed(job: Job): boolean {
    return !job.periodic?.prohibitOverlap || !this.d.children.runningChildren(job.id);
  }

  private arm(): void {
    this.cancel?.();
    this.cancel = undefined;
    if (this.stopped || this.next.size === 0) return;
    const earliest = Math.min(...this.next.values());
    const wait = Math.min(Math.max(0, earliest - this.d.timers.now()), MAX_TIMER_MS);
    this.cancel = this.d.timers.set(() => this.fire(), wait);
  }

  /** Launches every job that is due, each at its scheduled instant, and schedules its following one. */
  private fire(): void {
    this.cancel = undefined;
    const now = this.d.timers.now();
    for (const [id, at] of [...this.next]) {
      if (at > now) continue;
      const r = this.d.job(id);
      if (!r || !isPeriodicActive(r)) {
        this.next.delete(id);
        continue;
      }
      let following = nextLaunch(r.job, at);
      // The clock stepped forward past more than this instant: launch once, now, and go on from there.
      const stepped = following !== undefined && following <= now;
      if (stepped) {
        this.d.logger.warn('periodic launches missed (the clock stepped forward): launching once, now', { job: id, scheduled: new Date(at).toISOString() });
        following = nextLaunch(r.job, now);
      }
      if (following === undefined) this.next.delete(id);
      else this.next.set(id, following);
      if (this.overlapAllowed(r.job)) this.enqueue(r.job, stepped ? now : at, 'schedule');
      else this.d.logger.debug('skipping launch of periodic job because job prohibits overlap', { job: id });
    }
    this.arm();
  }

  private enqueue(job: Job, at: number, why: 'schedule' | 'restore'): void {
    this.chain = this.chain
      .then(() => this.d.children.launchPeriodic(job, at))
      .then(
        (r) => this.d.logger.debug('periodic job launched', { job: job.id, child: r.childId, why, launched: r.launched }),
        (err: unknown) => this.d.logger.error('periodic launch failed', { job: job.id, launch_ms: at, error: errorMessage(err) }),
      );
  }
}
