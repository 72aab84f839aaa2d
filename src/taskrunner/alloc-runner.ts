/**
 * Runs the tasks of one allocation (Nomad's allocRunner): builds the shared
 * alloc dir, starts a task runner per task behind the lifecycle coordinator,
 * and reacts to task state changes — a failed task kills its siblings, a dead
 * leader kills the rest, and when only sidecars remain they are stopped.
 *
 * Allocation-level work (group services and their checks, the group's
 * shutdown_delay) lives in alloc hooks (alloc-hooks/), run here at Nomad's
 * points: Prerun before any task starts, PreKill at the start of a kill,
 * Postrun once every task is done — a small copy of Nomad's RunnerHook
 * phases rather than special cases in this file.
 */
import type { HostVolumeConfig } from '../model/volume.js';
import type { TaskGroup } from '../model/job.js';
import { join } from 'node:path';
import { newEvent, type TaskEvent } from '../model/task-event.js';
import type { TaskState } from '../model/task-state.js';
import { DroverError } from '../model/errors.js';
import type { DriverPlugin } from '../drivers/types.js';
import type { Logger } from '../model/logger.js';
import { TaskRunner, type AllocContext, taskDirPaths } from './task-runner.js';
import { Coordinator } from './coordinator.js';
import { builtinHooks } from './hooks/index.js';
import { ensureDir } from './hooks/task-dir-hook.js';
import type { ValidateHookConfig } from './hooks/validate-hook.js';
import type { TaskStateStore } from './state-store.js';
import type { NodeFacts } from './task-env.js';
import type { CheckResultSink, ServiceRegistrationHandler } from './services/types.js';
import { ServiceHook } from './hooks/service-hook.js';
import { allocName } from './services/alloc-env.js';
import { AllocHookRunner } from './alloc-hooks/runner.js';
import { GroupServiceHook } from './alloc-hooks/group-service-hook.js';
import { NetworkHook } from './alloc-hooks/network-hook.js';
import type { AllocNetworks } from './network/alloc-network.js';
import type { AllocatedNetwork } from '../model/network.js';
import type { CheckClock } from './checks/types.js';
import type { TemplateSettings } from './hooks/template-hook/template-hook.js';
import type { WorkloadIdentitySigner } from './hooks/identity-hook.js';
import type { TaskApiListener } from './hooks/api-hook.js';
import { sleep } from './abort.js';
import { StickyDiskHook, type PreviousAlloc } from './alloc-hooks/sticky-disk-hook.js';
import { AwaitPreviousAllocHook } from './alloc-hooks/await-previous-alloc-hook.js';
import { stickyDisk } from '../model/job-rules.js';
import { MaxRunDurationHook } from './alloc-hooks/max-run-duration-hook.js';
import { MAX_RUN_DURATION_REASON } from '../model/group-limits.js';

export type AllocClientStatus = 'pending' | 'running' | 'complete' | 'failed';

export interface AllocRunnerConfig {
  readonly alloc: AllocContext;
  readonly driver: (name: string) => DriverPlugin | undefined;
  readonly store: TaskStateStore;
  readonly node: NodeFacts & { readonly id: string; readonly name: string };
  readonly validate: ValidateHookConfig;
  readonly statsIntervalMs: number;
  /** The agent's filtered environment, inherited by tasks (Nomad's SetHostEnvvars); none when absent. */
  readonly hostEnv?: Readonly<Record<string, string>>;
  /** The node's host volumes (client host_volume blocks); none when absent. */
  readonly hostVolumes?: Readonly<Record<string, HostVolumeConfig>>;
  /** Unix ms (wall clock). */
  readonly now: () => number;
  /** Milliseconds on a clock that never steps, for intervals (the restart policy's, check_restart's grace); default performance.now. */
  readonly monotonic?: () => number;
  readonly random: () => number;
  readonly logger: Logger;
  /** Native service registration and check results (the agent's registry); without it no service is registered. */
  readonly services?: { readonly handler: ServiceRegistrationHandler; readonly checks: CheckResultSink };
  /** Makes allocations' network namespaces (bridge, none, cni/<name>); absent where the agent cannot (not root). */
  readonly networks?: AllocNetworks;
  /** The clock checks and the group shutdown_delay use; real time on `now` when absent. */
  readonly checkClock?: CheckClock;
  /** Template sources (the agent's variables and services), engine and client template settings. */
  readonly templates?: TemplateSettings;
  /** Signs workload identities (the agent's keyring); without it identity blocks give tasks nothing. */
  readonly identitySigner?: WorkloadIdentitySigner;
  /** Renewal floor for ttl'd identities (Nomad's 10 s); tests shorten it. */
  readonly identityMinRenewWaitMs?: number;
  /** Serves each task's API socket (secrets/api.sock). */
  readonly taskApi?: TaskApiListener;
  /**
   * The allocation this one replaces on this node (Nomad's PreviousAllocation): no task starts
   * before it ended. With a sticky ephemeral_disk, its alloc/data and task local/ dirs are moved here first.
   */
  readonly previousAlloc?: PreviousAlloc;
  /** Told about every task event and state change. */
  readonly onTaskUpdate?: (allocId: string, taskName: string, state: Readonly<TaskState>, event?: TaskEvent) => void;
}

export class AllocRunner {
  readonly id: string;
  private readonly cfg: AllocRunnerConfig;
  /** The host's logger named "alloc_runner" and carrying `alloc_id` (Nomad's alloc runner logger). */
  private readonly log: Logger;
  private readonly runners = new Map<string, TaskRunner>();
  private readonly coordinator: Coordinator;
  private readonly allocHooks: AllocHookRunner;
  /** Aborts on agent shutdown: ends the group shutdown_delay wait. */
  private readonly shutdownCtrl = new AbortController();
  private killing: Promise<void> | undefined;
  private shuttingDown = false;
  /** Task updates are ignored until run() starts (runners emit "Received" while being built). */
  private started = false;
  /** The allocation's ports, and in bridge mode its namespace and address once the network hook made them. */
  private network: AllocatedNetwork | undefined;
  /** max_run_duration stopped the alloc: it is complete, with Nomad's timeout description. */
  private maxRunDurationExceeded = false;

  constructor(cfg: AllocRunnerConfig) {
    this.cfg = cfg;
    this.id = cfg.alloc.id;
    this.log = cfg.logger.named('alloc_runner').with({ alloc_id: cfg.alloc.id });
    const tasks = cfg.alloc.group.tasks;
    this.coordinator = new Coordinator(tasks);
    const clock: CheckClock = cfg.checkClock ?? { now: cfg.now, monotonic: cfg.monotonic ?? (() => performance.now()), sleep };
    this.network = cfg.alloc.network;
    const network = (): AllocatedNetwork | undefined => this.network;
    // Tasks read the network when they start (after prerun), not when they are built.
    const alloc = Object.defineProperty({ ...cfg.alloc }, 'network', { get: network, enumerable: true });
    const networkHook = new NetworkHook({
      allocId: cfg.alloc.id,
      spec: cfg.alloc.group.networks[0],
      tasks,
      driver: (name) => cfg.driver(name),
      networks: cfg.networks,
      network,
      setNetwork: (n) => (this.network = n),
      logger: this.log.named('network'),
    });
    const groupHook = new GroupServiceHook({
      allocId: cfg.alloc.id,
      allocIndex: cfg.alloc.index,
      job: cfg.alloc.job,
      group: cfg.alloc.group,
      node: cfg.node,
      network,
      registry: cfg.services && { handler: cfg.services.handler, sink: cfg.services.checks },
      restartTasks: { restart: (event, failure) => this.restartRunning(event, failure) },
      clock,
      logger: this.log.named('group_services'),
    });
    const previous = cfg.previousAlloc;
    // Nomad's await_previous_allocations and migrate_disk hooks run before the network one.
    const signal = this.shutdownCtrl.signal;
    const previousHooks = previous
      ? [
          new AwaitPreviousAllocHook({ previous, signal, logger: this.log.named('await_previous_allocations') }),
          ...(stickyDisk(cfg.alloc.group) ? [new StickyDiskHook({ allocDir: cfg.alloc.dir, taskNames: tasks.map((t) => t.name), previous, signal, logger: this.log.named('migrate_disk') })] : []),
        ]
      : [];
    const maxRunDurationHook = new MaxRunDurationHook({
      jobType: cfg.alloc.job.type,
      maxRunDurationMs: cfg.alloc.group.maxRunDurationMs,
      createTime: cfg.alloc.createTime,
      clock,
      signal,
      onTimeout: () => this.enforceMaxRunDuration(),
      logger: this.log.named('max_run_duration'),
    });
    this.allocHooks = new AllocHookRunner([...previousHooks, networkHook, groupHook, maxRunDurationHook], this.log);
    for (const task of tasks) {
      const driver = cfg.driver(task.driver);
      if (!driver) throw new DroverError('validation', `task "${task.name}": unknown driver "${task.driver}"`);
      const paths = taskDirPaths(cfg.alloc.dir, task.name);
      let logTargets: (() => ReturnType<ReturnType<typeof builtinHooks>['logs']['targets']>) | undefined;
      const runner: TaskRunner = new TaskRunner({
        alloc,
        task,
        driver,
        statsIntervalMs: cfg.statsIntervalMs,
        hooks: (events, logger) => {
          const built = builtinHooks({
            job: cfg.alloc.job,
            group: cfg.alloc.group,
            task,
            allocId: cfg.alloc.id,
            allocIndex: cfg.alloc.index,
            allocDir: cfg.alloc.dir,
            logDir: paths.logDir,
            node: cfg.node,
            fsIsolation: driver.capabilities().fsIsolation,
            driverMounts: driver.capabilities().mountConfigs,
            ...(cfg.hostVolumes ? { hostVolumes: cfg.hostVolumes } : {}),
            hostEnv: cfg.hostEnv,
            network,
            validate: cfg.validate,
            statsIntervalMs: cfg.statsIntervalMs,
            events,
            stats: { update: (u) => runner.stats.update(u), wanted: (signal) => runner.stats.wanted(signal) },
            logger,
            now: cfg.now,
            random: cfg.random,
            templates: cfg.templates,
            // The runner is assigned once its constructor (which builds these hooks) returns.
            lifecycle: {
              restart: (event, failure) => runner.restart(event, failure),
              signal: (event, sig) => runner.signal(event, sig),
              kill: (event) => void runner.kill(event),
              exec: (cmd, timeoutMs) => runner.exec(cmd, timeoutMs),
              isRunning: () => runner.taskId !== undefined,
            },
            ...(cfg.identitySigner
              ? {
                  identity: {
                    signer: cfg.identitySigner,
                    // The runner is assigned once its constructor (which builds these hooks) returns.
                    lifecycle: { restart: (event, failure) => runner.restart(event, failure), signal: (event, sig) => runner.signal(event, sig) },
                    ...(cfg.identityMinRenewWaitMs === undefined ? {} : { minRenewWaitMs: cfg.identityMinRenewWaitMs }),
                  },
                }
              : {}),
            ...(cfg.taskApi ? { taskApi: cfg.taskApi } : {}),
          });
          logTargets = () => built.logs.targets();
          const services = cfg.services;
          if (!services) return built.hooks;
          const serviceHook = new ServiceHook({
            allocId: cfg.alloc.id,
            jobId: cfg.alloc.job.id,
            namespace: cfg.alloc.job.namespace,
            group: cfg.alloc.group,
            task,
            node: cfg.node,
            network,
            handler: services.handler,
            checks: {
              allocId: cfg.alloc.id,
              allocName: allocName(cfg.alloc.job.id, cfg.alloc.group.name, cfg.alloc.index),
              clock,
              sink: services.checks,
              // The runner is assigned once its constructor (which builds these hooks) returns.
              restarter: { restart: (event, failure) => runner.restart(event, failure) },
              logger,
            },
            logger,
          });
          return [...built.hooks, serviceHook];
        },
        logTargets: () => (logTargets as NonNullable<typeof logTargets>)(),
        store: cfg.store,
        node: cfg.node,
        now: cfg.now,
        ...(cfg.monotonic ? { monotonic: cfg.monotonic } : {}),
        random: cfg.random,
        logger: this.log,
        startGate: this.coordinator.startCondition(task),
        onUpdate: (name, state, event) => {
          cfg.onTaskUpdate?.(this.id, name, state, event);
          this.taskStateUpdated();
        },
      });
      this.runners.set(task.name, runner);
    }
  }

  /** Runs every task to completion (or until killed / shut down). */
  async run(): Promise<void> {
    this.started = true;
    const shared = join(this.cfg.alloc.dir, 'alloc');
    for (const sub of ['logs', 'tmp', 'data']) ensureDir(join(shared, sub));
    const states = this.states();
    // Tasks past "pending" mean this alloc was restored after an agent restart.
    if ([...states.values()].some((s) => s.state !== 'pending')) this.coordinator.restore(states);
    else this.coordinator.update(states);
    const setupError = await this.allocHooks.prerun();
    if (setupError !== undefined) {
      this.log.error('prerun failed', { error: setupError });
      // Killed before they run, so none starts (Nomad's MarkFailedKill).
      this.killing = Promise.all([...this.runners.values()].map((r) => r.kill())).then(() => undefined);
      const event = newEvent('Setup Failure', this.cfg.now(), { setupError: `failed to setup alloc: ${setupError}`, failsTask: true });
      for (const r of this.runners.values()) r.emit(event);
    }
    await Promise.all([...this.runners.values()].map((r) => r.run()));
    await this.killing;
    if (!this.shuttingDown) await this.allocHooks.postrun();
  }

  /** Stops the allocation: tasks are killed leader first, then the rest, then sidecars; poststop tasks then run. */
  kill(): Promise<void> {
    this.killing ??= this.killTasks();
    return this.killing;
  }

  /** The alloc moved to a new job version in place: alloc hooks see the new group (its tasks are updated one by one). */
  updateGroup(group: TaskGroup): Promise<void> {
    return this.allocHooks.update(group);
  }

  /** Stops supervising (agent shutdown); tasks keep running. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.shutdownCtrl.abort();
    await Promise.all([...this.runners.values()].map((r) => r.shutdown()));
  }

  /** Task runner by name. */
  task(name: string): TaskRunner | undefined {
    return this.runners.get(name);
  }

  /** Every task's state by name. */
  states(): Map<string, TaskState> {
    return new Map([...this.runners].map(([name, r]) => [name, r.state()]));
  }

  /** Nomad's ClientDescription forced by the alloc runner (max_run_duration), else undefined. */
  clientDescription(): string | undefined {
    return this.maxRunDurationExceeded ? MAX_RUN_DURATION_REASON : undefined;
  }

  /** Nomad's getClientStatus: failed beats running beats pending beats complete; a max_run_duration stop is complete. */
  clientStatus(): AllocClientStatus {
    if (this.maxRunDurationExceeded) return 'complete';
    let running = false;
    let pending = false;
    let failed = false;
    for (const s of this.states().values()) {
      if (s.state === 'running') running = true;
      else if (s.state === 'pending') pending = true;
      else if (s.failed) failed = true;
    }
    if (failed) return 'failed';
    if (running) return 'running';
    if (pending) return 'pending';
    return 'complete';
  }

  /** Reacts to a task's change (Nomad's handleTaskStateUpdates). */
  private taskStateUpdated(): void {
    if (this.shuttingDown || !this.started) return;
    const states = this.states();
    this.coordinator.update(states);
    if (this.killing) return;

    let killEvent: TaskEvent | undefined;
    const live: TaskRunner[] = [];
    for (const [name, runner] of this.runners) {
      if (runner.isPoststop) continue;
      const s = states.get(name) as TaskState;
      if (s.state !== 'dead') {
        live.push(runner);
        continue;
      }
      if (s.failed) killEvent ??= newEvent('Sibling Task Failed', this.cfg.now(), { failedSibling: name });
      else if (runner.isLeader) killEvent = newEvent('Leader Task Dead', this.cfg.now(), {});
    }
    if (live.length > 0) {
      const onlySidecars = live.every((r) => r.isSidecar);
      if (!killEvent && onlySidecars && [...this.runners.values()].some((r) => r.isSidecar)) killEvent = newEvent('Main Tasks Dead', this.cfg.now(), {});
      if (killEvent) {
        // Claim the kill before emitting: emitting re-enters this method.
        const event = killEvent;
        let release!: () => void;
        this.killing = new Promise<void>((r) => (release = r));
        for (const r of live) r.emit(event);
        void this.killTasks().then(release);
      }
      return;
    }
    // Nothing live: release the dead runners waiting for an alloc restart so their stop hooks run.
    void this.kill();
  }

  /** Restarts the tasks that are running (Nomad's allocRunner.Restart): check_restart of a group service. */
  private async restartRunning(event: TaskEvent, failure: boolean): Promise<void> {
    const running = [...this.runners.values()].filter((r) => r.state().state === 'running');
    await Promise.all(running.map((r) => r.restart(event, failure)));
  }

  /** max_run_duration passed (Nomad's EnforceMaxRunDurationTimeout): the alloc is stopped and counts as complete. */
  private enforceMaxRunDuration(): void {
    if (this.shuttingDown || this.killing) return;
    this.maxRunDurationExceeded = true;
    void this.kill();
  }

  private async killTasks(): Promise<void> {
    // Group services leave (and the group's shutdown_delay passes) before any task is killed.
    await this.allocHooks.preKill(this.shutdownCtrl.signal);
    const display = this.maxRunDurationExceeded ? { display: MAX_RUN_DURATION_REASON } : {};
    const killOne = async (r: TaskRunner): Promise<void> => {
      const s = r.state();
      const event = s.finishedAt === 0 ? newEvent('Killing', this.cfg.now(), { killTimeoutMs: r.task.killTimeoutMs, killReason: '', ...display }) : undefined;
      const err = await r.kill(event);
      if (err) this.log.warn('failed to kill task', { task: r.task.name, error: err });
    };
    const all = [...this.runners.values()];
    // A timed-out alloc runs no poststop task: they are killed before they start, as Nomad does.
    if (this.maxRunDurationExceeded) await Promise.all(all.filter((r) => r.isPoststop).map(killOne));
    const leader = all.find((r) => r.isLeader && !r.isPoststop);
    if (leader) await killOne(leader);
    await Promise.all(all.filter((r) => !r.isLeader && !r.isPoststop && !r.isSidecar).map(killOne));
    await Promise.all(all.filter((r) => r.isSidecar && !r.isLeader && !r.isPoststop).map(killOne));
    // Poststop tasks are left to run: the coordinator opens their gate once everything else is dead.
    this.coordinator.update(this.states());
  }
}
