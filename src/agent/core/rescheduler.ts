/**
 * Rescheduling on this node (Nomad's reconciler for failed allocations, one
 * node): an allocation that ends failed while the job still wants it is,
 * when its group's reschedule policy allows, replaced after the policy's
 * delay by a new allocation of the same name (new id, PreviousAllocation /
 * NextAllocation links, the RescheduleTracker carried over), and the failed
 * one is marked stopped with Nomad's "alloc was rescheduled because it failed".
 *
 * The planned moment (Nomad's follow-up evaluation and its WaitUntil) is
 * written durably before waiting, so an agent restart replaces the alloc at
 * the same moment; every condition is checked again when the time comes (the
 * job may have been stopped or updated, the alloc stopped or collected).
 */
import { randomUUID } from 'node:crypto';
import type { Job } from '../../model/job.js';
import type { Logger } from '../../model/logger.js';
import { errorMessage } from '../../model/errors.js';
import { groupReschedule, type ReschedulePolicy } from '../../model/reschedule.js';
import { nextReschedule, replacementEvents, type NextReschedule } from '../../model/reschedule-tracker.js';
import type { TaskState } from '../../model/task-state.js';
import type { AllocatedNetwork } from '../../model/network.js';
import type { Evaluation } from '../../model/evaluation.js';
import type { AllocRecord, JobRecord, StateDB } from '../state/state-db.js';
import type { RescheduleStore } from '../state/reschedule-store.js';
import { newAllocRecord } from './alloc-records.js';
import { newEvaluation } from './evaluations.js';

/** Nomad's DesiredDescription of a failed allocation once replaced (scheduler/structs StatusAllocRescheduled). */
export const RESCHEDULED_DESCRIPTION = 'alloc was rescheduled because it failed';

/** Nomad's StatusDescription of the follow-up evaluation (scheduler/structs DescReschedulingFollowupEval). */
export const FOLLOWUP_EVAL_DESCRIPTION = 'created for delayed rescheduling';

/** What the rescheduler needs of the agent. */
export interface ReschedulerDeps {
  readonly db: StateDB;
  readonly store: RescheduleStore;
  /** The agent's evaluations (written in the rescheduler's transactions). */
  readonly evals: { get(id: string): Evaluation | undefined; put(e: Evaluation): void };
  readonly nodeId: string;
  /** The latest state of an alloc's task (for its finish time). */
  readonly taskState: (allocId: string, task: string) => Readonly<TaskState> | undefined;
  /** A new alloc id and its ports, as for an alloc stop's replacement; undefined when the ports cannot be had. */
  readonly placement: (failed: AllocRecord, job: Job) => { id: string; network: AllocatedNetwork | undefined } | undefined;
  /** Writes `rec` as the replacement of `previous` in the caller's transaction (links both ways; swaps `previous` in `changed`). */
  readonly link: (rec: AllocRecord, previous: AllocRecord, changed: AllocRecord[]) => AllocRecord;
  /** Tells readers the failed alloc is now desired stop. */
  readonly stopped: (rec: AllocRecord) => void;
  /** Starts the replacement's runner. */
  readonly start: (rec: AllocRecord, job: Job) => void;
  /** Tells readers an alloc record changed (its follow-up planned). */
  readonly updated: (rec: AllocRecord) => void;
  readonly now: () => number;
  readonly logger: Logger;
}

export class Rescheduler {
  private readonly d: ReschedulerDeps;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(deps: ReschedulerDeps) {
    this.d = deps;
  }

  /**
   * An alloc's runner ended: when it failed and the job still wants it, plan its
   * replacement (once; a plan already stored is resumed at its moment).
   */
  allocEnded(allocId: string): void {
    if (this.stopped || this.timers.has(allocId)) return;
    const a = this.candidate(allocId);
    if (!a) return;
    const planned = this.d.store.get(a.id);
    if (planned?.pending) {
      this.wait(a.id, planned.rescheduleAt);
      return;
    }
    const next = this.next(a);
    const job = this.liveJob(a) as JobRecord;
    const now = this.d.now();
    const written = this.d.db.durable(() => {
      const index = this.d.db.nextIndex();
      // The evaluation the client's failed-alloc update triggers (Nomad's "alloc-failure"), and, when the
      // policy allows a replacement, the pending follow-up that places it at WaitUntil.
      const base = { job: job.job, jobModifyIndex: job.jobModifyIndex, index, now, nodeId: this.d.nodeId };
      const failure = newEvaluation({ ...base, trigger: 'alloc-failure' });
      this.d.evals.put(failure);
      if (!next?.eligible) return undefined;
      const followup: Evaluation = {
        ...newEvaluation({ ...base, id: randomUUID(), trigger: 'alloc-reschedule', status: 'pending', statusDescription: FOLLOWUP_EVAL_DESCRIPTION, previousEval: failure.id }),
        waitUntil: next.at,
      };
      this.d.evals.put(followup);
      this.d.store.put({ allocId: a.id, events: planned?.events ?? [], followupEvalId: followup.id, rescheduleAt: next.at, pending: true });
      const rec = { ...a, modifyTime: now, modifyIndex: index };
      this.d.db.putAlloc(rec);
      return rec;
    });
    if (!written || !next) return;
    this.d.updated(written);
    this.d.logger.info('allocation failed; rescheduling planned', { alloc_id: a.id, delay_ms: next.delayMs, at: new Date(next.at).toISOString() });
    this.wait(a.id, next.at);
  }

  /**
   * After a start: resume every stored plan at its moment. (An alloc's end and its plan are
   * written in the same tick: an alloc whose end was lost in a crash is recovered and ends again.)
   */
  recover(): void {
    for (const a of this.d.db.allocs()) {
      if (a.terminal && a.clientStatus === 'failed' && this.d.store.get(a.id)?.pending) this.allocEnded(a.id);
    }
  }

  /** Agent shutdown: no more placements (stored plans resume on the next start). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /**
   * Places the replacement of failed alloc `allocId` now, if it still needs one: the failed
   * alloc becomes desired stop ("alloc was rescheduled because it failed") and names its
   * replacement, which carries the tracker. Returns the replacement, or undefined.
   */
  rescheduleNow(allocId: string): AllocRecord | undefined {
    this.timers.delete(allocId);
    if (this.stopped) return undefined;
    const a = this.candidate(allocId);
    const job = a && this.liveJob(a);
    const prior = this.d.store.get(allocId);
    // The follow-up evaluation has run, whatever it found to do.
    const done = (index: number, now: number): void => {
      const ev = prior?.followupEvalId ? this.d.evals.get(prior.followupEvalId) : undefined;
      if (ev?.status === 'pending') this.d.evals.put({ ...ev, status: 'complete', modifyIndex: index, modifyTime: now });
    };
    const clear = (): void => {
      if (prior?.pending) {
        this.d.db.durable(() => {
          this.d.store.put({ ...prior, pending: false });
          done(this.d.db.nextIndex(), this.d.now());
        });
      }
    };
    const policy = a && this.policy(a);
    if (!a || !job || !policy || !job.job.groups.some((g) => g.name === a.group)) {
      clear();
      return undefined;
    }
    const place = this.d.placement(a, job.job);
    if (!place) {
      // Nomad's "no placement": the failed alloc stays as it is.
      clear();
      return undefined;
    }
    const now = this.d.now();
    const events = prior?.events ?? [];
    const delayMs = nextReschedule(policy, events, this.failTime(a))?.delayMs ?? policy.delayMs;
    const changed: AllocRecord[] = [];
    const replacement = this.d.db.durable(() => {
      const index = this.d.db.nextIndex();
      const stopped: AllocRecord = { ...a, desiredStatus: 'stop', desiredDescription: RESCHEDULED_DESCRIPTION, modifyTime: now, modifyIndex: index };
      this.d.db.putAlloc(stopped);
      changed.push(stopped);
      const placedBy = prior?.followupEvalId ?? '';
      const rec = { ...newAllocRecord(place.id, job.job, a.group, a.index, job.version, now, index, place.network), ...(placedBy ? { evalId: placedBy } : {}) };
      const linked = this.d.link(rec, stopped, changed);
      const event = { rescheduleTime: now, prevAllocId: a.id, prevNodeId: this.d.nodeId, delayMs };
      this.d.store.put({ allocId: linked.id, events: replacementEvents(policy, events, event), followupEvalId: '', rescheduleAt: 0, pending: false });
      if (prior) this.d.store.put({ ...prior, pending: false });
      done(index, now);
      return linked;
    });
    for (const c of changed) this.d.stopped(c);
    this.d.logger.info('allocation rescheduled', { alloc_id: a.id, replacement: replacement.id });
    this.d.start(replacement, job.job);
    return replacement;
  }

  /** When the failed alloc would be replaced, and whether its policy allows it (for readers). */
  next(a: AllocRecord): NextReschedule | undefined {
    return nextReschedule(this.policy(a), this.d.store.events(a.id), this.failTime(a));
  }

  private wait(allocId: string, at: number): void {
    const t = setTimeout(() => {
      // Timers run on a monotonic clock and may fire a little before the wall-clock moment: never place early.
      if (this.d.now() < at) {
        this.wait(allocId, at);
        return;
      }
      try {
        this.rescheduleNow(allocId);
      } catch (err) {
        this.d.logger.error('rescheduling failed', { alloc_id: allocId, error: errorMessage(err) });
      }
    }, Math.max(0, at - this.d.now()));
    this.timers.set(allocId, t);
  }

  /** The alloc when it is one Nomad would reschedule: failed, desired run, not yet replaced, its job live. */
  private candidate(allocId: string): AllocRecord | undefined {
    const a = this.d.db.alloc(allocId);
    if (!a || !a.terminal || a.clientStatus !== 'failed' || a.desiredStatus !== 'run' || (a.nextAllocation ?? '') !== '') return undefined;
    return this.liveJob(a) ? a : undefined;
  }

  private liveJob(a: AllocRecord): JobRecord | undefined {
    const j = this.d.db.job(a.jobId);
    return j && !j.stop && !j.purging ? j : undefined;
  }

  /** The policy of the job version the alloc runs (Nomad's Allocation.ReschedulePolicy reads alloc.Job). */
  private policy(a: AllocRecord): ReschedulePolicy | undefined {
    const job = this.d.db.jobVersion(a.jobId, a.jobVersion)?.job;
    const group = job?.groups.find((g) => g.name === a.group);
    return job && group ? groupReschedule(group, job.type) : undefined;
  }

  /** Allocation.LastEventTime: the latest task finish, else the alloc's modify time. */
  private failTime(a: AllocRecord): number {
    const job = this.d.db.jobVersion(a.jobId, a.jobVersion)?.job;
    const tasks = job?.groups.find((g) => g.name === a.group)?.tasks ?? [];
    let last = 0;
    for (const t of tasks) last = Math.max(last, this.d.taskState(a.id, t.name)?.finishedAt ?? 0);
    return last > 0 ? last : a.modifyTime;
  }
}
