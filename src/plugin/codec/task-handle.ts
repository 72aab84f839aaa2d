/**
 * TaskHandle ↔ its proto. Nomad stores the handle as the driver returned it
 * and hands it back to RecoverTask unchanged, except that the driver config
 * bytes are gone after a client restart: driverState alone must be enough.
 */
import type { TaskHandle, TaskStatusState } from '../../drivers/types.js';
import { PbTaskState, type PbTaskHandle } from '../wire/driver.js';
import { taskConfigFromPb, taskConfigToPb } from './task-config.js';

/** drover state → wire enum. */
export function taskStateToPb(s: TaskStatusState): number {
  return s === 'running' ? PbTaskState.RUNNING : s === 'exited' ? PbTaskState.EXITED : PbTaskState.UNKNOWN;
}

/** wire enum → drover state. */
export function taskStateFromPb(n: number): TaskStatusState {
  return n === PbTaskState.RUNNING ? 'running' : n === PbTaskState.EXITED ? 'exited' : 'unknown';
}

/** drover → wire. */
export function taskHandleToPb(h: TaskHandle, msgpackDriverConfig: Uint8Array): PbTaskHandle {
  return {
    version: h.version,
    config: taskConfigToPb(h.config, msgpackDriverConfig),
    state: taskStateToPb(h.state),
    driver_state: Buffer.from(h.driverState),
  };
}

/** wire → drover; the config's driver config is decoded by the caller. */
export function taskHandleFromPb(pb: PbTaskHandle, driverConfig: Readonly<Record<string, unknown>>): TaskHandle {
  if (!pb.config) throw new Error('task handle has no task config');
  return {
    version: pb.version,
    config: taskConfigFromPb(pb.config, driverConfig),
    state: taskStateFromPb(pb.state),
    driverState: new Uint8Array(pb.driver_state),
  };
}
