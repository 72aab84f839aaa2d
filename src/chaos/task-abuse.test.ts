/**
 * Issue 16, resource abuse inside tasks: a fork bomb under exec with
 * pids_limit, a memory hog past its limit, a task ignoring SIGTERM, one that
 * closes its stdout and runs on, and one writing a flood without newlines.
 * Each runs on a real agent beside a canary (a raw_exec task of another
 * allocation printing "tick <pid> <n>"): the canary must keep its pid and
 * keep logging, and the agent's API must answer, all through the abuse.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budget, report } from './campaign.js';
import { alive, batchJob } from './fixtures.js';
import { purgeAndStop, RAW_EXEC_CONFIG, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import type { ApiAllocationListStub, ApiTaskEvent } from '../model/nomad-api/index.js';
import { eventually, scaled } from '../model/testing/eventually.js';
import { detectCgroups, oomKills } from '../executor/cgroups/index.js';

const isRoot = process.getuid?.() === 0;
const layout = detectCgroups();
const canCgroup = isRoot && layout.mode !== 'none';
const SKIP_CGROUP = canCgroup ? false : 'needs root and cgroups';

const SIZE = budget(
  { bombDepth: 7, pidsLimit: 24, hogMb: 48, floodBytes: 100_000_000, killTimeoutS: 2, idleMs: 1_500 },
  { bombDepth: 10, pidsLimit: 64, hogMb: 256, floodBytes: 1_000_000_000, killTimeoutS: 5, idleMs: 10_000 },
);
const MiB = 1024 * 1024;
const LOG_FILE_MB = 10;
const LOG_FILES = 2;

let agent: AgentProcess;
let canary: { allocId: string; pid: number };

before(async () => {
  agent = await startAgent({ configHcl: `${RAW_EXEC_CONFIG}plugin "exec" {\n  config {\n    pids_limit = ${SIZE.pidsLimit}\n  }\n}\n` });
  await runHcl(
    agent.client,
    `job "canary" {
  group "g" {
    task "c" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "i=0; while :; do i=$((i+1)); echo tick $$ $i; sleep 0.05; done"]
      }
    }
  }
}`,
  );
  const a = await running('canary');
  const first = await eventually(() => lastTick(a.ID), { timeoutMs: 20_000, message: 'the canary ticks' });
  canary = { allocId: a.ID, pid: first.pid };
});
after(async () => {
  await purgeAndStop([agent]);
});

// ---- helpers -------------------------------------------------------------

async function allocOf(job: string): Promise<ApiAllocationListStub | undefined> {
  return (await agent.client.jobs.allocations(job))[0];
}

async function running(job: string): Promise<ApiAllocationListStub> {
  return eventually(async () => {
    const a = await allocOf(job);
    return a?.ClientStatus === 'running' ? a : undefined;
  }, { timeoutMs: 30_000, message: `${job} running` });
}

async function events(job: string, task = 't'): Promise<ApiTaskEvent[]> {
  return (await allocOf(job))?.TaskStates?.[task]?.Events ?? [];
}

async function logTail(allocId: string, task: string, type: 'stdout' | 'stderr' = 'stdout', bytes = 4096): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of agent.client.client.logs(allocId, { task, type, origin: 'end', offset: bytes })) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

/** The canary's last "tick <pid> <n>" line, through the logs API. */
async function lastTick(allocId: string): Promise<{ pid: number; n: number } | undefined> {
  const m = [...(await logTail(allocId, 'c')).matchAll(/tick (\d+) (\d+)\n/g)].at(-1);
  return m ? { pid: Number(m[1]), n: Number(m[2]) } : undefined;
}

/** The canary is alive, has its first pid, and logged past `n`. */
async function canaryAdvances(n: number): Promise<number> {
  const t = await eventually(async () => {
    const x = await lastTick(canary.allocId);
    return x !== undefined && x.n > n ? x : undefined;
  }, { timeoutMs: 20_000, message: `the canary logs past tick ${n}` });
  assert.equal(t.pid, canary.pid, 'the canary kept its pid');
  assert.equal((await allocOf('canary'))?.ClientStatus, 'running');
  return t.n;
}

function vmRssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The executor daemon serving this agent (its cmdline names a data dir under the agent's). */
function executorPid(): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('-data-dir');
      if (argv.includes('executor') && i > 0 && (argv[i + 1] ?? '').startsWith(agent.dataDir)) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no executor daemon for ${agent.dataDir}`);
}

/** The task cgroup dir of `allocId` for one controller (drover names it <parent>/drover/<task key>, the key starting with the alloc id). */
function taskCgroupDir(controller: string, allocId: string): string | undefined {
  const parent = layout.mode === 'v1' ? layout.v1Parents[controller] : layout.v2Root;
  if (parent === undefined) return undefined;
  const root = join(parent, 'drover');
  const name = existsSync(root) ? readdirSync(root).find((n) => n.startsWith(`${allocId}%2F`)) : undefined;
  return name === undefined ? undefined : join(root, name);
}

function readInt(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8').trim());
  } catch {
    return 0;
  }
}

/** Samples the agent while something abuses it: API round trips, agent and executor RSS, plus `extra` each round. */
function monitor(extra: () => void = () => undefined): { stop(): Promise<{ apiErrors: number; apiRounds: number; maxApiMs: number; agentRssMb: number; executorRssMb: number }> } {
  const exec = executorPid();
  let stopped = false;
  let apiErrors = 0;
  let apiRounds = 0;
  let maxApiMs = 0;
  let agentRss = 0;
  let executorRss = 0;
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      try {
        await agent.client.agent.health();
        apiRounds++;
      } catch {
        apiErrors++;
      }
      maxApiMs = Math.max(maxApiMs, performance.now() - t0);
      agentRss = Math.max(agentRss, vmRssBytes(agent.proc.pid ?? 0));
      executorRss = Math.max(executorRss, vmRssBytes(exec));
      extra();
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { apiErrors, apiRounds, maxApiMs: Math.round(maxApiMs), agentRssMb: +(agentRss / MiB).toFixed(1), executorRssMb: +(executorRss / MiB).toFixed(1) };
    },
  };
}


async function stopJob(job: string): Promise<ApiAllocationListStub> {
  await agent.client.jobs.deregister(job);
  return eventually(async () => {
    const a = await allocOf(job);
    return a !== undefined && a.ClientStatus !== 'running' && a.ClientStatus !== 'pending' ? a : undefined;
  }, { timeoutMs: 30_000, message: `${job} stopped` });
}


// ---- scenarios -----------------------------------------------------------

test('a fork bomb under exec stays within pids_limit, and stopping it kills every process', { skip: SKIP_CGROUP }, async () => {
  const tick0 = (await lastTick(canary.allocId))?.n ?? 0;
  // A doubling tree 2^(depth+1) - 2 processes deep if nothing held it: bounded, so a broken limit cannot take the host down.
  const bomb = `$| = 1; sub spawn { my $d = shift; return if $d == 0; for (1..2) { my $p = fork; next unless defined $p; if ($p == 0) { spawn($d - 1); sleep 600; exit 0 } } } spawn(${SIZE.bombDepth}); print "bomb placed\\n"; sleep 600;`;
  await runHcl(agent.client, batchJob('bomb', 'exec', '/usr/bin/perl', ['-e', bomb]));
  const a = await running('bomb');
  const dir = await eventually(() => taskCgroupDir('pids', a.ID), { message: 'the bomb\'s pids cgroup' });
  let peak = 0;
  const mon = monitor(() => (peak = Math.max(peak, readInt(join(dir, 'pids.current')))));
  // The kernel refuses forks at the limit (pids.events "max"); the tree's inner processes fork on after the root is done.
  const refusedForks = (): number => Number(/max (\d+)/.exec(readFileSync(join(dir, 'pids.events'), 'utf8'))?.[1] ?? 0);
  await eventually(async () => /bomb placed/.test(await logTail(a.ID, 't')), { timeoutMs: 60_000, message: 'the bomb placed' });
  await eventually(() => refusedForks() > 0, { timeoutMs: 60_000, message: 'forks refused at pids_limit' });
  const refused = refusedForks();
  const tick1 = await canaryAdvances(tick0);
  const pids = readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim().split('\n').map(Number);
  const figures = await mon.stop();
  assert.equal(readFileSync(join(dir, 'pids.max'), 'utf8').trim(), String(SIZE.pidsLimit));
  assert.ok(refused > 0, 'the kernel refused forks past the limit');
  assert.ok(peak <= SIZE.pidsLimit, `peak ${peak} pids within ${SIZE.pidsLimit}`);
  assert.ok(pids.length > 0 && pids.length <= SIZE.pidsLimit);
  assert.equal(figures.apiErrors, 0);

  const stopped = await stopJob('bomb');
  assert.equal(stopped.ClientStatus, 'complete');
  await eventually(() => pids.every((p) => !alive(p)), { message: 'every bomb process gone' });
  await eventually(() => !existsSync(dir), { message: 'the bomb\'s cgroup removed' });
  await canaryAdvances(tick1);
  report({
    scenario: 'fork bomb under exec with pids_limit',
    runs: 1,
    checked: 'pids never above pids_limit, forks refused, every process gone after stop, canary and API unaffected',
    result: 'pass',
    figures: { 'pids_limit': SIZE.pidsLimit, 'peak pids': peak, 'forks refused': refused, 'max API ms': figures.maxApiMs, 'agent RSS MB': figures.agentRssMb },
  });
});

test('a memory hog past memory_max is OOM-killed and its Terminated event says so, as Nomad', { skip: SKIP_CGROUP }, async () => {
  const tick0 = (await lastTick(canary.allocId))?.n ?? 0;
  // tail keeps the last 10 lines: of /dev/zero, one line that never ends.
  const res = `      resources {\n        cpu        = 100\n        memory     = ${SIZE.hogMb / 2}\n        memory_max = ${SIZE.hogMb}\n      }`;
  await runHcl(agent.client, batchJob('hog', 'exec', '/usr/bin/tail', ['/dev/zero'], res));
  const mon = monitor();
  const term = await eventually(async () => (await events('hog')).find((e) => e.Type === 'Terminated'), { timeoutMs: 60_000, message: 'the hog terminated' });
  const figures = await mon.stop();
  assert.equal(term.Details['oom_killed'], 'true', JSON.stringify(term));
  assert.equal(term.Signal, 9);
  assert.equal(term.DisplayMessage, `Exit Code: ${term.ExitCode}, Signal: 9`);
  const a = await eventually(async () => ((await allocOf('hog'))?.ClientStatus === 'failed' ? allocOf('hog') : undefined), { message: 'the hog failed' });
  await canaryAdvances(tick0);
  assert.equal(figures.apiErrors, 0);
  report({
    scenario: 'memory hog past memory_max under exec',
    runs: 1,
    checked: 'kernel OOM kill reported in the Terminated event (oom_killed), alloc failed, canary and API unaffected',
    result: 'pass',
    figures: { 'memory_max MB': SIZE.hogMb, 'OOM event': term.Details['oom_killed'] ?? '', 'exit code': term.ExitCode, 'alloc': a?.ClientStatus ?? '', 'max API ms': figures.maxApiMs },
  });
});

test('OOM kills are counted from v1 memory.oom_control and v2 memory.events (the v2 file as the kernel writes it: this host\'s cgroup2 has no memory controller)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drover-oom-'));
  try {
    writeFileSync(join(dir, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 13\noom 1\noom_kill 1\noom_group_kill 0\n');
    assert.equal(oomKills({ mode: 'v1', dirs: { memory: dir }, owned: true }), 2);
    assert.equal(oomKills({ mode: 'v2', dirs: { unified: dir }, owned: true }), 1);
    writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n');
    assert.equal(oomKills({ mode: 'v2', dirs: { unified: dir }, owned: true }), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a task ignoring SIGTERM is SIGKILLed after kill_timeout, with Nomad\'s Killing / Terminated / Killed events', async () => {
  const tick0 = (await lastTick(canary.allocId))?.n ?? 0;
  await runHcl(
    agent.client,
    batchJob('stubborn', 'raw_exec', '/bin/sh', ['-c', "trap '' TERM; echo ready $$; while :; do sleep 1; done"], `      kill_signal  = "SIGTERM"\n      kill_timeout = "${SIZE.killTimeoutS}s"`),
  );
  const a = await running('stubborn');
  const pid = Number((await eventually(async () => /ready (\d+)/.exec(await logTail(a.ID, 't')), { message: 'stubborn ready' }))[1]);
  const t0 = performance.now();
  const stopped = await stopJob('stubborn');
  const stopMs = performance.now() - t0;
  assert.equal(stopped.ClientStatus, 'complete');
  const ev = await eventually(async () => {
    const e = await events('stubborn');
    return e.some((x) => x.Type === 'Killed') ? e : undefined;
  }, { message: 'the Killed event' });
  const types = ev.map((e) => e.Type);
  const killing = ev.find((e) => e.Type === 'Killing');
  const term = ev.find((e) => e.Type === 'Terminated');
  const killed = ev.find((e) => e.Type === 'Killed');
  assert.ok(killing && term && killed, types.join(', '));
  assert.ok(types.indexOf('Killing') < types.indexOf('Terminated') && types.indexOf('Terminated') < types.indexOf('Killed'), types.join(', '));
  assert.equal(killing.KillTimeout, SIZE.killTimeoutS * 1e9);
  assert.equal(killing.DisplayMessage, `Sent interrupt. Waiting ${SIZE.killTimeoutS}s before force killing`);
  assert.equal(term.Signal, 9);
  assert.equal(term.ExitCode, 137);
  assert.equal(term.DisplayMessage, 'Exit Code: 137, Signal: 9');
  assert.equal(killed.DisplayMessage, 'Task successfully killed');
  // SIGTERM was ignored: only the SIGKILL after the whole grace ended it.
  const graceNs = term.Time - killing.Time;
  assert.ok(graceNs >= SIZE.killTimeoutS * 1e9 * 0.95, `terminated ${graceNs / 1e6} ms after Killing`);
  assert.equal(alive(pid), false);
  await canaryAdvances(tick0);
  report({
    scenario: 'task ignoring SIGTERM',
    runs: 1,
    checked: 'stop waits kill_timeout then SIGKILLs; Killing/Terminated/Killed as Nomad; stop returns; canary unaffected',
    result: 'pass',
    figures: { 'kill_timeout s': SIZE.killTimeoutS, 'Killing→Terminated ms': Math.round(graceNs / 1e6), 'stop ms': Math.round(stopMs) },
  });
});

test('a task that closes its stdout keeps running, its stderr and other tasks\' logs flow, and stop works', async () => {
  const tick0 = (await lastTick(canary.allocId))?.n ?? 0;
  await runHcl(
    agent.client,
    batchJob('mute', 'raw_exec', '/bin/sh', ['-c', 'echo before; exec >&-; i=0; while :; do i=$((i+1)); echo err $i >&2; sleep 0.05; done'], '      kill_timeout = "1s"'),
  );
  const a = await running('mute');
  const exec = executorPid();
  const cpu0 = cpuTicks(exec);
  const mon = monitor();
  const errN = async (): Promise<number> => Number([...(await logTail(a.ID, 't', 'stderr')).matchAll(/err (\d+)\n/g)].at(-1)?.[1] ?? 0);
  const n0 = await eventually(errN, { message: 'stderr flows' });
  // Let it run a while with stdout closed: the canary ticks on meanwhile.
  const idleEnd = performance.now() + SIZE.idleMs;
  let tick = tick0;
  while (performance.now() < idleEnd) tick = await canaryAdvances(tick);
  const n1 = await eventually(async () => {
    const n = await errN();
    return n > n0 ? n : undefined;
  }, { message: 'stderr keeps flowing' });
  assert.equal((await allocOf('mute'))?.ClientStatus, 'running');
  assert.match(await logTail(a.ID, 't'), /^before\n$/);
  const figures = await mon.stop();
  const executorCpuMs = (cpuTicks(exec) - cpu0) * 10;
  const stopped = await stopJob('mute');
  assert.equal(stopped.ClientStatus, 'complete');
  assert.ok((await events('mute')).some((e) => e.Type === 'Killed'));
  assert.equal(figures.apiErrors, 0);
  report({
    scenario: 'task closing its stdout',
    runs: 1,
    checked: 'keeps running, its stderr and the canary keep logging, stop works',
    result: 'pass',
    figures: { 'stderr lines': n1, 'executor CPU ms': executorCpuMs, 'max API ms': figures.maxApiMs },
  });
});

function cpuTicks(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

test('a task writing a flood without newlines: agent and executor RSS stay bounded, rotation holds, the canary logs', async () => {
  const tick0 = (await lastTick(canary.allocId))?.n ?? 0;
  const logs = `      logs {\n        max_files     = ${LOG_FILES}\n        max_file_size = ${LOG_FILE_MB}\n      }`;
  const rss0 = { agent: vmRssBytes(agent.proc.pid ?? 0), executor: vmRssBytes(executorPid()) };
  await runHcl(agent.client, batchJob('flood', 'raw_exec', '/bin/sh', ['-c', `head -c ${SIZE.floodBytes} /dev/zero | tr '\\0' x; echo done >&2; sleep 600`], logs));
  const a = await running('flood');
  const logDir = join(agent.dataDir, 'alloc', a.ID, 'alloc', 'logs');
  let maxFiles = 0;
  let maxFileBytes = 0;
  let maxTotalBytes = 0;
  const mon = monitor(() => {
    const files = (existsSync(logDir) ? readdirSync(logDir) : []).filter((f) => f.startsWith('t.stdout.'));
    maxFiles = Math.max(maxFiles, files.length);
    let total = 0;
    for (const f of files) {
      try {
        const size = statSync(join(logDir, f)).size;
        maxFileBytes = Math.max(maxFileBytes, size);
        total += size;
      } catch {
        // rotated away meanwhile
      }
    }
    maxTotalBytes = Math.max(maxTotalBytes, total);
  });
  let tick = tick0;
  await eventually(async () => {
    tick = await canaryAdvances(tick);
    return /done/.test(await logTail(a.ID, 't', 'stderr'));
  }, { timeoutMs: scaled(120_000), intervalMs: 200, message: 'the flood written' });
  const figures = await mon.stop();
  const files = readdirSync(logDir).filter((f) => f.startsWith('t.stdout.'));
  const last = Math.max(...files.map((f) => Number(f.slice('t.stdout.'.length))));
  const tail = await logTail(a.ID, 't', 'stdout', 1000);
  await stopJob('flood');
  assert.equal(figures.apiErrors, 0);
  // As Nomad's logmon, a rotation opens the next file before it removes the oldest: one more (empty) file for a moment, never more bytes.
  assert.ok(maxFiles <= LOG_FILES + 1, `${maxFiles} stdout files, max_files ${LOG_FILES}`);
  assert.equal(files.length, LOG_FILES, files.join(' '));
  assert.ok(maxTotalBytes <= LOG_FILES * LOG_FILE_MB * MiB, `${maxTotalBytes} bytes of stdout logs at once`);
  assert.ok(maxFileBytes <= LOG_FILE_MB * MiB, `a file of ${maxFileBytes} bytes, max_file_size ${LOG_FILE_MB} MB`);
  // Every byte reached the logs (the index counts the rotations).
  assert.ok(last >= Math.floor(SIZE.floodBytes / (LOG_FILE_MB * MiB)) - 1, `last file t.stdout.${last}`);
  assert.equal(tail, 'x'.repeat(1000));
  const bound = 48 * MiB;
  assert.ok(figures.agentRssMb * MiB - rss0.agent < bound, `agent RSS grew from ${(rss0.agent / MiB).toFixed(1)} to ${figures.agentRssMb} MB`);
  assert.ok(figures.executorRssMb * MiB - rss0.executor < bound, `executor RSS grew from ${(rss0.executor / MiB).toFixed(1)} to ${figures.executorRssMb} MB`);
  report({
    scenario: `flood of ${SIZE.floodBytes / 1e6} MB without newlines`,
    runs: 1,
    checked: 'agent and executor RSS bounded, log files within max_files x max_file_size, every byte logged, canary logging, API answering',
    result: 'pass',
    figures: {
      'peak agent RSS MB': figures.agentRssMb,
      'peak executor RSS MB': figures.executorRssMb,
      'max log files': maxFiles,
      'max file MB': +(maxFileBytes / MiB).toFixed(1),
      'max log MB': +(maxTotalBytes / MiB).toFixed(1),
      'rotations': last,
      'max API ms': figures.maxApiMs,
    },
  });
});
