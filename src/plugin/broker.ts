/**
 * go-plugin's GRPCBroker, which multiplexes extra connections between host
 * and plugin. Nomad's driver plugins never open one, but go-plugin hosts
 * start the stream on connect; it is accepted and held open, and any
 * request to dial is refused.
 */
import type { ConnInfo, GRPCBrokerServer } from './wire/go-plugin.js';

/** Handlers for plugin.GRPCBroker. */
export function brokerHandlers(): GRPCBrokerServer {
  return {
    startStream(call) {
      call.on('data', (info: ConnInfo) => {
        // A knock asks whether a sub-connection exists; none ever does here.
        if (info.knock?.knock) call.write({ ...info, knock: { knock: true, ack: false, error: 'drover plugins serve no brokered connections' } });
      });
      call.on('end', () => call.end());
      call.on('error', () => {});
    },
  };
}
