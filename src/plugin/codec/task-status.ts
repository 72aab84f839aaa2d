/**
 * TaskStatus ↔ InspectTaskResponse. started_at, completed_at and result are
 * always set, as Nomad's server sets them: completed_at is Go's zero time and
 * result all zeros while the task runs.
 */
import type { TaskStatus } from '../../drivers/types.js';
import type * as pb from '../wire/driver.js';
import { exitResultFromPb, exitResultToPb } from './exit-result.js';
import { networkFromPb, networkToPb } from './network.js';
import { taskStateFromPb, taskStateToPb } from './task-handle.js';
import { msToTimestamp, timestampToMs } from './time.js';

/** drover → wire. */
export function taskStatusToPb(s: TaskStatus): pb.InspectTaskResponse {
  return {
    task: {
      id: s.id,
      name: s.name,
      state: taskStateToPb(s.state),
      started_at: msToTimestamp(s.startedAt),
      completed_at: msToTimestamp(s.completedAt),
      result: exitResultToPb(s.exitResult),
    },
    driver: { attributes: { ...s.driverAttributes } },
    network_override: networkToPb(s.network),
  };
}

/** wire → drover; the exit result is kept once the task has exited. */
export function taskStatusFromPb(m: pb.InspectTaskResponse): TaskStatus {
  const t = m.task;
  if (!t) throw new Error('InspectTask response has no task');
  const state = taskStateFromPb(t.state);
  const completedAt = timestampToMs(t.completed_at);
  const network = networkFromPb(m.network_override);
  return {
    id: t.id,
    name: t.name,
    state,
    startedAt: timestampToMs(t.started_at),
    completedAt,
    ...(state === 'exited' || completedAt !== 0 ? { exitResult: exitResultFromPb(t.result) } : {}),
    driverAttributes: { ...(m.driver?.attributes ?? {}) },
    ...(network ? { network } : {}),
  };
}
