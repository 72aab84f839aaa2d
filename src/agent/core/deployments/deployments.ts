/**
 * Deployments on this node (Nomad's deploymentwatcher plus the client's
 * health hook): a registration that places or updates allocations of groups
 * with an update strategy gets a Deployment; each of its allocations is
 * watched until healthy (min_healthy_time) or unhealthy (failed, or not
 * healthy by healthy_deadline); healthy ones let the rollout continue
 * (the agent's continueRollout), and the deployment succeeds (its job
 * version becomes stable), fails (unhealthy with no progress deadline, the
 * progress deadline passed, or by the user; auto_revert registers the
 * latest stable version again), or is cancelled by a newer version or a stop.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from '../../../model/job.js';
import { errorMessage } from '../../../model/errors.js';
import type { AllocRecord, JobRecord } from '../../state/state-db.js';
import { DeploymentStore, isActive, type AllocDeploymentRecord, type DeploymentGroupState, type DeploymentRecord, type DeploymentStatus } from '../../state/deployment-store.js';
import type { Plan } from '../reconcile.js';
import { deepEqual } from '../task-diff.js';
import { healthinessCheckCount, judgeHealth } from './alloc-health.js';
import { canaryKey, limitPlan, planRollout, rolls, type GroupProgress, type LimitedPlan } from './rollout.js';
import { DEPLOYMENT_DESCRIPTIONS as D, noRollbackTargetDescription, rollbackDescription, rollbackNoopDescription } from './descriptions.js';
import { deploymentEvent, type DeploymentEventType } from './deployment-events.js';
import { allocEvent } from '../publish.js';
import type { Agent } from '../agent.js';
import { DroverError } from '../../../model/errors.js';
import { NotFoundError } from '../errors.js';

/** How often allocations waiting on checks are looked at again (check results come without a signal). */
const RECHECK_MS = 200;
/** Healthy verdicts of this window are written together (Nomad's client batches alloc syncs by 200 ms). */
const HEALTH_BATCH_MS = 200;

/** The agent: its state, events, check results, and the register and continueRollout entry points. */
export type DeploymentHost = Agent;

interface Tracked {
  readonly deploymentId: string;
  /** Unix ms since the alloc has looked healthy without a break. */
  since: number | undefined;
  /**
   * healthy_deadline's end, set once the alloc may start: as Nomad's health hook runs after the
   * wait for the alloc it replaces, the time its previous alloc takes to stop does not count.
   */
  deadlineAt: number | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Judged on checks, whose results come without a signal: looked at every RECHECK_MS. */
  readonly polled: boolean;
}

/** What a commit did, as the deployments see it (written in the agent's transaction). */
export interface CommitFacts {
  readonly job: Job;
  readonly record: JobRecord;
  readonly index: number;
  readonly placed: readonly AllocRecord[];
  readonly inPlace: readonly AllocRecord[];
  readonly plan: Plan;
  readonly canaries: ReadonlySet<string>;
  /** A new job version (a registration), not the next step of a rollout. */
  readonly newVersion: boolean;
}

export class Deployments {
  readonly store: DeploymentStore;
  private readonly tracked = new Map<string, Tracked>();
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private ticker: NodeJS.Timeout | undefined;
  /** Allocations judged healthy, written together when the batch timer fires (markHealthy). */
  private readonly healthyDue = new Set<string>();
  private healthyTimer: NodeJS.Timeout | undefined;
  /** Jobs whose rollout moves on at the next turn of the event loop (rolloutDue). */
  private readonly rollouts = new Set<string>();
  private closed = false;
  /**
   * Whether an unhealthy allocation may still be replaced by rescheduling (Nomad's
   * RescheduleEligible, for shouldFailEarly): while it may, a deployment with a progress
   * deadline waits for the replacement; once it may not, the deployment fails at once.
   * The reschedule policy's owner sets it; until then every alloc counts as eligible.
   */
  rescheduleEligible: (alloc: AllocRecord) => boolean = () => true;

  constructor(private readonly host: DeploymentHost) {
    this.store = new DeploymentStore(host.db.db);
  }

  /** Resumes watching active deployments after an agent start, and moves each on (a crash may have come between a health write and the next step). */
  start(): void {
    for (const d of this.store.active()) {
      for (const a of this.store.allocs(d.id)) if (a.healthy === undefined) this.track(a.allocId, d);
      this.armDeadline(d);
      this.step(d.id);
    }
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.healthyTimer);
    this.healthyTimer = undefined;
    this.healthyDue.clear();
    for (const t of this.tracked.values()) clearTimeout(t.timer);
    this.tracked.clear();
    for (const t of this.deadlines.values()) clearTimeout(t);
    this.deadlines.clear();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** The job's deployment that may still progress. */
  activeFor(jobId: string): DeploymentRecord | undefined {
    return this.store.byJob(jobId).find(isActive);
  }

  /** The job's newest deployment. */
  latestFor(jobId: string): DeploymentRecord | undefined {
    return this.store.byJob(jobId)[0];
  }

  /** Limits a registration's plan to what its groups' update strategies let through now. */
  limitRegistration(job: Job, plan: Plan, wanted: readonly AllocRecord[]): LimitedPlan {
    if (job.type !== 'service') return { plan, canaries: new Set() };
    // A new version starts a new deployment: nothing of it is in flight, nothing promoted.
    const inPlace = this.unchangedForNewJob(job, plan, wanted);
    return limitPlan(job, inPlace, wanted, () => ({ inFlight: 0, promoted: false }), (id) => this.isUnpromotedCanary(id));
  }

  /** The next rollout step of the job's running deployment; undefined when there is nothing to do. */
  nextStep(job: JobRecord, wanted: readonly AllocRecord[]): Plan | undefined {
    const d = this.activeFor(job.id);
    if (!d || d.status !== 'running' || d.jobVersion !== job.version) return undefined;
    const plan = planRollout(
      job.job,
      job.version,
      wanted,
      (a) => this.host.db.jobVersion(a.jobId, a.jobVersion)?.job,
      (g) => this.progress(d, g),
      (g) => new Set(this.store.allocs(d.id).filter((a) => d.groups[g]?.placedCanaries.includes(a.allocId)).map((a) => this.host.db.alloc(a.allocId)?.index ?? -1)),
    );
    return plan.place.length + plan.stop.length > 0 ? plan : undefined;
  }

  /** In the agent's transaction: cancels what the commit supersedes, creates or extends the deployment. */
  onCommit(f: CommitFacts): void {
    const now = this.host.now();
    if (f.newVersion) {
      for (const d of this.store.byJob(f.job.id).filter(isActive)) this.setStatus(d, 'cancelled', D.newerJob, f.index);
    }
    if (f.job.type !== 'service') return;
    const joining = [...f.placed, ...f.inPlace].filter((a) => rolls(f.job.groups.find((g) => g.name === a.group)));
    if (!f.newVersion) {
      const d = this.activeFor(f.job.id);
      if (!d) return;
      const groups = { ...d.groups };
      for (const a of joining) {
        const g = groups[a.group];
        if (g) groups[a.group] = { ...g, placedAllocs: g.placedAllocs + 1 };
        this.store.putAlloc({ allocId: a.id, deploymentId: d.id, healthy: undefined, timestamp: 0, canary: false, modifyIndex: f.index });
      }
      this.store.put({ ...d, groups, modifyIndex: f.index, modifyTime: now });
      return;
    }
    if (joining.length === 0) return;
    const groups: Record<string, DeploymentGroupState> = {};
    for (const g of f.job.groups) {
      if (!rolls(g) || g.count === 0) continue;
      const u = g.update!;
      const canaries = f.placed.filter((a) => a.group === g.name && f.canaries.has(canaryKey(a.group, a.index))).map((a) => a.id);
      groups[g.name] = {
        autoRevert: u.autoRevert,
        autoPromote: u.autoPromote,
        progressDeadlineMs: u.progressDeadlineMs,
        requireProgressBy: u.progressDeadlineMs > 0 ? now + u.progressDeadlineMs : 0,
        promoted: false,
        placedCanaries: canaries,
        desiredCanaries: canaries.length > 0 ? u.canary : 0,
        desiredTotal: g.count,
        placedAllocs: joining.filter((a) => a.group === g.name).length,
        healthyAllocs: 0,
        unhealthyAllocs: 0,
      };
    }
    const needsPromotion = Object.values(groups).some((g) => g.desiredCanaries > 0);
    const auto = needsPromotion && Object.values(groups).every((g) => g.desiredCanaries === 0 || g.autoPromote);
    const d: DeploymentRecord = {
      id: randomUUID(),
      jobId: f.job.id,
      jobVersion: f.record.version,
      jobCreateIndex: f.record.createIndex,
      jobModifyIndex: f.record.jobModifyIndex,
      status: 'running',
      statusDescription: !needsPromotion ? D.running : auto ? D.runningAutoPromotion : D.runningNeedsPromotion,
      groups,
      createIndex: f.index,
      modifyIndex: f.index,
      createTime: now,
      modifyTime: now,
    };
    this.store.put(d);
    for (const a of joining) {
      this.store.putAlloc({ allocId: a.id, deploymentId: d.id, healthy: undefined, timestamp: 0, canary: groups[a.group]?.placedCanaries.includes(a.id) ?? false, modifyIndex: f.index });
    }
  }

  /** After the commit: watches the joining allocations and the progress deadline, publishes. */
  afterCommit(jobId: string): void {
    const d = this.activeFor(jobId);
    for (const c of this.store.byJob(jobId).filter((x) => x.status === 'cancelled')) this.untrackDeployment(c.id);
    if (!d) return;
    for (const a of this.store.allocs(d.id)) if (a.healthy === undefined && !this.tracked.has(a.allocId)) this.track(a.allocId, d);
    this.armDeadline(d);
    this.publish('DeploymentStatusUpdate', d);
  }

  /** In the deregister transaction: the job's running deployment is cancelled. */
  onJobStopped(jobId: string, index: number): void {
    for (const d of this.store.byJob(jobId).filter(isActive)) {
      this.setStatus(d, 'cancelled', D.stoppedJob, index);
      this.untrackDeployment(d.id);
    }
  }

  /** An allocation's record or task changed: judge it again now. */
  allocChanged(allocId: string): void {
    if (this.tracked.has(allocId)) this.evaluate(allocId);
  }

  // ---- operator actions (the /v1/deployment endpoints) --------------------

  /** Nomad's deployment promote: the canaries of `groups` (all when empty) become the new version's allocations. */
  promote(id: string, groups: readonly string[]): DeploymentRecord {
    const d = this.mustActive(id, 'promote');
    const names = groups.length > 0 ? groups : Object.keys(d.groups).filter((g) => (d.groups[g]?.desiredCanaries ?? 0) > 0);
    if (!Object.values(d.groups).some((g) => g.desiredCanaries > 0)) throw new DroverError('validation', `Deployment ${JSON.stringify(d.id)} has no canaries to promote`);
    const healthy = this.healthyByGroup(d).canaries;
    for (const name of names) {
      const g = d.groups[name];
      if (!g) throw new DroverError('validation', `Deployment does not include task group ${JSON.stringify(name)}`);
      if (g.desiredCanaries > 0 && (healthy[name] ?? 0) < g.desiredCanaries) {
        throw new DroverError('validation', `Task group ${JSON.stringify(name)} has ${healthy[name] ?? 0}/${g.desiredCanaries} healthy allocations`);
      }
    }
    const next = this.host.db.durable(() => {
      const index = this.host.db.nextIndex();
      const groupsNext = { ...d.groups };
      for (const name of names) {
        const g = groupsNext[name];
        if (g) groupsNext[name] = { ...g, promoted: true };
        for (const a of this.store.allocs(d.id)) if (g?.placedCanaries.includes(a.allocId)) this.store.putAlloc({ ...a, canary: false, modifyIndex: index });
      }
      const promotedAll = Object.values(groupsNext).every((g) => g.desiredCanaries === 0 || g.promoted);
      const r = { ...d, groups: groupsNext, statusDescription: promotedAll ? D.running : d.statusDescription, modifyIndex: index, modifyTime: this.host.now() };
      this.store.put(r);
      return r;
    });
    this.publish('DeploymentPromotion', next);
    this.step(next.id);
    return next;
  }

  /** Nomad's deployment fail: the deployment fails now (auto_revert still applies); returns the version reverted to, if any. */
  fail(id: string): { deployment: DeploymentRecord; revertedTo: number | undefined } {
    const d = this.mustActive(id, 'fail');
    const rollback = Object.values(d.groups).some((g) => g.autoRevert);
    const revertedTo = this.failDeployment(d, D.failedByUser, rollback);
    return { deployment: this.store.get(d.id) as DeploymentRecord, revertedTo };
  }

  /** Nomad's deployment pause / resume. */
  pause(id: string, pause: boolean): DeploymentRecord {
    const d = this.mustActive(id, pause ? 'pause' : 'resume');
    const next = this.host.db.durable(() => this.setStatus(d, pause ? 'paused' : 'running', pause ? D.paused : D.running, this.host.db.nextIndex()));
    this.publish('DeploymentStatusUpdate', next);
    if (!pause) this.step(next.id);
    return next;
  }

  // ---- internals ---------------------------------------------------------

  /**
   * Registration stops for the update of allocations whose own version already has the new
   * spec (an auto revert to the version they still run) become in-place updates.
   */
  private unchangedForNewJob(job: Job, plan: Plan, wanted: readonly AllocRecord[]): Plan {
    const byId = new Map(wanted.map((a) => [a.id, a]));
    const same = new Set<string>();
    for (const s of plan.stop) {
      const a = byId.get(s.allocId);
      if (!a || !plan.destructive[a.group]) continue;
      const theirs = this.host.db.jobVersion(a.jobId, a.jobVersion)?.job;
      const g = job.groups.find((x) => x.name === a.group);
      const mine = theirs?.groups.find((x) => x.name === a.group);
      if (g && mine && a.index < g.count && deepEqual({ ...mine, count: 0, update: undefined }, { ...g, count: 0, update: undefined })) same.add(a.id);
    }
    if (same.size === 0) return plan;
    const keys = new Set([...same].map((id) => canaryKey(byId.get(id)!.group, byId.get(id)!.index)));
    return {
      ...plan,
      stop: plan.stop.filter((s) => !same.has(s.allocId)),
      place: plan.place.filter((p) => !keys.has(canaryKey(p.group, p.index))),
      inPlace: [...plan.inPlace, ...same],
    };
  }

  /** A canary never promoted (promotion clears the flag): at a new registration, one of an older version's deployment. */
  private isUnpromotedCanary(allocId: string): boolean {
    return this.store.alloc(allocId)?.canary === true;
  }

  private progress(d: DeploymentRecord, group: string): GroupProgress {
    const g = d.groups[group];
    let inFlight = 0;
    for (const a of this.store.allocs(d.id)) {
      const rec = this.host.db.alloc(a.allocId);
      if (!rec || rec.group !== group || a.healthy === true) continue;
      if (rec.desiredStatus === 'run' && !rec.terminal) inFlight++;
      else if (a.healthy === false) inFlight++;
    }
    return { inFlight, promoted: !g || g.desiredCanaries === 0 || g.promoted };
  }

  private mustActive(id: string, what: string): DeploymentRecord {
    const d = this.store.byIdOrPrefix(id);
    if (!d) throw new NotFoundError('deployment not found');
    if (!isActive(d)) throw new DroverError('validation', `Can't ${what} terminal deployment`);
    return d;
  }

  private setStatus(d: DeploymentRecord, status: DeploymentStatus, description: string, index: number): DeploymentRecord {
    const next = { ...d, status, statusDescription: description, modifyIndex: index, modifyTime: this.host.now() };
    this.store.put(next);
    return next;
  }

  private track(allocId: string, d: DeploymentRecord): void {
    const rec = this.host.db.alloc(allocId);
    const job = rec && this.host.db.jobVersion(rec.jobId, rec.jobVersion)?.job;
    const u = job?.groups.find((g) => g.name === rec?.group)?.update;
    if (!rec || !u) return;
    const group = job?.groups.find((g) => g.name === rec.group);
    // Task changes come as allocChanged; the wait for a replaced alloc to stop is polled like checks.
    const polled = (u.healthCheck === 'checks' && group !== undefined && healthinessCheckCount(group) > 0) || rec.previousAllocation !== undefined;
    const t: Tracked = { deploymentId: d.id, since: undefined, deadlineAt: undefined, timer: undefined, polled };
    this.tracked.set(allocId, t);
    if (polled && !this.ticker) {
      this.ticker = setInterval(() => {
        for (const [id, x] of [...this.tracked]) if (x.polled) this.evaluate(id);
      }, RECHECK_MS);
      this.ticker.unref();
    }
    this.evaluate(allocId);
  }

  private untrack(allocId: string): void {
    const t = this.tracked.get(allocId);
    if (!t) return;
    clearTimeout(t.timer);
    this.tracked.delete(allocId);
    if (this.ticker && ![...this.tracked.values()].some((x) => x.polled)) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private untrackDeployment(id: string): void {
    for (const [allocId, t] of [...this.tracked]) if (t.deploymentId === id) this.untrack(allocId);
    clearTimeout(this.deadlines.get(id));
    this.deadlines.delete(id);
  }

  private evaluate(allocId: string): void {
    const t = this.tracked.get(allocId);
    if (!t || this.closed) return;
    const view = this.host.alloc(allocId);
    const group = view?.job.groups.find((g) => g.name === view.record.group);
    const u = group?.update;
    if (!view || !group || !u || view.record.desiredStatus === 'stop') return this.untrack(allocId);
    const now = this.host.now();
    if (t.deadlineAt === undefined) {
      const previous = view.record.previousAllocation ? this.host.db.alloc(view.record.previousAllocation) : undefined;
      if (previous && !previous.terminal) return;
      t.deadlineAt = now + u.healthyDeadlineMs;
    }
    const verdict = judgeHealth({ group, mode: u.healthCheck, clientStatus: view.record.clientStatus, states: view.states, checks: this.host.checks.list(allocId) });
    if (verdict.kind === 'unhealthy') return this.setUnhealthy(allocId, verdict.why);
    if (verdict.kind === 'ok') {
      t.since ??= now;
      if (now - t.since >= u.minHealthyTimeMs) return this.markHealthy(allocId);
      clearTimeout(t.timer);
      t.timer = setTimeout(() => this.evaluate(allocId), t.since + u.minHealthyTimeMs - now);
      t.timer.unref();
    } else t.since = undefined;
    if (now >= t.deadlineAt) return this.setUnhealthy(allocId, 'healthy deadline passed');
    if (verdict.kind !== 'ok' && !t.timer) {
      t.timer = setTimeout(() => {
        t.timer = undefined;
        this.evaluate(allocId);
      }, t.deadlineAt - now);
      t.timer.unref();
    }
  }

  /**
   * Healthy verdicts are written in batches, one deployment update per batch: a job of 300 groups
   * whose allocs turn healthy within a second read and wrote its 300-group deployment 300 times
   * (1 s of CPU). Nomad's clients sync alloc health to the servers in batches too (allocSyncIntv).
   * An unhealthy verdict is written at once (setUnhealthy), and wins over a pending healthy one.
   */
  private markHealthy(allocId: string): void {
    this.healthyDue.add(allocId);
    if (this.healthyTimer) return;
    this.healthyTimer = setTimeout(() => this.writeHealthy(), HEALTH_BATCH_MS);
    this.healthyTimer.unref();
  }

  private writeHealthy(): void {
    this.healthyTimer = undefined;
    const byDeployment = new Map<string, string[]>();
    for (const allocId of this.healthyDue) {
      const t = this.tracked.get(allocId);
      if (!t) continue; // judged unhealthy meanwhile, or no longer watched
      this.untrack(allocId);
      byDeployment.set(t.deploymentId, [...(byDeployment.get(t.deploymentId) ?? []), allocId]);
    }
    this.healthyDue.clear();
    if (this.closed) return;
    for (const [deploymentId, allocIds] of byDeployment) {
      const written = this.writeVerdicts(deploymentId, allocIds, true, 'healthy');
      if (written && isActive(written.deployment)) this.step(deploymentId);
    }
  }

  /** An unhealthy verdict, written at once: it may fail the deployment. */
  private setUnhealthy(allocId: string, why: string): void {
    const t = this.tracked.get(allocId);
    this.untrack(allocId);
    if (!t) return;
    const written = this.writeVerdicts(t.deploymentId, [allocId], false, why);
    if (!written || !isActive(written.deployment)) return;
    const d = written.deployment;
    const rec = written.allocs[0] as AllocRecord;
    const g = d.groups[rec.group];
    // Without a progress deadline, or with no replacement to wait for, an unhealthy allocation fails the deployment (shouldFailEarly).
    if (g && (g.progressDeadlineMs === 0 || !this.rescheduleEligible(rec))) {
      this.failDeployment(d, D.failedAllocations, g.autoRevert);
      return;
    }
    this.step(d.id);
  }

  /**
   * Writes one verdict for allocations of one deployment that have none yet, with the group
   * counters, in one transaction; logs and publishes it. Returns the deployment as written
   * and the allocations it judged, or nothing when none was left to judge.
   */
  private writeVerdicts(deploymentId: string, allocIds: readonly string[], healthy: boolean, why: string): { deployment: DeploymentRecord; allocs: AllocRecord[] } | undefined {
    const db = this.host.db;
    const written = db.atomic(() => {
      const dep = this.store.get(deploymentId);
      if (!dep) return undefined;
      const now = this.host.now();
      const groups = { ...dep.groups };
      const allocs: AllocRecord[] = [];
      let index: number | undefined;
      for (const allocId of allocIds) {
        const current = this.store.alloc(allocId);
        const rec = db.alloc(allocId);
        if (!current || !rec || current.healthy !== undefined) continue;
        index ??= db.nextIndex();
        this.store.putAlloc({ ...current, healthy, timestamp: now, modifyIndex: index });
        allocs.push(rec);
        const g = groups[rec.group];
        if (!g) continue;
        groups[rec.group] = healthy
          ? { ...g, healthyAllocs: g.healthyAllocs + 1, requireProgressBy: g.progressDeadlineMs > 0 ? now + g.progressDeadlineMs : 0 }
          : { ...g, unhealthyAllocs: g.unhealthyAllocs + 1 };
      }
      if (index === undefined) return undefined;
      const deployment = { ...dep, groups, modifyIndex: index, modifyTime: now };
      this.store.put(deployment);
      return { deployment, allocs };
    });
    if (!written) return undefined;
    for (const rec of written.allocs) this.host.logger.info('allocation health set', { alloc_id: rec.id, deployment_id: deploymentId, healthy, reason: why });
    this.host.events.publish([deploymentEvent(written.deployment, 'DeploymentAllocHealth'), ...written.allocs.map((rec) => allocEvent(this.host, rec, 'AllocationUpdated'))]);
    return written;
  }

  /** Moves a running deployment on: auto promotion, success, or the next rollout step. */
  private step(id: string): void {
    const d = this.store.get(id);
    if (!d || d.status !== 'running' || this.closed) return;
    const healthy = this.healthyByGroup(d);
    const waiting = Object.entries(d.groups).filter(([, g]) => g.desiredCanaries > 0 && !g.promoted);
    if (waiting.length > 0 && waiting.every(([name, g]) => g.autoPromote && (healthy.canaries[name] ?? 0) >= g.desiredCanaries)) {
      this.promote(d.id, []);
      return;
    }
    const done = Object.entries(d.groups).every(([name, g]) => (g.desiredCanaries === 0 || g.promoted) && (healthy.all[name] ?? 0) >= g.desiredTotal);
    if (done) return this.succeed(d);
    this.armDeadline(d, healthy.all);
    this.rolloutDue(d.jobId);
  }

  /**
   * The rollout step writes through the agent, so not from inside this call stack; allocations that
   * turn healthy in the same turn of the event loop share one step per job.
   */
  private rolloutDue(jobId: string): void {
    if (this.rollouts.size === 0) {
      setImmediate(() => {
        const jobs = [...this.rollouts];
        this.rollouts.clear();
        for (const job of jobs) {
          if (this.closed) return;
          try {
            this.host.continueRollout(job);
          } catch (err) {
            this.host.logger.error('continuing the rollout failed', { job, error: errorMessage(err) });
          }
        }
      });
    }
    this.rollouts.add(jobId);
  }

  /** Healthy allocations per group that still run: all of them, and the canaries among them. */
  private healthyByGroup(d: DeploymentRecord): { all: Record<string, number>; canaries: Record<string, number> } {
    const all: Record<string, number> = {};
    const canaries: Record<string, number> = {};
    for (const { allocId, group } of this.store.healthyRunning(d.id)) {
      all[group] = (all[group] ?? 0) + 1;
      if (d.groups[group]?.placedCanaries.includes(allocId)) canaries[group] = (canaries[group] ?? 0) + 1;
    }
    return { all, canaries };
  }

  private succeed(d: DeploymentRecord): void {
    const next = this.host.db.durable(() => {
      const index = this.host.db.nextIndex();
      this.store.setStable(d.jobId, d.jobVersion, true);
      return this.setStatus(d, 'successful', D.successful, index);
    });
    this.untrackDeployment(d.id);
    this.publish('DeploymentStatusUpdate', next);
  }

  /** Fails the deployment; with `rollback`, registers the latest stable version again and returns it. */
  private failDeployment(d: DeploymentRecord, base: string, rollback: boolean): number | undefined {
    let description = base;
    let revertTo: Job | undefined;
    let revertVersion: number | undefined;
    if (rollback) {
      const current = this.host.db.jobVersion(d.jobId, d.jobVersion)?.job;
      const stable = this.store.stableVersions(d.jobId).find((v) => v !== d.jobVersion);
      const stableJob = stable === undefined ? undefined : this.host.db.jobVersion(d.jobId, stable)?.job;
      if (stable === undefined || !stableJob) description = noRollbackTargetDescription(base);
      else if (current && deepEqual(current, stableJob)) description = rollbackNoopDescription(base, stable);
      else {
        description = rollbackDescription(base, stable);
        revertTo = stableJob;
        revertVersion = stable;
      }
    }
    const next = this.host.db.durable(() => this.setStatus(d, 'failed', description, this.host.db.nextIndex()));
    this.untrackDeployment(d.id);
    this.publish('DeploymentStatusUpdate', next);
    this.host.logger.warn('deployment failed', { deployment_id: d.id, job: d.jobId, description });
    if (revertTo) {
      const job = revertTo;
      this.host.register(job).catch((err: unknown) => this.host.logger.error('auto revert failed', { job: d.jobId, error: errorMessage(err) }));
    }
    return revertVersion;
  }

  /** The progress deadline: the earliest RequireProgressBy of the groups not yet done. */
  private armDeadline(d: DeploymentRecord, healthyNow?: Readonly<Record<string, number>>): void {
    clearTimeout(this.deadlines.get(d.id));
    this.deadlines.delete(d.id);
    if (d.status !== 'running') return;
    const healthy = healthyNow ?? this.healthyByGroup(d).all;
    const pending = Object.entries(d.groups).filter(([name, g]) => !((g.desiredCanaries === 0 || g.promoted) && (healthy[name] ?? 0) >= g.desiredTotal));
    const next = Math.min(...pending.map(([, g]) => g.requireProgressBy).filter((t) => t > 0));
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => this.deadlineHit(d.id), Math.max(0, next - this.host.now()));
    timer.unref();
    this.deadlines.set(d.id, timer);
  }

  /** Nomad's shouldFail at the progress deadline: groups short of healthy allocations fail it. */
  private deadlineHit(id: string): void {
    this.deadlines.delete(id);
    const d = this.store.get(id);
    if (!d || d.status !== 'running' || this.closed) return;
    const healthy = this.healthyByGroup(d).all;
    let fail = false;
    let rollback = false;
    for (const [name, g] of Object.entries(d.groups)) {
      const want = g.desiredCanaries > 0 && !g.promoted ? g.desiredCanaries : g.desiredTotal;
      if ((healthy[name] ?? 0) >= want) continue;
      fail = true;
      if (g.autoRevert) rollback = true;
    }
    if (!fail) return;
    this.failDeployment(d, D.progressDeadline, rollback);
  }

  private publish(type: DeploymentEventType, d: DeploymentRecord): void {
    this.host.events.publish([deploymentEvent(d, type)]);
  }
}

export type { AllocDeploymentRecord };
