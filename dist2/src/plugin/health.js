/**
 * gRPC health service as go-plugin serves it: the host checks service
 * "plugin" (and may check "", the whole server) and expects SERVING.
 */
import * as grpc from '@grpc/grpc-js';
import { HealthCheckResponse_ServingStatus as ServingStatus } from './wire/health.js';
/** go-plugin's GRPCServiceName. */
export const PLUGIN_HEALTH_SERVICE = 'plugin';
const SERVED = new Set(['', PLUGIN_HEALTH_SERVICE]);
/** Handlers for grpc.health.v1.Health. */
export function healthHandlers() {
    return {
        check(call, callback) {
            if (!SERVED.has(call.request.service))
                return callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
            callback(null, { status: ServingStatus.SERVING });
        },
        watch(call) {
            call.write({ status: SERVED.has(call.request.service) ? ServingStatus.SERVING : ServingStatus.SERVICE_UNKNOWN });
            // The status never changes while the process lives; hold the stream until the host leaves.
            call.on('cancelled', () => call.end());
        },
    };
}
//# sourceMappingURL=health.js.map