/**
 * go-plugin's GRPCBroker, which multiplexes extra connections between host
 * and plugin. Nomad's driver plugins never open one, but go-plugin hosts
 * start the stream on connect; it is accepted and held open, and any
 * request to dial is refused.
 */
import type * as grpc from '@grpc/grpc-js';

interface ConnInfo {
  service_id: number;
  network: string;
  address: string;
  knock: { knock: boolean; ack: boolean; error: string } | null;
}

/** Handlers for plugin.GRPCBroker. */
export function brokerHandlers(): grpc.UntypedServiceImplementation {
  return {
    StartStream(call: grpc.ServerDuplexStream<ConnInfo, ConnInfo>) {
      call.on('data', (info: ConnInfo) => {
        // A knock asks whether a sub-connection exists; none ever does here.
        if (info.knock?.knock) call.write({ ...info, knock: { knock: true, ack: false, error: 'drover plugins serve no brokered connections' } });
      });
      call.on('end', () => call.end());
      call.on('error', () => {});
    },
  };
}
