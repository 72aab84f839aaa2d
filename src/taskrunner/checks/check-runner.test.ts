import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../../model/testing/eventually.js';
import { runCheck, type CheckIdentity, type WatchedStatus } from './check-runner.js';
import { HttpCheck } from './http-check.js';
import { ManualClock, RecordingSink, SteppingClock, makeCheck } from './testing.js';
import type { CheckExecutor } from './types.js';

const identity: CheckIdentity = { id: 'id1', mode: 'healthiness', allocId: 'a1', group: 'job.g[0]', task: 't', service: 'web', check: 'c' };

/** A real server answering the n-th request with codes[n] (then the last code forever); counts requests. */
async function scriptedServer(codes: number[]) {
  let n = 0;
  const srv = createServer((_req, res) => {
    res.statusCode = codes[Math.min(n, codes.length - 1)] as number;
    n++;
    res.end(`reply ${n}`);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  const check = new HttpCheck({ protocol: 'http', hostPort: `127.0.0.1:${port}`, path: '/', method: 'GET', headers: {}, body: '', tlsSkipVerify: false, tlsServerName: '' });
  return { check, requests: () => n, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

/** Runs a check against `codes` until `runs` requests were answered and reported; returns what the sink and the watcher saw. */
async function runScripted(codes: number[], runs: number, spec: Partial<Parameters<typeof makeCheck>[0]> = {}) {
  const s = await scriptedServer(codes);
  const sink = new RecordingSink();
  const watched: WatchedStatus[] = [];
  const ctrl = new AbortController();
  const loop = runCheck({
    identity,
    // No timeout: its timer would pass at once on the stepping clock.
    spec: makeCheck({ timeoutMs: 0, ...spec }),
    executor: s.check,
    firstDelayMs: 5_000,
    clock: new SteppingClock(),
    sink,
    onStatus: (st) => {
      watched.push(st);
      if (watched.length === runs) ctrl.abort();
    },
    signal: ctrl.signal,
  });
  await loop;
  await s.close();
  return { sink, watched, requests: s.requests() };
}

test('runCheck: a pending stub first, then every result (no thresholds)', async () => {
  const { sink, watched } = await runScripted([200, 500, 200], 3);
  assert.deepEqual(sink.statuses(), ['pending', 'success', 'failure', 'success']);
  assert.equal(sink.results[0]?.output, 'nomad: waiting to run');
  assert.deepEqual(sink.results.map((r) => r.statusCode), [0, 200, 500, 200]);
  assert.equal(sink.results[2]?.output, 'reply 2');
  assert.deepEqual(watched, ['passing', 'critical', 'passing']);
  assert.deepEqual({ ...sink.results[1], status: undefined, statusCode: undefined, output: undefined, timestamp: undefined }, { ...identity, status: undefined, statusCode: undefined, output: undefined, timestamp: undefined });
});

test('runCheck: the first run waits firstDelayMs, later ones the interval after the run ended; timestamps are the run start', async () => {
  const { sink } = await runScripted([200], 3, { intervalMs: 10_000 });
  const t0 = 1_700_000_000_000;
  assert.deepEqual(sink.results.map((r) => r.timestamp - t0), [0, 5_000, 15_000, 25_000]);
});

test('runCheck: success_before_passing holds a recovering check at critical for exactly that many successes', async () => {
  // First result is reported at once (Consul's counters start at the threshold); after a failure it takes 3 successes.
  const { sink, watched } = await runScripted([200, 500, 200, 200, 200, 200], 6, { successBeforePassing: 3 });
  // Runs 3 and 4 are held back; from the third success on, each is reported.
  assert.deepEqual(sink.statuses(), ['pending', 'success', 'failure', 'success', 'success']);
  assert.deepEqual(watched, ['passing', 'critical', 'critical', 'critical', 'passing', 'passing']);
});

test('runCheck: failures_before_critical keeps a passing check passing until that many failures in a row', async () => {
  const { sink, watched } = await runScripted([200, 500, 500, 200, 500, 500, 500], 7, { failuresBeforeCritical: 3 });
  assert.deepEqual(watched, ['passing', 'passing', 'passing', 'passing', 'passing', 'passing', 'critical']);
  assert.deepEqual(sink.statuses(), ['pending', 'success', 'success', 'failure']);
});

test('runCheck: failures_before_warning reports a warning (a "failure" result) before critical', async () => {
  const { watched } = await runScripted([200, 500, 500, 500], 4, { failuresBeforeWarning: 2, failuresBeforeCritical: 3 });
  assert.deepEqual(watched, ['passing', 'passing', 'warning', 'critical']);
});

test('runCheck: initial_status is reported before the first run', async () => {
  const { sink } = await runScripted([200], 1, { initialStatus: 'critical' });
  assert.deepEqual(sink.statuses(), ['failure', 'success']);
});

test('runCheck: a run past its timeout is critical with "context deadline exceeded", decided by the injected clock', async () => {
  let started = 0;
  const hang: CheckExecutor = {
    execute: (signal) =>
      new Promise((resolve) => {
        started++;
        signal.addEventListener('abort', () => resolve({ health: 'critical', statusCode: 0, output: `nomad: ${String((signal.reason as Error).message)}` }), { once: true });
      }),
  };
  const clock = new ManualClock();
  const sink = new RecordingSink();
  const ctrl = new AbortController();
  const loop = runCheck({ identity, spec: makeCheck({ intervalMs: 1_000, timeoutMs: 300 }), executor: hang, firstDelayMs: 500, clock, sink, signal: ctrl.signal });
  await eventually(() => clock.waiting === 1 || undefined);
  clock.advance(500);
  await eventually(() => (started === 1 && clock.waiting === 1) || undefined);
  clock.advance(299);
  assert.deepEqual(sink.statuses(), ['pending'], 'not timed out 1 ms early');
  clock.advance(1);
  await eventually(() => sink.results.length === 2 || undefined);
  assert.deepEqual(sink.results[1], { ...identity, status: 'failure', statusCode: 0, output: 'nomad: context deadline exceeded', timestamp: 1_700_000_000_500 });
  ctrl.abort();
  await loop;
});

test('runCheck: a stop during a run ends the loop without reporting that run', async () => {
  const s = await scriptedServer([200]);
  const clock = new ManualClock();
  const sink = new RecordingSink();
  const ctrl = new AbortController();
  const loop = runCheck({ identity, spec: makeCheck(), executor: s.check, firstDelayMs: 0, clock, sink, signal: ctrl.signal });
  await eventually(() => clock.waiting === 1 || undefined);
  ctrl.abort();
  await loop;
  await s.close();
  assert.ok(sink.results.length <= 2);
  assert.equal(clock.waiting, 0);
});
