/**
 * exec's driver_state: what a restarted agent needs to find the task again
 * in the executor daemon (Nomad keeps the executor's reattach config, pid
 * and start time; here: which daemon, and the launched process with its
 * start time so a reused pid is never mistaken for the task).
 */
import type { LaunchedTask } from '../../executor/types.js';

/** Bumped when the layout changes incompatibly. */
const STATE_VERSION = 1;

/** Decoded driver_state. */
export interface ExecTaskState {
  /** The executor data dir whose daemon runs the task. */
  readonly executorDataDir: string;
  readonly launched: LaunchedTask;
}

/** Serializes the state for TaskHandle.driverState. */
export function encodeTaskState(s: ExecTaskState): Uint8Array {
  return Buffer.from(JSON.stringify({ v: STATE_VERSION, ...s }));
}

/** Parses driver_state bytes; throws on anything but this driver's version-1 JSON. */
export function decodeTaskState(bytes: Uint8Array): ExecTaskState {
  const raw: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error('driver state is not an object');
  const o = raw as Record<string, unknown>;
  if (o['v'] !== STATE_VERSION) throw new Error(`unsupported driver state version ${String(o['v'])}`);
  const l = o['launched'] as Record<string, unknown> | undefined;
  if (typeof l !== 'object' || l === null) throw new Error('driver state has no launched task');
  for (const k of ['pid', 'startedAt', 'procStartTicks']) if (typeof l[k] !== 'number') throw new Error(`launched.${k} is not a number`);
  if (typeof l['taskId'] !== 'string') throw new Error('launched.taskId is not a string');
  if (l['cgroup'] !== undefined && typeof l['cgroup'] !== 'string') throw new Error('launched.cgroup is not a string');
  if (typeof o['executorDataDir'] !== 'string') throw new Error('executorDataDir is not a string');
  return { executorDataDir: o['executorDataDir'], launched: l as unknown as LaunchedTask };
}
