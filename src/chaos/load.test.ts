/**
 * Load (issue 16): hundreds of allocations on one agent while many clients
 * hold the event stream, a stats poll and a log follow open and loop over
 * API reads and writes. Asserted: correctness only (no failed call, no 5xx,
 * nothing dropped from any event stream, every acknowledged write seen by
 * every stream, a too-slow reader closed with an error rather than skipped
 * past a gap). Latency, RSS and CPU are reported, never asserted; the
 * figures on a quiet machine come from `npm run bench -- load`.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { budget, report } from './campaign.js';
import { LOAD_AGENT_CONFIG, pct, runLoad, streamProblems } from './load-run.js';
import { purgeAndStop, startAgent, type AgentProcess } from '../api/testing.js';

const SIZE = budget({ allocs: 100, clients: 5, durationMs: 5_000, slowReaderPauseMs: 2_000 }, { allocs: 500, clients: 20, durationMs: 180_000, slowReaderPauseMs: 20_000 });

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents).catch(() => undefined);
  await Promise.all(agents.map((a) => a.kill('SIGKILL')));
  for (const a of agents) rmSync(a.dataDir, { recursive: true, force: true });
});

test(`load: ${SIZE.allocs} allocations, ${SIZE.clients} clients with event stream, stats and log follow open: no error, nothing dropped`, async () => {
  const agent = await startAgent({ configHcl: LOAD_AGENT_CONFIG });
  agents.push(agent);
  const r = await runLoad(agent, SIZE);
  const calls = [...r.latency.values()].reduce((n, l) => n + l.length, 0);
  const all = [...r.latency.values()].flat();
  const problems = streamProblems(r);
  const slowState = r.slow === undefined ? 'none' : r.slow.error !== undefined ? 'closed with an error' : 'kept up';
  report({
    scenario: `load: ${SIZE.allocs} allocs, ${SIZE.clients} clients (event stream + stats + log follow each)`,
    runs: calls,
    checked: 'every API call 2xx; every event stream gap-free from the same index, identical, holding every acknowledged job write; a reader too slow for the buffer is closed with an error, never skipped past a gap',
    result: r.errors.length === 0 && problems.length === 0 ? 'pass' : `${r.errors.length} failed calls, ${problems.length} stream problems`,
    figures: {
      'p50 ms': Math.round(pct(all, 50) * 10) / 10,
      'p99 ms': Math.round(pct(all, 99) * 10) / 10,
      'RSS start MB': r.rssMb[0] ?? NaN,
      'RSS peak MB': Math.max(...r.rssMb),
      'CPU %': r.cpuPct,
      batches: r.streams[0]?.indexes.length ?? 0,
      'slow reader': slowState,
    },
  });
  assert.deepEqual(r.errors.slice(0, 10), [], `${r.errors.length} API calls failed`);
  assert.equal(r.serverErrors, 0);
  assert.deepEqual(problems.slice(0, 10), [], 'event streams');
  assert.ok(r.writes.length > 1, 'some job writes were made');
  assert.ok(r.statsPolls > 0, 'stats were polled');
  for (const [i, n] of r.logBytes.entries()) assert.ok(n > 0, `log follow ${i} received the task's output`);
  if (r.slow?.error !== undefined) assert.match(r.slow.error, /event dropped from buffer/);
});
