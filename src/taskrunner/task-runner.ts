/**
 * Runs one task through its lifecycle (Nomad's TaskRunner): prestart hooks,
 * start, poststart hooks, wait, exited hooks, then the restart policy decides
 * whether to go round again; kills go through the kill sequence; stop hooks
 * run once at the end.
 *
 * Two lifetimes, as in Nomad: `kill` ends the task for good; `shutdown`
 * (agent stopping) leaves the task running and only stops supervising it.
 * The restart policy lives in restarts.ts, hooks in hooks/, the kill sequence
 * in kill-sequence.ts; this file only sequences them.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Job, Task, TaskGroup } from '../model/job.js';
import type { AllocatedNetwork } from '../model/network.js';
import { newEvent, failsTask, type TaskEvent } from '../model/task-event.js';
import { MAX_TASK_EVENTS, newTaskState, type TaskState, type TaskStateName } from '../model/task-state.js';
import { decodeSpec } from '../model/config-spec.js';
import { DroverError, ErrorCode, ValidationError, errorMessage, formatProblem } from '../model/errors.js';
import type {
  DeviceConfig,
  DriverNetwork,
  DriverPlugin,
  ExecTaskResult,
  ExitResult,
  MountConfig,
  TaskConfig,
  TaskDirPaths,
  TaskHandle,
  TaskNetworkResource,
  TaskResources,
  TaskResourceUsage,
} from '../drivers/types.js';
import type { Logger } from '../model/logger.js';
import type { HookState, TaskHook, EventEmitter } from './hooks/types.js';
import type { LogTargets } from './hooks/logs-hook.js';
import { HookRunner } from './hook-runner.js';
import { RestartTracker } from './restarts.js';
import { runKillSequence } from './kill-sequence.js';
import { sleep, unlessAborted } from './abort.js';
import { envLookup, interpolateDeep, type NodeFacts } from './task-env.js';
import type { TaskStateStore } from './state-store.js';
import { DEFAULT_STATS_INTERVAL_MS, TaskStats } from './task-stats.js';

/** The allocation a task belongs to. */
export interface AllocContext {
  readonly id: string;
  readonly index: number;
  readonly dir: string;
  readonly job: Job;
  readonly group: TaskGroup;
  /** The ports and network the agent gave the allocation; absent when it asked for none. */
  readonly network?: AllocatedNetwork;
  /** When the alloc was created (unix ms): max_run_duration counts from it. */
  readonly createTime?: number;
}

export interface TaskRunnerConfig {
  readonly alloc: AllocContext;
  readonly task: Task;
  readonly driver: DriverPlugin;
  /** Builds the task's hooks; they report events through the runner; `logger` is the runner's (named "task_runner", with the task's name). */
  readonly hooks: (events: EventEmitter, logger: Logger) => readonly TaskHook[];
  readonly logTargets: () => LogTargets;
  readonly store: TaskStateStore;
  readonly node: NodeFacts & { readonly id: string; readonly name: string };
  /** Unix ms (wall clock): event times, StartedAt and FinishedAt. */
  readonly now: () => number;
  /**
   * Milliseconds on a clock that never steps (default performance.now), for the
   * restart policy's interval: a wall clock stepped back an hour must not keep
   * counting attempts in an interval that ended (Go's time.Now, which Nomad's
   * restart tracker uses, compares on its monotonic reading).
   */
  readonly monotonic?: () => number;
  readonly random: () => number;
  readonly logger: Logger;
  /** The stats hook's collection interval (default 1 s, Nomad's collection_interval). */
  readonly statsIntervalMs?: number;
  /** Resolves when the alloc's lifecycle lets this task (re)start. */
  readonly startGate?: (signal: AbortSignal) => Promise<void>;
  /** Told after every state change or event. */
  readonly onUpdate?: (taskName: string, state: Readonly<TaskState>, event?: TaskEvent) => void;
}

/** The task is not running (Nomad's ErrTaskNotRunning). */
export class TaskNotRunningError extends DroverError {
  constructor() {
    super(ErrorCode.notRunning, 'Task not running');
  }
}

/** How one attempt ended: 'not-started' means killed before the task ran. */
type Attempt = 'exited' | 'start-failed' | 'not-started' | 'shutdown';

export class TaskRunner implements EventEmitter {
  /** The task as last updated (in-place job updates replace it). */
  private current: Task;
  private readonly cfg: TaskRunnerConfig;
  private readonly hooks: HookRunner;
  /** The host's logger named "task_runner" and carrying `task` (Nomad's task runner logger). */
  private readonly log: Logger;
  private readonly tracker: RestartTracker;
  private readonly taskDir: TaskDirPaths;
  private readonly killCtrl = new AbortController();
  private readonly shutdownCtrl = new AbortController();
  /** Aborts on kill or shutdown: what hooks and waits listen to. */
  private readonly anyStop: AbortSignal;
  private taskState: TaskState;
  private handle: { readonly id: string; readonly exit: Promise<ExitResult>; readonly network?: DriverNetwork } | undefined;
  private restoredHandle: TaskHandle | undefined;
  /** The exit of the last run when the previous agent died before its restart decision. */
  private restoredExit: ExitResult | undefined;
  /** A start the previous agent began and never saw answered (LocalTaskState.launching). */
  private restoredLaunch: TaskConfig | undefined;
  /** The config of the start under way, stored until the driver's handle replaces it. */
  private launching: TaskConfig | undefined;
  private env: Record<string, string> = {};
  private mounts: readonly MountConfig[] = [];
  private devices: readonly DeviceConfig[] = [];
  private killError: string | undefined;
  private runComplete = false;
  private restartWake: (() => void) | undefined;
  /** The stats hook's samples, taken while someone reads them. */
  readonly stats: TaskStats;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(cfg: TaskRunnerConfig) {
    this.cfg = cfg;
    this.stats = new TaskStats(cfg.statsIntervalMs ?? DEFAULT_STATS_INTERVAL_MS);
    this.current = cfg.task;
    this.anyStop = AbortSignal.any([this.killCtrl.signal, this.shutdownCtrl.signal]);
    this.log = cfg.logger.named('task_runner').with({ task: cfg.task.name });
    this.taskDir = taskDirPaths(cfg.alloc.dir, cfg.task.name);
    this.done = new Promise((r) => (this.resolveDone = r));
    const stored = cfg.store.getTaskState(cfg.alloc.id, cfg.task.name);
    const local = cfg.store.getLocalState(cfg.alloc.id, cfg.task.name);
    this.taskState = stored ?? newTaskState();
    this.restoredHandle = local?.handle;
    this.restoredLaunch = local?.handle ? undefined : local?.launching;
    this.runComplete = local?.runComplete ?? false;
    // Taken before a kill of the restored alloc can add its Killing.
    this.restoredExit = local?.handle || local?.launching ? undefined : this.undecidedExit();
    this.hooks = new HookRunner(
      { hooks: cfg.hooks(this, this.log), events: this, logger: this.log, now: cfg.now, saveHookState: (h) => this.persistLocal(h) },
      local?.hooks,
    );
    this.tracker = new RestartTracker({
      policy: cfg.task.restart,
      jobType: cfg.alloc.job.type,
      lifecycle: cfg.task.lifecycle,
      now: cfg.monotonic ?? (() => performance.now()),
      random: cfg.random,
    });
    if (this.taskState.events.length === 0) this.emit(newEvent('Received', cfg.now(), {}));
  }

  /** The task definition this runner runs. */
  get task(): Task {
    return this.current;
  }

  /** A copy of the task's state and recent events. */
  state(): TaskState {
    return { ...this.taskState, events: [...this.taskState.events] };
  }

  /** The driver task id while the task runs. */
  get taskId(): string | undefined {
    return this.handle?.id;
  }

  get isLeader(): boolean {
    return this.task.leader;
  }

  get isPoststop(): boolean {
    return this.task.lifecycle?.hook === 'poststop';
  }

  get isSidecar(): boolean {
    return this.task.lifecycle?.sidecar === true;
  }

  /** Fresh resource usage (taken now when the last sample is older than an interval), if the stats hook has any. */
  resourceUsage(): Promise<TaskResourceUsage | undefined> {
    return this.stats.read();
  }

  /** Resolves when run() has returned. */
  wait(): Promise<void> {
    return this.done;
  }

  /** Runs the task until it is dead for good, killed, or the agent shuts down. */
  async run(): Promise<void> {
    try {
      await this.runLoop();
    } catch (err) {
      this.log.error('task runner failed', { error: errorMessage(err) });
      this.updateState('dead', newEvent('Task hook failed', this.cfg.now(), { message: `task runner: ${errorMessage(err)}`, failsTask: true }));
    } finally {
      this.resolveDone();
    }
  }

  /** Kills the task for good; `event` (usually "Killing") is emitted first. Resolves when the runner is done. */
  async kill(event?: TaskEvent): Promise<string | undefined> {
    this.killCtrl.abort();
    if (event) this.emit(event);
    await this.done;
    return this.killError;
  }

  /** Stops supervising without touching the task (agent shutdown). */
  async shutdown(): Promise<void> {
    this.shutdownCtrl.abort();
    await this.done;
  }

  /** Restarts a running task; `failure` counts it against the restart policy. */
  async restart(event: TaskEvent, failure: boolean): Promise<void> {
    if (this.taskState.state === 'pending' || (this.taskState.state === 'dead' && this.runComplete)) throw new TaskNotRunningError();
    this.emit(event);
    this.tracker.setRestartTriggered(failure);
    if (this.taskState.state === 'dead') this.restartWake?.();
    const handle = this.handle;
    if (!handle) return;
    await this.hooks.runAll('prekill', { task: this.task, env: this.env, signal: this.anyStop });
    try {
      await this.cfg.driver.stopTask(handle.id, this.task.killTimeoutMs, this.task.killSignal);
    } catch (err) {
      this.log.warn('restart: stopping task failed', { error: errorMessage(err) });
    }
    await handle.exit.catch(() => undefined);
  }

  /** Sends a signal to the running task. */
  async signal(event: TaskEvent, sig: string): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new TaskNotRunningError();
    this.emit(event);
    await this.cfg.driver.signalTask(handle.id, sig);
  }

  /** Runs a command inside the running task (Nomad's handle Exec: template change scripts). */
  async exec(cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    const handle = this.handle;
    if (!handle) throw new TaskNotRunningError();
    return this.cfg.driver.execTask(handle.id, cmd, timeoutMs);
  }

  /** Applies an in-place job update: the new task (kill timeout, signal, …), its restart policy, Update hooks. */
  async update(task: Task): Promise<void> {
    this.current = task;
    this.tracker.setPolicy(task.restart);
    await this.hooks.runAll('update', { task, env: this.env, signal: this.anyStop });
  }

  /** Appends an event (Nomad's EmitEvent). */
  emit(event: TaskEvent): void {
    this.appendEvent(event);
    this.persistState();
    this.cfg.onUpdate?.(this.task.name, this.taskState, event);
  }

  // ---- the loop --------------------------------------------------------

  private async runLoop(): Promise<void> {
    if (this.taskState.state === 'dead' && this.runComplete) {
      await this.hooks.runAll('stop', { task: this.task, env: this.env, signal: this.anyStop });
      return;
    }
    // Restored dead (it ended before the agent stopped): never start it again, only wait
    // for an alloc restart or the kill, as Nomad's Run does for a dead task.
    // (A start under way is not dead: its state may not have been written before the agent died.)
    let restoredDead = this.taskState.state === 'dead' && !this.restoredLaunch;
    if (restoredDead) this.restoredHandle = undefined;
    if (this.restoredHandle) await this.recover(this.restoredHandle);
    else if (this.restoredLaunch) await this.resumeLaunch(this.restoredLaunch);
    else if (!restoredDead) {
      // The previous agent recorded the task's exit and died before the restart policy
      // answered (while the exited hooks ran): answer it now, as that agent would have, so
      // the next start comes after its Restarting and delay rather than straight away.
      const exit = this.restoredExit;
      this.restoredExit = undefined;
      if (exit) {
        this.tracker.setExitResult(exit);
        const restart = this.shouldRestart() && (await this.waitRestartDelay());
        if (this.shutdownCtrl.signal.aborted) return;
        if (!restart) restoredDead = true;
      }
    }

    for (;;) {
      while (!restoredDead && !this.killCtrl.signal.aborted) {
        const outcome = await this.attempt();
        if (outcome === 'shutdown') return;
        if (outcome === 'not-started') break;
        if (!this.shouldRestart()) break;
        const slept = await this.waitRestartDelay();
        if (this.shutdownCtrl.signal.aborted) return;
        if (!slept) break;
      }
      restoredDead = false;
      if (this.handle) await this.killLeftover();
      this.updateState('dead');
      // A dead task waits here so the alloc can restart it, until the alloc kills it (Nomad's ALLOC_RESTART).
      if (this.isPoststop || !(await this.waitForAllocRestart())) break;
      if (this.shutdownCtrl.signal.aborted) return;
    }
    if (this.shutdownCtrl.signal.aborted) return;
    this.runComplete = true;
    this.persistLocal(this.hooks.hookStates);
    await this.hooks.runAll('stop', { task: this.task, env: this.env, signal: this.shutdownCtrl.signal });
  }

  /** One start and, if it starts, one run to exit. */
  private async attempt(): Promise<Attempt> {
    if (this.cfg.startGate) {
      await unlessAborted(this.cfg.startGate(this.anyStop), this.anyStop);
      if (this.shutdownCtrl.signal.aborted) return 'shutdown';
      if (this.killCtrl.signal.aborted) return 'not-started';
    }
    try {
      const pre = await this.hooks.prestart(this.task, this.taskDir, this.anyStop);
      this.env = { ...this.env, ...pre.env };
      this.mounts = pre.mounts;
      this.devices = pre.devices;
    } catch (err) {
      if (this.shutdownCtrl.signal.aborted) return 'shutdown';
      if (this.killCtrl.signal.aborted) return 'not-started';
      this.tracker.setStartError(err);
      return 'start-failed';
    }
    if (this.shutdownCtrl.signal.aborted) return 'shutdown';
    if (this.killCtrl.signal.aborted) return 'not-started';
    if (!this.handle) {
      try {
        await this.startDriver();
      } catch (err) {
        this.tracker.setStartError(err);
        return 'start-failed';
      }
    } else {
      this.updateState('running');
    }
    const handle = this.handle as NonNullable<TaskRunner['handle']>;
    try {
      await this.hooks.poststart(this.task, { taskId: handle.id, driver: this.cfg.driver, network: handle.network }, this.env, this.anyStop);
    } catch {
      // Reported as "Task hook failed"; like Nomad, a poststart failure does not stop the task.
    }
    const result = await this.waitForExit(handle);
    if (result === 'shutdown') return 'shutdown';
    // The exit is recorded before the handle is dropped (as Nomad's handleTaskExitResult
    // precedes clearDriverHandle), and the store writes both together: an agent killed in
    // between must find either the handle (and the exit from the executor) or the exit.
    // Dropped first, the next agent saw a task that had started and neither ran nor ended,
    // and started it again with no Terminated or Restarting for the lost run.
    if (result !== undefined) {
      this.emitExit(result);
      this.tracker.setExitResult(result);
    }
    await this.clearHandle();
    await this.hooks.runAll('exited', { task: this.task, env: this.env, signal: this.anyStop });
    return 'exited';
  }

  private async startDriver(): Promise<void> {
    const lookup = envLookup(this.env, this.cfg.node);
    const driverConfig = interpolateDeep(this.task.config, lookup) as Record<string, unknown>;
    const { problems } = decodeSpec(this.cfg.driver.taskConfigSchema(), driverConfig, 'config');
    if (problems.length > 0) {
      const err = new ValidationError(problems);
      this.emit(newEvent('Failed Validation', this.cfg.now(), { validationError: `failed to parse config: ${problems.map(formatProblem).join('; ')}`, failsTask: false }));
      throw err;
    }
    await this.launch(this.taskConfig(driverConfig));
  }

  /**
   * Hands `config` to the driver. The config is stored first: an agent killed
   * before the driver answers leaves a task that no handle names, and the next
   * agent finishes this start (resumeLaunch) instead of leaving it orphaned
   * and starting a second one.
   */
  private async launch(config: TaskConfig): Promise<void> {
    this.launching = config;
    this.persistLocal(this.hooks.hookStates);
    let started;
    try {
      started = await this.cfg.driver.startTask(config);
    } catch (err) {
      this.launching = undefined;
      this.persistLocal(this.hooks.hookStates);
      this.emit(newEvent('Driver Failure', this.cfg.now(), { driverError: errorMessage(err), failsTask: false }));
      throw err;
    }
    // The exit promise is taken at once so an exit during poststart is not missed.
    const exit = this.cfg.driver.waitTask(config.id, { signal: this.shutdownCtrl.signal });
    exit.catch(() => undefined);
    this.handle = { id: config.id, exit, network: started.network };
    this.launching = undefined;
    // Started goes first so the store writes it with the handle: a handle stored without
    // its Started (the events were written at the end of the tick) left the next agent
    // running a task whose start no event reported.
    this.updateState('running', newEvent('Started', this.cfg.now(), {}));
    this.persistLocal(this.hooks.hookStates, started.handle, started.network);
  }

  /**
   * Finishes a start the previous agent began but did not see answered: the
   * same config and task id again. An executor-backed driver's launch is
   * idempotent per task id, so a task it did launch is adopted (running, or
   * with its exit), and one it never got is launched now; either way it
   * starts once. On failure the loop starts the task afresh.
   */
  private async resumeLaunch(config: TaskConfig): Promise<void> {
    this.restoredLaunch = undefined;
    this.env = { ...config.env };
    try {
      await this.launch(config);
    } catch (err) {
      this.log.warn('finishing an interrupted start failed', { error: errorMessage(err) });
    }
  }

  /** Reattaches to a task that survived an agent restart; on failure the task is started afresh. */
  private async recover(handle: TaskHandle): Promise<void> {
    this.restoredHandle = undefined;
    try {
      await this.cfg.driver.recoverTask(handle);
      const exit = this.cfg.driver.waitTask(handle.config.id, { signal: this.shutdownCtrl.signal });
      exit.catch(() => undefined);
      this.handle = { id: handle.config.id, exit };
      this.env = { ...handle.config.env };
    } catch (err) {
      this.emit(newEvent('Failed Restoring Task', this.cfg.now(), { message: `failed to restore task: ${errorMessage(err)}` }));
      this.persistLocal(this.hooks.hookStates);
    }
  }

  /**
   * Waits for exit; a kill in the meantime runs the kill sequence. A kill wins over an
   * agent shutdown that came after it: a start that finished after the kill (the kill
   * landed while the driver was starting the task) must not be left running just
   * because the agent is now stopping too. The kill sequence itself still honours the
   * shutdown in its waits.
   */
  private async waitForExit(handle: NonNullable<TaskRunner['handle']>): Promise<ExitResult | undefined | 'shutdown'> {
    const settled = handle.exit.then(
      (r) => r,
      (err: unknown) => (this.shutdownCtrl.signal.aborted ? undefined : exitFromError(err)),
    );
    const first = await unlessAborted(settled.then((r) => ({ r })), this.anyStop);
    if (first !== undefined) return first.r ?? 'shutdown';
    if (!this.killCtrl.signal.aborted) return 'shutdown';
    const outcome = await this.killSequence(handle.id, settled);
    if (this.shutdownCtrl.signal.aborted && outcome === undefined) return 'shutdown';
    return outcome;
  }

  private async killSequence(taskId: string, exit: Promise<ExitResult | undefined>): Promise<ExitResult | undefined> {
    const outcome = await runKillSequence({
      driver: this.cfg.driver,
      taskId,
      killTimeoutMs: this.task.killTimeoutMs,
      killSignal: this.task.killSignal,
      shutdownDelayMs: this.task.shutdownDelayMs,
      exit: exit.then((r) => r ?? { exitCode: 0, signal: 0, oomKilled: false, err: 'task exit unknown' }),
      preKill: () => this.hooks.runAll('prekill', { task: this.task, env: this.env, signal: this.shutdownCtrl.signal }),
      onShutdownDelay: () => this.updateState('pending', newEvent('Waiting for shutdown delay', this.cfg.now(), {})),
      shutdown: this.shutdownCtrl.signal,
    });
    this.tracker.setKilled();
    if (outcome.killError) this.killError = outcome.killError;
    return outcome.result;
  }

  /** The loop ended with a task still running (killed between exit and restart): stop it. */
  private async killLeftover(): Promise<void> {
    const handle = this.handle as NonNullable<TaskRunner['handle']>;
    const result = await this.killSequence(handle.id, handle.exit.catch(exitFromError));
    if (result) this.emitExit(result);
    await this.clearHandle();
    if (this.killCtrl.signal.aborted && !this.shutdownCtrl.signal.aborted) this.emit(newEvent('Killed', this.cfg.now(), { killError: this.killError ?? '' }));
    await this.hooks.runAll('exited', { task: this.task, env: this.env, signal: this.shutdownCtrl.signal });
  }

  /** Forgets the exited task here and in the driver (Nomad's clearDriverHandle), so drivers free what they held for it. */
  private async clearHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.persistLocal(this.hooks.hookStates);
    if (!handle) return;
    try {
      await this.cfg.driver.destroyTask(handle.id, true);
    } catch (err) {
      if (!(err instanceof DroverError && err.code === ErrorCode.taskNotFound)) {
        this.log.warn('failed to destroy task', { error: errorMessage(err) });
      }
    }
  }

  /** Applies the restart policy; emits Restarting / Not Restarting / Killed as Nomad does. */
  private shouldRestart(): boolean {
    if (this.killCtrl.signal.aborted) this.tracker.setKilled();
    const d = this.tracker.decide();
    switch (d.kind) {
      case 'killed':
        this.emit(newEvent('Killed', this.cfg.now(), { killError: this.killError ?? '' }));
        return false;
      case 'terminated':
        return false;
      case 'not-restarting':
        this.updateState('dead', newEvent('Not Restarting', this.cfg.now(), { restartReason: d.reason, failsTask: true }));
        return false;
      case 'restart':
        this.nextDelayMs = d.delayMs;
        this.updateState('pending', newEvent('Restarting', this.cfg.now(), { restartReason: d.reason, startDelayMs: d.delayMs }));
        return true;
      default: {
        const never: never = d;
        return never;
      }
    }
  }

  private nextDelayMs = 0;

  /** The exit of the task's last run when no restart decision followed it (a restored runner's). */
  private undecidedExit(): ExitResult | undefined {
    const events = this.taskState.events;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i] as TaskEvent;
      if (e.type === 'Terminated') return { exitCode: e.exitCode, signal: e.signal, oomKilled: e.oomKilled, ...(e.message ? { err: e.message } : {}) };
      if (e.type === 'Started' || e.type === 'Restarting' || e.type === 'Not Restarting' || e.type === 'Killed' || e.type === 'Killing') return undefined;
    }
    return undefined;
  }

  private waitRestartDelay(): Promise<boolean> {
    return sleep(this.nextDelayMs, this.anyStop);
  }

  /** True when the alloc asked for a restart of this dead task; false when killed. */
  private async waitForAllocRestart(): Promise<boolean> {
    if (this.anyStop.aborted) return false;
    const restart = new Promise<true>((resolve) => (this.restartWake = () => resolve(true)));
    const woke = await unlessAborted(restart, this.anyStop);
    this.restartWake = undefined;
    return woke === true && this.shouldRestart();
  }

  // ---- state -------------------------------------------------------------

  private emitExit(r: ExitResult): void {
    this.emit(newEvent('Terminated', this.cfg.now(), { exitCode: r.exitCode, signal: r.signal, message: r.err ?? '', oomKilled: r.oomKilled }));
  }

  private appendEvent(e: TaskEvent): void {
    const s = this.taskState;
    if (e.type === 'Restarting') {
      s.restarts++;
      s.lastRestart = e.time;
    }
    if (failsTask(e)) s.failed = true;
    s.events.push(e);
    if (s.events.length > MAX_TASK_EVENTS) s.events.splice(0, s.events.length - MAX_TASK_EVENTS);
  }

  /** Moves the task to `state`, optionally with an event (Nomad's UpdateState). */
  private updateState(state: TaskStateName, event?: TaskEvent): void {
    const s = this.taskState;
    if (event) this.appendEvent(event);
    if (state === 'running' && s.state !== 'running') s.startedAt = this.cfg.now();
    if (state === 'dead' && s.finishedAt === 0) s.finishedAt = this.cfg.now();
    s.state = state;
    this.persistState();
    this.cfg.onUpdate?.(this.task.name, s, event);
  }

  private persistState(): void {
    this.cfg.store.putTaskState(this.cfg.alloc.id, this.task.name, this.taskState);
  }

  private persistLocal(hooks: Readonly<Record<string, HookState>>, handle?: TaskHandle, network?: DriverNetwork): void {
    const prev = this.cfg.store.getLocalState(this.cfg.alloc.id, this.task.name);
    const keep = this.handle !== undefined && handle === undefined;
    this.cfg.store.putLocalState(this.cfg.alloc.id, this.task.name, {
      hooks,
      handle: handle ?? (keep ? prev?.handle : undefined),
      network: network ?? (keep ? prev?.network : undefined),
      ...(this.launching ? { launching: this.launching } : {}),
      runComplete: this.runComplete,
    });
  }

  private taskConfig(driverConfig: Record<string, unknown>): TaskConfig {
    const { alloc, task, node } = this.cfg;
    const logs = this.cfg.logTargets();
    return {
      id: `${alloc.id}/${task.name}/${randomBytes(4).toString('hex')}`,
      jobName: alloc.job.name,
      jobId: alloc.job.id,
      taskGroupName: alloc.group.name,
      name: task.name,
      namespace: alloc.job.namespace,
      nodeName: node.name,
      nodeId: node.id,
      allocId: alloc.id,
      env: this.env,
      resources: {
        cpuShares: task.resources.cpu,
        cores: task.resources.cores,
        memoryMb: task.resources.memoryMb,
        memoryMaxMb: task.resources.memoryMaxMb,
        ...driverPorts(alloc.network, task),
      },
      user: task.user,
      allocDir: alloc.dir,
      taskDir: this.taskDir,
      stdoutPath: logs.stdoutPath,
      stderrPath: logs.stderrPath,
      logRotation: logs.rotation,
      mounts: this.mounts,
      devices: this.devices,
      driverConfig,
      // Drivers that run tasks in the group's namespace are told where it is (Nomad's SetNetworkIsolation).
      ...(alloc.network?.netnsPath && this.cfg.driver.capabilities().netIsolationModes.includes('group')
        ? { networkIsolation: { mode: 'group' as const, path: alloc.network.netnsPath, labels: {} } }
        : {}),
    };
  }
}

/** Nomad's allocdir layout for one task. */
export function taskDirPaths(allocDir: string, taskName: string): TaskDirPaths {
  const dir = join(allocDir, taskName);
  const shared = join(allocDir, 'alloc');
  return {
    dir,
    sharedAllocDir: shared,
    logDir: join(shared, 'logs'),
    localDir: join(dir, 'local'),
    secretsDir: join(dir, 'secrets'),
    tmpDir: join(dir, 'tmp'),
  };
}

/** The ports a driver sees (Nomad's Resources.Ports and the task's AllocatedTaskResources.Networks). */
function driverPorts(n: AllocatedNetwork | undefined, task: Task): Pick<TaskResources, 'ports' | 'networks'> {
  if (!n) return {};
  const own = n.taskPorts?.[task.name];
  const spec = task.networks[0];
  if (!own || !spec) return { ports: n.ports };
  const value = (label: string) => own.find((p) => p.label === label)?.value ?? 0;
  const network: TaskNetworkResource = {
    device: '',
    cidr: '',
    ip: own[0]?.hostIp ?? n.hostIp,
    mbits: spec.mbits,
    reservedPorts: spec.reservedPorts.map((p) => ({ label: p.label, value: value(p.label) })),
    dynamicPorts: spec.dynamicPorts.map((p) => ({ label: p.label, value: value(p.label) })),
  };
  return { ports: n.ports, networks: [network] };
}

/** A waitTask that failed is reported as an exit whose cause is unknown. */
function exitFromError(err: unknown): ExitResult {
  return { exitCode: 0, signal: 0, oomKilled: false, err: errorMessage(err) };
}
