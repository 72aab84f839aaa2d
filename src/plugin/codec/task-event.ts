/** DriverTaskEvent ↔ its proto. */
import type { DriverTaskEvent } from '../../drivers/types.js';
import type { PbDriverTaskEvent } from '../wire/driver.js';
import { msToTimestamp, timestampToMs } from './time.js';

/** drover → wire. */
export function taskEventToPb(e: DriverTaskEvent): PbDriverTaskEvent {
  return {
    task_id: e.taskId,
    alloc_id: e.allocId,
    task_name: e.taskName,
    timestamp: msToTimestamp(e.timestamp),
    message: e.message,
    annotations: { ...e.annotations },
  };
}

/** wire → drover. */
export function taskEventFromPb(pb: PbDriverTaskEvent): DriverTaskEvent {
  return {
    taskId: pb.task_id,
    allocId: pb.alloc_id,
    taskName: pb.task_name,
    timestamp: timestampToMs(pb.timestamp),
    message: pb.message,
    annotations: { ...pb.annotations },
  };
}
