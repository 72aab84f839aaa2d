/**
 * raw_exec's driver_state (Nomad's rawexec TaskState): everything needed to
 * reattach to a task after the agent or driver restarts — which executor
 * daemon supervises it and which process it is (pid + start time, so a
 * reused pid is never mistaken for the task).
 */

/** The reattach state, stored as JSON bytes in the task handle. */
export interface RawExecTaskState {
  readonly taskId: string;
  /** The executor data dir whose daemon runs the task. */
  readonly executorDataDir: string;
  readonly pid: number;
  readonly procStartTicks: number;
  /** Unix ms. */
  readonly startedAt: number;
  readonly cgroup?: string;
}

/** Serializes the state. */
export function encodeTaskState(s: RawExecTaskState): Uint8Array {
  return Buffer.from(JSON.stringify(s));
}

/** Parses state bytes; throws an Error naming what is wrong. */
export function decodeTaskState(bytes: Uint8Array): RawExecTaskState {
  const v: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('driver state is not an object');
  const o = v as Record<string, unknown>;
  for (const k of ['taskId', 'executorDataDir']) if (typeof o[k] !== 'string') throw new Error(`${k} is not a string`);
  for (const k of ['pid', 'procStartTicks', 'startedAt']) if (typeof o[k] !== 'number') throw new Error(`${k} is not a number`);
  return o as unknown as RawExecTaskState;
}
