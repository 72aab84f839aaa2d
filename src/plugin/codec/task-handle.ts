/**
 * TaskHandle ↔ its proto. Nomad stores the handle as the driver returned it
 * and hands it back to RecoverTask unchanged, except that the driver config
 * bytes are gone after a client restart: driverState alone must be enough.
 */
import type { TaskHandle, TaskStatusState } from '../../drivers/types.js';
import * as pb from '../wire/driver.js';
import { taskConfigFromPb, taskConfigToPb } from './task-config.js';

const STATE_TO_PB: Readonly<Record<TaskStatusState, pb.TaskState>> = { unknown: pb.TaskState.UNKNOWN, running: pb.TaskState.RUNNING, exited: pb.TaskState.EXITED };
const STATE_FROM_PB: Readonly<Record<pb.TaskState, TaskStatusState>> = { [pb.TaskState.UNKNOWN]: 'unknown', [pb.TaskState.RUNNING]: 'running', [pb.TaskState.EXITED]: 'exited' };

/** drover state → wire enum. */
export function taskStateToPb(s: TaskStatusState): pb.TaskState {
  return STATE_TO_PB[s];
}

/** wire enum → drover state; values a newer peer added read as unknown. */
export function taskStateFromPb(n: pb.TaskState): TaskStatusState {
  return STATE_FROM_PB[n] ?? 'unknown';
}

/** drover → wire. */
export function taskHandleToPb(h: TaskHandle, msgpackDriverConfig: Uint8Array): pb.TaskHandle {
  return {
    version: h.version,
    config: taskConfigToPb(h.config, msgpackDriverConfig),
    state: taskStateToPb(h.state),
    driver_state: Buffer.from(h.driverState),
  };
}

/** wire → drover; the config's driver config is decoded by the caller. */
export function taskHandleFromPb(m: pb.TaskHandle, driverConfig: Readonly<Record<string, unknown>>): TaskHandle {
  if (!m.config) throw new Error('task handle has no task config');
  return {
    version: m.version,
    config: taskConfigFromPb(m.config, driverConfig),
    state: taskStateFromPb(m.state),
    driverState: new Uint8Array(m.driver_state),
  };
}
