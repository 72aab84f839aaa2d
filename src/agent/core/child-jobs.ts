/**
 * Children of periodic and parameterized jobs (Nomad's periodic.go deriveJob
 * and job_endpoint.go Dispatch): a child is a copy of its parent with its own
 * ID, registered through the agent's normal path; the parent itself is never
 * placed. Periodic launch instants are persisted here (periodic_launch).
 */
import type { EvalTrigger } from '../../model/evaluation.js';
import { randomUUID } from 'node:crypto';
import {
  dispatchedChildId,
  dispatchRequestProblem,
  DroverError,
  idPrefixTemplateProblem,
  isParentJob,
  periodicChildId,
  type Job,
} from '../../model/index.js';
import type { JobRecord, StateDB } from '../state/state-db.js';
import type { PeriodicLaunchStore } from '../state/periodic-store.js';
import { NotFoundError } from './errors.js';
import type { WriteResult } from './agent.js';

/** What the child-job core needs of the agent. */
export interface ChildJobHost {
  readonly db: StateDB;
  readonly launches: PeriodicLaunchStore;
  readonly now: () => number;
  job(id: string): JobRecord | undefined;
  jobs(): JobRecord[];
  register(job: Job, trigger?: EvalTrigger): Promise<WriteResult>;
}

export interface DispatchRequest {
  readonly payload: Uint8Array;
  readonly meta: Readonly<Record<string, string>>;
  /** "" for none. */
  readonly idempotencyToken: string;
  /** Nomad's IdPrefixTemplate: put after "dispatch-" in the child's ID ("" or absent for none). */
  readonly idPrefixTemplate?: string;
}

/** Nomad's JobDispatchResponse fields. */
export interface DispatchResult {
  readonly dispatchedJobId: string;
  /** "" when an existing child was returned for the idempotency token. */
  readonly evalId: string;
  readonly evalCreateIndex: number;
  readonly jobCreateIndex: number;
  readonly index: number;
}

/** The children of a job, oldest first (purging ones are gone for readers). */
export function childrenOf(jobs: readonly JobRecord[], parentId: string): JobRecord[] {
  return jobs.filter((j) => j.job.parentId === parentId).sort((a, b) => a.createIndex - b.createIndex);
}

/** Nomad's derived job: the parent's copy under a new ID and name, pointing back at it. */
export function deriveChild(parent: Job, id: string, extra: Partial<Job> = {}): Job {
  const { periodic: _periodic, ...rest } = parent;
  // A periodic child is a plain job (Periodic = nil); a dispatched one keeps ParameterizedJob with Dispatched set.
  return { ...rest, ...extra, id, name: id, parentId: parent.id };
}

export class ChildJobs {
  constructor(
    private readonly host: ChildJobHost,
    private readonly uuid: () => string = randomUUID,
  ) {}

  /** Nomad's Job.Dispatch: checks the request against the parent's parameterized { } and registers the child. */
  async dispatch(parentId: string, req: DispatchRequest): Promise<DispatchResult> {
    const parent = this.host.job(parentId);
    if (!parent) throw new NotFoundError('parameterized job not found');
    const cfg = parent.job.parameterized;
    if (!cfg || parent.job.dispatched) throw new DroverError('validation', `Specified job "${parentId}" is not a parameterized job`);
    if (parent.stop) throw new DroverError('validation', `Specified job "${parentId}" is stopped`);
    const problem = dispatchRequestProblem(cfg, req.payload, req.meta) ?? idPrefixTemplateProblem(req.idPrefixTemplate ?? '');
    if (problem) throw new DroverError('validation', problem);
    if (req.idempotencyToken !== '') {
      // The same token returns the existing child for as long as it is in state (Nomad: until garbage collected).
      const found = childrenOf(this.host.jobs(), parentId).find((c) => c.job.dispatchIdempotencyToken === req.idempotencyToken);
      if (found) return { dispatchedJobId: found.id, evalId: '', evalCreateIndex: 0, jobCreateIndex: found.createIndex, index: found.modifyIndex };
    }
    const id = dispatchedChildId(parentId, this.host.now(), this.uuid(), req.idPrefixTemplate);
    const child = deriveChild(parent.job, id, {
      dispatched: true,
      meta: { ...parent.job.meta, ...req.meta },
      ...(req.payload.length > 0 ? { payload: Buffer.from(req.payload).toString('base64') } : {}),
      ...(req.idempotencyToken !== '' ? { dispatchIdempotencyToken: req.idempotencyToken } : {}),
    });
    const r = await this.host.register(child);
    return { dispatchedJobId: id, evalId: r.evalId, evalCreateIndex: r.index, jobCreateIndex: r.index, index: r.index };
  }

  /**
   * Launches the periodic child for `launchMs` and records the launch; an
   * instant already launched (same child ID) is not launched again.
   */
  async launchPeriodic(parent: Job, launchMs: number): Promise<{ childId: string; launched: boolean }> {
    const childId = periodicChildId(parent.id, launchMs);
    if (this.host.db.job(childId)) return { childId, launched: false };
    // Nomad's periodic dispatcher evaluates a launch with the periodic-job trigger.
    await this.host.register(deriveChild(parent, childId), 'periodic-job');
    // The last launch only moves on: a forced launch after a clock step back must not let scheduled instants run twice.
    this.host.db.durable(() => this.host.launches.put(parent.namespace, parent.id, Math.max(launchMs, this.host.launches.get(parent.namespace, parent.id) ?? launchMs)));
    return { childId, launched: true };
  }

  /** Whether any child of the job still runs (Nomad's RunningChildren, for prohibit_overlap). */
  runningChildren(parentId: string): boolean {
    return childrenOf(this.host.jobs(), parentId).some((c) => !c.stop && this.host.db.allocsByJob(c.id).some((a) => !a.terminal));
  }

  /** Is this registration one that must never be placed itself? */
  static isTemplate(job: Job): boolean {
    return isParentJob(job);
  }
}
