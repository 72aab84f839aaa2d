/**
 * The heart of the daemon: every task of the node, by id. Launches tasks,
 * re-adopts them from the journal after a restart, notices their exits (as
 * their parent, or by polling /proc for adopted ones), and serves the
 * per-task operations of the Executor contract.
 */
import { closeSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DroverError, ErrorCode, TaskNotFoundError } from '../../model/errors.js';
import type { ExitResult, TaskResourceUsage } from '../../model/task-result.js';
import { cgroupPids, createTaskCgroup, killAll, oomKills, ownedCgroupOf, removeCgroup, removeParents, setLimits, type CgroupLayout, type TaskCgroup } from '../cgroups/index.js';
import { TaskOutput, type OutputDeps } from '../logs/task-output.js';
import { taskDir, taskKey } from '../paths.js';
import { isRunning, readProcStat, trySignal } from '../proc.js';
import type { DaemonStatus } from '../protocol.js';
import { signalNumber } from '../signals.js';
import type { ExecResult, LaunchedTask, LaunchSpec, ResourceLimits, TaskInspect } from '../types.js';
import { planExec, planLaunch, type SpawnPlan } from './command.js';
import { runExec } from './exec.js';
import { ExecSession, type SessionOutput } from './exec-session.js';
import { JOURNAL_VERSION, readAll, removeTaskDir, writeRecord, type TaskRecord } from './journal.js';
import { shutdownTask, signalGroup } from './kill.js';
import { spoolPuncher } from './puncher.js';
import { spawnTask } from './spawn.js';
import { SupervisedTask, UNKNOWN_EXIT } from './task.js';

/** A line for the daemon's log. */
export type DaemonLog = (msg: string) => void;

/** Adopted tasks are checked this often; a dead one is noticed within this delay. */
const ADOPTED_POLL_MS = 200;
/**
 * Safety net for output wake-ups lost to an inotify queue overflow (which Node does not report):
 * a sweep fstats every spool, 600 a second for 300 tasks at 1 s (1.7% of a core on an idle node).
 */
const OUTPUT_SWEEP_MS = 5_000;
/** One read buffer for every pump (they drain synchronously). */
const READ_BUFFER_BYTES = 1024 * 1024;
/** A destroyed task's dir is renamed to this prefix plus its key until it is removed (a dot name: never read as a task). */
const RETIRED_PREFIX = '.gone.';
/** Retired dirs and cgroups are removed this long after the destroy, a few milliseconds of them at a time. */
const RETIRED_CLEANUP_MS = 20;
const RETIRED_SLICE_MS = 5;

/** Unix ms with sub-millisecond precision. */
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class Supervisor {
  private readonly tasks = new Map<string, SupervisedTask>();
  private readonly launching = new Map<string, Promise<LaunchedTask>>();
  private readonly outputDeps: OutputDeps;
  private readonly isRoot = process.getuid?.() === 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly sweepTimer: NodeJS.Timeout;
  /** Destroyed tasks whose files and cgroup are still to remove (retire). */
  private readonly retired: { readonly dir: string; readonly cgroup?: TaskCgroup }[] = [];
  private cleanupTimer: NodeJS.Timeout | undefined;

  constructor(
    /** Where task dirs live (daemon/state-dir.ts). */
    readonly stateDir: string,
    private readonly layout: CgroupLayout,
    private readonly log: DaemonLog,
  ) {
    mkdirSync(stateDir, { recursive: true });
    this.outputDeps = {
      buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
      puncher: spoolPuncher(log),
      onError: (stream, err) => log(`output ${stream}: ${err.message}`),
    };
    this.sweepTimer = setInterval(() => {
      for (const t of this.tasks.values()) t.output?.sweep();
    }, OUTPUT_SWEEP_MS);
  }

  /** Re-adopts every journaled task; those that ended meanwhile get UNKNOWN_EXIT. */
  async recover(): Promise<void> {
    const scan = readAll(this.stateDir, (d, err) => this.log(`journal ${d}: ${err.message}`));
    for (const key of scan.incomplete) await this.discardIncomplete(key);
    // Destroyed before the last daemon ended, not yet removed.
    for (const name of readdirSync(this.stateDir)) if (name.startsWith(RETIRED_PREFIX)) await this.discardIncomplete(name.slice(RETIRED_PREFIX.length), name);
    for (const { dir, rec } of scan.tasks) {
      const task = new SupervisedTask(dir, rec);
      this.tasks.set(task.id, task);
      try {
        task.output = TaskOutput.resume(dir, rec.spec.output, this.outputDeps);
      } catch (err) {
        this.log(`task ${task.id}: output not resumed: ${(err as Error).message}`);
      }
      if (task.exited) continue;
      if (isRunning(rec.pid, rec.procStartTicks)) {
        this.log(`task ${task.id}: re-adopted pid ${rec.pid}`);
        this.ensurePolling();
      } else {
        this.log(`task ${task.id}: pid ${rec.pid} ended while the executor was down`);
        this.onExit(task, UNKNOWN_EXIT);
      }
    }
  }

  /** Starts a task; a second launch of the same id returns the first (so clients can retry after a lost connection). */
  launch(spec: LaunchSpec): Promise<LaunchedTask> {
    const existing = this.tasks.get(spec.taskId);
    if (existing) return Promise.resolve(existing.launched());
    const pending = this.launching.get(spec.taskId);
    if (pending) return pending;
    const p = this.doLaunch(spec).finally(() => this.launching.delete(spec.taskId));
    this.launching.set(spec.taskId, p);
    return p;
  }

  private async doLaunch(spec: LaunchSpec): Promise<LaunchedTask> {
    checkSpec(spec);
    // Until task.json exists this dir marks an unfinished launch (cleaned by recover()).
    const dir = taskDir(this.stateDir, spec.taskId);
    mkdirSync(dir, { recursive: true });
    let cgroup: TaskCgroup | undefined;
    let output: TaskOutput | undefined;
    let fds: [number, number] | undefined;
    let spawnedPid: number | undefined;
    try {
      const wantsCgroup = spec.cgroup || spec.cgroupOverride !== undefined;
      if (wantsCgroup && this.isRoot && this.layout.mode !== 'none') {
        cgroup = createTaskCgroup(this.layout, taskKey(spec.taskId), spec.resources, spec.cgroupOverride);
      }
      const plan = await planLaunch(spec, cgroup);
      ({ output, fds } = TaskOutput.create(dir, spec.output, this.outputDeps));
      // The exit may be reported before the journal is written (a task that ends at once): hold it until then.
      const exit: { task?: SupervisedTask; early?: ExitResult } = {};
      const { pid } = await spawnTask(plan, fds[0], fds[1], (r) => {
        if (exit.task) this.onExit(exit.task, r);
        else exit.early = r;
      });
      closeFds(fds);
      fds = undefined;
      spawnedPid = pid;
      const rec: TaskRecord = {
        version: JOURNAL_VERSION,
        spec,
        pid,
        procStartTicks: readProcStat(pid)?.starttime ?? 0,
        startedAt: nowMs(),
        ...(cgroup ? { cgroup } : {}),
      };
      writeRecord(dir, rec);
      const task = new SupervisedTask(dir, rec);
      task.ownChild = true;
      task.output = output;
      this.tasks.set(spec.taskId, task);
      exit.task = task;
      if (exit.early) this.onExit(task, exit.early);
      return task.launched();
    } catch (err) {
      if (fds) closeFds(fds);
      // Spawned but not journaled (a full disk?): a task nobody could find again must not run on.
      if (spawnedPid !== undefined && !this.tasks.has(spec.taskId)) trySignal(-spawnedPid, 'SIGKILL');
      output?.close();
      if (cgroup) {
        await killAll(cgroup);
        removeCgroup(cgroup);
      }
      removeTaskDir(dir);
      throw err instanceof DroverError ? err : new DroverError(ErrorCode.driverStart, (err as Error).message, { cause: err });
    }
  }

  /** Resolves with the task's exit (at once if it already exited). */
  wait(taskId: string, signal?: AbortSignal): Promise<ExitResult> {
    return this.get(taskId).wait(signal);
  }

  /** Signal, grace, then SIGKILL of the whole tree; resolves when gone. */
  shutdown(taskId: string, signal: string, graceMs: number): Promise<void> {
    const task = this.get(taskId);
    return shutdownTask(task, signal, graceMs, () => this.checkAdopted(task));
  }

  /** Nomad's Executor.Signal: the main process (the whole group for isolated tasks, whose main process is a waiter). */
  signal(taskId: string, name: string): void {
    const task = this.running(taskId);
    const sig = signalNumber(name);
    if (sig === undefined) throw new DroverError(ErrorCode.validation, `unknown signal ${JSON.stringify(name)}`);
    const ok = task.rec.spec.isolation ? signalGroup(task.pid, sig) : trySignal(task.pid, sig);
    if (!ok) throw new DroverError(ErrorCode.internal, 'os: process already finished');
  }

  /** New limits for the task's cgroup. */
  updateResources(taskId: string, resources: ResourceLimits): void {
    const task = this.get(taskId);
    task.rec = { ...task.rec, spec: { ...task.rec.spec, resources } };
    writeRecord(task.dir, task.rec);
    if (task.rec.cgroup) setLimits(task.rec.cgroup, resources);
  }

  /** One usage sample (cgroup when the task has one, else its process tree). */
  stats(taskId: string): TaskResourceUsage {
    const task = this.running(taskId);
    return task.rec.cgroup ? task.sampler.fromCgroup(task.rec.cgroup) : task.sampler.fromProcessTree(task.pid);
  }

  /** Runs a command in the task's context. */
  async exec(taskId: string, deadlineMs: number, command: string, args: readonly string[]): Promise<ExecResult> {
    return runExec(await this.execPlan(taskId, command, args), deadlineMs);
  }

  /** Starts an interactive exec session. */
  async execStreaming(taskId: string, command: readonly string[], tty: boolean, size: { height: number; width: number } | undefined, out: SessionOutput): Promise<ExecSession> {
    if (command.length === 0) throw new DroverError(ErrorCode.validation, 'command is required');
    return ExecSession.start(await this.execPlan(taskId, command[0] as string, command.slice(1)), tty, size, out);
  }

  /** State and exit of the task. */
  inspect(taskId: string): TaskInspect {
    return this.get(taskId).inspect();
  }

  /**
   * Forgets an exited task: leftovers of its tree are killed, output copied
   * to the end, cgroup, spools and journal entry removed. Idempotent.
   */
  async destroy(taskId: string): Promise<void> {
    const task = this.tasks.get(taskId);
    if (!task) {
      removeTaskDir(taskDir(this.stateDir, taskId));
      return;
    }
    if (!task.exited) throw new DroverError(ErrorCode.internal, 'cannot destroy running task');
    trySignal(-task.pid, 'SIGKILL');
    const cg = task.rec.cgroup;
    if (cg) await killAll(cg);
    task.output?.close();
    this.tasks.delete(taskId);
    this.retire(task.dir, cg);
  }

  /**
   * Removing a task's files and cgroup is the slow part of a destroy: ext4
   * without a journal discards every freed block on the spot (~0.15 ms a
   * file here, a rmdir more), which made it most of the executor's work in a
   * restart. The task is gone once its tree is killed and its output copied;
   * its dir is renamed out of the journal's sight at once (a daemon that dies
   * from here on leaves a `.gone.` dir its next start removes, never a task)
   * and removed with its cgroup when the requests of the moment are answered.
   */
  private retire(dir: string, cgroup: TaskCgroup | undefined): void {
    const gone = join(dirname(dir), RETIRED_PREFIX + basename(dir));
    try {
      renameSync(dir, gone);
    } catch {
      this.removeRetired({ dir, ...(cgroup ? { cgroup } : {}) });
      return;
    }
    this.retired.push({ dir: gone, ...(cgroup ? { cgroup } : {}) });
    this.cleanupTimer ??= setTimeout(() => this.removeSomeRetired(), RETIRED_CLEANUP_MS);
  }

  /** Removes retired tasks for a few milliseconds; the rest wait for the next turn. */
  private removeSomeRetired(): void {
    this.cleanupTimer = undefined;
    const end = performance.now() + RETIRED_SLICE_MS;
    while (this.retired.length > 0 && performance.now() < end) this.removeRetired(this.retired.shift() as (typeof this.retired)[number]);
    if (this.retired.length > 0) this.cleanupTimer = setTimeout(() => this.removeSomeRetired(), RETIRED_CLEANUP_MS);
  }

  private removeRetired(r: { readonly dir: string; readonly cgroup?: TaskCgroup }): void {
    if (r.cgroup && !removeCgroup(r.cgroup)) this.log(`${basename(r.dir)}: cgroup still busy: ${cgroupPids(r.cgroup).join(' ')}`);
    removeTaskDir(r.dir);
  }

  /** Daemon facts for the client. */
  status(): DaemonStatus {
    let running = 0;
    for (const t of this.tasks.values()) if (!t.exited) running++;
    return { pid: process.pid, tasks: this.tasks.size, running: running + this.launching.size, cgroupMode: this.layout.mode, stateDir: this.stateDir };
  }

  /** Stops timers and copies every stream to its end (daemon exit; tasks keep running). */
  close(): void {
    clearInterval(this.sweepTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.cleanupTimer) clearTimeout(this.cleanupTimer);
    this.cleanupTimer = undefined;
    for (const r of this.retired.splice(0)) this.removeRetired(r);
    for (const t of this.tasks.values()) t.output?.close();
    if (this.tasks.size === 0) removeParents(this.layout);
  }

  private async execPlan(taskId: string, command: string, args: readonly string[]): Promise<SpawnPlan> {
    const task = this.running(taskId);
    return planExec(task.rec.spec, task.pid, task.rec.cgroup, command, args);
  }

  private onExit(task: SupervisedTask, result: ExitResult): void {
    if (task.exited) return;
    const cg = task.rec.cgroup;
    const oomKilled = cg !== undefined && oomKills(cg) > 0;
    task.output?.drain();
    task.finish(oomKilled ? { ...result, oomKilled } : result, nowMs());
  }

  /** Notices the exit of an adopted task (not our child, so no SIGCHLD). */
  private checkAdopted(task: SupervisedTask): void {
    if (!task.exited && !task.ownChild && !isRunning(task.pid, task.rec.procStartTicks)) this.onExit(task, UNKNOWN_EXIT);
  }

  private ensurePolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => {
      let adopted = 0;
      for (const t of this.tasks.values()) {
        this.checkAdopted(t);
        if (!t.exited && !t.ownChild) adopted++;
      }
      if (adopted === 0) {
        clearInterval(this.pollTimer);
        this.pollTimer = undefined;
      }
    }, ADOPTED_POLL_MS);
  }

  /** A launch the daemon died in, or a retired task it did not remove: kill whatever is in the task's cgroup, then forget it. */
  private async discardIncomplete(key: string, name = key): Promise<void> {
    const cg = ownedCgroupOf(this.layout, key);
    if (cg) {
      await killAll(cg);
      removeCgroup(cg);
    }
    removeTaskDir(join(this.stateDir, name));
  }

  private get(taskId: string): SupervisedTask {
    const t = this.tasks.get(taskId);
    if (!t) throw new TaskNotFoundError(taskId);
    return t;
  }

  private running(taskId: string): SupervisedTask {
    const t = this.get(taskId);
    if (t.exited) throw new DroverError(ErrorCode.internal, 'task is not running');
    return t;
  }
}

/** Rejects specs a client could not have meant (a wrong-shaped request). */
function checkSpec(spec: LaunchSpec): void {
  if (typeof spec.taskId !== 'string' || spec.taskId === '') throw new DroverError(ErrorCode.validation, 'launch: taskId is required');
  if (typeof spec.command !== 'string' || spec.command === '') throw new DroverError(ErrorCode.validation, 'launch: command is required');
  if (!Array.isArray(spec.args) || typeof spec.env !== 'object' || spec.env === null) throw new DroverError(ErrorCode.validation, 'launch: args and env are required');
  if (spec.output?.kind !== 'rotate' && spec.output?.kind !== 'paths') throw new DroverError(ErrorCode.validation, 'launch: output is required');
}

function closeFds(fds: readonly number[]): void {
  for (const fd of fds) closeSync(fd);
}
