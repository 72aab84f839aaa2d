/**
 * One gRPC connection to a plugin, opened as go-plugin's client does: dial
 * the handshake address without TLS, check health service "plugin", start
 * the broker stream and the stdio stream (both optional for the plugin).
 *
 * Calls go through the generated method definitions (wire/*.ts): the
 * definition carries the path and the message codecs, so request and
 * response types come from the .proto files and a drift fails to compile.
 */
import * as grpc from '@grpc/grpc-js';
import { errorMessage } from '../../model/errors.js';
import { PLUGIN_HEALTH_SERVICE } from '../health.js';
import { GRPCBrokerService, GRPCControllerService, GRPCStdioService, StdioData_Channel } from '../wire/go-plugin.js';
import { HealthCheckResponse_ServingStatus, HealthService } from '../wire/health.js';
import { abortError } from './abort.js';
/** A plugin's channel; every service is called through it. */
export class PluginConnection {
    client;
    streams = [];
    closed = false;
    constructor(client) {
        this.client = client;
    }
    /** Connects and health-checks; throws if the plugin does not answer SERVING within timeoutMs. */
    static async open(h, logger, timeoutMs = 10_000) {
        const target = h.network === 'unix' ? `unix://${h.address}` : h.address;
        const client = new grpc.Client(target, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
        const conn = new PluginConnection(client);
        try {
            const res = await call(client, HealthService.check, { service: PLUGIN_HEALTH_SERVICE }, { deadline: Date.now() + timeoutMs });
            if (res.status !== HealthCheckResponse_ServingStatus.SERVING)
                throw new Error(`plugin health status ${res.status}, want SERVING`);
        }
        catch (err) {
            conn.close();
            throw new Error(`plugin health check failed: ${errorMessage(err)}`, { cause: err });
        }
        const m = GRPCStdioService.streamStdio;
        const stdio = client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, {});
        stdio.on('data', (d) => logger.debug('plugin output', { channel: d.channel === StdioData_Channel.STDOUT ? 'stdout' : 'stderr', data: d.data.toString('utf8') }));
        stdio.on('error', () => { }); // Unimplemented/Unavailable: the plugin has no stdio service or went away
        const b = GRPCBrokerService.startStream;
        const broker = client.makeBidiStreamRequest(b.path, b.requestSerialize, b.responseDeserialize);
        broker.on('error', () => { });
        broker.on('data', () => { });
        conn.streams.push(stdio, broker);
        return conn;
    }
    /** Asks the plugin to exit (go-plugin's GRPCController.Shutdown). */
    shutdown(timeoutMs) {
        return call(this.client, GRPCControllerService.shutdown, {}, { deadline: Date.now() + timeoutMs }).then(() => undefined);
    }
    /** Closes every stream and the channel. */
    close() {
        if (this.closed)
            return;
        this.closed = true;
        for (const s of this.streams)
            s.cancel();
        this.client.close();
    }
}
/**
 * A unary call as a promise, rejecting with the raw grpc error (callers map
 * it), or with an AbortError once `signal` aborts. NoInfer: the request type
 * comes from the method alone, so object literals are checked against it.
 */
export function call(client, method, req, opts = {}) {
    const { signal } = opts;
    if (signal?.aborted)
        return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
        const onAbort = () => {
            c.cancel();
            reject(abortError());
        };
        const options = opts.deadline === undefined ? {} : { deadline: opts.deadline };
        const c = client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, req, new grpc.Metadata(), options, (err, res) => {
            signal?.removeEventListener('abort', onAbort);
            if (signal?.aborted)
                return;
            if (err)
                reject(err);
            else if (res === undefined)
                reject(new Error(`${method.path}: no response`));
            else
                resolve(res);
        });
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
//# sourceMappingURL=connection.js.map