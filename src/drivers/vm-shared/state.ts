/**
 * Reattach state both VM drivers keep in the task handle: which executor
 * daemon runs QEMU, which process it is (pid + start time), and where its
 * QMP socket is. Each driver adds its own fields beside these.
 */

/** The common part of a VM driver's driver_state. */
export interface VmProcessState {
  /** The executor data dir whose daemon runs QEMU. */
  readonly executorDataDir: string;
  readonly pid: number;
  readonly procStartTicks: number;
  /** Unix ms. */
  readonly startedAt: number;
  readonly qmpPath: string;
}

/** JSON bytes for TaskHandle.driverState, tagged with a version. */
export function encodeState(version: number, s: object): Uint8Array {
  return Buffer.from(JSON.stringify({ v: version, ...s }));
}

/** Parses driver_state bytes, checking the version and the common fields; throws naming what is wrong. */
export function decodeState(version: number, bytes: Uint8Array): Record<string, unknown> & VmProcessState {
  const v: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('driver state is not an object');
  const o = v as Record<string, unknown>;
  if (o['v'] !== version) throw new Error(`unsupported driver state version ${String(o['v'])}`);
  for (const k of ['executorDataDir', 'qmpPath']) if (typeof o[k] !== 'string') throw new Error(`${k} is not a string`);
  for (const k of ['pid', 'procStartTicks', 'startedAt']) if (typeof o[k] !== 'number') throw new Error(`${k} is not a number`);
  return o as Record<string, unknown> & VmProcessState;
}
