import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from './client.js';

test('event stream client: the agent closing a too-slow subscription ("event dropped from buffer") is an error, not a quiet end', async (t) => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{}\n');
    res.write(`${JSON.stringify({ Index: 7, Events: [{ Topic: 'Job', Type: 'JobRegistered', Key: 'j', Namespace: 'default', FilterKeys: null, Index: 7, Payload: {} }] })}\n`);
    res.end(`${JSON.stringify({ Error: 'event dropped from buffer: subscription closed by server after index 7 (oldest buffered 600), client should resubscribe', Code: 500 })}\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const client = new ApiClient({ address: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  const seen: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const b of client.events.stream()) seen.push(b.Index);
    })(),
    /event dropped from buffer/,
  );
  assert.deepEqual(seen, [7]);
});
