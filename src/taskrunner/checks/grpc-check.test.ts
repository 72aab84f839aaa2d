import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, constants } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { GrpcCheck, frame, servingStatus } from './grpc-check.js';

/** A real HTTP/2 server speaking just enough gRPC: it answers Health/Check with statusFor(service). */
async function healthServer(statusFor: (service: string) => number | 'error') {
  const asked: string[] = [];
  const srv = createServer();
  srv.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const req = Buffer.concat(chunks);
      // HealthCheckRequest { service = 1 }: tag 0x0a, a one-byte length in these tests, the name.
      const service = req.length > 5 ? req.subarray(7).toString() : '';
      asked.push(`${String(headers[constants.HTTP2_HEADER_PATH])} ${service}`);
      const status = statusFor(service);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers(status === 'error' ? { 'grpc-status': '5', 'grpc-message': 'unknown%20service' } : { 'grpc-status': '0' }));
      if (status === 'error') return stream.end();
      const msg = status === 0 ? Buffer.alloc(0) : Buffer.from([0x08, status]);
      const head = Buffer.alloc(5);
      head.writeUInt32BE(msg.length, 1);
      stream.end(Buffer.concat([head, msg]));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return { asked, port, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

const target = (port: number, service: string) => ({ hostPort: `127.0.0.1:${port}`, service, useTls: false, tlsSkipVerify: false, tlsServerName: '' });
const live = (): AbortSignal => new AbortController().signal;

test('GrpcCheck: SERVING passes, other statuses and gRPC errors are critical', async () => {
  const s = await healthServer((svc) => (svc === 'up' ? 1 : svc === 'down' ? 2 : svc === 'gone' ? 'error' : 1));
  assert.deepEqual(await new GrpcCheck(target(s.port, 'up')).execute(live()), { health: 'passing', statusCode: 0, output: `gRPC check 127.0.0.1:${s.port}/up: success` });
  assert.deepEqual(await new GrpcCheck(target(s.port, '')).execute(live()), { health: 'passing', statusCode: 0, output: `gRPC check 127.0.0.1:${s.port}: success` });
  const down = await new GrpcCheck(target(s.port, 'down')).execute(live());
  assert.equal(down.output, `gRPC check 127.0.0.1:${s.port}/down: serving status: NOT_SERVING`);
  const gone = await new GrpcCheck(target(s.port, 'gone')).execute(live());
  assert.equal(gone.output, `gRPC check 127.0.0.1:${s.port}/gone: rpc error: code = 5 desc = unknown service`);
  assert.deepEqual(s.asked, ['/grpc.health.v1.Health/Check up', '/grpc.health.v1.Health/Check ', '/grpc.health.v1.Health/Check down', '/grpc.health.v1.Health/Check gone']);
  await s.close();
});

test('GrpcCheck: frames and parses the health messages', () => {
  assert.deepEqual([...frame('')], [0, 0, 0, 0, 0]);
  assert.deepEqual([...frame('ab')], [0, 0, 0, 0, 4, 0x0a, 2, 0x61, 0x62]);
  assert.equal(servingStatus(Buffer.from([0, 0, 0, 0, 2, 0x08, 1])), 1);
  assert.equal(servingStatus(Buffer.from([0, 0, 0, 0, 0])), 0);
});
