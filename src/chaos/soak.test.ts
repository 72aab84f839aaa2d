/**
 * Soak (issue 16): a day of a crash-looping node compressed into minutes.
 * Fifty tasks crash as soon as they start: half restart in place without end
 * (restart mode "delay"), half fail their allocation and are rescheduled
 * without limit, and one job is updated every second. The GC runs on short
 * thresholds (the compressed day), and the test checks the agent stays
 * bounded as Nomad's limits bound it: the last 10 events per task, the last 5
 * past reschedule events per allocation (and the new one), the last 6 versions of a job, replaced
 * allocations and their evaluations collected once older than the
 * threshold, alloc dirs kept to gc_max_allocs, and the SQLite file (with its
 * WAL) no bigger late in the run than its earlier peak allows. RSS is
 * sampled and reported (V8's heap grows lazily: not asserted).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { budget, report } from './campaign.js';
import { rssMb } from './load-run.js';
import { purgeAndStop, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import type { ApiJob } from '../model/nomad-api/index.js';

const DURATION_MS = budget(15_000, 600_000);
const TASKS = 50;
const EVAL_GC_THRESHOLD_MS = 2_000;
const GC_INTERVAL_MS = 1_000;
const GC_MAX_ALLOCS = 50;

const CONFIG = `server {
  enabled = true
  job_gc_interval = "${GC_INTERVAL_MS}ms"
  job_gc_threshold = "${EVAL_GC_THRESHOLD_MS}ms"
  eval_gc_threshold = "${EVAL_GC_THRESHOLD_MS}ms"
  batch_eval_gc_threshold = "${EVAL_GC_THRESHOLD_MS}ms"
  deployment_gc_threshold = "${EVAL_GC_THRESHOLD_MS}ms"
}
client {
  gc_interval = "${GC_INTERVAL_MS}ms"
  gc_max_allocs = ${GC_MAX_ALLOCS}
}
`;

/** The one task of each crash-looping group: exits 1 after 20 ms, with the smallest logs and disk Nomad allows. */
const CRASHING_TASK = `    task "t" {
      driver = "mock_driver"
      config {
        run_for   = "20ms"
        exit_code = 1
      }
      resources {
        cpu    = 10
        memory = 10
      }
      logs {
        max_files     = 1
        max_file_size = 1
      }
    }
    ephemeral_disk {
      size = 10
    }`;
/** Two groups of 25 crashing tasks: one restarts in place forever, one fails its allocs and is rescheduled forever. */

const CRASHLOOP = `job "crashloop" {
  group "restarter" {
    count = ${TASKS / 2}
    restart {
      attempts = 20
      interval = "5s"
      delay    = "200ms"
      mode     = "delay"
    }
${CRASHING_TASK}
  }
  group "rescheduler" {
    count = ${TASKS / 2}
    restart {
      attempts = 1
      interval = "5s"
      delay    = "50ms"
      mode     = "fail"
    }
    reschedule {
      unlimited      = true
      delay          = "5s"
      delay_function = "constant"
    }
${CRASHING_TASK}
  }
}
`;

interface Sample {
  readonly at: number;
  readonly rss: number;
  /** state.db + its WAL, bytes. */
  readonly dbBytes: number;
  readonly rows: Record<string, number>;
  /** Most events any task holds. */
  readonly maxTaskEvents: number;
  /** Most reschedule events any alloc carries. */
  readonly maxRescheduleEvents: number;
  /** Failed allocs replaced longer ago than the GC threshold and a few sweeps. */
  readonly overdueAllocs: number;
  /** Alloc dirs on disk (the client GC keeps them to gc_max_allocs). */
  readonly allocDirs: number;
  readonly jobVersions: number;
}

const TABLES = ['allocs', 'task_states', 'local_states', 'evaluations', 'alloc_reschedule', 'job_versions', 'job_submissions', 'deployments', 'alloc_deployment', 'check_results', 'service_registrations'];

function fileSize(p: string): number {
  return existsSync(p) ? statSync(p).size : 0;
}

function sample(agent: AgentProcess, t0: number): Sample {
  const path = join(agent.dataDir, 'state.db');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows: Record<string, number> = {};
    for (const t of TABLES) rows[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    const one = (sql: string): number => ((db.prepare(sql).get() as { n: number | null } | undefined)?.n ?? 0);
    // A replaced alloc is collectable once past the threshold; a busy agent's sweeps may come late (10 s of slack).
    const overdueBefore = Date.now() - EVAL_GC_THRESHOLD_MS - GC_INTERVAL_MS - 10_000;
    const dirs = join(agent.dataDir, 'alloc');
    return {
      at: Date.now() - t0,
      rss: rssMb(agent.proc.pid as number),
      dbBytes: fileSize(path) + fileSize(`${path}-wal`),
      rows,
      maxTaskEvents: one("SELECT max(json_array_length(state, '$.events')) AS n FROM task_states"),
      maxRescheduleEvents: one('SELECT max(json_array_length(events)) AS n FROM alloc_reschedule'),
      // Replaced when its replacement was created (the replacement may come long after the failure).
      overdueAllocs: one(
        `SELECT count(*) AS n FROM allocs a LEFT JOIN allocs r ON r.id = a.next_allocation
         WHERE a.terminal = 1 AND a.client_status = 'failed' AND a.next_allocation != '' AND max(a.modify_time, coalesce(r.create_time, 0)) < ${overdueBefore}`,
      ),
      allocDirs: existsSync(dirs) ? readdirSync(dirs).length : 0,
      jobVersions: one("SELECT count(*) AS n FROM job_versions WHERE id = 'updated'"),
    };
  } finally {
    db.close();
  }
}

/** Whether some alloc's predecessor was collected. */
function gcCollectedReplaced(agent: AgentProcess): boolean {
  const db = new Database(join(agent.dataDir, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT 1 FROM allocs a WHERE a.job_id = 'crashloop' AND a.previous_allocation != '' AND NOT EXISTS (SELECT 1 FROM allocs p WHERE p.id = a.previous_allocation) LIMIT 1").get() !== undefined;
  } finally {
    db.close();
  }
}

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents).catch(() => undefined);
  await Promise.all(agents.map((a) => a.kill('SIGKILL')));
  for (const a of agents) rmSync(a.dataDir, { recursive: true, force: true });
});

test(`soak: ${TASKS} crash-looping tasks for ${DURATION_MS / 1000} s: rows, alloc dirs and the SQLite file stay bounded`, async () => {
  const agent = await startAgent({ configHcl: CONFIG });
  agents.push(agent);
  const c = agent.client;
  await c.jobs.register(await c.jobs.parse(CRASHLOOP));
  // A service job updated every second: each update is a new version (and a deployment).
  const updated = await c.jobs.parse(`job "updated" {\n  group "g" {\n    task "t" {\n      driver = "mock_driver"\n      config {\n        run_for = "1h"\n      }\n      resources {\n        cpu = 10\n        memory = 10\n      }\n    }\n  }\n}\n`);
  await c.jobs.register(updated);
  let updates = 0;
  let done = false;
  const updater = (async () => {
    while (!done) {
      await c.jobs.register({ ...updated, Meta: { round: String(++updates) } } satisfies ApiJob);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  // Warm-up: until the GC has collected a replaced alloc (a replacement's predecessor is gone), the
  // state only grows, as it should; boundedness is measured from there, however slow this machine is.
  const warmup = Date.now();
  await eventually(() => gcCollectedReplaced(agent), { timeoutMs: 120_000, intervalMs: 250, message: 'the GC to collect a replaced alloc' });
  const t0 = Date.now();
  const samples: Sample[] = [sample(agent, t0)];
  while (Date.now() - t0 < DURATION_MS) {
    await new Promise((r) => setTimeout(r, 1_000));
    samples.push(sample(agent, t0));
  }
  done = true;
  await updater;
  // The crash loop really ran: restarts and reschedules happened.
  const allocs = await c.allocations.list();
  const overduePeak = Math.max(...samples.map((s) => s.overdueAllocs));
  const restarts = allocs.reduce((n, a) => n + Object.values(a.TaskStates ?? {}).reduce((m, s) => m + s.Restarts, 0), 0);
  const replaced = allocs.filter((a) => a.JobID === 'crashloop' && a.TaskGroup === 'rescheduler').length;
  await eventually(async () => (await c.jobs.versions('updated')).Versions.length > 0, { message: 'job versions readable' });

  const half = samples.filter((s) => s.at <= DURATION_MS / 2);
  const late = samples.filter((s) => s.at > DURATION_MS / 2);
  const peak = (xs: readonly Sample[], f: (s: Sample) => number): number => Math.max(0, ...xs.map(f));
  const last = samples[samples.length - 1] as Sample;
  const failures: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) failures.push(what);
  };
  check(restarts > TASKS, `the tasks crash-looped (${restarts} restarts)`);
  for (const s of samples) {
    const at = `at ${s.at} ms`;
    check(s.maxTaskEvents <= 10, `${at}: a task holds ${s.maxTaskEvents} events (Nomad keeps 10)`);
    // Nomad's updateRescheduleTracker: the last maxPastRescheduleEvents (5) of an unlimited policy, and the new one.
    check(s.maxRescheduleEvents <= 6, `${at}: an alloc carries ${s.maxRescheduleEvents} reschedule events (Nomad: 5 past and the new one)`);
    check(s.jobVersions <= 6, `${at}: ${s.jobVersions} versions of a job kept (Nomad's job_tracked_versions is 6)`);
  }
  const firstPeak = peak(half, (s) => s.dbBytes);
  const latePeak = peak(late, (s) => s.dbBytes);
  check(latePeak <= firstPeak * 1.5 + 1024 * 1024, `SQLite grew: ${latePeak} bytes late vs ${firstPeak} in the first half`);
  // What grows with time (rows, alloc dirs, replaced allocs the GC has yet to take) must level off:
  // a sweep may come late on a busy machine, so no deadline is asserted, only that nothing piles up.
  const growth: Array<[string, (s: Sample) => number]> = [
    ...['allocs', 'task_states', 'evaluations', 'alloc_reschedule', 'job_versions', 'job_submissions', 'deployments', 'alloc_deployment'].map(
      (t): [string, (s: Sample) => number] => [`${t} rows`, (s) => s.rows[t] ?? 0],
    ),
    ['alloc dirs', (s) => s.allocDirs],
    ['overdue replaced allocs', (s) => s.overdueAllocs],
  ];
  for (const [what, f] of growth) {
    const early = peak(half, f);
    const after = peak(late, f);
    check(after <= early * 1.5 + 25, `${what}: ${after} late vs ${early} in the first half`);
  }
  report({
    scenario: `soak: ${TASKS} crash-looping tasks (restart + unlimited reschedule) and a job updated each second, ${DURATION_MS / 1000} s`,
    runs: samples.length,
    checked: "after a warm-up to the GC's first collection, per sample: ≤10 events per task, ≤6 reschedule events per alloc (5 past + the new), ≤6 versions of a job; second half's peak ≤ 1.5× the first half's (+25) for every growing table, alloc dirs and replaced allocs awaiting GC, and (+1 MiB) for SQLite + WAL",
    result: failures.length === 0 ? 'pass' : `${failures.length} failed: ${failures[0]}`,
    figures: {
      'warm-up s': Math.round((t0 - warmup) / 1000),
      restarts,
      'allocs (rescheduler, at end)': replaced,
      'RSS start/peak/end MB': `${samples[0]?.rss}/${peak(samples, (s) => s.rss)}/${last.rss}`,
      'DB KiB start/peak/end': `${Math.round((samples[0]?.dbBytes ?? 0) / 1024)}/${Math.round(peak(samples, (s) => s.dbBytes) / 1024)}/${Math.round(last.dbBytes / 1024)}`,
      'alloc rows peak': peak(samples, (s) => s.rows['allocs'] ?? 0),
      'eval rows peak': peak(samples, (s) => s.rows['evaluations'] ?? 0),
      'job versions peak': peak(samples, (s) => s.jobVersions),
      'overdue allocs peak': overduePeak,
      updates,
    },
  });
  assert.deepEqual(failures, []);
});
