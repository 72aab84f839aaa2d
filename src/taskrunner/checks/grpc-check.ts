/**
 * A grpc check: one unary grpc.health.v1.Health/Check call over HTTP/2, built
 * by hand (a 5-byte gRPC frame around a one-field protobuf message each way)
 * so no gRPC stack is loaded for it. SERVING passes; every other answer, a
 * non-zero grpc-status or a transport error is critical. Outputs follow
 * Consul's grpc check ("gRPC check <target>: success").
 */
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { abortText, type CheckExecutor, type CheckOutcome } from './types.js';

export interface GrpcCheckTarget {
  /** "host:port" (IPv6 in brackets). */
  readonly hostPort: string;
  /** The service asked about; "" asks about the server as a whole. */
  readonly service: string;
  readonly useTls: boolean;
  readonly tlsSkipVerify: boolean;
  readonly tlsServerName: string;
}

const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';
/** grpc.health.v1.HealthCheckResponse.ServingStatus names by number. */
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

export class GrpcCheck implements CheckExecutor {
  constructor(private readonly target: GrpcCheckTarget) {}

  execute(signal: AbortSignal): Promise<CheckOutcome> {
    const t = this.target;
    const where = t.service ? `${t.hostPort}/${t.service}` : t.hostPort;
    const critical = (msg: string): CheckOutcome => ({ health: 'critical', statusCode: 0, output: `gRPC check ${where}: ${msg}` });
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(critical(abortText(signal)));
      const session: ClientHttp2Session = connect(`${t.useTls ? 'https' : 'http'}://${t.hostPort}`, {
        rejectUnauthorized: !t.tlsSkipVerify,
        ...(t.tlsServerName ? { servername: t.tlsServerName } : {}),
      });
      const finish = (o: CheckOutcome): void => {
        signal.removeEventListener('abort', onAbort);
        session.destroy();
        resolve(o);
      };
      const onAbort = (): void => finish(critical(abortText(signal)));
      signal.addEventListener('abort', onAbort, { once: true });
      session.on('error', (err: Error) => finish(critical(err.message)));
      const req = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: HEALTH_CHECK_PATH,
        [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
        te: 'trailers',
      });
      const chunks: Buffer[] = [];
      let grpcStatus: string | undefined;
      let grpcMessage = '';
      const takeStatus = (h: IncomingHttpHeaders): void => {
        const status = headerText(h['grpc-status']);
        if (status !== undefined) grpcStatus = status;
        const message = headerText(h['grpc-message']);
        if (message !== undefined) grpcMessage = decodeURIComponent(message);
      };
      req.on('response', takeStatus);
      req.on('trailers', takeStatus);
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', (err: Error) => finish(critical(err.message)));
      req.on('end', () => {
        if (grpcStatus !== '0') return finish(critical(`rpc error: code = ${grpcStatus ?? 'unknown'} desc = ${grpcMessage}`));
        const status = servingStatus(Buffer.concat(chunks));
        if (status === 1) return finish({ health: 'passing', statusCode: 0, output: `gRPC check ${where}: success` });
        finish(critical(`serving status: ${SERVING_STATUS[status] ?? String(status)}`));
      });
      req.end(frame(t.service));
    });
  }
}

/** A gRPC length-prefixed frame around HealthCheckRequest { string service = 1 }. */
export function frame(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  const msg = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
}

/** HealthCheckResponse's field 1 (status) from a framed reply; absent means 0 (UNKNOWN), as proto3 defaults. */
export function servingStatus(reply: Buffer): number {
  const msg = reply.subarray(5, 5 + (reply.length >= 5 ? reply.readUInt32BE(1) : 0));
  let i = 0;
  while (i < msg.length) {
    const [tag, afterTag] = readVarint(msg, i);
    const wire = tag & 7;
    if (tag >> 3 === 1 && wire === 0) return readVarint(msg, afterTag)[0];
    if (wire === 0) i = readVarint(msg, afterTag)[1];
    else if (wire === 2) {
      const [len, afterLen] = readVarint(msg, afterTag);
      i = afterLen + len;
    } else return 0;
  }
  return 0;
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

function readVarint(b: Buffer, at: number): [number, number] {
  let n = 0;
  let shift = 0;
  let i = at;
  while (i < b.length) {
    const byte = b[i++] as number;
    n += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  return [n, i];
}
