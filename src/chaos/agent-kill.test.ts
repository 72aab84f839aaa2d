/**
 * Chaos: the agent SIGKILLed at random moments while 50 clients register,
 * update, stop and purge raw_exec jobs over HTTP and some tasks crash and
 * restart (restart mode "delay"). After each restart on the same data dir,
 * checked against what the clients had acknowledged (a write in flight at the
 * kill may or may not be there; an acknowledged one must be):
 * - every acknowledged job version is among the job's versions (each write
 *   carries a unique meta tag), an acknowledged stop is still a stop and an
 *   acknowledged purge does not bring the job back;
 * - every allocation seen before the kill is still there with its ID, and per
 *   job, group and index at most one allocation is meant to run;
 * - task events seen before the kill are still there, in order;
 * - no task runs twice: each task appends its pid to a file named by its
 *   alloc and task, and once an alloc is terminal the starts match the
 *   Started events and Restarts the agent reports; at no time do two live
 *   processes belong to one task slot (job, group, index, task);
 * - no orphans: every live process carrying this run's marker env var
 *   belongs to a non-terminal allocation;
 * - tasks running at the kill keep their PIDs: the agent re-attaches them.
 * hand-picked single cases are in src/api/recovery.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ApiError, type ApiClient } from '../api/client.js';
import { startAgent, type AgentProcess } from '../api/testing.js';
import type { ApiAllocationListStub, ApiJob, ApiTaskEvent } from '../model/nomad-api/index.js';
import { eventually, scaled } from '../model/testing/eventually.js';
import { MAX_TASK_EVENTS } from '../model/task-state.js';
import { budget, report } from './campaign.js';

const RAW_EXEC = fileURLToPath(new URL('../drivers/raw-exec/driver.js', import.meta.url));
const CLIENTS = 50;
const KILLS = budget(3, 40);

const AGENT_CONFIG = `plugin "raw_exec" {
  config {
    enabled = true
  }
}
client {
  gc_interval              = "1h"
  gc_max_allocs            = 100000
  gc_disk_usage_threshold  = 100
  gc_inode_usage_threshold = 100
  cpu_total_compute        = 100000
  memory_total_mb          = 100000
}
`;

/** A task's first act: append its pid to DIR/<alloc>.<task> (the record of every start). */
const RECORD_START = 'echo $$ >> "$AK_DIR/starts/$NOMAD_ALLOC_ID.$NOMAD_TASK_NAME"';

function jobHcl(withCrasher: boolean): string {
  const task = (name: string, script: string) => `    task "${name}" {
      driver = "raw_exec"
      kill_timeout = "2s"
      config {
        command = "/bin/bash"
        args = ["-c", ${JSON.stringify(script)}]
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
`;
  return `job "template" {
  group "g" {
    count = 1
    ephemeral_disk {
      size = 10
    }
    restart {
      attempts = 4
      interval = "5s"
      delay    = "250ms"
      mode     = "delay"
    }
${task('steady', `${RECORD_START}; exec sleep 3600`)}${withCrasher ? task('crasher', `${RECORD_START}; read -t 0.6 <> "$AK_DIR/fifo"; exit 3`) : ''}  }
}
`;
}

/** One live process of this run: a task's own process (its parent is not the same task). */
interface TaskProc {
  readonly pid: number;
  readonly start: string;
  readonly alloc: string;
  readonly task: string;
  readonly slot: string;
}

/** The live processes carrying AK_RUN=run, keyed by pid, with their task's identity. */
function scanTaskProcs(run: string): TaskProc[] {
  const marker = `AK_RUN=${run}`;
  const all = new Map<number, TaskProc & { ppid: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      if (!env.includes(marker)) continue;
      const get = (k: string) => env.find((e) => e.startsWith(`${k}=`))?.slice(k.length + 1) ?? '';
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      all.set(Number(d), {
        pid: Number(d),
        ppid: Number(fields[1]),
        start: fields[19] ?? '',
        alloc: get('NOMAD_ALLOC_ID'),
        task: get('NOMAD_TASK_NAME'),
        slot: `${get('NOMAD_JOB_ID')}/${get('NOMAD_GROUP_NAME')}[${get('NOMAD_ALLOC_INDEX')}]/${get('NOMAD_TASK_NAME')}`,
      });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return [...all.values()].filter((p) => {
    const parent = all.get(p.ppid);
    return !(parent && parent.alloc === p.alloc && parent.task === p.task);
  });
}

function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The task pid each alloc/task's persisted driver state names (what recovery re-attaches to). */
function persistedPids(dataDir: string): Map<string, number> {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT alloc_id, task, driver_state FROM local_states WHERE driver_state IS NOT NULL').all() as Array<{ alloc_id: string; task: string; driver_state: Buffer }>;
    const out = new Map<string, number>();
    for (const r of rows) {
      const s = JSON.parse(r.driver_state.toString()) as { pid?: number; launched?: { pid: number } };
      const pid = s.pid ?? s.launched?.pid;
      if (pid !== undefined) out.set(`${r.alloc_id}/${r.task}`, pid);
    }
    return out;
  } finally {
    db.close();
  }
}

const T0 = Date.now();
/** Progress lines on stderr with AK_DEBUG=1 (where a slow or stuck run spends its time). */
function debug(msg: string): void {
  if (process.env['AK_DEBUG']) process.stderr.write(`[ak +${((Date.now() - T0) / 1000).toFixed(1)}s] ${msg}\n`);
}

const TERMINAL = new Set(['complete', 'failed', 'lost']);
const isTerminal = (a: ApiAllocationListStub) => TERMINAL.has(a.ClientStatus);
const slotOf = (a: ApiAllocationListStub) => `${a.JobID}/${a.TaskGroup}${a.Name.slice(a.Name.lastIndexOf('['))}`;
const eventKey = (e: ApiTaskEvent) => `${e.Type}@${e.Time}`;

/** Events seen before a kill must still be there after it: `before` continues as `after`, allowing for the oldest ones rotated out. */
function eventsKept(before: readonly ApiTaskEvent[], after: readonly ApiTaskEvent[]): boolean {
  const b = before.map(eventKey);
  const a = after.map(eventKey);
  if (b.length === 0) return true;
  // Rotation drops from the front: find where `after` starts in `before`.
  const first = a.length > 0 ? b.indexOf(a[0] as string) : -1;
  if (first === -1) return a.length >= MAX_TASK_EVENTS && Number((before.at(-1) as ApiTaskEvent).Time) < Number((after[0] as ApiTaskEvent).Time);
  if (first > 0 && a.length < MAX_TASK_EVENTS) return false;
  return b.slice(first).every((k, i) => a[i] === k);
}

/** How many times a terminal alloc's task must have started, from what the agent reports. */
function expectedStarts(a: ApiAllocationListStub, task: string): number | undefined {
  const s = a.TaskStates[task];
  if (!s) return 0;
  const types = s.Events.map((e) => e.Type);
  const started = types.filter((t) => t === 'Started').length;
  if (types.length < MAX_TASK_EVENTS) return started;
  // Events rotated out: Restarts counts every Restarting; the last of Restarting/Started says whether the last restart happened.
  const lastRestarting = types.lastIndexOf('Restarting');
  const lastStarted = types.lastIndexOf('Started');
  if (lastRestarting === -1 && lastStarted === -1) return undefined;
  return s.Restarts + (lastStarted > lastRestarting ? 1 : 0);
}

/** The task's last start ended by the alloc's kill, with a signal (Killed after a signalled Terminated). */
function lastStartKilled(a: ApiAllocationListStub, task: string): boolean {
  const events = a.TaskStates[task]?.Events ?? [];
  const lastStarted = events.map((e) => e.Type).lastIndexOf('Started');
  const after = events.slice(lastStarted + 1);
  const term = after.find((e) => e.Type === 'Terminated');
  return lastStarted !== -1 && term !== undefined && (term.Signal > 0 || term.ExitCode > 128) && after.some((e) => e.Type === 'Killed');
}

/** Marks the start-count violations (see the todo subtest). */
const STARTS = 'start count:';

interface JobTrack {
  readonly id: string;
  /** Meta tags of acknowledged registrations. */
  readonly acked: string[];
  stopAcked: boolean;
  purgeTried: boolean;
  purgeAcked: boolean;
}

class Campaign {
  agent!: AgentProcess;
  gen = 0;
  private readyWaiters: Array<() => void> = [];
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  inflight = 0;
  stopping = false;
  readonly jobs = new Map<string, JobTrack>();
  readonly violations: string[] = [];
  readonly templates: ApiJob[] = [];
  acks = 0;
  uncertain = 0;
  starts = 0;
  checkedAllocs = 0;
  checkedEvents = 0;
  checkedPids = 0;
  lifecycles = 0;

  constructor(
    readonly run: string,
    readonly dir: string,
  ) {}

  violation(msg: string): void {
    debug(`VIOLATION ${msg}`);
    if (this.violations.length < 50) this.violations.push(msg);
  }

  get client(): ApiClient {
    return this.agent.client;
  }

  /** Set just before the test kills the agent: its requests may fail from then on. */
  killing = false;

  alive(): boolean {
    return !this.killing && this.agent.proc.exitCode === null && this.agent.proc.signalCode === null;
  }

  async kill(): Promise<void> {
    this.killing = true;
    await this.agent.kill('SIGKILL');
  }

  async startAgent(): Promise<void> {
    const dataDir = this.gen === 0 ? undefined : this.agent.dataDir;
    this.agent = await startAgent({ configHcl: AGENT_CONFIG, ...(dataDir ? { dataDir } : {}) });
    this.killing = false;
    this.gen++;
    for (const w of this.readyWaiters.splice(0)) w();
  }

  pause(): void {
    this.gate ??= new Promise((resolve) => (this.openGate = resolve));
  }

  resume(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  /**
   * One request of a client: waits at the gate, then sends. A request the kill
   * cut off is "uncertain" (undefined); the client waits for the next agent.
   * Answers other than 2xx and `allowed` statuses are violations.
   */
  async op<T>(what: string, fn: (c: ApiClient) => Promise<T>, allowed: readonly number[] = []): Promise<T | undefined> {
    while (this.gate) await this.gate;
    const gen = this.gen;
    const killed = () => gen !== this.gen || !this.alive();
    this.inflight++;
    try {
      return await fn(this.client);
    } catch (err) {
      if (err instanceof ApiError) {
        if (allowed.includes(err.status)) return undefined;
        // A 5xx from an agent being killed is a cut-off request, not an answer.
        if (!(killed() && err.status >= 500)) this.violation(`${what}: ${err.message}`);
        return undefined;
      }
      if (!killed()) this.violation(`${what}: ${String(err)} from a live agent`);
      this.uncertain++;
      if (gen === this.gen) await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
      return undefined;
    } finally {
      this.inflight--;
    }
  }

  jobFor(id: string, tag: string, count: number, crasher: boolean): ApiJob {
    const job = structuredClone(this.templates[crasher ? 1 : 0] as ApiJob);
    job.ID = id;
    job.Name = id;
    job.Meta = { ak_write: tag };
    const group = job.TaskGroups![0]!;
    group.Count = count;
    for (const task of group.Tasks ?? []) task.Env = { AK_RUN: this.run, AK_DIR: this.dir };
    return job;
  }

  /** A client: job after job, each registered, updated a few times, stopped, checked and purged. */
  async clientLoop(i: number, rnd: () => number): Promise<void> {
    for (let n = 0; !this.stopping; n++) {
      const id = `ak${i}-${n}`;
      const t: JobTrack = { id, acked: [], stopAcked: false, purgeTried: false, purgeAcked: false };
      this.jobs.set(id, t);
      const crasher = rnd() < 0.4;
      const writes = 1 + Math.floor(rnd() * 3);
      for (let w = 0; w < writes && !this.stopping; w++) {
        const tag = `${id}/${w}`;
        const job = this.jobFor(id, tag, 1 + Math.floor(rnd() * 2), crasher);
        const r = await this.op(`register ${tag}`, (c) => c.jobs.register(job));
        if (r) {
          t.acked.push(tag);
          this.acks++;
        }
        await this.pauseFor(200 + rnd() * 1200);
      }
      await this.retire(t);
      this.lifecycles++;
    }
  }

  private async pauseFor(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Stops the job until acknowledged, checks its allocs' starts once all are terminal, and purges it. */
  async retire(t: JobTrack): Promise<void> {
    while (!t.stopAcked) {
      const r = await this.op(`stop ${t.id}`, (c) => c.jobs.deregister(t.id), [404]);
      if (r) {
        t.stopAcked = true;
        this.acks++;
      } else if (!(await this.exists(t.id))) {
        return; // Never registered (every write was cut off): nothing to stop.
      }
    }
    const allocs = await eventually(
      async () => {
        const all = await this.op(`allocs ${t.id}`, (c) => c.jobs.allocations(t.id));
        return all?.every((a) => isTerminal(a) && Object.values(a.TaskStates).every((s) => s.State === 'dead')) ? all : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100, message: `allocs of stopped ${t.id} terminal` },
    );
    this.checkStarts(allocs);
    t.purgeTried = true;
    while (!t.purgeAcked) {
      const r = await this.op(`purge ${t.id}`, (c) => c.jobs.deregister(t.id, { purge: true }), [404]);
      if (r || !(await this.exists(t.id))) t.purgeAcked = true;
    }
    this.acks++;
  }

  /** Whether the agent has job `id`, asked until it answers. */
  async exists(id: string): Promise<boolean> {
    for (;;) {
      let missing = false;
      const job = await this.op(`info ${id}`, (c) => c.jobs.info(id).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) missing = true;
        throw err;
      }), [404]);
      if (job) return true;
      if (missing) return false;
    }
  }

  /** Terminal allocs: every task started exactly as often as the agent says it did. */
  checkStarts(allocs: readonly ApiAllocationListStub[]): void {
    for (const a of allocs) {
      for (const task of ['steady', 'crasher']) {
        const file = join(this.dir, 'starts', `${a.ID}.${task}`);
        const recorded = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter((l) => l !== '').length : 0;
        if (recorded === 0 && !a.TaskStates[task]) continue;
        this.starts += recorded;
        const want = expectedStarts(a, task);
        // A start the kill caught at once can end before the task ran its first command (bash dies of
        // SIGTERM before `echo`): the agent rightly reports it, the task could not record it.
        const lastCutShort = want !== undefined && recorded === want - 1 && lastStartKilled(a, task);
        if (want !== undefined && recorded !== want && !lastCutShort) {
          const s = a.TaskStates[task];
          this.violation(`${STARTS} ${a.ID} (${a.Name}) ${task}: started ${recorded} times, agent reports ${want} (Restarts ${s?.Restarts}, events ${s?.Events.map((e) => e.Type).join(',')})`);
        }
      }
      this.checkedAllocs++;
    }
  }
}

test('chaos: agent SIGKILL at random moments under 50 clients loses no acknowledged write, runs no task twice, orphans none', { skip: existsSync(RAW_EXEC) ? false : 'raw_exec driver not built', timeout: scaled(budget(240_000, 1_800_000)) }, async (t) => {
  // AK_SEED=<8 hex digits> replays a printed seed's schedule (the timing still varies).
  const run = /^[0-9a-f]{8}$/.test(process.env['AK_SEED'] ?? '') ? (process.env['AK_SEED'] as string) : randomBytes(4).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'drover-chaos-kill-'));
  execFileSync('mkdir', ['-p', join(dir, 'starts')]);
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  const c = new Campaign(run, dir);
  let seed = Number.parseInt(run, 16);
  const rnd = () => {
    // mulberry32: a seeded generator, so a failing run's schedule can be replayed from its printed seed.
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  t.diagnostic(`seed ${run}, data ${dir}`);

  t.after(async () => {
    c.stopping = true;
    c.resume();
    if (c.agent && c.alive()) await c.agent.kill('SIGKILL');
    for (const p of scanTaskProcs(run)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    if (c.agent) {
      for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
        try {
          const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
          if (cmd.includes('executor') && cmd.includes(c.agent.dataDir)) process.kill(Number(d), 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
      rmSync(c.agent.dataDir, { recursive: true, force: true });
    }
    rmSync(dir, { recursive: true, force: true });
  });

  await c.startAgent();
  debug('agent up');
  c.templates.push(await c.client.jobs.parse(jobHcl(false)), await c.client.jobs.parse(jobHcl(true)));
  const loops = Array.from({ length: CLIENTS }, (_, i) => c.clientLoop(i, rnd).catch((err: unknown) => c.violation(`client ${i}: ${String(err)}`)));

  let kills = 0;
  for (; kills < KILLS; kills++) {
    // Run a while, watching what the agent shows (the last look before the kill is what must survive it).
    const runFor = 500 + rnd() * 2500;
    const end = Date.now() + runFor;
    let seen: ApiAllocationListStub[] = [];
    while (Date.now() < end) {
      seen = await c.client.allocations.list().catch(() => seen);
      await new Promise((resolve) => setTimeout(resolve, 50 + rnd() * 200));
    }
    seen = await c.client.allocations.list().catch(() => seen);
    const purgeTriedAtKill = new Set([...c.jobs.values()].filter((j) => j.purgeTried).map((j) => j.id));
    const ackedAtKill = [...c.jobs.values()].map((j) => ({ id: j.id, acked: [...j.acked], stop: j.stopAcked, purge: j.purgeAcked }));
    debug(`kill ${kills + 1}: ${seen.length} allocs seen, ${c.acks} acks, inflight ${c.inflight}`);
    await c.kill();
    c.pause();
    // The agent is down: what runs now, and what the agent had recorded of it.
    const procsAtKill = scanTaskProcs(run);
    const pidsAtKill = persistedPids(c.agent.dataDir);
    await c.startAgent();
    debug('restarted');
    await eventually(() => c.inflight === 0, { timeoutMs: 60_000, message: 'requests cut off by the kill to settle' });
    const client = c.client;

    debug('settled; checking writes');
    // Acknowledged writes.
    const listed = new Map((await client.jobs.list()).map((j) => [j.ID, j]));
    for (const j of ackedAtKill) {
      if (purgeTriedAtKill.has(j.id) || c.jobs.get(j.id)?.purgeTried) continue;
      if (j.acked.length > 0 || j.stop) {
        const versions = await client.jobs.versions(j.id).catch((err: unknown) => err as Error);
        if (versions instanceof Error) {
          c.violation(`kill ${kills + 1}: acknowledged job ${j.id} is gone: ${String(versions)}`);
          continue;
        }
        const tags = new Set(versions.Versions.map((v) => v.Meta?.['ak_write']));
        for (const tag of j.acked) if (!tags.has(tag)) c.violation(`kill ${kills + 1}: acknowledged version ${tag} lost (versions: ${[...tags].join(',')})`);
        if (j.stop && listed.get(j.id)?.Stop !== true) c.violation(`kill ${kills + 1}: acknowledged stop of ${j.id} lost`);
      }
    }
    for (const j of ackedAtKill) if (j.purge && listed.get(j.id)?.Stop === false) c.violation(`kill ${kills + 1}: purged ${j.id} is back`);

    debug('checking allocs');
    // Allocations and their events.
    const now = await client.allocations.list();
    const byId = new Map(now.map((a) => [a.ID, a]));
    for (const a of seen) {
      if (purgeTriedAtKill.has(a.JobID) || c.jobs.get(a.JobID)?.purgeTried) continue;
      const b = byId.get(a.ID);
      c.checkedAllocs++;
      if (!b) {
        c.violation(`kill ${kills + 1}: alloc ${a.ID} (${a.Name}, ${a.ClientStatus}) lost`);
        continue;
      }
      for (const [task, s] of Object.entries(a.TaskStates)) {
        c.checkedEvents += s.Events.length;
        const after = b.TaskStates[task]?.Events ?? [];
        if (!eventsKept(s.Events, after)) c.violation(`kill ${kills + 1}: ${a.ID} ${task} events lost: before ${s.Events.map(eventKey).join(',')} after ${after.map(eventKey).join(',')}`);
      }
    }
    const meant = new Map<string, string[]>();
    for (const a of now) if (a.DesiredStatus === 'run' && !isTerminal(a)) meant.set(slotOf(a), [...(meant.get(slotOf(a)) ?? []), a.ID]);
    for (const [slot, ids] of meant) if (ids.length > 1) c.violation(`kill ${kills + 1}: ${slot} has ${ids.length} allocs meant to run: ${ids.join(',')}`);

    debug(`checking ${procsAtKill.length} processes`);
    // Processes: re-attached with their pids, never two per task slot, none without a live alloc.
    const survivors = procsAtKill.filter((p) => procStart(p.pid) === p.start); // Others ended meanwhile (a crasher, or a stop sent before the kill).
    c.checkedPids += survivors.length;
    await eventually(
      async () => {
        const persisted = persistedPids(c.agent.dataDir);
        const events = new Map((await client.allocations.list()).map((a) => [a.ID, a.TaskStates]));
        const moved = survivors
          .filter((p) => procStart(p.pid) === p.start && persisted.get(`${p.alloc}/${p.task}`) !== p.pid)
          .map((p) => `${p.alloc}/${p.task} (${p.slot}) runs as pid ${p.pid} since before the kill; the agent has ${persisted.get(`${p.alloc}/${p.task}`)} (before the kill it had ${pidsAtKill.get(`${p.alloc}/${p.task}`)}); events ${events.get(p.alloc)?.[p.task]?.Events.map((e) => `${e.Type}:${e.DisplayMessage}`).join(', ')}`);
        assert.deepEqual(moved, [], `kill ${kills + 1}: tasks not re-attached`);
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'tasks re-attached' },
    ).catch((err: unknown) => c.violation(String(err)));
    debug('checking orphans');
    await eventually(
      async () => {
        const allocs = new Map((await client.allocations.list()).map((a) => [a.ID, a]));
        const procs = scanTaskProcs(run);
        const slots = new Map<string, number[]>();
        for (const p of procs) slots.set(p.slot, [...(slots.get(p.slot) ?? []), p.pid]);
        const twice = [...slots].filter(([, pids]) => pids.length > 1);
        assert.deepEqual(twice, [], `kill ${kills + 1}: task slots with more than one live process`);
        const orphans = procs.filter((p) => {
          const a = allocs.get(p.alloc);
          return !a || isTerminal(a) || procStart(p.pid) !== p.start;
        });
        assert.deepEqual(orphans.filter((p) => procStart(p.pid) === p.start).map((p) => `${p.pid} ${p.slot} ${p.alloc} ${allocs.get(p.alloc)?.ClientStatus ?? 'no alloc'}`), [], `kill ${kills + 1}: orphaned task processes`);
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'no orphan, one process per task' },
    ).catch((err: unknown) => c.violation(String(err)));
    t.diagnostic(`kill ${kills + 1} after ${Math.round(runFor)} ms: ${seen.length} allocs seen, ${procsAtKill.length} task processes, ${c.acks} acks, ${c.violations.length} violations`);
    c.resume();
    if (c.violations.some((v) => !v.startsWith(STARTS))) break;
  }

  c.stopping = true;
  debug('retiring');
  await Promise.all(loops);
  debug('retired');
  const left = (await c.client.allocations.list()).filter((a) => !isTerminal(a));
  report({
    scenario: 'agent SIGKILL under 50 clients',
    runs: kills,
    checked: 'acknowledged versions, stops and purges kept; allocs and task events kept; one alloc per slot; starts = Started events; one process per task, none orphaned; PIDs kept',
    result: c.violations.length === 0 ? 'pass' : `${c.violations.length} violations: ${c.violations[0]}`,
    figures: { clients: CLIENTS, acks: c.acks, uncertain: c.uncertain, jobs: c.lifecycles, 'allocs checked': c.checkedAllocs, 'task starts': c.starts, 'events checked': c.checkedEvents, 'pids kept': c.checkedPids },
  });
  assert.deepEqual(c.violations.filter((v) => !v.startsWith(STARTS)), []);
  // Once failed in the long form (seed 02c4026f, kill 4): a crasher whose events read "Restarting, Started,
  // Started, Terminated" and whose process recorded 3 starts for the agent's 2. The runner dropped the handle
  // of an exited task before its Terminated was written (regression tests in src/agent/exit-restore.test.ts).
  await t.test('no task started more often than the agent reports', () => {
    assert.deepEqual(c.violations.filter((v) => v.startsWith(STARTS)), []);
  });
  assert.deepEqual(left, [], 'every job retired');
  await eventually(() => scanTaskProcs(run).length === 0, { timeoutMs: 30_000, message: 'every task process gone' });
});
