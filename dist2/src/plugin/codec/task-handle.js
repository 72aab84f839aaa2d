import * as pb from '../wire/driver.js';
import { taskConfigFromPb, taskConfigToPb } from './task-config.js';
const STATE_TO_PB = { unknown: pb.TaskState.UNKNOWN, running: pb.TaskState.RUNNING, exited: pb.TaskState.EXITED };
const STATE_FROM_PB = { [pb.TaskState.UNKNOWN]: 'unknown', [pb.TaskState.RUNNING]: 'running', [pb.TaskState.EXITED]: 'exited' };
/** drover state → wire enum. */
export function taskStateToPb(s) {
    return STATE_TO_PB[s];
}
/** wire enum → drover state; values a newer peer added read as unknown. */
export function taskStateFromPb(n) {
    return STATE_FROM_PB[n] ?? 'unknown';
}
/** drover → wire. */
export function taskHandleToPb(h, msgpackDriverConfig) {
    return {
        version: h.version,
        config: taskConfigToPb(h.config, msgpackDriverConfig),
        state: taskStateToPb(h.state),
        driver_state: Buffer.from(h.driverState),
    };
}
/** wire → drover; the config's driver config is decoded by the caller. */
export function taskHandleFromPb(m, driverConfig) {
    if (!m.config)
        throw new Error('task handle has no task config');
    return {
        version: m.version,
        config: taskConfigFromPb(m.config, driverConfig),
        state: taskStateFromPb(m.state),
        driverState: new Uint8Array(m.driver_state),
    };
}
//# sourceMappingURL=task-handle.js.map