/**
 * Storage faults (issue 16): the agent's data dir on a small tmpfs that fills
 * up, and a state file torn as a power cut leaves it.
 *
 * Disk full: writes are refused with an error that says so (never a crash,
 * never an acknowledgement that a restart then loses), reads keep working,
 * running tasks keep running, and once space returns writes succeed again
 * without a restart. After a SIGKILL every acknowledged write is there and
 * state.db passes PRAGMA integrity_check.
 *
 * Torn writes: the WAL cut mid-frame, a flipped byte in its last frame, the
 * main file cut short: the agent loads the last consistent state (SQLite's WAL
 * checksums drop a torn tail) or refuses to start with an error naming the
 * file, never loads garbage or dies with a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, lstatSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { budget, report } from '../chaos/campaign.js';
import { ApiError } from '../api/client.js';
import { mockJob, purgeAndStop, RAW_EXEC_CONFIG, SMALL_ALLOC, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';

const RAW_EXEC = fileURLToPath(new URL('../drivers/raw-exec/driver.js', import.meta.url));
const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'needs root to mount a tmpfs' : !existsSync(RAW_EXEC) ? 'raw_exec driver not built' : false;

/** A tmpfs of `mb` MiB on a new temp dir; `release` unmounts it and removes the dir. */
function mountTmpfs(mb: number): { dir: string; release: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'drover-diskfull-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m,mode=0755`, 'tmpfs', dir]);
  return {
    dir,
    release: () => {
      try {
        execFileSync('umount', [dir], { stdio: 'ignore' });
      } catch {
        // Something still holds it (an executor daemon on its way out): detach it now, it goes when released.
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes zeros to `file` until the file system refuses (ENOSPC); the bytes written. */
function fill(file: string): number {
  const fd = openSync(file, 'a');
  const chunk = Buffer.alloc(256 * 1024);
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw err;
      }
    }
    // Then the last few blocks, so not even a page is left.
    const small = Buffer.alloc(4096);
    for (;;) {
      try {
        written += writeSync(fd, small);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Executor daemons serving `dataDir` (they outlive agents by design; the test stops them before unmounting). */
function stopExecutors(dataDir: string): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.includes('executor') && cmd.includes(dataDir)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

function integrity(dataDir: string): string {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string) ?? '';
  } finally {
    db.close();
  }
}

/** A raw_exec task printing numbered lines, so its log grows while the disk is full. */
const LOGGER_JOB = `job "logger" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sh"
        args = ["-c", "i=0; while :; do i=$((i+1)); echo line $i; sleep 0.02; done"]
      }
    }
  }
}
`;

/** raw_exec on; the node offers more disk than the tmpfs holds, so every job places (the test fills the disk itself). */
const AGENT_CONFIG = `${RAW_EXEC_CONFIG}client {\n  disk_free_mb = 100000\n}\n`;

/** A small mock_driver job (10 MHz, 10 MiB) running for `runFor`. */
const smallJob = (id: string, runFor: string): string => mockJob(id, `run_for = "${runFor}"`, { extra: SMALL_ALLOC.task, group: SMALL_ALLOC.group });

type Outcome = 'acked' | 'refused';

/** Runs one write; a refusal must say the disk is full and must not be a 2xx. */
async function attempt(what: string, fn: () => Promise<unknown>, refusals: string[]): Promise<Outcome> {
  try {
    await fn();
    return 'acked';
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    assert.ok(err.status >= 400, `${what}: status ${err.status}`);
    assert.match(err.body, /disk is full|no space left/i, `${what}: the refusal says the disk is full (${err.status} ${err.body})`);
    assert.equal(err.status, 507, `${what}: a full disk is 507 Insufficient Storage, not a 500 (${err.body})`);
    refusals.push(`${err.status} ${err.body.trim()}`);
    return 'refused';
  }
}

test('chaos: disk full on the data dir: writes refused clearly, reads and tasks go on, writes resume when space returns, nothing acknowledged lost', { skip, timeout: budget(120_000, 900_000) }, async (t) => {
  const cycles = budget(1, 8);
  const mnt = mountTmpfs(24);
  const agents: AgentProcess[] = [];
  t.after(async () => {
    await purgeAndStop(agents.filter((a) => a.proc.exitCode === null && a.proc.signalCode === null)).catch(() => undefined);
    await Promise.all(agents.map((a) => a.kill('SIGKILL')));
    stopExecutors(mnt.dir);
    mnt.release();
  });
  const start = async (): Promise<AgentProcess> => {
    const a = await startAgent({ dataDir: mnt.dir, configHcl: AGENT_CONFIG });
    agents.push(a);
    return a;
  };
  let a = await start();
  await runHcl(a.client, LOGGER_JOB);
  // A task that fails and restarts every few hundred ms: task states and driver handles are written all the while.
  await runHcl(
    a.client,
    mockJob('crashloop', 'run_for = "150ms"\n        exit_code = 1', {
      extra: SMALL_ALLOC.task,
      group: `${SMALL_ALLOC.group}\n    restart {\n      attempts = 100000\n      interval = "24h"\n      delay = "100ms"\n      mode = "delay"\n    }`,
    }),
  );
  const logger = await eventually(async () => (await a.client.jobs.allocations('logger')).find((x) => x.ClientStatus === 'running'), {
    timeoutMs: 30_000,
    message: 'logger task running',
  });

  const ackedJobs = new Map<string, string>(); // id → last acknowledged run_for
  const ackedVars = new Map<string, string>();
  const refusals: string[] = [];
  let writes = 0;
  let refused = 0;
  let acked = 0;
  const filler = join(mnt.dir, 'filler');
  let n = 0;

  const writeSome = async (count: number): Promise<{ acked: number; refused: number }> => {
    let ok = 0;
    let no = 0;
    for (let i = 0; i < count; i++) {
      const id = `j${n++}`;
      const runFor = `${100 + i}s`;
      const r1 = await attempt(`register ${id}`, () => runHcl(a.client, smallJob(id, runFor)), refusals);
      if (r1 === 'acked') ackedJobs.set(id, runFor);
      // An update of a job registered before: a new version.
      const old = [...ackedJobs.keys()][i % Math.max(1, ackedJobs.size)];
      let r2: Outcome = 'refused';
      if (old !== undefined) {
        const upd = `${200 + n}s`;
        r2 = await attempt(`update ${old}`, () => runHcl(a.client, smallJob(old, upd)), refusals);
        if (r2 === 'acked') ackedJobs.set(old, upd);
      }
      const path = `chaos/v${n}`;
      const value = `value-${n}-${'x'.repeat(2000)}`;
      const r3 = await attempt(`variable ${path}`, () => a.client.variables.update({ Path: path, Items: { v: value } }), refusals);
      if (r3 === 'acked') ackedVars.set(path, value);
      for (const r of [r1, r2, r3]) {
        writes++;
        if (r === 'acked') ok++;
        else no++;
      }
    }
    acked += ok;
    refused += no;
    return { acked: ok, refused: no };
  };

  // Some state before the disk fills.
  await writeSome(budget(1, 3));
  let filled = 0;
  for (let c = 0; c < cycles; c++) {
    filled = fill(filler);
    // The disk is full: every write is either refused saying so, or acknowledged and kept.
    const during = await writeSome(budget(4, 20));
    assert.ok(during.refused > 0, 'some writes were refused while the disk was full');
    // Reads keep working, the agent keeps serving, the running task keeps running (its PID unchanged).
    const jobs = await a.client.jobs.list();
    for (const id of ackedJobs.keys()) assert.ok(jobs.some((j) => j.ID === id), `job ${id} listed while the disk is full`);
    const still = await a.client.allocations.info(logger.ID);
    assert.equal(still.ClientStatus, 'running', 'the logger task runs on while the disk is full');
    for (const [path, value] of [...ackedVars].slice(-3)) assert.equal((await a.client.variables.read(path)).Items?.['v'], value);

    // Space returns: writes succeed again, without a restart.
    unlinkSync(filler);
    await eventually(async () => (await attempt('register after space returned', () => runHcl(a.client, smallJob(`back${c}`, '100s')), refusals)) === 'acked', {
      timeoutMs: 30_000,
      message: 'a write succeeds once space returned',
    });
    ackedJobs.set(`back${c}`, '100s');
    const after = await writeSome(1);
    assert.equal(after.refused, 0, 'no write refused once space returned');
    assert.equal((await a.client.allocations.info(logger.ID)).ClientStatus, 'running');
  }

  assert.equal(a.proc.exitCode, null, 'the agent never exited');
  // SIGKILL and restart: everything acknowledged is there, the database is whole.
  await a.kill('SIGKILL');
  assert.equal(integrity(mnt.dir), 'ok');
  a = await start();
  const versions = new Map((await a.client.jobs.list()).map((j) => [j.ID, j]));
  for (const [id, runFor] of ackedJobs) {
    assert.ok(versions.has(id), `acknowledged job ${id} survived`);
    const job = await a.client.jobs.info(id);
    assert.equal(job.TaskGroups?.[0]?.Tasks?.[0]?.Config?.['run_for'], runFor, `job ${id} has its last acknowledged version`);
  }
  for (const [path, value] of ackedVars) assert.equal((await a.client.variables.read(path)).Items?.['v'], value, `variable ${path} survived`);
  assert.equal((await a.client.allocations.info(logger.ID)).ClientStatus, 'running', 'the logger task survived it all');

  report({
    scenario: 'disk full on the data dir (tmpfs 24 MiB)',
    runs: cycles,
    checked: 'writes refused saying the disk is full, reads and tasks unaffected, writes resume when space returns, every acknowledged job version and variable kept after SIGKILL, integrity_check ok',
    result: 'pass',
    figures: { writes, acked, refused, 'filler MiB': Math.round(filled / 2 ** 20), 'first refusal': refusals[0]?.slice(0, 60) ?? '' },
  });
});

/** The WAL's header and each frame's (SQLite's WAL format). */
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

interface Torn {
  readonly name: string;
  /** Tears the copy of the data dir as a power cut could have. */
  readonly tear: (dataDir: string, pageSize: number) => void;
}

const TEARS: readonly Torn[] = [
  {
    name: 'WAL cut mid-frame',
    tear: (d, page) => {
      const wal = join(d, 'state.db-wal');
      const frames = Math.floor((statSync(wal).size - WAL_HEADER) / (FRAME_HEADER + page));
      truncateSync(wal, WAL_HEADER + (frames - 1) * (FRAME_HEADER + page) + FRAME_HEADER + Math.floor(page / 2));
    },
  },
  {
    name: 'bytes flipped in the last WAL frame',
    tear: (d) => {
      const wal = join(d, 'state.db-wal');
      const fd = openSync(wal, 'r+');
      try {
        const at = statSync(wal).size - 100;
        const b = Buffer.alloc(16);
        readSync(fd, b, 0, 16, at);
        for (let i = 0; i < b.length; i++) b[i] = (b[i] as number) ^ 0xff;
        writeSync(fd, b, 0, 16, at);
      } finally {
        closeSync(fd);
      }
    },
  },
  {
    name: 'WAL header torn',
    tear: (d) => {
      const fd = openSync(join(d, 'state.db-wal'), 'r+');
      try {
        writeSync(fd, Buffer.alloc(8, 0xaa), 0, 8, 8);
      } finally {
        closeSync(fd);
      }
    },
  },
  {
    name: 'main file cut in half',
    tear: (d) => truncateSync(join(d, 'state.db'), Math.floor(statSync(join(d, 'state.db')).size / 2 / 4096) * 4096),
  },
  {
    name: 'main file cut mid-page',
    tear: (d) => truncateSync(join(d, 'state.db'), statSync(join(d, 'state.db')).size - 1000),
  },
  {
    name: 'main file empty',
    tear: (d) => truncateSync(join(d, 'state.db'), 0),
  },
];

/** The short form's tears: one the WAL's checksums drop, two the agent must refuse. */
const SHORT_TEARS = new Set(['WAL cut mid-frame', 'main file cut in half', 'main file empty']);

test('chaos: a torn state.db or WAL loads its last consistent state or is refused naming the file, never garbage', { timeout: budget(120_000, 900_000) }, async (t) => {
  const rounds = budget(1, 5);
  const dirs: string[] = [];
  const agents: AgentProcess[] = [];
  t.after(async () => {
    await Promise.all(agents.map((a) => a.kill('SIGKILL')));
    for (const d of dirs) {
      stopExecutors(d);
      rmSync(d, { recursive: true, force: true });
    }
  });
  const outcomes: Record<string, number> = { loaded: 0, refused: 0 };
  let runs = 0;
  for (let round = 0; round < rounds; round++) {
    // A checkpointed main file with some jobs, then more in the WAL that a SIGKILL leaves behind.
    const base = mkdtempSync(join(tmpdir(), 'drover-torn-'));
    dirs.push(base);
    const acked: string[] = [];
    let a = await startAgent({ dataDir: base });
    agents.push(a);
    for (let i = 0; i < budget(4, 20); i++) {
      await a.client.jobs.register(await a.client.jobs.parse(mockJob(`main${round}-${i}`, 'run_for = "1h"', { count: 0 })));
      acked.push(`main${round}-${i}`);
    }
    await a.kill('SIGTERM');
    a = await startAgent({ dataDir: base });
    agents.push(a);
    for (let i = 0; i < budget(3, 10); i++) {
      await a.client.jobs.register(await a.client.jobs.parse(mockJob(`wal${round}-${i}`, 'run_for = "1h"', { count: 0 })));
      acked.push(`wal${round}-${i}`);
    }
    await a.kill('SIGKILL');
    const pageSize = (() => {
      const db = new Database(join(base, 'state.db'), { readonly: true, fileMustExist: true });
      try {
        return db.pragma('page_size', { simple: true }) as number;
      } finally {
        db.close();
      }
    })();
    assert.ok(statSync(join(base, 'state.db-wal')).size > WAL_HEADER, 'the SIGKILL left a WAL behind');

    for (const torn of budget(TEARS.filter((x) => SHORT_TEARS.has(x.name)), TEARS)) {
      runs++;
      const d = mkdtempSync(join(tmpdir(), 'drover-torn-'));
      dirs.push(d);
      cpSync(base, d, { recursive: true, filter: (src) => !lstatSync(src).isSocket() });
      torn.tear(d, pageSize);
      let b: AgentProcess;
      try {
        b = await startAgent({ dataDir: d });
      } catch (err) {
        // Refused: a clear error naming the file, no stack trace.
        const text = String(err);
        assert.match(text, /state\.db/, `${torn.name}: the refusal names the file:\n${text}`);
        assert.doesNotMatch(text, /^\s+at /m, `${torn.name}: no stack trace:\n${text}`);
        assert.doesNotMatch(text, /internal error/, `${torn.name}: not an internal error:\n${text}`);
        outcomes['refused']!++;
        continue;
      }
      agents.push(b);
      // Loaded: a consistent state, i.e. every job listed reads back whole, and the jobs are a prefix of
      // what was acknowledged (a torn tail drops the newest writes, never one in the middle).
      const listed = new Set((await b.client.jobs.list()).map((j) => j.ID));
      const prefix = acked.findIndex((id) => !listed.has(id));
      const kept = prefix === -1 ? acked.length : prefix;
      assert.deepEqual([...listed].sort(), acked.slice(0, kept).sort(), `${torn.name}: the jobs loaded are the acknowledged ones up to a point`);
      for (const id of listed) assert.equal((await b.client.jobs.info(id)).ID, id);
      // Writes work on the recovered state, and the file is whole.
      await b.client.jobs.register(await b.client.jobs.parse(mockJob(`after${round}`, 'run_for = "1h"', { count: 0 })));
      await b.kill('SIGKILL');
      assert.equal(integrity(d), 'ok', `${torn.name}: integrity_check after recovery`);
      outcomes['loaded']!++;
    }
  }
  report({
    scenario: 'torn state.db / WAL at start',
    runs,
    checked: 'WAL cut mid-frame, flipped bytes in its last frame, torn WAL header, main file cut or emptied: the agent loads a prefix of the acknowledged jobs (integrity_check ok, writes work) or refuses naming state.db without a stack trace',
    result: 'pass',
    figures: outcomes,
  });
});
