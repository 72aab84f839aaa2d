/**
 * go-plugin's GRPCController: the host's graceful "please exit". go-plugin
 * answers, then stops its server, which ends the plugin process.
 */
import type * as grpc from '@grpc/grpc-js';

/** Handlers for plugin.GRPCController; `onShutdown` runs after the reply is sent. */
export function controllerHandlers(onShutdown: () => void): grpc.UntypedServiceImplementation {
  return {
    Shutdown(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, {});
      setImmediate(onShutdown);
    },
  };
}
