/** Handlers for plugin.GRPCBroker. */
export function brokerHandlers() {
    return {
        startStream(call) {
            call.on('data', (info) => {
                // A knock asks whether a sub-connection exists; none ever does here.
                if (info.knock?.knock)
                    call.write({ ...info, knock: { knock: true, ack: false, error: 'drover plugins serve no brokered connections' } });
            });
            call.on('end', () => call.end());
            call.on('error', () => { });
        },
    };
}
//# sourceMappingURL=broker.js.map