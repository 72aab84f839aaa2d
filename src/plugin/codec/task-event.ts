/** DriverTaskEvent ↔ its proto. */
import type { DriverTaskEvent } from '../../drivers/types.js';
import type * as pb from '../wire/driver.js';
import { msToTimestamp, timestampToMs } from './time.js';

/** drover → wire. */
export function taskEventToPb(e: DriverTaskEvent): pb.DriverTaskEvent {
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
export function taskEventFromPb(m: pb.DriverTaskEvent): DriverTaskEvent {
  return {
    taskId: m.task_id,
    allocId: m.alloc_id,
    taskName: m.task_name,
    timestamp: timestampToMs(m.timestamp),
    message: m.message,
    annotations: { ...m.annotations },
  };
}
