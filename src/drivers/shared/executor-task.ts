/**
 * One task whose process the executor daemon supervises (Nomad's
 * rawexec/exec/qemu taskHandle): the executor's id for it is the task id,
 * its exit is what the executor reports, and stop, kill, signal, exec and
 * stats all go through the daemon. raw_exec, exec, qemu and virt share it;
 * the VM drivers extend it with QMP (vm-shared/vm-task.ts). Also here: the
 * driver_state layout they all keep (which daemon, which process, so a
 * reused pid is never mistaken for the task) and where task output goes.
 */
import type { Executor, LaunchedTask, LaunchSpec, OutputSpec } from '../../executor/types.js';
import { signalNumber } from '../../executor/signals.js';
import { ABORTED, DroverError, ErrorCode, TaskNotFoundError, errorMessage } from '../../model/errors.js';
import { isRecord, parseShape, shape, type Assert, type Equals, type Infer } from '../../model/shape.js';
import type { ExecOptions, ExecTaskResult, ExitResult, TaskConfig, TaskResourceUsage, TaskStatus } from '../types.js';
import type { Logger } from '../../model/logger.js';
import { TaskExit } from './task-exit.js';

/** What an executor task is built from. */
export interface ExecutorTaskOptions {
  readonly config: TaskConfig;
  readonly executor: Executor;
  /** Which daemon supervises which process (kept in driver_state). */
  readonly state: ExecutorTaskState;
  readonly logger: Logger;
  readonly now: () => number;
  /** TaskStatus driver attributes beside the pid. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A launched (or recovered) executor task; `start()` begins waiting for its exit. */
export class ExecutorTask {
  readonly config: TaskConfig;
  readonly executor: Executor;
  readonly state: ExecutorTaskState;
  protected readonly logger: Logger;
  protected readonly exit: TaskExit;
  private readonly attributes: Readonly<Record<string, string>>;
  /** Aborted on dispose, and once the exit is known: stats streams end on it. */
  private readonly endCtl = new AbortController();
  private readonly disposal = new AbortController();
  private waiting = false;

  constructor(o: ExecutorTaskOptions) {
    this.config = o.config;
    this.executor = o.executor;
    this.state = o.state;
    this.logger = o.logger;
    this.attributes = o.attributes ?? {};
    this.exit = new TaskExit(o.now);
    void this.exit.exited.then(() => this.endCtl.abort(ABORTED));
  }

  get pid(): number {
    return this.state.pid;
  }

  /** The executor's id for the task. */
  get taskId(): string {
    return this.config.id;
  }

  /** Starts waiting on the executor in the background (re-sent across daemon restarts by the client); idempotent. */
  start(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.executor.wait(this.taskId, { signal: this.disposal.signal }).then(
      (r) => this.exit.finish(r),
      (err: unknown) => {
        if (this.disposal.signal.aborted) return;
        // As Nomad's handle.run: the wait itself failed, so the exit is unknown.
        this.logger.error('error waiting on task', { task_id: this.taskId, error: errorMessage(err) });
        this.exit.finish({ exitCode: -1, signal: 0, oomKilled: false, err: `executor: error waiting on process: ${errorMessage(err)}` }, 'unknown');
      },
    );
  }

  get running(): boolean {
    return this.exit.running;
  }

  /** Settles with the exit (never rejects). */
  get exited(): Promise<ExitResult> {
    return this.exit.exited;
  }

  /** Aborts when the task exits or the handle is disposed. */
  get ended(): AbortSignal {
    return this.endCtl.signal;
  }

  /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
  wait(signal?: AbortSignal): Promise<ExitResult> {
    return this.exit.wait(signal);
  }

  /** Nomad's TaskStatus, with the pid as a driver attribute. */
  status(): TaskStatus {
    return this.exit.status(this.config, this.state.startedAt, { pid: String(this.pid), ...this.attributes });
  }

  /**
   * `signal` (SIGINT when empty) to the task's process group, SIGKILL to the
   * whole tree after `timeoutMs`; resolves once it has exited. A task the
   * executor no longer knows is already gone.
   */
  async stop(timeoutMs: number, signal: string): Promise<void> {
    if (!this.running) return;
    this.start();
    try {
      await this.executor.shutdown(this.taskId, signal, timeoutMs);
    } catch (err) {
      if (err instanceof TaskNotFoundError) return;
      throw new DroverError(ErrorCode.internal, `executor Shutdown failed: ${errorMessage(err)}`, { cause: err });
    }
    await this.exited;
  }

  /** SIGKILL to the whole tree now; resolves once it has exited (a failure to kill is logged: the exit then never comes from us). */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.start();
    try {
      await this.executor.shutdown(this.taskId, 'SIGKILL', 0);
    } catch (err) {
      if (err instanceof TaskNotFoundError) return;
      this.logger.error('killing task failed', { task_id: this.taskId, error: errorMessage(err) });
      return;
    }
    await this.exited;
  }

  /** Drops the executor's record and cgroup of an exited task; an unknown task is already forgotten. */
  async forget(): Promise<void> {
    try {
      await this.executor.destroy(this.taskId);
    } catch (err) {
      if (!(err instanceof TaskNotFoundError)) this.logger.warn('executor destroy failed', { task_id: this.taskId, error: errorMessage(err) });
    }
  }

  /** Forwards a signal; an unknown name becomes SIGINT with a warning, as Nomad does. */
  async signal(signal: string): Promise<void> {
    let sig = signal;
    if (signalNumber(signal) === undefined || !/^SIG/i.test(signal)) {
      this.logger.warn('unknown signal to send to task, using SIGINT instead', { signal, task_id: this.taskId });
      sig = 'SIGINT';
    }
    await this.executor.signal(this.taskId, sig);
  }

  /** Runs a command in the task's context; stdout and stderr interleaved (last 4 KiB) on stdout, as Nomad. */
  async exec(cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    const [command, ...args] = requireCommand(cmd);
    // The daemon compares the deadline with its own clock: wall time, not an injected clock.
    const r = await this.executor.exec(this.taskId, timeoutMs > 0 ? Date.now() + timeoutMs : 0, command, args);
    return { stdout: r.output, stderr: new Uint8Array(0), exitResult: { exitCode: r.exitCode, signal: 0, oomKilled: false } };
  }

  /** Interactive exec, on a real TTY when asked. */
  execStreaming(opts: ExecOptions & { readonly signal?: AbortSignal }): Promise<ExitResult> {
    requireCommand(opts.command);
    return this.executor.execStreaming(this.taskId, opts);
  }

  /** One usage sample (the executor's cgroup or process-tree figures). */
  sample(): Promise<TaskResourceUsage> | TaskResourceUsage {
    return this.executor.stats(this.taskId);
  }

  /** Stops the background wait and ends streams tied to this task. */
  dispose(): void {
    this.disposal.abort(ABORTED);
    this.endCtl.abort(ABORTED);
  }
}

function requireCommand(cmd: readonly string[]): [string, ...string[]] {
  const [command, ...args] = cmd;
  if (command === undefined) throw new DroverError(ErrorCode.validation, 'error cmd must have at least one value');
  return [command, ...args];
}

/** The driver_state of a task just launched on the daemon of `executorDataDir`. */
export function launchedState(executorDataDir: string, l: LaunchedTask): ExecutorTaskState {
  return { executorDataDir, pid: l.pid, procStartTicks: l.procStartTicks, startedAt: l.startedAt, ...(l.cgroup !== undefined ? { cgroup: l.cgroup } : {}) };
}

/** drover's rotated files when the host asks the driver to rotate; otherwise the paths as given (FIFOs under Nomad). */
export function taskOutput(cfg: TaskConfig): OutputSpec {
  if (cfg.logRotation) {
    return { kind: 'rotate', dir: cfg.taskDir.logDir, taskName: cfg.name, maxFiles: cfg.logRotation.maxFiles, maxFileSizeBytes: cfg.logRotation.maxFileSizeBytes };
  }
  return { kind: 'paths', stdoutPath: cfg.stdoutPath, stderrPath: cfg.stderrPath };
}

/**
 * The LaunchSpec field that puts the task in its allocation's network
 * namespace: as Nomad's executor (withNetworkIsolation), any spec with a
 * path is joined, whatever its mode; no spec or an empty path (host mode)
 * adds nothing.
 */
export function taskNetns(cfg: TaskConfig): Pick<LaunchSpec, 'netnsPath'> {
  const path = cfg.networkIsolation?.path ?? '';
  return path !== '' ? { netnsPath: path } : {};
}

/** The common part of an executor-backed driver's state. */
export interface ExecutorTaskState {
  /** The executor data dir whose daemon runs the task. */
  readonly executorDataDir: string;
  readonly pid: number;
  /** /proc/<pid>/stat starttime of the task's process. */
  readonly procStartTicks: number;
  /** Unix ms. */
  readonly startedAt: number;
  readonly cgroup?: string;
}

/** Bumped when the layout changes incompatibly. */
const STATE_VERSION = 1;

/** JSON bytes for TaskHandle.driverState, tagged with the layout version. */
export function encodeExecutorState(s: ExecutorTaskState & Readonly<Record<string, unknown>>): Uint8Array {
  return Buffer.from(JSON.stringify({ v: STATE_VERSION, ...s }));
}

/**
 * Parses driver_state bytes: the common fields checked, the driver's own
 * fields returned in `extra` for it to check. Handles written before the
 * drivers shared this layout are read too (raw_exec's had no version,
 * exec's nested the process under `launched`), so tasks started by an
 * older drover are still recovered.
 */
export function decodeExecutorState(bytes: Uint8Array): { state: ExecutorTaskState; extra: Readonly<Record<string, unknown>> } {
  const raw: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (!isRecord(raw)) throw new Error('driver state is not an object');
  const { v, launched, ...rest } = raw;
  if (v !== undefined && v !== STATE_VERSION) throw new Error(`unsupported driver state version ${JSON.stringify(v)}`);
  const o: Record<string, unknown> = isRecord(launched) ? { ...rest, ...launched } : rest;
  const state = parseShape(STATE_SHAPE, o, 'driver state');
  const extra = Object.fromEntries(Object.entries(o).filter(([k]) => !(k in STATE_SHAPE.fields) && k !== 'taskId'));
  return { state, extra };
}

const STATE_SHAPE = shape.object({
  executorDataDir: shape.string(),
  pid: shape.integer(),
  procStartTicks: shape.integer(),
  startedAt: shape.number(),
  cgroup: shape.optional(shape.string()),
});
type _StateShapeMatches = Assert<Equals<Infer<typeof STATE_SHAPE>, ExecutorTaskState>>;
