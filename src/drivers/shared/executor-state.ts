/**
 * The driver_state every executor-backed driver keeps in its TaskHandle:
 * which executor daemon supervises the task and which process it is (pid +
 * start time, so a reused pid is never mistaken for the task). Drivers add
 * their own fields beside these (the VM drivers: the QMP socket, …).
 */

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
  if (v !== undefined && v !== STATE_VERSION) throw new Error(`unsupported driver state version ${String(v)}`);
  const o: Record<string, unknown> = isRecord(launched) ? { ...rest, ...launched } : rest;
  const { executorDataDir, pid, procStartTicks, startedAt, cgroup, taskId: _taskId, ...extra } = o;
  if (typeof executorDataDir !== 'string') throw new Error('executorDataDir is not a string');
  if (typeof pid !== 'number') throw new Error('pid is not a number');
  if (typeof procStartTicks !== 'number') throw new Error('procStartTicks is not a number');
  if (typeof startedAt !== 'number') throw new Error('startedAt is not a number');
  if (cgroup !== undefined && typeof cgroup !== 'string') throw new Error('cgroup is not a string');
  return { state: { executorDataDir, pid, procStartTicks, startedAt, ...(cgroup !== undefined ? { cgroup } : {}) }, extra };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
