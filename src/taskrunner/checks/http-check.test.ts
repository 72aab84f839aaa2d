import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpCheck, HTTP_OUTPUT_LIMIT, type HttpCheckTarget } from './http-check.js';
import { TcpCheck } from './tcp-check.js';
import { eventually } from '../../model/testing/eventually.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real server on 127.0.0.1 that records each request and answers with `reply`. */
async function server(reply: (req: Seen, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(s);
      reply(s, res);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return { seen, port, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

const target = (port: number, over: Partial<HttpCheckTarget> = {}): HttpCheckTarget => ({
  protocol: 'http',
  hostPort: `127.0.0.1:${port}`,
  path: '/',
  method: 'GET',
  headers: {},
  body: '',
  tlsSkipVerify: false,
  tlsServerName: '',
  ...over,
});

const live = (): AbortSignal => new AbortController().signal;

test('HttpCheck: method, path with query, headers and body reach the server', async () => {
  const s = await server((_r, res) => res.end('ignored'));
  const check = new HttpCheck(target(s.port, { method: 'post', path: '/health?deep=1', headers: { 'X-Token': ['a', 'b'], Host: ['svc.local'] }, body: 'ping' }));
  const out = await check.execute(live());
  await s.close();
  assert.deepEqual(out, { health: 'passing', statusCode: 200, output: 'nomad: http ok' });
  const req = s.seen[0];
  assert.ok(req);
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/health?deep=1');
  assert.equal(req.headers['x-token'], 'a, b');
  assert.equal(req.headers.host, 'svc.local');
  assert.equal(req.headers['user-agent'], 'Nomad (drover)');
  assert.equal(req.body, 'ping');
});

test('HttpCheck: below 400 passes with the body as output, 400 and up fails with it, capped at 3 KiB', async () => {
  let code = 204;
  let body = '';
  const s = await server((_r, res) => {
    res.statusCode = code;
    res.end(body);
  });
  const check = new HttpCheck(target(s.port));
  code = 302;
  body = 'moved';
  assert.deepEqual(await check.execute(live()), { health: 'passing', statusCode: 302, output: 'moved' });
  code = 503;
  body = 'x'.repeat(HTTP_OUTPUT_LIMIT + 500);
  const failed = await check.execute(live());
  await s.close();
  assert.equal(failed.health, 'critical');
  assert.equal(failed.statusCode, 503);
  assert.equal(failed.output, 'x'.repeat(HTTP_OUTPUT_LIMIT));
});

test('HttpCheck: a refused connection fails with "nomad: <error>"', async () => {
  const s = await server((_r, res) => res.end());
  await s.close();
  const out = await new HttpCheck(target(s.port)).execute(live());
  assert.equal(out.health, 'critical');
  assert.equal(out.statusCode, 0);
  assert.match(out.output, new RegExp(`^nomad: GET http://127\\.0\\.0\\.1:${s.port}/: .*ECONNREFUSED`));
});

test('HttpCheck: an abort (the timeout) fails with its reason', async () => {
  const s = await server(() => undefined);
  const ctrl = new AbortController();
  const pending = new HttpCheck(target(s.port)).execute(ctrl.signal);
  await waitUntil(() => s.seen.length === 1);
  ctrl.abort(new Error('context deadline exceeded'));
  const out = await pending;
  s.close().catch(() => undefined);
  assert.deepEqual(out, { health: 'critical', statusCode: 0, output: `nomad: GET http://127.0.0.1:${s.port}/: context deadline exceeded` });
});

test('TcpCheck: a listening port passes, a closed one fails with the dial error', async () => {
  const s = await server((_r, res) => res.end());
  assert.deepEqual(await new TcpCheck('127.0.0.1', s.port).execute(live()), { health: 'passing', statusCode: 0, output: 'nomad: tcp ok' });
  await s.close();
  const out = await new TcpCheck('127.0.0.1', s.port).execute(live());
  assert.equal(out.health, 'critical');
  assert.match(out.output, new RegExp(`^dial tcp 127\\.0\\.0\\.1:${s.port}: .*ECONNREFUSED`));
});

async function waitUntil(pred: () => boolean): Promise<void> {
  await eventually(() => pred() || undefined, { message: 'condition' });
}

test('HttpCheck: runs reuse one kept-alive connection; a connection the server dropped meanwhile is replaced, not reported', async () => {
  const sockets = new Set<unknown>();
  const srv = createServer((req, res) => {
    sockets.add(req.socket);
    res.end('ok');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  const check = new HttpCheck(target(port));
  for (let i = 0; i < 3; i++) assert.equal((await check.execute(live())).health, 'passing');
  assert.equal(sockets.size, 1, 'one connection for three runs');
  // The server drops idle connections: the next run still passes, on a new connection.
  srv.closeIdleConnections();
  await eventually(() => [...sockets].every((sock) => (sock as { destroyed: boolean }).destroyed), { timeoutMs: 5_000, message: 'the idle connection closed' });
  assert.equal((await check.execute(live())).health, 'passing');
  assert.equal(sockets.size, 2);
  check.close();
  await new Promise<void>((r) => srv.close(() => r()));
});
