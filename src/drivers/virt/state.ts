/**
 * virt's driver_state (nomad-driver-virt's TaskState: task config, start
 * time, network teardown spec), plus what drover needs to reattach to and
 * clean up a VM it runs without libvirt: the executor and QEMU process, the
 * QMP socket, and the files made for the VM.
 */
import type { TaskConfig } from '../types.js';
import { decodeState, encodeState, type VmProcessState } from '../vm-shared/state.js';
import type { TeardownSpec } from './net/types.js';

const STATE_VERSION = 1;

/** Decoded driver_state. */
export interface VirtTaskState extends VmProcessState {
  readonly taskConfig: TaskConfig;
  readonly vmName: string;
  /** Files to remove on destroy: the overlay (thin copies only), the seed, the QMP socket. */
  readonly files: readonly string[];
  readonly netTeardown?: TeardownSpec;
}

/** Serializes the state for TaskHandle.driverState. */
export function encodeTaskState(s: VirtTaskState): Uint8Array {
  return encodeState(STATE_VERSION, s);
}

/** Parses driver_state bytes; throws naming what is wrong. */
export function decodeTaskState(bytes: Uint8Array): VirtTaskState {
  const o = decodeState(STATE_VERSION, bytes);
  if (typeof o['vmName'] !== 'string') throw new Error('vmName is not a string');
  if (!Array.isArray(o['files'])) throw new Error('files is not a list');
  if (typeof o['taskConfig'] !== 'object' || o['taskConfig'] === null) throw new Error('taskConfig is missing');
  return o as unknown as VirtTaskState;
}
