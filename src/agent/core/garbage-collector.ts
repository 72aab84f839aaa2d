/**
 * What leaves the state, and when (Nomad's core scheduler GC and the client's
 * alloc GC, on one node):
 * - purge: a job stopped with -purge is deleted once none of its allocs runs;
 * - job GC (server { job_gc_interval job_gc_threshold }): a dead job, stopped
 *   or a finished batch job, submitted and last changed longer ago than the
 *   threshold, is deleted with its allocs; so are finished periodic and
 *   dispatched children, which is what keeps a node that runs cron work small;
 * - alloc GC (Nomad's eval GC, eval_gc_threshold / batch_eval_gc_threshold):
 *   old terminal allocs of jobs that live on (replaced by updates, stopped),
 *   and their old finished evaluations that no remaining alloc names;
 * - deployment GC (deployment_gc_threshold): a job's finished deployments,
 *   last changed before the threshold, once none of their allocs still runs;
 * - client GC (client { gc_interval gc_max_allocs gc_disk_usage_threshold
 *   gc_inode_usage_threshold }): the alloc dirs of terminal allocs, oldest
 *   first, while the node keeps more than gc_max_allocs or its data dir's
 *   disk is fuller than the thresholds; the records stay, as on Nomad's server.
 * Deleting rows, task states, service registrations and dirs is one routine,
 * so a purge, a GC and a crash halfway through either end the same way.
 */
import { existsSync, statfsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { errorMessage } from '../../model/errors.js';
import { isParentJob } from '../../model/job.js';
import { groupReschedule } from '../../model/reschedule.js';
import { failedAllocCollectable, type RescheduleEvent } from '../../model/reschedule-tracker.js';
import type { Logger } from '../../model/logger.js';
import type { AllocRecord, JobRecord, StateDB } from '../state/state-db.js';
import type { SqliteTaskStateStore } from '../state/task-store.js';
import type { PeriodicLaunchStore } from '../state/periodic-store.js';
import type { EvalStore } from '../state/eval-store.js';
import { isActive, type DeploymentStore } from '../state/deployment-store.js';
import { jobStatus } from '../wire/job-status.js';
import type { GcConfig } from '../config/gc-config.js';

export interface GarbageCollectorDeps {
  readonly db: StateDB;
  readonly store: SqliteTaskStateStore;
  readonly launches: PeriodicLaunchStore;
  readonly evals: EvalStore;
  /** Deployments (none collected without it). */
  readonly deployments?: Pick<DeploymentStore, 'all' | 'allocs' | 'delete'>;
  readonly config: GcConfig;
  readonly dataDir: string;
  readonly allocDir: (allocId: string) => string;
  /** Resolves when the alloc's runner has ended; undefined when it has none. */
  readonly liveRunner: (allocId: string) => Promise<unknown> | undefined;
  /** Drops an alloc's service registrations and check results. */
  readonly forgetServices: (allocId: string) => void;
  /** Told just before GC deletes a job (the event stream's JobBatchDeregistered; a purge was announced at its stop). */
  readonly onJobCollected: (jobId: string) => void;
  readonly isClosed: () => boolean;
  /** An alloc's reschedule tracker events (none when it was not a reschedule). */
  readonly rescheduleEvents?: (allocId: string) => readonly RescheduleEvent[];
  readonly now: () => number;
  readonly logger: Logger;
}

/** What one collection removed. */
export interface GcResult {
  readonly jobs: readonly string[];
  readonly allocs: readonly string[];
  /** Allocs whose dirs the client GC removed (their records stay). */
  readonly allocDirs: readonly string[];
  /** Finished evaluations of jobs that live on. */
  readonly evals?: readonly string[];
  /** Finished deployments of jobs that live on. */
  readonly deployments?: readonly string[];
}

/** Alloc dirs removed at once (Nomad's gc_parallel_destroys is 2; removal here is only rm, so a few more). */
const PARALLEL_DESTROYS = 4;

function groupByJob(allocs: readonly AllocRecord[]): Map<string, AllocRecord[]> {
  const out = new Map<string, AllocRecord[]>();
  for (const a of allocs) {
    const list = out.get(a.jobId);
    if (list) list.push(a);
    else out.set(a.jobId, [a]);
  }
  return out;
}

export class GarbageCollector {
  private readonly purges = new Map<string, Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  /** One collection at a time: a slow disk must not stack sweeps. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: GarbageCollectorDeps) {}

  /** Starts the periodic sweeps (timers do not keep the process alive). */
  start(): void {
    const every = (ms: number, fn: () => Promise<unknown>): void => {
      // A sweep still queued or running skips the tick: sweeps slower than their interval
      // (a busy disk, a big state) would otherwise pile up behind one another without end.
      let queued = false;
      const t = setInterval(() => {
        if (queued) return;
        queued = true;
        void this.serial(fn)
          .catch((err: unknown) => this.d.logger.error('garbage collection failed', { error: errorMessage(err) }))
          .finally(() => (queued = false));
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    const c = this.d.config;
    every(c.jobGcIntervalMs, () => this.collectState(false));
    every(c.clientGcIntervalMs, () => this.collectClient(false));
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  /** Nomad's `system gc`: every eligible job and alloc, whatever its age. */
  force(): Promise<GcResult> {
    return this.serial(() => this.collectState(true));
  }

  /** Nomad's client GC endpoint: the dirs of every terminal alloc (or of `allocId` alone). */
  forceClient(allocId?: string): Promise<GcResult> {
    return this.serial(() => this.collectClient(true, allocId));
  }

  /** The purge of `jobId` under way, if any (a registration of the same ID waits for it). */
  purging(jobId: string): Promise<void> | undefined {
    return this.purges.get(jobId);
  }

  /** Deletes a purged job once none of its allocs has a live runner; idempotent. */
  schedulePurge(jobId: string): void {
    if (this.purges.has(jobId)) return;
    const done = (async () => {
      // A runner that ended for an agent shutdown stays listed: stop looking then
      // (the next start finishes the purge), or this loop would spin on settled promises.
      while (!this.d.isClosed()) {
        const live = this.d.db.allocsByJob(jobId).flatMap((a) => this.d.liveRunner(a.id) ?? []);
        if (live.length === 0) break;
        await Promise.all(live);
      }
      if (this.d.isClosed()) return;
      await this.deleteJob(jobId);
    })()
      .catch((err: unknown) => this.d.logger.error('purging job failed', { job: jobId, error: errorMessage(err) }))
      .finally(() => this.purges.delete(jobId));
    this.purges.set(jobId, done);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.running.then(fn, fn);
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Job GC, then alloc GC of the jobs that remain. */
  private async collectState(force: boolean): Promise<GcResult> {
    const c = this.d.config;
    const now = this.d.now();
    // Nomad's force GC uses a 1 ms threshold: "everything finished by now".
    const cutoff = (thresholdMs: number): number => now - (force ? 1 : thresholdMs);
    const jobs: JobRecord[] = [];
    const jobAllocs: AllocRecord[] = [];
    const allocs: AllocRecord[] = [];
    const evals: string[] = [];
    const byJob = groupByJob(this.d.db.allocs());
    for (const job of this.d.db.jobs()) {
      if (job.purging || this.purges.has(job.id)) continue;
      const mine = byJob.get(job.id) ?? [];
      if (this.jobCollectable(job, mine, cutoff(c.jobGcThresholdMs))) {
        jobs.push(job);
        jobAllocs.push(...mine);
        continue;
      }
      const batch = job.job.type === 'batch' || job.job.type === 'sysbatch';
      const evalCutoff = cutoff(batch ? c.batchEvalGcThresholdMs : c.evalGcThresholdMs);
      const gone = mine.filter((a) => this.allocCollectable(job, a, evalCutoff));
      allocs.push(...gone);
      // An evaluation goes once finished, old, and named by no alloc that stays.
      const named = new Set(mine.filter((a) => !gone.includes(a)).map((a) => a.evalId ?? ''));
      for (const e of this.d.evals.byJob(job.id)) {
        if (e.status !== 'blocked' && e.status !== 'pending' && e.modifyTime <= evalCutoff && !named.has(e.id)) evals.push(e.id);
      }
    }
    const deployments = this.collectableDeployments(new Set(jobs.map((j) => j.id)), cutoff(c.deploymentGcThresholdMs), byJob);
    if (jobs.length + allocs.length + evals.length + deployments.length === 0 || this.d.isClosed()) return { jobs: [], allocs: [], allocDirs: [] };
    // Announced while the jobs can still be read; then one transaction (one fsync) for the lot.
    for (const j of jobs) this.d.onJobCollected(j.id);
    await this.delete(jobs, [...jobAllocs, ...allocs], evals, deployments);
    this.d.logger.debug('garbage collected', { jobs: jobs.length, allocs: allocs.length, evals: evals.length, deployments: deployments.length });
    return { jobs: jobs.map((j) => j.id), allocs: allocs.map((a) => a.id), allocDirs: [], evals, deployments };
  }

  /**
   * Nomad's deploymentGC: a deployment no longer active, last changed before
   * the cutoff, and named by no alloc that is not terminal (those of jobs
   * collected now go with their job).
   */
  private collectableDeployments(collectedJobs: ReadonlySet<string>, cutoff: number, byJob: ReadonlyMap<string, readonly AllocRecord[]>): string[] {
    const store = this.d.deployments;
    if (!store) return [];
    const terminal = new Set([...byJob.values()].flat().filter((a) => this.ended(a)).map((a) => a.id));
    return store
      .all()
      .filter((d) => !collectedJobs.has(d.jobId) && !isActive(d) && d.modifyTime <= cutoff && store.allocs(d.id).every((a) => terminal.has(a.allocId) || !this.d.db.alloc(a.allocId)))
      .map((d) => d.id);
  }

  /**
   * Nomad's jobIsGCable and jobGC: a periodic or parameterized parent only once
   * stopped; any other job when dead and stopped, or dead and batch; and, either
   * way, submitted before the cutoff with every alloc ended before it.
   */
  private jobCollectable(job: JobRecord, allocs: readonly AllocRecord[], cutoff: number): boolean {
    if (isParentJob(job.job) ? !job.stop : jobStatus(job, allocs, this.d.evals.hasOpen(job.id)) !== 'dead' || !(job.stop || job.job.type === 'batch' || job.job.type === 'sysbatch')) return false;
    if (job.submitTime > cutoff) return false;
    return allocs.every((a) => this.ended(a) && a.modifyTime <= cutoff);
  }

  /** Nomad's gcEval / allocGCEligible for a job that stays. */
  private allocCollectable(job: JobRecord, a: AllocRecord, cutoff: number): boolean {
    if (!this.ended(a) || a.modifyTime > cutoff) return false;
    const batch = job.job.type === 'batch' || job.job.type === 'sysbatch';
    // A running batch job keeps its current version's allocs: collecting them would run them again.
    if (batch && !job.stop) return a.createIndex < job.jobModifyIndex;
    if (job.stop || a.desiredStatus === 'stop' || a.clientStatus !== 'failed') return true;
    // A failed alloc not yet replaced is what its reschedule policy may still look at.
    if ((a.nextAllocation ?? '') !== '') return true;
    const group = job.job.groups.find((g) => g.name === a.group);
    return failedAllocCollectable(group && groupReschedule(group, job.job.type), this.d.rescheduleEvents?.(a.id) ?? [], this.d.now());
  }

  /** Terminal, and no runner left (a runner still stopping holds its dir). */
  private ended(a: AllocRecord): boolean {
    return a.terminal && a.clientStatus !== 'running' && a.clientStatus !== 'pending' && this.d.liveRunner(a.id) === undefined;
  }

  /** Client GC: alloc dirs of terminal allocs, oldest first, while over the limits (all of them when forced). */
  private async collectClient(force: boolean, only?: string): Promise<GcResult> {
    const c = this.d.config;
    const all = this.d.db.allocs();
    const tracked = all.filter((a) => existsSync(this.d.allocDir(a.id)));
    const candidates = tracked
      .filter((a) => this.ended(a) && (only === undefined || a.id === only))
      .sort((x, y) => x.modifyTime - y.modifyTime);
    const removed: string[] = [];
    let count = tracked.length;
    for (const a of candidates) {
      if (this.d.isClosed()) break;
      if (!force && count <= c.clientGcMaxAllocs && !this.diskOverThreshold()) break;
      await this.removeDir(a.id);
      removed.push(a.id);
      count--;
    }
    if (removed.length > 0) this.d.logger.debug('client garbage collected alloc dirs', { allocs: removed.length });
    return { jobs: [], allocs: [], allocDirs: removed };
  }

  /** The data dir's filesystem fuller than gc_disk_usage_threshold or gc_inode_usage_threshold percent. */
  private diskOverThreshold(): boolean {
    try {
      const s = statfsSync(this.d.dataDir);
      const usedPct = s.blocks > 0 ? (100 * (s.blocks - s.bfree)) / s.blocks : 0;
      const inodePct = s.files > 0 ? (100 * (s.files - s.ffree)) / s.files : 0;
      return usedPct > this.d.config.clientGcDiskUsageThreshold || inodePct > this.d.config.clientGcInodeUsageThreshold;
    } catch {
      return false;
    }
  }

  /** Deletes the job with everything of it (a purge). */
  private async deleteJob(jobId: string): Promise<void> {
    const job = this.d.db.job(jobId);
    if (job) await this.delete([job], this.d.db.allocsByJob(jobId));
  }

  /**
   * Deletes `jobs` (versions, periodic records) and `allocs` (task states, service
   * registrations) in one transaction, then the allocs' dirs, a few at a time.
   */
  private async delete(jobs: readonly JobRecord[], allocs: readonly AllocRecord[], evals: readonly string[] = [], deployments: readonly string[] = []): Promise<void> {
    this.forgetTaskStates(allocs);
    this.d.db.durable(() => {
      this.d.db.nextIndex();
      for (const a of allocs) this.d.db.deleteAlloc(a.id);
      for (const id of evals) this.d.evals.delete(id);
      for (const id of deployments) this.d.deployments?.delete(id);
      // Old versions kept only because a collected alloc named them go too.
      const deleted = new Set(jobs.map((j) => j.id));
      for (const jobId of new Set(allocs.map((a) => a.jobId))) if (!deleted.has(jobId)) this.d.db.pruneVersions(jobId);
      for (const j of jobs) {
        this.d.db.deleteJob(j.id);
        this.d.evals.deleteByJob(j.id);
        this.d.launches.delete(j.job.namespace, j.id);
      }
    });
    for (const a of allocs) this.d.forgetServices(a.id);
    const queue = allocs.map((a) => a.id);
    const worker = async (): Promise<void> => {
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) await this.removeDir(id);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_DESTROYS, queue.length) }, worker));
  }

  /** Task states still waiting for the end of the tick must not land after the rows are deleted. */
  private forgetTaskStates(allocs: readonly AllocRecord[]): void {
    for (const a of allocs) {
      const job = this.d.db.jobVersion(a.jobId, a.jobVersion)?.job;
      this.d.store.forget(a.id, job?.groups.find((g) => g.name === a.group)?.tasks.map((t) => t.name) ?? []);
    }
  }

  private async removeDir(allocId: string): Promise<void> {
    const dir = this.d.allocDir(allocId);
    // force: a missing dir is fine; anything else (a busy mount, permissions) leaves files behind the user should hear of.
    await rm(dir, { recursive: true, force: true }).catch((err: unknown) =>
      this.d.logger.warn('removing alloc dir failed', { alloc_id: allocId, path: dir, error: errorMessage(err) }),
    );
  }
}
