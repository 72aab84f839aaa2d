import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBroker, EventsDroppedError, type PendingEvent } from './event-broker.js';

const ALL = new Map([['*', ['*']]]);
const ev = (key: string): PendingEvent => ({ topic: 'Job', type: 'JobRegistered', key, namespace: 'default', filterKeys: [], payload: () => ({ key }) });

/** Reads batches until `n` are read (heartbeats skipped). */
async function take(it: AsyncGenerator<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done === true) break;
    const b = r.value as { Index?: number };
    if (b.Index !== undefined) out.push(b.Index);
  }
  return out;
}

test('event broker: a subscriber that keeps up sees every index, in order, with no gap', async () => {
  const b = new EventBroker(100, 8);
  const ctrl = new AbortController();
  const sub = b.subscribe(ALL, 100, ctrl.signal, 60_000);
  const reading = take(sub, 50);
  for (let i = 0; i < 50; i++) {
    b.publish([ev(`j${i}`)]);
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual(await reading, Array.from({ length: 50 }, (_, i) => 101 + i));
  ctrl.abort();
});

test('event broker: a subscriber that falls behind the buffer is closed with EventsDroppedError, never skipped past the gap', async () => {
  const b = new EventBroker(0, 8);
  const ctrl = new AbortController();
  const sub = b.subscribe(ALL, 0, ctrl.signal, 60_000);
  b.publish([ev('a')]);
  assert.deepEqual(await take(sub, 1), [1]);
  // The reader stops reading while 20 batches are published: 12 of them leave the 8-batch buffer unread.
  for (let i = 0; i < 20; i++) b.publish([ev(`b${i}`)]);
  await assert.rejects(sub.next(), (err: unknown) => err instanceof EventsDroppedError && err.lastIndex === 1 && err.oldestIndex === 14);
  ctrl.abort();
});

test('event broker: an index older than the buffer, or past its newest, starts at the closest batch (no error)', async () => {
  const b = new EventBroker(0, 4);
  for (let i = 0; i < 10; i++) b.publish([ev(`x${i}`)]);
  const ctrl = new AbortController();
  assert.deepEqual(await take(b.subscribe(ALL, 0, ctrl.signal, 60_000), 4), [7, 8, 9, 10]);
  const fromNow = b.subscribe(ALL, Number.MAX_SAFE_INTEGER, ctrl.signal, 60_000);
  assert.deepEqual(await take(fromNow, 1), [10]);
  b.publish([ev('y')]);
  assert.deepEqual(await take(fromNow, 1), [11]);
  // An empty buffer on a restarted agent (index 500, nothing published yet): the next batch, no false gap.
  const fresh = new EventBroker(500, 4);
  const sub = fresh.subscribe(ALL, 3, ctrl.signal, 60_000);
  const first = take(sub, 1);
  await new Promise((r) => setImmediate(r));
  fresh.publish([ev('z')]);
  assert.deepEqual(await first, [501]);
  ctrl.abort();
});
