/**
 * The agent (Nomad's client half, on one node): owns the state database,
 * the drivers, the node fingerprint and one AllocSupervisor per live
 * allocation. Job registrations are planned (reconcile.ts), committed in
 * one durable transaction, and only then acted on, so whatever the API
 * acknowledged is on disk before any task starts; a restart replays the
 * database: live allocations are resumed (tasks re-attached through the
 * drivers' recoverTask), stopped ones finish stopping, purges complete.
 */
import { JobScaler } from './job-scale.js';
import { constraintNode } from './node-attributes.js';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import type { EvalTrigger, Evaluation } from '../../model/evaluation.js';
import type { HealthState } from '../../drivers/types.js';
import { EvalStore } from '../state/eval-store.js';
import { EVAL_CANCEL_REASONS, evaluationRecords, grantedNames, keepFeasibleInPlace, placeAll, type NewEval, type PlacementOutcome } from './evaluations.js';
import { PlacementStack, type Resident } from './placement/stack.js';
import { allocatable, groupAsk, type NodeTotals } from './placement/resources.js';
import type { Job } from '../../model/job.js';
import type { TaskEvent } from '../../model/task-event.js';
import { newTaskState, type TaskState } from '../../model/task-state.js';
import { DroverError, errorMessage } from '../../model/errors.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import { isDriverShutdowner } from '../../drivers/types.js';
import type { Logger } from '../../model/logger.js';
import { builtinDrivers } from '../drivers.js';
import type { ExternalDriver } from '../../plugin/client/supervisor.js';
import { filterHostEnv } from '../../taskrunner/task-env.js';
import type { AllocNetworks } from '../../taskrunner/network/alloc-network.js';
import { agentNetworks, sweepEndedNetworks } from './alloc-networks.js';
import { fingerprintNode, type NodeIdentity } from '../node.js';
import type { AgentConfig } from '../config/agent-config.js';
import { openDatabase, StateDB, type AllocRecord, type JobRecord, type JobSubmissionRecord } from '../state/state-db.js';
import { SqliteTaskStateStore } from '../state/task-store.js';
import { ServiceStore } from '../state/service-store.js';
import { AllocSupervisor, allocDirOf, type SupervisorDeps } from './alloc-supervisor.js';
import type { PreviousAlloc } from '../../taskrunner/alloc-hooks/sticky-disk-hook.js';
import { EventBroker } from './event-broker.js';
import { cpuMhz, defaultHostAddress, DriverFingerprints, hostAttributes } from './fingerprint.js';
import { PortIndex, validatePortConfig } from './ports.js';
import { newAllocRecord, placeholderJob } from './alloc-records.js';
import { GarbageCollector } from './garbage-collector.js';
import { deepEqual } from './task-diff.js';
import { planRegistration, STOP_REASONS, withoutUnplacedUpdates, type JobOf, type Plan } from './reconcile.js';
import { allocEvent, evalEvent, jobEvent } from './publish.js';
import type { PendingEvent } from './event-broker.js';
import { NotFoundError } from './errors.js';
import { ServiceRegistry } from './service-registry.js';
import { CheckStore } from './check-store.js';
import { Variables } from './variables.js';
import { TemplateSourceProvider } from './template-sources.js';
import { Keyring } from './keyring.js';
import { WorkloadIdentities } from './workload-identity.js';
import { TaskApiServer } from './task-api.js';
import { isParentJob } from '../../model/job.js';
import { PeriodicLaunchStore } from '../state/periodic-store.js';
import { ChildJobs, childrenOf } from './child-jobs.js';
import { PeriodicDispatcher, realTimers, type PeriodicTimers } from './periodic-dispatcher.js';
import { Deployments } from './deployments/deployments.js';
import { rolls } from './deployments/rollout.js';
import type { AllocDeploymentRecord } from '../state/deployment-store.js';
import { Rescheduler } from './rescheduler.js';
import { RescheduleStore, type RescheduleRecord } from '../state/reschedule-store.js';

export interface AgentOptions {
  readonly config: AgentConfig;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Drivers to use instead of the built-in set configured from config.plugins. */
  readonly drivers?: DriverRegistry;
  /**
   * Drivers to fingerprint (default: all). The embedded agent of `drover run` names only its
   * job's drivers: probing the others (qemu --version, isolation checks) would only slow its start.
   */
  readonly fingerprintDrivers?: readonly string[];
  /** Told of every task event, in order, as it happens (the embedded agent of `drover run` prints them). */
  /** The periodic dispatcher's clock and timer (default: Date.now and setTimeout). */
  readonly periodicTimers?: PeriodicTimers;
  readonly onTaskEvent?: (alloc: AllocRecord, task: string, event: TaskEvent, state: Readonly<TaskState>) => void;
  /** Replace failed allocs per their reschedule policy (default true; `drover run` runs a job once and reports its failure). */
  readonly reschedule?: boolean;
}

/** An allocation as reads see it: its record, the job version it runs, its tasks' states. */
export interface AllocView {
  readonly record: AllocRecord;
  readonly job: Job;
  readonly states: ReadonlyMap<string, Readonly<TaskState>>;
  /** Its deployment and health in it, when it belongs to one. */
  readonly deployment?: AllocDeploymentRecord;
  /** Its RescheduleTracker and planned follow-up, when it has either. */
  readonly reschedule?: RescheduleRecord | undefined;
}

/** What a register request says of its source (Nomad's JobSubmission as submitted); stored with the version. */
export type JobSubmissionSource = Omit<JobSubmissionRecord, 'jobId' | 'version' | 'jobModifyIndex'>;

/** What a registration or deregistration did. */
export interface WriteResult {
  readonly evalId: string;
  readonly index: number;
  readonly jobModifyIndex: number;
  /** The plan applied; undefined when nothing changed. */
  readonly plan?: Plan;
  /** The groups the node could not take, left unplaced (their blocked evaluation waits for capacity). */
  readonly failed?: PlacementOutcome['failed'];
}

export class Agent {
  readonly config: AgentConfig;
  readonly db: StateDB;
  readonly store: SqliteTaskStateStore;
  readonly events: EventBroker;
  readonly drivers: DriverRegistry;
  readonly node: NodeIdentity;
  readonly fingerprints: DriverFingerprints;
  readonly logger: Logger;
  /**
   * Nomad's native service registrations (the ServiceRegistrationHandler the
   * alloc runners get through SupervisorDeps.services), persisted in state.db.
   */
  readonly services: ServiceRegistry;
  /** Latest service check results per allocation (the CheckResultSink the runners get as SupervisorDeps.checks). */
  readonly checks: CheckStore;
  /** Nomad Variables, encrypted in state.db (also what templates read and watch). */
  readonly variables: Variables;
  /** Bridge, none and cni/<name> allocation networks (CNI); undefined when not root, where such jobs fail with a clear message. */
  readonly networks: AllocNetworks | undefined;
  readonly now: () => number;
  /** Unix ms when this agent started. */
  readonly startedAt: number;
  /** The node's default address: host-mode ports are bound on it. */
  readonly hostIp: string;
  /** Signs and verifies workload identities with the data dir's keyring (Nomad's Encrypter). */
  readonly identities: WorkloadIdentities;
  /** Serves every task's secrets/api.sock; the HTTP server attaches the API to it. */
  readonly taskApi: TaskApiServer;
  /** Last periodic launch per job (periodic_launch). */
  readonly launches: PeriodicLaunchStore;
  /** Dispatch and periodic children of template jobs. */
  readonly childJobs: ChildJobs;
  /** Launches periodic jobs' children on schedule. */
  readonly periodic: PeriodicDispatcher;
  /** Deployments: rolling updates, alloc health, canaries, auto revert. */
  readonly deployments: Deployments;
  /** Reschedule trackers and planned replacements of failed allocs. */
  readonly reschedules: RescheduleStore;
  /** Replaces failed allocations as their reschedule policy says. */
  readonly rescheduler: Rescheduler;
  private readonly random: () => number;
  private readonly reschedulingOn: boolean;
  /** Purges, job and alloc GC, client GC of alloc dirs. */
  readonly gc: GarbageCollector;
  /** Nomad's evaluations: one per write that can change what runs, and the blocked ones waiting for capacity. */
  readonly evals: EvalStore;
  /** The node's fingerprinted CPU, memory and disk (the scheduler's NodeResources before reserved). */
  totals: NodeTotals = { mhzPerCore: 0, cores: 0, memoryBytes: 0, diskFreeBytes: 0 };
  /** A retry of the blocked evaluations is queued. */
  private unblockQueued = false;
  /** Evaluation events of the write under way. */
  private evalEvents: PendingEvent[] = [];
  private readonly sups = new Map<string, AllocSupervisor>();
  /** Placed allocs whose runners have not started yet: started one per macrotask (startQueued). */
  private readonly toStart: AllocSupervisor[] = [];
  /** `job scale` and its status and events (job-scale.ts). */
  readonly scaler: JobScaler = new JobScaler(this);
  private readonly deps: SupervisorDeps;
  /** The drivers whose fingerprints are followed. */
  private readonly fingerprinted: readonly string[];
  private closed = false;
  /** Plugins launched from plugin_dir; stopped with the agent (their tasks' fate is the plugin's, as in Nomad). */
  private external: ExternalDriver[] = [];

  private constructor(o: AgentOptions, drivers: DriverRegistry, db: StateDB) {
    this.config = o.config;
    this.logger = o.logger;
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
    this.random = o.random ?? Math.random;
    this.reschedulingOn = o.reschedule ?? true;
    this.hostIp = defaultHostAddress();
    this.db = db;
    this.store = new SqliteTaskStateStore(db.db, (err) =>
      o.logger.error('error persisting task state; kept in memory and written again once the data dir takes it', { error: errorMessage(err) }),
    );
    this.events = new EventBroker(db.lastIndex);
    const serviceStore = new ServiceStore(db.db);
    this.services = new ServiceRegistry(db, serviceStore, this.events, o.logger.named('services'));
    this.checks = new CheckStore(db, serviceStore, o.logger.named('checks'));
    this.variables = new Variables({ db, dataDir: o.config.dataDir, events: this.events, logger: o.logger.named('variables'), now: this.now });
    this.networks = agentNetworks(o.config.client, o.logger.named('network'));
    this.identities = new WorkloadIdentities(Keyring.open(o.config.dataDir, this.now), db, this.now);
    this.taskApi = new TaskApiServer(o.logger.named('task_api'));
    this.launches = new PeriodicLaunchStore(db.db);
    this.childJobs = new ChildJobs(this);
    this.evals = new EvalStore(db.db);
    this.deployments = new Deployments(this);
    this.gc = new GarbageCollector({
      db,
      store: this.store,
      launches: this.launches,
      evals: this.evals,
      deployments: this.deployments.store,
      config: o.config.gc,
      dataDir: o.config.dataDir,
      allocDir: (id) => this.allocDir(id),
      liveRunner: (id) => this.sups.get(id)?.start(),
      forgetServices: (id) => this.forgetServices(id),
      onJobCollected: (id) => this.events.publish([jobEvent(this, id, 'JobBatchDeregistered', true)]),
      isClosed: () => this.closed,
      rescheduleEvents: (id) => this.reschedules.events(id),
      now: this.now,
      logger: o.logger.named('gc'),
    });
    this.periodic = new PeriodicDispatcher({
      job: (id) => this.job(id),
      jobs: () => this.jobs(),
      launches: this.launches,
      durable: (fn) => db.durable(fn),
      children: this.childJobs,
      timers: o.periodicTimers ?? { ...realTimers, now: this.now },
      logger: o.logger.named('periodic'),
    });
    this.drivers = drivers;
    this.reschedules = new RescheduleStore(db.db);
    let nodeId = db.meta('node_id');
    if (!nodeId) {
      nodeId = randomUUID();
      db.durable(() => db.setMeta('node_id', nodeId as string));
    }
    const identity = fingerprintNode({ id: nodeId, datacenter: o.config.datacenter, meta: o.config.client.meta });
    this.node = {
      ...identity,
      name: o.config.name || identity.name,
      attributes: { ...identity.attributes, 'attr.unique.network.ip-address': this.hostIp },
    };
    this.rescheduler = new Rescheduler({
      db,
      store: this.reschedules,
      nodeId: this.node.id,
      taskState: (id, task) => this.store.peekTaskState(id, task),
      // Written in the rescheduler's own transactions; the stream hears of each.
      evals: {
        get: (id) => this.evals.get(id),
        put: (e) => {
          this.evals.put(e);
          this.events.publish([evalEvent(e)]);
        },
      },
      // Through the placement stack, as any placement: the failed alloc's resources are free.
      placement: (a, job) => placeAll(job, [{ group: a.group, index: a.index }], this.placementStack([a.id])).granted[0],
      link: (rec, previous, changed) => {
        const linked = this.putReplacement(rec, previous, changed);
        // A replacement placed while the job's deployment rolls is part of it (Nomad's reschedule within a deployment).
        this.joinDeployment(linked);
        return linked;
      },
      stopped: (rec) => this.stopSupervisor(rec),
      start: (rec, job) => {
        this.startSupervisor(rec, job);
        this.deployments.afterCommit(rec.jobId);
      },
      updated: (rec) => this.events.publish([allocEvent(this, rec, 'AllocationUpdated')]),
      now: this.now,
      logger: o.logger.named('reschedule'),
    });
    // An unhealthy alloc the policy will replace leaves its deployment waiting for the replacement (up to the progress deadline).
    this.deployments.rescheduleEligible = (a) => this.reschedulingOn && (this.rescheduler.next(a)?.eligible ?? false);
    this.fingerprinted = drivers.names().filter((n) => !o.fingerprintDrivers || o.fingerprintDrivers.includes(n));
    this.fingerprints = new DriverFingerprints(this.fingerprinted.map((n) => [n, drivers.get(n)!] as const), this.now, o.logger);
    const c = o.config.client;
    const templateSources = new TemplateSourceProvider(this.variables, this.services, o.config.aclEnabled);
    this.deps = {
      db,
      store: this.store,
      drivers,
      node: this.node,
      dataDir: o.config.dataDir,
      // Nomad's defaults: root may not run tasks of the isolating drivers.
      validate: {
        userDenylist: c.userDenylist.length > 0 ? c.userDenylist : ['root'],
        checkedDrivers: c.userCheckedDrivers.length > 0 ? c.userCheckedDrivers : ['exec', 'qemu', 'java'],
      },
      hostEnv: filterHostEnv(process.env, c.envDenylist),
      hostVolumes: c.hostVolumes,
      statsIntervalMs: o.config.statsIntervalMs,
      logger: o.logger,
      now: this.now,
      random: this.random,
      onChange: (record, task, event, state) => {
        if (task !== undefined && event && state) o.onTaskEvent?.(record, task, event, state);
        if (!this.closed) this.events.publish([allocEvent(this, record, 'AllocationUpdated', task)]);
        if (!this.closed) this.deployments.allocChanged(record.id);
      },
      onTerminal: (record) => this.allocTerminal(record),
      services: this.services,
      checks: this.checks,
      ...(this.networks ? { networks: this.networks } : {}),
      // Template blocks read variables and services with the task's own workload identity.
      templates: { client: c.template, sources: (w) => templateSources.forTask(w) },
      identitySigner: this.identities,
      taskApi: this.taskApi,
    };
  }

  /** Opens the data dir's state, configures drivers, and resumes every stored allocation. */
  static async start(o: AgentOptions): Promise<Agent> {
    validatePortConfig(o.config.client);
    const ctx = { logger: o.logger, now: o.now ?? Date.now };
    const drivers = o.drivers ?? (await builtinDrivers(ctx, o.config.plugins, { dataDir: o.config.dataDir }));
    const db = new StateDB(openDatabase(o.config.dataDir));
    // Loaded only when configured: the go-plugin client (gRPC) is slow to import.
    const external = o.config.pluginDir === '' ? [] : await (await import('./external-plugins.js')).loadExternalPlugins(o.config, drivers, db, o.logger);
    const agent = new Agent(o, drivers, db);
    agent.external = external;
    await agent.fingerprints.ready(agent.fingerprinted, 2_000);
    agent.refreshNodeAttributes();
    agent.variables.start();
    agent.fingerprints.onHealthChange = () => agent.kickBlocked();
    agent.recover();
    agent.deployments.start();
    agent.periodic.start();
    agent.gc.start();
    return agent;
  }

  // ---- jobs --------------------------------------------------------------

  /** The job's current record (purging jobs are already gone for readers). */
  job(id: string): JobRecord | undefined {
    const j = this.db.job(id);
    return j && !j.purging ? j : undefined;
  }

  jobs(): JobRecord[] {
    return this.db.jobs().filter((j) => !j.purging);
  }

  /**
   * Registers a job version: a no-op when the spec did not change, else a new
   * version whose plan (place / stop / in-place) is committed before it runs.
   */
  async register(job: Job, trigger: EvalTrigger = 'job-register', submission?: JobSubmissionSource): Promise<WriteResult> {
    this.assertOpen();
    const purge = this.gc.purging(job.id);
    if (purge) await purge;
    const existing = this.db.job(job.id);
    if (existing && !existing.stop && deepEqual(existing.job, job)) {
      // The version stays; its source is kept if it had none yet (Nomad stores the first one per version).
      if (submission && !this.db.jobSubmission(job.id, existing.version)) {
        this.commit(() => this.db.putJobSubmission({ ...submission, jobId: job.id, version: existing.version, jobModifyIndex: existing.jobModifyIndex }));
      }
      // Unchanged: Nomad still evaluates, placing whatever is missing (a template gets no evaluation).
      if (isParentJob(job)) return { evalId: '', index: this.db.lastIndex, jobModifyIndex: existing.jobModifyIndex };
      return this.placeMissing(existing, trigger);
    }
    const wanted = this.db.allocsByJob(job.id).filter((a) => a.desiredStatus === 'run');
    // A periodic or parameterized job is a template: planned with no groups, so nothing of it is placed.
    const planned = isParentJob(job) ? { ...job, groups: [] } : job;
    let plan = planRegistration(existing && !existing.stop ? this.jobOf(existing) : undefined, planned, wanted);
    // An in-place update goes through Nomad's stack too: one the node no longer takes becomes destructive.
    if (plan.inPlace.length > 0) plan = keepFeasibleInPlace(plan, job, wanted, this.placementStack(plan.stop.map((s) => s.allocId), plan.inPlace));
    // Then the update strategies hold destructive changes to max_parallel (or canaries) at a time.
    const limited = this.deployments.limitRegistration(job, plan, wanted);
    const version = existing ? existing.version + 1 : 0;
    const r = this.commitPlan({
      job,
      version,
      plan: limited.plan,
      wanted,
      canaries: limited.canaries,
      trigger,
      evaluate: !isParentJob(job),
      writeJob: (index, now) => {
        this.db.putJobVersion({ id: job.id, version, job, submitTime: now });
        if (submission) this.db.putJobSubmission({ ...submission, jobId: job.id, version, jobModifyIndex: index });
        const record: JobRecord = {
          id: job.id,
          version,
          job,
          stop: false,
          purging: false,
          submitTime: now,
          createIndex: existing?.createIndex ?? index,
          modifyIndex: index,
          jobModifyIndex: index,
        };
        this.db.putJob(record);
        return record;
      },
    });
    if (job.periodic || existing?.job.periodic) this.periodic.update(job.id);
    return r;
  }

  /** The next step of a job's rolling update (the deployments call it when allocations became healthy): Nomad's deployment-watcher evaluation. */
  continueRollout(jobId: string): void {
    if (this.closed) return;
    const record = this.job(jobId);
    // A rollout only ever replaces allocations of older versions: with none left there is nothing to read.
    if (!record || record.stop || !this.db.wantsOtherVersion(jobId, record.version)) return;
    const wanted = this.db.allocsByJob(jobId).filter((a) => a.desiredStatus === 'run');
    const plan = this.deployments.nextStep(record, wanted);
    if (plan) this.commitPlan({ job: record.job, version: record.version, plan, wanted, canaries: new Set(), trigger: 'deployment-watcher', evaluate: true, jobModifyIndex: record.jobModifyIndex });
  }

  /**
   * Places a plan's allocations through the placement stack, commits the plan (with `writeJob`,
   * a new job version) and its evaluation in one durable transaction, and acts on it. What the
   * node cannot take is left unplaced (a blocked evaluation waits for room); an update whose
   * replacement cannot be placed keeps its old alloc running.
   */
  private commitPlan(o: {
    job: Job;
    version: number;
    plan: Plan;
    wanted: readonly AllocRecord[];
    canaries: ReadonlySet<string>;
    trigger: EvalTrigger;
    /** Whether to record an evaluation (a template job gets none). */
    evaluate: boolean;
    writeJob?: (index: number, now: number) => JobRecord;
    /** For writes without a new version: the job's modify index the evaluation names. */
    jobModifyIndex?: number;
    /** The blocked evaluation being retried: updated instead of a new one written. */
    blocked?: Evaluation;
    /** A shared view of the node (a pass over many blocked evaluations); used only when the plan stops nothing. */
    shared?: PlacementStack;
  }): WriteResult {
    const { job, version, wanted } = o;
    const stack = o.shared && o.plan.stop.length === 0 ? o.shared : this.placementStack(o.plan.stop.map((s) => s.allocId));
    const outcome = placeAll(job, o.plan.place, stack);
    const plan = withoutUnplacedUpdates(o.plan, wanted, grantedNames(outcome));
    const stillBlocked = Object.keys(outcome.failed).length > 0;
    // A retry that changes nothing (no placement, no stop, no alloc moving to this version) writes nothing.
    const moving = plan.inPlace.some((id) => wanted.find((a) => a.id === id)?.jobVersion !== version);
    if (o.blocked && outcome.granted.length === 0 && plan.stop.length === 0 && !moving && stillBlocked) {
      return { evalId: o.blocked.id, index: this.db.lastIndex, jobModifyIndex: o.jobModifyIndex ?? 0, plan, failed: outcome.failed };
    }
    const now = this.now();
    const placed: AllocRecord[] = [];
    const changed: AllocRecord[] = [];
    let evalId = '';
    let jobModifyIndex = o.jobModifyIndex ?? 0;
    const index = this.commit(() => {
      const index = this.db.nextIndex();
      const record = o.writeJob?.(index, now);
      if (record) jobModifyIndex = record.jobModifyIndex;
      if (o.blocked) {
        evalId = o.blocked.id;
        this.putEval({ ...o.blocked, status: stillBlocked ? 'blocked' : 'complete', failedTGAllocs: outcome.failed, queuedAllocations: outcome.queued, modifyIndex: index, modifyTime: now });
      } else if (o.evaluate) evalId = this.putEvals(this.evalFor(job, index, o.trigger, now, jobModifyIndex), outcome).id;
      for (const s of plan.stop) changed.push(this.writeDesired(s.allocId, 'stop', s.description, index));
      for (const id of plan.inPlace) {
        const a = this.db.alloc(id) as AllocRecord;
        if (a.jobVersion === version) continue;
        const next = { ...a, jobVersion: version, modifyTime: now, modifyIndex: index };
        this.db.putAlloc(next);
        changed.push(next);
      }
      placed.push(...this.putPlacements(job, version, outcome, changed, { index, now, evalId }));
      const inPlace = changed.filter((r) => r.desiredStatus === 'run');
      this.deployments.onCommit({ job, record: record ?? (this.db.job(job.id) as JobRecord), index, placed, inPlace, plan, canaries: o.canaries, newVersion: record !== undefined });
      return index;
    });
    if (o.writeJob) this.events.publish([jobEvent(this, job.id, 'JobRegistered')]);
    this.apply(job, plan, changed, placed);
    this.deployments.afterCommit(job.id);
    if (plan.stop.length > 0) this.kickBlocked();
    return { evalId, index, jobModifyIndex, plan, failed: outcome.failed };
  }

  /** Stops a job (Nomad's deregister); with purge, the job and its allocs leave the state once stopped. */
  deregister(id: string, purge: boolean): WriteResult {
    this.assertOpen();
    const existing = this.db.job(id);
    if (!existing || existing.purging) throw new NotFoundError('job not found');
    const changed: AllocRecord[] = [];
    let evalId = '';
    const index = this.commit(() => {
      const index = this.db.nextIndex();
      this.db.putJob({ ...existing, stop: true, purging: purge, modifyIndex: index, jobModifyIndex: existing.stop ? existing.jobModifyIndex : index });
      for (const a of this.db.allocsByJob(id)) {
        if (a.desiredStatus === 'run') changed.push(this.writeDesired(a.id, 'stop', STOP_REASONS.jobStopped, index));
      }
      if (!isParentJob(existing.job)) evalId = this.putEvals(this.evalFor(existing.job, index, 'job-deregister', this.now())).id;
      this.deployments.onJobStopped(id, index);
      return index;
    });
    this.events.publish([jobEvent(this, id, 'JobDeregistered', purge)]);
    for (const a of changed) this.stopSupervisor(a);
    if (changed.length > 0) this.kickBlocked();
    if (existing.job.periodic) this.periodic.update(id);
    if (purge) {
      this.gc.schedulePurge(id);
      // Purging a template purges its children (stopping it leaves them running, as Nomad).
      for (const c of childrenOf(this.jobs(), id)) this.deregister(c.id, true);
    }
    return { evalId, index, jobModifyIndex: index };
  }

  // ---- allocations -------------------------------------------------------

  /** The allocation by full id or unique prefix. */
  alloc(idOrPrefix: string): AllocView | undefined {
    const rec = this.db.alloc(idOrPrefix) ?? (idOrPrefix.length >= 1 ? this.db.allocByPrefix(idOrPrefix) : undefined);
    return rec && this.view(rec);
  }

  allocs(jobId?: string): AllocView[] {
    return (jobId === undefined ? this.db.allocs() : this.db.allocsByJob(jobId)).map((a) => this.view(a));
  }

  /** The live supervisor of an alloc, while its runner runs. */
  supervisor(allocId: string): AllocSupervisor | undefined {
    return this.sups.get(allocId);
  }

  /** The allocation's directory on this host. */
  allocDir(allocId: string): string {
    return allocDirOf(this.config.dataDir, allocId);
  }

  /** Stops one allocation (Nomad's alloc stop): a replacement is placed unless the job is stopped. */
  stopAlloc(allocId: string): { evalId: string; index: number } {
    this.assertOpen();
    const a = this.db.alloc(allocId);
    if (!a) throw new NotFoundError('alloc not found');
    const job = this.db.job(a.jobId);
    let replacement: AllocRecord | undefined;
    let changed: AllocRecord | undefined;
    const replace = a.desiredStatus === 'run' && job && !job.stop && !a.terminal;
    const outcome = replace ? placeAll(job.job, [{ group: a.group, index: a.index }], this.placementStack([a.id])) : undefined;
    let evalId = '';
    const index = this.commit(() => {
      const index = this.db.nextIndex();
      if (a.desiredStatus === 'run') changed = this.writeDesired(a.id, 'stop', STOP_REASONS.userStop, index);
      if (job) evalId = this.putEvals(this.evalFor(job.job, index, 'alloc-stop', this.now(), job.jobModifyIndex), outcome).id;
      const place = outcome?.granted[0];
      if (changed && job && place) {
        const stopped = [changed];
        const rec = { ...newAllocRecord(place.id, job.job, a.group, a.index, job.version, this.now(), index, place.network), evalId };
        replacement = this.putReplacement(rec, changed, stopped);
        changed = stopped[0];
      }
      return index;
    });
    if (changed) this.stopSupervisor(changed);
    if (replacement && job) this.startSupervisor(replacement, job.job);
    this.kickBlocked();
    return { evalId, index };
  }

  /** Evaluations, newest first (of one job when given). */
  evaluations(jobId?: string): Evaluation[] {
    return jobId === undefined ? this.evals.all() : this.evals.byJob(jobId);
  }

  /** The evaluation by full id or unique prefix. */
  evaluation(idOrPrefix: string): Evaluation | undefined {
    return this.evals.get(idOrPrefix) ?? (idOrPrefix.length > 0 ? this.evals.byPrefix(idOrPrefix) : undefined);
  }

  // ---- lifecycle ---------------------------------------------------------

  /** Stops supervising (Nomad's client shutdown): tasks keep running and are re-attached on the next start. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fingerprints.stop();
    this.periodic.stop();
    this.deployments.stop();
    this.rescheduler.stop();
    this.gc.stop();
    await Promise.all([...this.sups.values()].map((s) => s.shutdown()));
    await this.taskApi.shutdown();
    // Shutdown goes on past a failing driver or plugin (the database must still close), but says which failed.
    for (const name of this.drivers.names()) {
      const d = this.drivers.get(name);
      if (d && isDriverShutdowner(d)) {
        await d.shutdown({ signal: AbortSignal.timeout(5_000) }).catch((err: unknown) => this.logger.warn('driver shutdown failed', { driver: name, error: errorMessage(err) }));
      }
    }
    await Promise.all(
      this.external.map((e) => e.kill().catch((err: unknown) => this.logger.warn('stopping plugin failed', { driver: e.name, pid: e.pid(), error: errorMessage(err) }))),
    );
    this.variables.close();
    this.store.flush();
    this.db.close();
  }

  /** Live supervisors (for metrics). */
  get liveAllocs(): number {
    return this.sups.size;
  }

  /** Resolves when the allocation's runner has ended for good (at once if it already has). */
  async waitAlloc(allocId: string): Promise<void> {
    await this.sups.get(allocId)?.start();
  }

  // ---- internals ---------------------------------------------------------

  private view(rec: AllocRecord): AllocView {
    const sup = this.sups.get(rec.id);
    const job = sup?.job ?? this.db.jobVersion(rec.jobId, rec.jobVersion)?.job;
    if (!job) return { record: rec, job: placeholderJob(rec.jobId), states: new Map() };
    const group = job.groups.find((g) => g.name === rec.group);
    const states = new Map<string, Readonly<TaskState>>();
    for (const t of group?.tasks ?? []) states.set(t.name, this.store.peekTaskState(rec.id, t.name) ?? newTaskState());
    const deployment = this.deployments.store.alloc(rec.id);
    return { record: rec, job, states, reschedule: this.reschedules.get(rec.id), ...(deployment ? { deployment } : {}) };
  }

  /** The port index of the live allocations, less those `leaving` (being stopped by the same write: Nomad frees their ports at once). */
  private portIndex(leaving: readonly string[]): PortIndex {
    const gone = new Set(leaving);
    return new PortIndex(this.config.client, this.hostIp, this.random, this.db.allocs().filter((a) => !gone.has(a.id)));
  }

  /**
   * The placement stack over this node as it stands: the allocations that
   * occupy it, less those `leaving` (stopped by the same write: Nomad frees
   * their resources and ports at once).
   */
  private placementStack(leaving: readonly string[], updating: readonly string[] = []): PlacementStack {
    const gone = new Set([...leaving, ...updating]);
    const residents: Resident[] = [];
    for (const a of this.db.occupyingAllocs()) {
      if (gone.has(a.id)) continue;
      const group = this.db.jobVersion(a.jobId, a.jobVersion)?.job.groups.find((g) => g.name === a.group);
      if (group) residents.push({ jobId: a.jobId, group: a.group, ask: groupAsk(group, this.totals.mhzPerCore) });
    }
    const drivers = new Map<string, HealthState>();
    for (const [name, st] of this.fingerprints.all()) drivers.set(name, st.fingerprint.health);
    const node = {
      facts: constraintNode(this),
      drivers,
      hostVolumes: this.config.client.hostVolumes,
      available: allocatable(this.totals, this.config.client),
      mhzPerCore: this.totals.mhzPerCore,
    };
    return new PlacementStack(node, residents, () => this.portIndex(leaving));
  }

  /**
   * Writes the granted placements (in the caller's transaction). Nomad's PreviousAllocation:
   * a replacement follows the alloc of the same name stopped for the update, found in `changed`.
   */
  private putPlacements(job: Job, version: number, outcome: PlacementOutcome, changed: AllocRecord[], at: { index: number; now: number; evalId: string }): AllocRecord[] {
    const replaced = changed.filter((r) => r.desiredStatus === 'stop' && r.desiredDescription === STOP_REASONS.update);
    return outcome.granted.map((p) => {
      const previous = replaced.find((r) => r.group === p.group && r.index === p.index);
      const rec = { ...newAllocRecord(p.id, job, p.group, p.index, version, at.now, at.index, p.network), evalId: at.evalId };
      return this.putReplacement(rec, previous, changed);
    });
  }

  /** Adds a placement made outside a registration (a reschedule) to the job's active deployment, in the caller's transaction. */
  private joinDeployment(rec: AllocRecord): void {
    const job = this.db.job(rec.jobId);
    if (!job) return;
    const plan: Plan = { place: [], stop: [], inPlace: [], destructive: {} };
    this.deployments.onCommit({ job: job.job, record: job, index: rec.modifyIndex, placed: [rec], inPlace: [], plan, canaries: new Set(), newVersion: false });
  }

  /** The job version each of the job's allocs runs (the current one, read once). */
  private jobOf(rec: JobRecord): JobOf {
    return (a) => (a.jobVersion === rec.version ? rec.job : this.db.jobVersion(a.jobId, a.jobVersion)?.job);
  }

  private evalFor(job: Job, index: number, trigger: EvalTrigger, now: number, jobModifyIndex = index): NewEval {
    return { job, jobModifyIndex, trigger, index, now, nodeId: this.node.id };
  }

  /**
   * Writes an evaluation (and its blocked follow-up when groups went unplaced), in the caller's
   * transaction. One that planned the whole job (a registration) supersedes the job's earlier
   * blocked evaluation; one that planned only part of it (an alloc stop's replacement, a rollout
   * step) leaves it waiting, since what it still has to place was not looked at.
   */
  private putEvals(e: NewEval, outcome: PlacementOutcome = { granted: [], failed: {}, queued: {} }): Evaluation {
    const partial = e.trigger === 'alloc-stop' || e.trigger === 'deployment-watcher';
    for (const old of partial ? [] : this.evals.byJob(e.job.id)) {
      if (old.status === 'blocked') this.putEval({ ...old, status: 'canceled', statusDescription: EVAL_CANCEL_REASONS.superseded, modifyIndex: e.index, modifyTime: e.now });
    }
    const r = evaluationRecords(e, outcome);
    this.putEval(r.eval);
    if (r.blocked) this.putEval(r.blocked);
    return r.eval;
  }

  /** Stores an evaluation (in the caller's transaction); its event goes out once committed. */
  private putEval(e: Evaluation): void {
    this.evals.put(e);
    this.evalEvents.push(evalEvent(e));
  }

  /** db.durable, publishing the evaluation events of the write once it is committed (none when it rolled back). */
  private commit<T>(fn: () => T): T {
    try {
      const r = this.db.durable(fn);
      this.events.publish(this.evalEvents.splice(0));
      return r;
    } catch (err) {
      this.evalEvents = [];
      throw err;
    }
  }

  /**
   * Places what the job's current version wants and nothing holds (after an unplaced
   * registration, or an unchanged re-registration). `blocked`: the blocked evaluation
   * being retried, which the result updates (complete once nothing is left unplaced).
   */
  private placeMissing(rec: JobRecord, trigger: EvalTrigger, blocked?: Evaluation, shared?: PlacementStack): WriteResult {
    const wanted = this.db.allocsByJob(rec.id).filter((a) => a.desiredStatus === 'run');
    const draft = planRegistration(this.jobOf(rec), rec.job, wanted);
    // A group with an update strategy rolls its old allocs (and keeps canaries beside them) through its deployment:
    // here it only gets the names nothing holds. Other groups also retry an update the node could not take before.
    const rolling = new Set(rec.job.groups.filter((g) => rolls(g)).map((g) => g.name));
    const held = new Set(wanted.map((a) => `${a.group}[${a.index}]`));
    const groupOf = (id: string) => wanted.find((a) => a.id === id)?.group ?? '';
    let plan: Plan = {
      place: draft.place.filter((p) => !rolling.has(p.group) || !held.has(`${p.group}[${p.index}]`)),
      stop: draft.stop.filter((x) => !rolling.has(groupOf(x.allocId))),
      inPlace: draft.inPlace.filter((id) => !rolling.has(groupOf(id))),
      destructive: draft.destructive,
    };
    // Allocs left at an older version are re-checked against the node like a placement; current ones stay as they are.
    const behind = wanted.filter((a) => plan.inPlace.includes(a.id) && a.jobVersion !== rec.version);
    if (behind.length > 0) plan = keepFeasibleInPlace(plan, rec.job, behind, this.placementStack(plan.stop.map((x) => x.allocId), behind.map((a) => a.id)));
    return this.commitPlan({
      job: rec.job,
      version: rec.version,
      plan,
      wanted,
      canaries: new Set(),
      trigger,
      evaluate: true,
      jobModifyIndex: rec.jobModifyIndex,
      ...(blocked ? { blocked } : {}),
      ...(shared ? { shared } : {}),
    });
  }

  /** Queues one retry of every blocked evaluation (capacity may have freed up); several kicks in a tick make one retry. */
  kickBlocked(): void {
    if (this.unblockQueued || this.closed) return;
    this.unblockQueued = true;
    setImmediate(() => {
      this.unblockQueued = false;
      if (!this.closed) this.retryBlocked();
    });
  }

  private retryBlocked(): void {
    const blocked = this.evals.byStatus('blocked');
    const shared = blocked.length > 0 ? this.placementStack([]) : undefined;
    for (const b of blocked) {
      const rec = this.job(b.jobId);
      try {
        if (!rec || rec.stop) {
          this.commit(() => this.putEval({ ...b, status: 'canceled', statusDescription: EVAL_CANCEL_REASONS.superseded, modifyIndex: this.db.nextIndex(), modifyTime: this.now() }));
          continue;
        }
        this.placeMissing(rec, 'queued-allocs', b, shared);
      } catch (err) {
        this.logger.error('retrying a blocked evaluation failed', { eval_id: b.id, job: b.jobId, error: errorMessage(err) });
      }
    }
  }

  private writeDesired(allocId: string, desired: 'run' | 'stop', description: string, index: number): AllocRecord {
    const a = this.db.alloc(allocId) as AllocRecord;
    const next: AllocRecord = { ...a, desiredStatus: desired, desiredDescription: description, modifyTime: this.now(), modifyIndex: index };
    this.db.putAlloc(next);
    return next;
  }

  private apply(job: Job, plan: Plan, changed: AllocRecord[], placed: AllocRecord[]): void {
    for (const rec of changed) {
      const sup = this.sups.get(rec.id);
      if (rec.desiredStatus === 'stop') this.stopSupervisor(rec);
      else if (sup) {
        sup.setRecord(rec);
        void sup.updateInPlace(job).catch((err: unknown) => this.logger.warn('in-place update failed', { alloc_id: rec.id, error: errorMessage(err) }));
      }
    }
    for (const rec of placed) this.startSupervisor(rec, job, true);
    if (Object.keys(plan.destructive).length > 0) this.logger.info('destructive update', { job: job.id, groups: plan.destructive });
  }

  /**
   * Writes `rec` as the replacement of `previous` (in the caller's transaction): each names the
   * other, and the stopped record in `changed` is swapped for the one that names its replacement.
   */
  private putReplacement(rec: AllocRecord, previous: AllocRecord | undefined, changed: AllocRecord[]): AllocRecord {
    const next = previous ? { ...rec, previousAllocation: previous.id } : rec;
    this.db.putAlloc(next);
    if (previous) {
      const linked = { ...previous, nextAllocation: rec.id };
      this.db.putAlloc(linked);
      const i = changed.findIndex((c) => c.id === previous.id);
      if (i >= 0) changed[i] = linked;
    }
    return next;
  }

  /**
   * `queued`: start the runner from the start queue rather than at once. A plan places many allocs
   * in one call; started together, their hooks advance in lockstep on the microtask queue and the
   * first task reaches the executor only after every alloc has built its dirs (about 3 ms each). One
   * per macrotask, each runs to its first real I/O (the launch), so the executor starts the first
   * task while the agent prepares the next, and the HTTP reply does not wait for them.
   */
  private startSupervisor(rec: AllocRecord, job: Job, queued = false): void {
    if (this.closed) return;
    // The alloc it replaces, while it is still in the state (a GC'd one has long ended).
    const replaces = rec.previousAllocation ? this.db.alloc(rec.previousAllocation) : undefined;
    let sup: AllocSupervisor;
    try {
      sup = new AllocSupervisor(this.deps, rec, job, replaces && this.previousAlloc(replaces));
    } catch (err) {
      this.failAlloc(rec, errorMessage(err));
      return;
    }
    this.sups.set(rec.id, sup);
    if (!queued) void sup.start();
    else if (this.toStart.push(sup) === 1) setImmediate(() => this.startQueued());
    this.events.publish([allocEvent(this, rec, 'AllocationUpdated')]);
  }

  /** Starts the next queued runner; the rest follow in later macrotasks, after any I/O that came in. */
  private startQueued(): void {
    if (this.closed) {
      this.toStart.length = 0;
      return;
    }
    void this.toStart.shift()?.start();
    if (this.toStart.length > 0) setImmediate(() => this.startQueued());
  }

  /** What a replacement needs of the alloc it replaces: its dir, and when it ends (now, when its runner is gone). */
  private previousAlloc(rec: AllocRecord): PreviousAlloc {
    return { id: rec.id, dir: this.allocDir(rec.id), ended: this.sups.get(rec.id)?.ended ?? Promise.resolve() };
  }

  private stopSupervisor(rec: AllocRecord): void {
    const sup = this.sups.get(rec.id);
    this.events.publish([allocEvent(this, rec, 'AllocationUpdateDesiredStatus')]);
    if (!sup) return;
    sup.setRecord(rec);
    void sup.kill();
  }

  private allocTerminal(rec: AllocRecord): void {
    this.sups.delete(rec.id);
    this.forgetServices(rec.id);
    this.kickBlocked();
    const job = this.db.job(rec.jobId);
    if (job?.purging) this.gc.schedulePurge(job.id);
    else if (!this.closed && this.reschedulingOn) this.rescheduler.allocEnded(rec.id);
  }

  /** An alloc that cannot even be built (unknown driver, lost job version): failed and terminal. */
  private failAlloc(rec: AllocRecord, why: string): void {
    this.logger.error('cannot run allocation', { alloc_id: rec.id, error: why });
    this.db.putAlloc({ ...rec, clientStatus: 'failed', clientDescription: why, terminal: true, modifyTime: this.now(), modifyIndex: this.db.nextIndex() });
  }

  /** Replays the database after a start: resume live allocs, finish stops and purges. */
  private recover(): void {
    for (const rec of this.db.allocs()) {
      if (rec.terminal) continue;
      const job = this.db.jobVersion(rec.jobId, rec.jobVersion)?.job;
      if (!job) {
        this.failAlloc(rec, `job ${rec.jobId} version ${rec.jobVersion} is missing from state`);
        continue;
      }
      this.startSupervisor(rec, job);
      if (rec.desiredStatus === 'stop') void this.sups.get(rec.id)?.kill();
    }
    for (const j of this.db.jobs()) if (j.purging) this.gc.schedulePurge(j.id);
    if (this.reschedulingOn) this.rescheduler.recover();
    // Registrations and check results of allocs that ended or were purged just before a crash.
    this.services.sweep();
    this.checks.sweep();
    if (this.networks) sweepEndedNetworks(this.networks, this.db.allocs(), this.logger);
    // The node may have more room (or drivers) than when these were blocked.
    this.kickBlocked();
  }

  /**
   * Drops an ended or purged alloc's service registrations and check results
   * (Nomad's state store deregisters a client-terminal alloc's services; the
   * runners should have done it already). A failure is logged: the alloc's
   * end must still be recorded, and the next start sweeps again.
   */
  private forgetServices(allocId: string): void {
    if (this.closed) return;
    try {
      this.services.removeAlloc(allocId);
      this.checks.purge(allocId);
    } catch (err) {
      this.logger.error('removing service registrations failed', { alloc_id: allocId, error: errorMessage(err) });
    }
  }

  private refreshNodeAttributes(): void {
    const attrs = this.node.attributes as Record<string, string>;
    const host = hostAttributes(this.config.dataDir);
    for (const [k, v] of Object.entries(host)) attrs[`attr.${k}`] = v;
    this.totals = { mhzPerCore: cpuMhz(), cores: cpus().length, memoryBytes: totalmem(), diskFreeBytes: Number(host['unique.storage.bytesfree'] ?? 0) };
    for (const [k, v] of Object.entries(this.fingerprints.attributes())) attrs[`attr.${k}`] = v;
  }

  private assertOpen(): void {
    if (this.closed) throw new DroverError('unavailable', 'agent is shutting down');
  }
}
