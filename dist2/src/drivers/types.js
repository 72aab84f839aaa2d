export { exitSuccessful } from '../model/task-result.js';
/** The driver plugin API version Nomad's drivers announce (drivers.ApiVersion010). */
export const DRIVER_API_VERSION = 'v0.1.0';
/** Nomad's DriverHealthy description. */
export const DRIVER_HEALTHY = 'Healthy';
/** True when `d` can run interactive exec sessions (it has the method and announces exec, as Nomad checks Capabilities.Exec). */
export function isExecStreamingDriver(d) {
    return typeof d.execTaskStreaming === 'function' && d.capabilities().exec;
}
export function isDriverShutdowner(d) {
    return typeof d.shutdown === 'function';
}
// The logger moved to model; re-exported until the drivers import it from there.
//# sourceMappingURL=types.js.map