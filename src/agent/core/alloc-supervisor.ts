/**
 * Supervises one allocation for the agent: builds its AllocRunner from the
 * stored record and job version, runs it, and keeps the alloc's client
 * status in the state database as its tasks change. When the runner ends
 * for good (not an agent shutdown) the alloc is marked terminal, so a later
 * agent start leaves it alone.
 */
import type { HostVolumeConfig } from '../../model/volume.js';
import { join } from 'node:path';
import type { Job, TaskGroup } from '../../model/job.js';
import type { TaskEvent } from '../../model/task-event.js';
import type { TaskState } from '../../model/task-state.js';
import { DroverError, errorMessage } from '../../model/errors.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import type { Logger } from '../../model/logger.js';
import { AllocRunner, type AllocClientStatus } from '../../taskrunner/alloc-runner.js';
import type { ValidateHookConfig } from '../../taskrunner/hooks/validate-hook.js';
import type { NodeIdentity } from '../node.js';
import type { AllocRecord, StateDB } from '../state/state-db.js';
import type { SqliteTaskStateStore } from '../state/task-store.js';
import type { CheckResultSink, ServiceRegistrationHandler } from '../../taskrunner/services/types.js';
import type { AllocNetworks } from '../../taskrunner/network/alloc-network.js';
import type { TemplateSettings } from '../../taskrunner/hooks/template-hook/template-hook.js';
import type { WorkloadIdentitySigner } from '../../taskrunner/hooks/identity-hook.js';
import type { TaskApiListener } from '../../taskrunner/hooks/api-hook.js';
import type { PreviousAlloc } from '../../taskrunner/alloc-hooks/sticky-disk-hook.js';

/** What every supervisor shares (the agent's parts). */
/** How often a failed write of the alloc's status is tried again. */
const RETRY_MS = 1_000;

export interface SupervisorDeps {
  readonly db: StateDB;
  readonly store: SqliteTaskStateStore;
  readonly drivers: DriverRegistry;
  readonly node: NodeIdentity;
  readonly dataDir: string;
  readonly validate: ValidateHookConfig;
  /** The agent's environment minus Nomad's deny list, inherited by tasks. */
  readonly hostEnv: Readonly<Record<string, string>>;
  /** The node's host volumes (client host_volume blocks); none when absent. */
  readonly hostVolumes?: Readonly<Record<string, HostVolumeConfig>>;
  readonly statsIntervalMs: number;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
  /** Told after the alloc's record or one of its tasks changed. */
  readonly onChange: (alloc: AllocRecord, task?: string, event?: TaskEvent, state?: Readonly<TaskState>) => void;
  /** Told once when the alloc's runner ended for good. */
  readonly onTerminal: (alloc: AllocRecord) => void;
  /** The agent's service registry (Nomad's native provider), handed to every alloc runner. */
  readonly services: ServiceRegistrationHandler;
  /** The agent's check result store, handed to every alloc runner. */
  readonly checks: CheckResultSink;
  /** Makes bridge/none/cni allocation networks; absent when the agent is not root. */
  readonly networks?: AllocNetworks;
  /** What template blocks render with: the agent's variables and services (sources), the engine, client template settings. */
  readonly templates?: TemplateSettings;
  /** Signs the tasks' workload identities. */
  readonly identitySigner?: WorkloadIdentitySigner;
  /** Serves the tasks' secrets/api.sock. */
  readonly taskApi?: TaskApiListener;
}

/** Nomad's ClientDescription for each client status. */
const CLIENT_DESCRIPTIONS: Record<AllocClientStatus, string> = {
  pending: 'No tasks have started',
  running: 'Tasks are running',
  complete: 'All tasks have completed',
  failed: 'Failed tasks',
};

/** The alloc dir of an allocation under the agent's data dir (Nomad's data_dir/alloc/ID). */
export function allocDirOf(dataDir: string, allocId: string): string {
  return join(dataDir, 'alloc', allocId);
}

export class AllocSupervisor {
  record: AllocRecord;
  job: Job;
  readonly runner: AllocRunner;
  private readonly deps: SupervisorDeps;
  private shuttingDown = false;
  private running: Promise<void> | undefined;
  private markEnded: () => void = () => undefined;
  /** A client-side change whose write failed, written again by the retry timer. */
  private unwritten: Partial<AllocRecord> | undefined;
  private retry: NodeJS.Timeout | undefined;
  /** Resolves once the runner ended for good (never on an agent shutdown, when tasks keep running). */
  readonly ended = new Promise<void>((resolve) => (this.markEnded = resolve));

  /** `previous`: the allocation this one replaces (its sticky ephemeral disk is moved over). */
  constructor(deps: SupervisorDeps, record: AllocRecord, job: Job, previous?: PreviousAlloc) {
    this.deps = deps;
    this.record = record;
    this.job = job;
    const group = job.groups.find((g) => g.name === record.group);
    if (!group) throw new DroverError('internal', `job ${job.id} version has no group "${record.group}"`);
    this.runner = new AllocRunner({
      alloc: { id: record.id, index: record.index, dir: allocDirOf(deps.dataDir, record.id), job, group, createTime: record.createTime, ...(record.network ? { network: record.network } : {}) },
      driver: (name) => deps.drivers.get(name),
      store: deps.store,
      node: deps.node,
      validate: deps.validate,
      hostEnv: deps.hostEnv,
      ...(deps.hostVolumes ? { hostVolumes: deps.hostVolumes } : {}),
      statsIntervalMs: deps.statsIntervalMs,
      now: deps.now,
      random: deps.random,
      logger: deps.logger,
      services: { handler: deps.services, checks: deps.checks },
      ...(deps.networks ? { networks: deps.networks } : {}),
      ...(deps.templates ? { templates: deps.templates } : {}),
      ...(deps.identitySigner ? { identitySigner: deps.identitySigner } : {}),
      ...(deps.taskApi ? { taskApi: deps.taskApi } : {}),
      ...(previous ? { previousAlloc: previous } : {}),
      onTaskUpdate: (_id, task, state, event) => {
        // Runners emit "Received" while the AllocRunner is still being built.
        if (this.runner) this.refreshStatus();
        deps.onChange(this.record, task, event, state);
      },
    });
  }

  /** The task group this alloc runs. */
  get group(): TaskGroup {
    return this.job.groups.find((g) => g.name === this.record.group) as TaskGroup;
  }

  /** Starts (or, after an agent restart, resumes) the runner; resolves when it ends. */
  start(): Promise<void> {
    this.running ??= this.runner.run().then(
      () => this.finished(),
      (err: unknown) => {
        this.deps.logger.error('alloc runner failed', { alloc_id: this.record.id, error: errorMessage(err) });
        this.finished();
      },
    );
    return this.running;
  }

  /** Kills every task (desired status is already stored as "stop"). */
  kill(): Promise<void> {
    return this.runner.kill();
  }

  /** Moves the running alloc to a new job version without restarting tasks (Update hooks run). */
  async updateInPlace(job: Job): Promise<void> {
    const group = job.groups.find((g) => g.name === this.record.group);
    if (!group) return;
    this.job = job;
    await this.runner.updateGroup(group);
    await Promise.all(group.tasks.map(async (t) => this.runner.task(t.name)?.update(t)));
  }

  /** Replaces the record after the agent wrote a new one (desired status, version). */
  setRecord(record: AllocRecord): void {
    this.record = record;
  }

  /** Agent shutdown: stop supervising, leave tasks running. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    // Never started (still in the agent's start queue): nothing runs, and the next agent start runs it from its record.
    if (!this.running) return;
    await this.runner.shutdown();
    await this.running;
  }

  /** Writes the client status when it changed (not fsynced: the task states it derives from are not either). */
  private refreshStatus(): void {
    const status = this.runner.clientStatus();
    if (status === this.record.clientStatus || this.shuttingDown) return;
    this.write({ clientStatus: status, clientDescription: this.runner.clientDescription() ?? CLIENT_DESCRIPTIONS[status] });
  }

  private finished(): void {
    if (this.shuttingDown) return;
    const status = this.runner.clientStatus();
    this.write({ clientStatus: status, clientDescription: this.runner.clientDescription() ?? CLIENT_DESCRIPTIONS[status], terminal: true });
    this.markEnded();
    this.deps.onTerminal(this.record);
  }

  /**
   * Writes a client-side change of the alloc's row. A failed write (the data
   * dir's disk is full) must not throw into the task runner that reported the
   * change: the change is kept, logged, and written again every RETRY_MS
   * (merged with later ones) until the disk takes it.
   */
  private write(change: Partial<AllocRecord>): void {
    const db = this.deps.db;
    const merged = { ...this.unwritten, ...change };
    let written: AllocRecord | undefined;
    try {
      // The alloc may have been purged meanwhile: never resurrect its row.
      written = db.atomic(() => {
        const current = db.alloc(this.record.id);
        if (!current) return undefined;
        const record = { ...current, ...merged, modifyTime: this.deps.now(), modifyIndex: db.nextIndex() };
        db.putAlloc(record);
        return record;
      });
    } catch (err) {
      if (this.unwritten === undefined) this.deps.logger.error('error persisting allocation status; written again once the data dir takes it', { alloc_id: this.record.id, error: errorMessage(err) });
      this.unwritten = merged;
      this.retry ??= setTimeout(() => {
        this.retry = undefined;
        if (this.unwritten !== undefined) this.write({});
      }, RETRY_MS).unref();
      return;
    }
    this.unwritten = undefined;
    if (!written) return;
    this.record = written;
    this.deps.onChange(this.record);
  }

}
