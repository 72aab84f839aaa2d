/**
 * One gRPC connection to a plugin, opened as go-plugin's client does: dial
 * the handshake address without TLS, check health service "plugin", start
 * the broker stream and the stdio stream (both optional for the plugin).
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../drivers/types.js';
import type { Handshake } from '../handshake.js';
import { PLUGIN_HEALTH_SERVICE, ServingStatus } from '../health.js';
import { loadProtos } from '../proto/load.js';

/** Stubs sharing one channel. */
export class PluginConnection {
  private streams: grpc.ClientReadableStream<unknown>[] = [];
  private closed = false;

  private constructor(
    readonly driver: grpc.Client,
    readonly base: grpc.Client,
    readonly controller: grpc.Client,
    private readonly clients: readonly grpc.Client[],
  ) {}

  /** Connects and health-checks; throws if the plugin does not answer SERVING within timeoutMs. */
  static async open(h: Pick<Handshake, 'network' | 'address'>, logger: Logger, timeoutMs = 10_000): Promise<PluginConnection> {
    const protos = loadProtos();
    const target = h.network === 'unix' ? `unix://${h.address}` : h.address;
    const options: grpc.ChannelOptions = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
    const channel = new grpc.Channel(target, grpc.credentials.createInsecure(), options);
    const make = (C: grpc.ServiceClientConstructor): grpc.Client => new C(target, grpc.credentials.createInsecure(), { ...options, channelOverride: channel });
    const health = make(protos.Health);
    const stdio = make(protos.GRPCStdio);
    const broker = make(protos.GRPCBroker);
    const conn = new PluginConnection(make(protos.Driver), make(protos.BasePlugin), make(protos.GRPCController), [health, stdio, broker]);
    try {
      const res = await call<{ status: number }>(health, 'Check', { service: PLUGIN_HEALTH_SERVICE }, Date.now() + timeoutMs);
      if (res.status !== ServingStatus.SERVING) throw new Error(`plugin health status ${res.status}, want SERVING`);
    } catch (err) {
      conn.close();
      throw new Error(`plugin health check failed: ${(err as Error).message}`, { cause: err });
    }
    conn.follow(stdio, 'StreamStdio', {}, (d: { channel: number; data: Buffer }) =>
      logger.debug('plugin output', { channel: d.channel === 1 ? 'stdout' : 'stderr', data: d.data.toString('utf8') }),
    );
    const b = (broker as unknown as Record<string, () => grpc.ClientDuplexStream<unknown, unknown>>)['StartStream']?.call(broker);
    b?.on('error', () => {});
    b?.on('data', () => {});
    if (b) conn.streams.push(b as unknown as grpc.ClientReadableStream<unknown>);
    return conn;
  }

  /** Asks the plugin to exit (go-plugin's GRPCController.Shutdown). */
  shutdown(timeoutMs: number): Promise<void> {
    return call(this.controller, 'Shutdown', {}, Date.now() + timeoutMs).then(() => undefined);
  }

  /** Closes every stream and the channel. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams) s.cancel();
    for (const c of [this.driver, this.base, this.controller, ...this.clients]) c.close();
  }

  private follow<T>(client: grpc.Client, method: string, req: unknown, onData: (d: T) => void): void {
    const fn = (client as unknown as Record<string, (r: unknown) => grpc.ClientReadableStream<T>>)[method];
    if (!fn) return;
    const s = fn.call(client, req);
    s.on('data', onData);
    s.on('error', () => {}); // Unimplemented/Unavailable: the plugin has no stdio service or went away
    this.streams.push(s as grpc.ClientReadableStream<unknown>);
  }
}

/** A unary call as a promise. */
export function call<Res>(client: grpc.Client, method: string, req: unknown, deadline?: number): Promise<Res> {
  const fn = (client as unknown as Record<string, grpc.requestCallback<Res> | undefined>)[method] as unknown as
    | ((req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<Res>) => grpc.ClientUnaryCall)
    | undefined;
  if (!fn) return Promise.reject(new Error(`no method ${method}`));
  return new Promise((resolve, reject) => {
    fn.call(client, req, new grpc.Metadata(), deadline ? { deadline } : {}, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}
