/**
 * qemu's driver_state (Nomad's qemu TaskState: reattach config, pid, start
 * time): the executor and QEMU process to reattach to, the QMP socket, and
 * whether stop should try an ACPI shutdown first.
 */
import { decodeState, encodeState, type VmProcessState } from '../vm-shared/state.js';

const STATE_VERSION = 1;

/** Decoded driver_state. */
export interface QemuTaskState extends VmProcessState {
  readonly gracefulShutdown: boolean;
}

/** Serializes the state for TaskHandle.driverState. */
export function encodeTaskState(s: QemuTaskState): Uint8Array {
  return encodeState(STATE_VERSION, s);
}

/** Parses driver_state bytes; throws naming what is wrong. */
export function decodeTaskState(bytes: Uint8Array): QemuTaskState {
  const o = decodeState(STATE_VERSION, bytes);
  if (typeof o['gracefulShutdown'] !== 'boolean') throw new Error('gracefulShutdown is not a bool');
  return o as unknown as QemuTaskState;
}
