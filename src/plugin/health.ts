/**
 * gRPC health service as go-plugin serves it: the host checks service
 * "plugin" (and may check "", the whole server) and expects SERVING.
 */
import * as grpc from '@grpc/grpc-js';

/** go-plugin's GRPCServiceName. */
export const PLUGIN_HEALTH_SERVICE = 'plugin';

/** HealthCheckResponse.ServingStatus values. */
export const ServingStatus = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;

const SERVED = new Set(['', PLUGIN_HEALTH_SERVICE]);

/** Handlers for grpc.health.v1.Health. */
export function healthHandlers(): grpc.UntypedServiceImplementation {
  return {
    Check(call: grpc.ServerUnaryCall<{ service: string }, unknown>, callback: grpc.sendUnaryData<unknown>) {
      if (!SERVED.has(call.request.service)) return callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
      callback(null, { status: ServingStatus.SERVING });
    },
    Watch(call: grpc.ServerWritableStream<{ service: string }, unknown>) {
      call.write({ status: SERVED.has(call.request.service) ? ServingStatus.SERVING : ServingStatus.SERVICE_UNKNOWN });
      // The status never changes while the process lives; hold the stream until the host leaves.
      call.on('cancelled', () => call.end());
    },
  };
}
