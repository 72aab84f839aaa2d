/**
 * `job scale` (Nomad's Job.Scale and Job.ScaleStatus): changes one group's
 * count within its scaling { } bounds by registering the changed job through
 * the agent's normal path (so allocs are placed and stopped exactly as for a
 * re-submitted job with that count), and records a scaling event per group,
 * the newest TRACKED_SCALING_EVENTS kept. A request without a count only
 * records its event (an autoscaler reporting an error, say).
 */
import { DroverError } from '../../model/errors.js';
import { isParentJob, type Job } from '../../model/job.js';
import { TRACKED_SCALING_EVENTS } from '../../model/group-limits.js';
import type { JobRecord, StateDB } from '../state/state-db.js';
import { ScalingEventStore, type ScalingEventRecord } from '../state/scaling-event-store.js';
import { NotFoundError } from './errors.js';
import type { WriteResult } from './agent.js';

/** What a scale needs of the agent. */
export interface ScaleHost {
  readonly db: StateDB;
  readonly now: () => number;
  job(id: string): JobRecord | undefined;
  register(job: Job, trigger: 'job-scaling'): Promise<WriteResult>;
}

/** Nomad's JobScaleRequest, after the HTTP layer checked the target's job and namespace. */
export interface ScaleRequest {
  readonly jobId: string;
  readonly group: string;
  readonly count?: number;
  readonly message: string;
  readonly error: boolean;
  readonly meta: Readonly<Record<string, unknown>> | null;
  /** Scale only if the job's modify index is this one (0: no check). */
  readonly jobModifyIndex: number;
}

/** Nomad's JobRegisterResponse for a scale; evalId is '' when no evaluation was made. */
export interface ScaleResult {
  readonly evalId: string;
  readonly evalCreateIndex: number;
  readonly jobModifyIndex: number;
  /** The scaling event's index. */
  readonly index: number;
}

/** One group's scale status (Nomad's TaskGroupScaleStatus). */
export interface GroupScaleStatus {
  readonly desired: number;
  readonly placed: number;
  readonly running: number;
  readonly healthy: number;
  readonly unhealthy: number;
  readonly events: readonly ScalingEventRecord[];
}

export interface JobScaleStatus {
  readonly job: JobRecord;
  readonly groups: ReadonlyMap<string, GroupScaleStatus>;
}

const badRequest = (message: string): DroverError => new DroverError('validation', message);

export class JobScaler {
  private storeOnce: ScalingEventStore | undefined;

  constructor(private readonly host: ScaleHost) {}

  /** Built on first use: the agent's database is open by then. */
  private get store(): ScalingEventStore {
    this.storeOnce ??= new ScalingEventStore(this.host.db.db);
    return this.storeOnce;
  }

  async scale(req: ScaleRequest): Promise<ScaleResult> {
    validate(req);
    const existing = this.host.job(req.jobId);
    if (!existing) throw new NotFoundError(`job ${JSON.stringify(req.jobId)} not found`);
    const { job } = existing;
    if (job.type === 'system' && (req.count ?? 0) > 1) throw badRequest('jobs of type "system" can only be scaled between 0 and 1');
    const group = job.groups.find((g) => g.name === req.group);
    if (!group) throw badRequest(`task group ${JSON.stringify(req.group)} specified for scaling does not exist in job`);

    const time = this.host.now() * 1e6;
    let result = { evalId: '', evalCreateIndex: 0, jobModifyIndex: existing.modifyIndex };
    if (req.count !== undefined) {
      const count = req.count;
      if (group.scaling && count < group.scaling.min) throw badRequest(`group count was less than scaling policy minimum: ${count} < ${group.scaling.min}`);
      if (group.scaling && group.scaling.max < count) throw badRequest(`group count was greater than scaling policy maximum: ${count} > ${group.scaling.max}`);
      if (req.jobModifyIndex > 0 && req.jobModifyIndex !== existing.jobModifyIndex) {
        throw badRequest(`Enforcing job modify index ${req.jobModifyIndex}: job exists with conflicting job modify index: ${existing.jobModifyIndex}`);
      }
      const scaled: Job = { ...job, groups: job.groups.map((g) => (g.name === req.group ? { ...g, count } : g)) };
      result = existing.stop ? this.storeStopped(existing, scaled) : await this.registered(scaled);
    }
    const current = this.host.job(req.jobId) ?? existing;
    const index = this.host.db.durable(() => {
      const index = this.host.db.nextIndex();
      const event: ScalingEventRecord = {
        time,
        count: req.count ?? null,
        previousCount: group.count,
        message: req.message,
        error: req.error,
        meta: req.meta,
        evalId: result.evalId === '' ? null : result.evalId,
        createIndex: index,
      };
      this.store.add(current, req.group, event, TRACKED_SCALING_EVENTS);
      return index;
    });
    return { ...result, index };
  }

  /** Nomad's ScaleStatus: each group's wanted count, its live allocs, and its events (newest first). */
  status(jobId: string): JobScaleStatus {
    const job = this.host.job(jobId);
    if (!job) throw new NotFoundError('job not found');
    const events = this.store.byJob(job);
    const allocs = this.host.db.allocsByJob(jobId);
    const groups = new Map<string, GroupScaleStatus>();
    for (const g of job.job.groups) {
      // Nomad's TerminalStatus: desired stop, or the client is done with it.
      const live = allocs.filter((a) => a.group === g.name && a.desiredStatus === 'run' && !a.terminal && !['complete', 'failed', 'lost'].includes(a.clientStatus));
      groups.set(g.name, {
        desired: g.count,
        placed: live.length,
        running: live.filter((a) => a.clientStatus === 'running').length,
        healthy: 0,
        unhealthy: 0,
        events: events.get(g.name) ?? [],
      });
    }
    return { job, groups };
  }

  /** A running job: registered again with the new count; a template (periodic, parameterized) gets no evaluation, as in Nomad. */
  private async registered(job: Job): Promise<Omit<ScaleResult, 'index'>> {
    const r = await this.host.register(job, 'job-scaling');
    return isParentJob(job) ? { evalId: '', evalCreateIndex: 0, jobModifyIndex: r.jobModifyIndex } : { evalId: r.evalId, evalCreateIndex: r.index, jobModifyIndex: r.jobModifyIndex };
  }

  /**
   * A stopped job stays stopped (Nomad registers the copy with Stop set): a new version, nothing placed.
   * No evaluation is stored for it (Nomad's would place nothing either), so none is named.
   */
  private storeStopped(existing: JobRecord, job: Job): Omit<ScaleResult, 'index'> {
    const db = this.host.db;
    const now = this.host.now();
    const index = db.durable(() => {
      const index = db.nextIndex();
      const version = existing.version + 1;
      db.putJobVersion({ id: job.id, version, job, submitTime: now });
      db.putJob({ ...existing, version, job, submitTime: now, modifyIndex: index, jobModifyIndex: index });
      return index;
    });
    return { evalId: '', evalCreateIndex: 0, jobModifyIndex: index };
  }
}

/** JobScaleRequest.Validate (the target's namespace and job are checked by the HTTP layer). */
function validate(req: ScaleRequest): void {
  if (req.group === '') throw badRequest('missing task group name for scaling action');
  if (req.count === undefined) return;
  if (req.count < 0) throw badRequest("scaling action count can't be negative");
  if (req.error) throw badRequest('scaling action should not contain count if error is true');
  if (!Number.isSafeInteger(req.count) || req.count > 2 ** 31 - 1) throw badRequest(`new scaling count is too large for TaskGroup.Count (int): ${req.count}`);
}
