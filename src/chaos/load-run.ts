/**
 * The load scenario of issue 16, shared by src/chaos/load.test.ts (which
 * asserts correctness) and `npm run bench -- load` (which prints figures):
 * one agent with `allocs` mock_driver allocations, and `clients` concurrent
 * clients each holding an event stream, a stats poll and a log follow open
 * while they loop over API reads and a few writes. It measures every API
 * call's latency and samples the agent's RSS and CPU; it records what each
 * event stream delivered, so the caller can check nothing was dropped.
 */
import { execFileSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/client.js';
import { mockJob, SMALL_ALLOC, type AgentProcess } from '../api/testing.js';
import type { ApiEvents, ApiJob } from '../model/nomad-api/index.js';
import { eventually } from '../model/testing/eventually.js';

export interface LoadOptions {
  /** Allocations in all (jobs of 10, plus one "chatty" job of `clients` allocs that log). */
  readonly allocs: number;
  readonly clients: number;
  /** How long the clients loop. */
  readonly durationMs: number;
  /** One more event stream that stops reading for this long mid-run (0: none). */
  readonly slowReaderPauseMs?: number;
}

/** What one event stream delivered. */
export interface StreamRecord {
  /** Batch indexes, in the order received. */
  readonly indexes: number[];
  /** JobRegistered events seen: `${job}@${JobModifyIndex}`. */
  readonly jobVersions: Set<string>;
  /** How the stream ended before the test closed it, if it did. */
  error?: string;
}

export interface LoadResult {
  /** The index every stream subscribed after. */
  readonly from: number;
  readonly streams: StreamRecord[];
  readonly slow?: StreamRecord;
  /** Job writes acknowledged: `${job}@${JobModifyIndex}`, the last one the marker every stream must reach. */
  readonly writes: string[];
  /** Latency of each API call, ms, by operation. */
  readonly latency: Map<string, number[]>;
  /** Failed calls: operation and message. */
  readonly errors: string[];
  /** Answers with a 5xx status. */
  readonly serverErrors: number;
  readonly statsPolls: number;
  readonly restarts: number;
  /** Bytes each log follow received. */
  readonly logBytes: number[];
  /** Agent RSS samples, MB. */
  readonly rssMb: number[];
  /** Agent CPU over the loop, percent of one core. */
  readonly cpuPct: number;
}

/**
 * The agent config for the load: 500 allocations of 10 MHz each ask more CPU
 * than a small machine fingerprints (2 cores: ~5,000 MHz), so the node
 * declares more (Nomad's client { cpu_total_compute }); mock tasks use none.
 */
export const LOAD_AGENT_CONFIG = 'client {\n  cpu_total_compute = 100000\n}\n';

const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round((Number(m?.[1] ?? 0) / 1024) * 10) / 10;
}

/** utime + stime of `pid`, seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) closing at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Nearest-rank percentile. */
export function pct(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

/** Opens an event stream after `from` and records it until `signal` aborts. */
function record(client: ApiClient, from: number, signal: AbortSignal, pauseMs = 0): { rec: StreamRecord; done: Promise<void> } {
  const rec: StreamRecord = { indexes: [], jobVersions: new Set() };
  const done = (async () => {
    let paused = pauseMs === 0;
    try {
      for await (const batch of client.events.stream({ index: from, signal })) {
        noteBatch(rec, batch);
        if (!paused) {
          paused = true;
          // Stop reading: the agent's writes back up into the socket, then into the broker's buffer.
          await new Promise((r) => setTimeout(r, pauseMs));
        }
      }
    } catch (err) {
      if (!signal.aborted) rec.error = err instanceof Error ? err.message : String(err);
    }
  })();
  return { rec, done };
}

function noteBatch(rec: StreamRecord, batch: ApiEvents): void {
  rec.indexes.push(batch.Index);
  for (const e of batch.Events) {
    if (e.Type !== 'JobRegistered') continue;
    const job = e.Payload['Job'] as { ID: string; JobModifyIndex: number } | undefined;
    if (job) rec.jobVersions.add(`${job.ID}@${job.JobModifyIndex}`);
  }
}

/** The newest batch index: a stream opened past the newest starts at it. */
async function newestIndex(client: ApiClient): Promise<number> {
  const ctrl = new AbortController();
  try {
    for await (const batch of client.events.stream({ index: Number.MAX_SAFE_INTEGER, signal: ctrl.signal })) return batch.Index;
    throw new Error('event stream ended without a batch');
  } finally {
    ctrl.abort();
  }
}

export async function runLoad(agent: AgentProcess, o: LoadOptions): Promise<LoadResult> {
  const client = agent.client;
  const pid = agent.proc.pid as number;
  const chattyCount = o.clients;
  const jobCount = Math.max(1, Math.round((o.allocs - chattyCount) / 10));
  const perJob = Math.max(1, Math.floor((o.allocs - chattyCount) / jobCount));
  const ids = Array.from({ length: jobCount }, (_, i) => `load${String(i).padStart(3, '0')}`);
  const res = { task: SMALL_ALLOC.task, group: SMALL_ALLOC.group };
  const templates = new Map<string, ApiJob>();
  for (const id of ids) {
    const job = await client.jobs.parse(mockJob(id, 'run_for = "1h"', { count: perJob, extra: res.task, group: res.group }));
    templates.set(id, job);
    await client.jobs.register(job);
  }
  const chatty = await client.jobs.parse(
    mockJob('chatty', 'run_for = "1h"\n        stdout_string = "tick\\n"\n        stdout_repeat = 1000000\n        stdout_repeat_duration = "200ms"', {
      count: chattyCount,
      extra: res.task,
      group: res.group,
    }),
  );
  await client.jobs.register(chatty);
  const total = jobCount * perJob + chattyCount;
  const allocs = await eventually(
    async () => {
      const all = await client.allocations.list({ taskStates: false });
      return all.length === total && all.every((a) => a.ClientStatus === 'running') ? all : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 200, message: `${total} allocations running` },
  );
  const chattyAllocs = allocs.filter((a) => a.JobID === 'chatty').map((a) => a.ID);
  const otherAllocs = allocs.filter((a) => a.JobID !== 'chatty').map((a) => a.ID);

  const from = await newestIndex(client);
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const streams = Array.from({ length: o.clients }, () => record(client, from, stop.signal));
  const slow = (o.slowReaderPauseMs ?? 0) > 0 ? record(client, from, stop.signal, o.slowReaderPauseMs) : undefined;

  const latency = new Map<string, number[]>();
  const errors: string[] = [];
  let serverErrors = 0;
  const writes: string[] = [];
  let statsPolls = 0;
  let restarts = 0;
  const updates = new Map<string, number>();
  const timed = async <T>(op: string, fn: () => Promise<T>): Promise<T | undefined> => {
    const t0 = performance.now();
    try {
      const v = await fn();
      const list = latency.get(op) ?? [];
      list.push(performance.now() - t0);
      latency.set(op, list);
      return v;
    } catch (err) {
      if (stop.signal.aborted && !(err instanceof ApiError)) return undefined;
      if (err instanceof ApiError && err.status >= 500) serverErrors++;
      errors.push(`${op}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };

  const rss: number[] = [rssMb(pid)];
  const sampler = setInterval(() => {
    try {
      rss.push(rssMb(pid));
    } catch {
      // The agent is gone; the calls say so.
    }
  }, 250);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const deadline = Date.now() + o.durationMs;
  const logBytes = new Array<number>(o.clients).fill(0);

  const workers = Array.from({ length: o.clients }, async (_, c) => {
    const mine = chattyAllocs[c % chattyAllocs.length] as string;
    const follow = (async () => {
      try {
        for await (const chunk of client.client.logs(mine, { task: 't', type: 'stdout', follow: true, origin: 'end', offset: 0, signal: stop.signal })) logBytes[c] = (logBytes[c] ?? 0) + chunk.length;
      } catch (err) {
        if (!stop.signal.aborted) errors.push(`logs follow: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    const statsLoop = (async () => {
      while (Date.now() < deadline) {
        if ((await timed('alloc stats', () => client.client.stats(pick(otherAllocs)))) !== undefined) statsPolls++;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    while (Date.now() < deadline) {
      const r = Math.random();
      if (r < 0.2) await timed('jobs list', () => client.jobs.list());
      else if (r < 0.4) await timed('allocs list', () => client.allocations.list({ taskStates: false }));
      else if (r < 0.6) await timed('job read', () => client.jobs.info(pick(ids)));
      else if (r < 0.85) await timed('alloc read', () => client.allocations.info(pick(otherAllocs)));
      else if (r < 0.95) {
        // An in-place update (priority only): a new job version, the allocations stay. Each write
        // of a job changes its priority from the one before (an unchanged job is no new version).
        const id = pick(ids);
        const n = (updates.get(id) ?? 0) + 1;
        updates.set(id, n);
        const job = { ...(templates.get(id) as ApiJob), Priority: 1 + (n % 99) };
        const ack = await timed('job update', () => client.jobs.register(job));
        if (ack) writes.push(`${id}@${ack.JobModifyIndex}`);
      } else if ((await timed('alloc restart', () => client.client.restart(pick(otherAllocs)))) !== undefined) restarts++;
    }
    await statsLoop;
    // Wrapped: an async function returning the promise itself would wait for the follow to end.
    return { follow };
  });
  const follows = (await Promise.all(workers)).map((w) => w.follow);
  const cpuPct = Math.round(((cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 1000) / 10;
  clearInterval(sampler);

  // A marker write every stream must reach: then every stream has had its chance to see every write before it.
  const markerJob = { ...(templates.get(ids[0] as string) as ApiJob), Priority: 100 };
  const marker = await client.jobs.register(markerJob);
  const markerKey = `${ids[0]}@${marker.JobModifyIndex}`;
  writes.push(markerKey);
  await eventually(() => streams.every((s) => s.rec.jobVersions.has(markerKey) || s.rec.error !== undefined), {
    timeoutMs: 30_000,
    message: 'every event stream to reach the marker write',
  });
  if (slow) await eventually(() => slow.rec.jobVersions.has(markerKey) || slow.rec.error !== undefined, { timeoutMs: 60_000, message: 'the slow reader to catch up or be closed' });
  stop.abort();
  await Promise.all([...streams.map((s) => s.done), slow?.done, ...follows]);
  return {
    from,
    streams: streams.map((s) => s.rec),
    ...(slow ? { slow: slow.rec } : {}),
    writes,
    latency,
    errors,
    serverErrors,
    statsPolls,
    restarts,
    logBytes,
    rssMb: rss,
    cpuPct,
  };
}

/**
 * What is wrong with the streams, if anything: each must hold every batch
 * index after `from` with no gap up to where it stopped, all must agree, and
 * each must show every acknowledged job write. A stream the agent closed
 * (a slow reader) must have said so, and held no gap before.
 */
export function streamProblems(r: LoadResult): string[] {
  const out: string[] = [];
  const check = (name: string, s: StreamRecord, mustFinish: boolean): void => {
    let prev = r.from;
    for (const i of s.indexes) {
      if (i !== prev + 1) {
        out.push(`${name}: index ${i} after ${prev} (${i > prev ? `${i - prev - 1} batches missing` : 'out of order'})`);
        break;
      }
      prev = i;
    }
    if (mustFinish && s.error !== undefined) out.push(`${name}: ended early: ${s.error}`);
    if (s.error === undefined) for (const w of r.writes) if (!s.jobVersions.has(w)) out.push(`${name}: job write ${w} not in the stream`);
  };
  r.streams.forEach((s, i) => check(`stream ${i}`, s, true));
  if (r.slow) check('slow stream', r.slow, false);
  // Same sequence everywhere (up to the shortest: they stop at slightly different points after the marker).
  const n = Math.min(...r.streams.map((s) => s.indexes.length));
  const first = r.streams[0]?.indexes.slice(0, n).join(',');
  r.streams.forEach((s, i) => {
    if (s.indexes.slice(0, n).join(',') !== first) out.push(`stream ${i}: a different sequence of batches than stream 0`);
  });
  return out;
}
