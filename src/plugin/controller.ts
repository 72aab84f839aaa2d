/**
 * go-plugin's GRPCController: the host's graceful "please exit". go-plugin
 * answers, then stops its server, which ends the plugin process.
 */
import type { GRPCControllerServer } from './wire/go-plugin.js';

/** Handlers for plugin.GRPCController; `onShutdown` runs after the reply is sent. */
export function controllerHandlers(onShutdown: () => void): GRPCControllerServer {
  return {
    shutdown(_call, callback) {
      callback(null, {});
      setImmediate(onShutdown);
    },
  };
}
