/**
 * One VM as a driver tracks it: the QEMU process the executor daemon runs
 * (its exit is the task's exit), the QMP socket to talk to the machine, and
 * the stop sequence both drivers share:
 *
 *   graceful:  system_powerdown (ACPI power button) ──exit──▶ done
 *                 │ no exit within the kill timeout
 *                 ▼
 *   always:    kill signal to QEMU (it tears the VM down at once, flushing
 *              its disk images) ──QEMU hangs for KILL_GRACE_MS──▶ SIGKILL
 */
import type { Executor } from '../../executor/types.js';
import { errorMessage } from '../../model/errors.js';
import type { ExitResult, Logger, TaskConfig, TaskResourceUsage, TaskStatus, TaskStatusState } from '../types.js';
import { QmpClient, type QmpStatus } from './qmp.js';
import { VmStats } from './vm-stats.js';
import { waitUnlessAborted } from '../shared/abort.js';

/** How long QEMU gets to exit on the kill signal before SIGKILL. */
export const KILL_GRACE_MS = 5_000;
/** How long a QMP connection attempt may take during stop (the VM may already be gone). */
const QMP_CONNECT_MS = 2_000;

/** The executor calls a VM handle makes. */
export type VmExecutor = Pick<Executor, 'wait' | 'shutdown'>;

/** What a handle is built from. */
export interface VmHandleOptions {
  readonly config: TaskConfig;
  readonly executor: VmExecutor;
  /** The executor's id for the QEMU process (the task id). */
  readonly executorTaskId: string;
  readonly pid: number;
  /** Unix ms. */
  readonly startedAt: number;
  readonly qmpPath: string;
  readonly logger: Logger;
  readonly now: () => number;
  /** Extra TaskStatus driver attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A running (or finished) VM. */
export class VmHandle {
  readonly config: TaskConfig;
  readonly pid: number;
  readonly startedAt: number;
  readonly qmpPath: string;
  readonly executorTaskId: string;
  /** Settles with the exit result (never rejects). */
  readonly exited: Promise<ExitResult>;
  private readonly executor: VmExecutor;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly attributes: Readonly<Record<string, string>>;
  private readonly stats: VmStats;
  private procState: TaskStatusState = 'running';
  private completedAt = 0;
  private exitResult: ExitResult | undefined;
  private readonly disposal = new AbortController();
  private resolveExit!: (r: ExitResult) => void;

  constructor(o: VmHandleOptions) {
    this.config = o.config;
    this.executor = o.executor;
    this.executorTaskId = o.executorTaskId;
    this.pid = o.pid;
    this.startedAt = o.startedAt;
    this.qmpPath = o.qmpPath;
    this.logger = o.logger;
    this.now = o.now;
    this.attributes = o.attributes ?? {};
    this.stats = new VmStats(o.pid);
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** Starts waiting on the executor for QEMU's exit. */
  start(): void {
    this.executor.wait(this.executorTaskId, { signal: this.disposal.signal }).then(
      (r) => this.finish('exited', r),
      (err: unknown) => {
        if (this.disposal.signal.aborted) return;
        this.finish('unknown', { exitCode: -1, signal: 0, oomKilled: false, err: `executor: error waiting on process: ${errorMessage(err)}` });
      },
    );
  }

  /** Whether the VM still runs. */
  get running(): boolean {
    return this.procState === 'running';
  }

  /** Aborted when the handle is destroyed (ends stats streams). */
  get disposed(): AbortSignal {
    return this.disposal.signal;
  }

  /** Resolves with the exit; rejects with an AbortError if `signal` aborts first. */
  wait(signal?: AbortSignal): Promise<ExitResult> {
    if (this.exitResult) return Promise.resolve(this.exitResult);
    return waitUnlessAborted(this.exited, signal);
  }

  /**
   * Stops the VM: with `graceful`, presses the ACPI power button and waits
   * up to `timeoutMs` for the guest to power off; then (or at once without
   * `graceful`) sends `signal` (SIGTERM when empty) to QEMU and SIGKILL after
   * KILL_GRACE_MS. Resolves once QEMU is gone.
   */
  async stop(timeoutMs: number, signal: string, graceful: boolean): Promise<void> {
    if (!this.running) return;
    if (graceful) {
      try {
        await this.powerdown();
        if (await this.exitsWithin(timeoutMs)) return;
        this.logger.info('graceful shutdown timed out, killing the VM', { task_id: this.config.id, timeout_ms: timeoutMs });
      } catch (err) {
        this.logger.debug('error sending graceful shutdown', { task_id: this.config.id, error: errorMessage(err) });
      }
    }
    if (!this.running) return;
    await this.executor.shutdown(this.executorTaskId, signal === '' ? 'SIGTERM' : signal, graceful ? KILL_GRACE_MS : Math.max(timeoutMs, KILL_GRACE_MS));
    await this.exitsWithin(KILL_GRACE_MS);
  }

  /** Presses the virtual power button (QMP system_powerdown). */
  async powerdown(): Promise<void> {
    const c = await QmpClient.connect(this.qmpPath, { timeoutMs: QMP_CONNECT_MS });
    try {
      await c.execute('system_powerdown');
    } finally {
      c.close();
    }
  }

  /** QEMU's view of the machine (query-status), for recovery and inspection. */
  async queryStatus(): Promise<QmpStatus> {
    const c = await QmpClient.connect(this.qmpPath, { timeoutMs: QMP_CONNECT_MS });
    try {
      return await c.execute<QmpStatus>('query-status');
    } finally {
      c.close();
    }
  }

  /** One sample of the QEMU process's CPU and memory. */
  sample(): TaskResourceUsage {
    return this.stats.sample();
  }

  /** Nomad's TaskStatus, with the QEMU pid and the driver's attributes. */
  status(): TaskStatus {
    return {
      id: this.config.id,
      name: this.config.name,
      state: this.procState,
      startedAt: this.startedAt,
      completedAt: this.completedAt,
      ...(this.exitResult ? { exitResult: this.exitResult } : {}),
      driverAttributes: { pid: String(this.pid), ...this.attributes },
    };
  }

  /** Stops the background wait and ends streams tied to this VM. */
  dispose(): void {
    this.disposal.abort();
  }

  private exitsWithin(ms: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      void this.exited.then(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  private finish(state: TaskStatusState, r: ExitResult): void {
    if (this.exitResult) return;
    this.exitResult = r;
    this.procState = state;
    this.completedAt = this.now();
    this.resolveExit(r);
  }
}

