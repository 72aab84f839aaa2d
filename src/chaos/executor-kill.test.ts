/**
 * Issue 16, executor crash and log integrity: the executor daemon of a real
 * agent is SIGKILLed at random moments while 20 raw_exec tasks write numbered
 * lines as fast as they can into small rotated logs (max_files = 3,
 * max_file_size = 1 MB, Nomad's minimum size). The agent's executor client
 * starts a new daemon, which re-adopts the tasks and resumes copying their
 * spools. Then, as a log harness would, every task's stdout is read back
 * (the rotated files in index order, and the logs API from the start): the
 * numbers run on by one with no gap, duplicate or reordering, except that the
 * oldest lines may be gone with the files rotation deleted (so the oldest
 * kept file may begin mid-line: that fragment must end the line before the
 * first whole one). At most max_files files per stream, none over the size.
 * Meanwhile a few readers follow their task's logs through the API (`nomad
 * alloc logs -f`): they see the same consecutive lines, bar whole files they
 * fell too far behind to read, and reach the last line; and no task's newest
 * file index ever goes back. The tasks themselves run on untouched: no
 * restart, same process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budget, report } from './campaign.js';
import type { LogFrame } from '../api/client-api.js';
import { purgeAndStop, RAW_EXEC_CONFIG, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';

const TASKS = 20;
const MAX_FILES = 3;
const MAX_FILE_MB = 1;
const MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024;
/** How long the tasks write, and how many times the daemon is killed meanwhile. */
const FORM = budget({ writeMs: 8_000, kills: 2 }, { writeMs: 180_000, kills: 40 });
/** Readers following their task's logs through the API meanwhile. */
const FOLLOWERS = 3;
/** Pads each line so the small files rotate often even on a loaded machine. */
const PAD = 'x'.repeat(150);

/**
 * Each task prints "<alloc index> <n> <pad>" for n = 0, 1, … until the stop
 * file exists, then "<alloc index> end <n>" (n: the next number), and sleeps:
 * a task that exited while the daemon was down would have an unknown exit
 * status, and a restart would number from 0 again.
 */
const script = (stop: string): string =>
  `i=0; while [ ! -e ${stop} ]; do echo "$NOMAD_ALLOC_INDEX $i ${PAD}"; i=$((i+1)); done; echo "$NOMAD_ALLOC_INDEX end $i"; exec sleep 3600`;

const job = (stop: string): string => `job "logkill" {
  type = "service"
  group "g" {
    count = ${TASKS}
    restart {
      attempts = 0
      mode     = "fail"
    }
    task "w" {
      driver       = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sh"
        args    = ${JSON.stringify(['-c', script(stop)])}
      }
      resources {
        cpu    = 10
        # Nomad's default is 300.
        memory = 256
      }
      logs {
        max_files     = ${MAX_FILES}
        max_file_size = ${MAX_FILE_MB}
      }
    }
  }
}
`;

/** Pids of the executor daemons serving `dataDir` (node processes running `executor -data-dir DIR`), never anyone else's. */
function daemonPids(dataDir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const at = argv.indexOf('executor');
      if (at < 0 || argv[at + 1] !== '-data-dir' || argv[at + 2] !== dataDir) continue;
      // The /bin/sh that execs the daemon has the same arguments until it does.
      if (readlinkSync(`/proc/${name}/exe`) !== process.execPath) continue;
      if (procState(Number(name)) === 'Z') continue;
      out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

const alive = (pid: number): boolean => {
  const s = procState(pid);
  return s !== undefined && s !== 'Z';
};

/** A task's stdout as rotation left it: the files in index order, with their sizes. */
function readRotated(logDir: string): { bytes: Buffer; sizes: number[] } {
  const prefix = 'w.stdout.';
  const indexes = (existsSync(logDir) ? readdirSync(logDir) : [])
    .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
    .map((f) => Number(f.slice(prefix.length)))
    .sort((x, y) => x - y);
  const parts = indexes.map((i) => readFileSync(join(logDir, `${prefix}${i}`)));
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
}

/**
 * Checks a piece of one task's stream: consecutive numbered lines. Its
 * first line may be the tail of a line whose start is not in the piece (a
 * file rotation deleted, or one a follower skipped); unless `ends`, its last
 * may be cut short too. With `ends` the piece ends with the task's last line.
 * Returns the number of its first whole line and the next number.
 */
function checkPiece(index: number, text: string, where: string, ends: boolean): { first: number; next: number } {
  const lines = text.split('\n');
  const tail = lines.pop() as string;
  const line = (n: number): string => `${index} ${n} ${PAD}`;
  const whole = /^\d+ (\d+) x+$/.exec(lines[0] ?? '');
  let start = 0;
  let n: number;
  if (whole && lines[0] === line(Number(whole[1]))) {
    n = Number(whole[1]);
  } else if (lines.length === 1 && ends) {
    n = Number(/ end (\d+)$/.exec(lines[0] as string)?.[1] ?? NaN);
    start = 1;
  } else {
    // A cut first line: it must end the line before the next whole one.
    const next = /^\d+ (\d+) /.exec(lines[1] ?? '');
    assert.ok(next, `${where}: line 2 is ${JSON.stringify(lines[1]?.slice(0, 80))}`);
    n = Number(next[1]);
    assert.ok(n > 0 && line(n - 1).endsWith(lines[0] as string), `${where}: first line ${JSON.stringify(lines[0]?.slice(0, 80))} is not the end of line ${n - 1}`);
    start = 1;
  }
  const first = n;
  const stop = ends ? lines.length - 1 : lines.length;
  for (let i = start; i < stop; i++, n++) {
    if (lines[i] !== line(n)) assert.fail(`${where}: after line ${n - 1} comes ${JSON.stringify(lines[i]?.slice(0, 80))}, expected line ${n} (from line ${first})`);
  }
  if (ends) {
    assert.equal(tail, '', `${where}: the stream ends with a whole line`);
    assert.equal(lines[lines.length - 1], `${index} end ${n}`, `${where}: the last line ends the count`);
  } else {
    assert.ok(line(n).startsWith(tail), `${where}: the piece ends with ${JSON.stringify(tail.slice(0, 80))}, not the start of line ${n}`);
  }
  return { first, next: n };
}

/** The file index N of "w.stdout.N". */
const indexOf = (file: string): number => Number(file.slice(file.lastIndexOf('.') + 1));

/** Highest stdout file index in a log dir (-1: none yet). */
function newestIndex(logDir: string): number {
  try {
    return Math.max(-1, ...readdirSync(logDir).filter((f) => /^w\.stdout\.\d+$/.test(f)).map(indexOf));
  } catch {
    return -1;
  }
}

/**
 * What one `alloc logs -f` reader got, file by file. A reader that falls
 * behind loses whole files rotation deleted before it got to them, so the
 * stream is checked in runs of consecutive file indexes; across runs the
 * numbers only grow. Returns how many lines it saw.
 */
function checkFollowed(index: number, frames: readonly { file: string; offset: number; data: Uint8Array }[], where: string): number {
  const runs: Buffer[][] = [];
  let prev: { index: number; end: number } | undefined;
  for (const f of frames) {
    if (f.data.length === 0) continue;
    const i = indexOf(f.file);
    if (prev && i === prev.index) assert.equal(f.offset, prev.end, `${where}: ${f.file} read from ${f.offset}, after ${prev.end}`);
    else {
      assert.ok(!prev || i > prev.index, `${where}: went from file ${prev?.index} back to ${f.file}`);
      // Files are read from their start, except the first one (origin=start reads it whole too).
      assert.equal(f.offset, 0, `${where}: ${f.file} first read at ${f.offset}`);
      if (!prev || i > prev.index + 1) runs.push([]);
    }
    runs[runs.length - 1]?.push(Buffer.from(f.data));
    prev = { index: i, end: f.offset + f.data.length };
  }
  let seen = 0;
  let after = -1;
  runs.forEach((run, r) => {
    const { first, next } = checkPiece(index, Buffer.concat(run).toString('latin1'), `${where} (run ${r + 1} of ${runs.length})`, r === runs.length - 1);
    assert.ok(first > after, `${where}: run ${r + 1} starts at line ${first}, not after ${after}`);
    seen += next - first;
    after = next - 1;
  });
  return seen;
}

test(`executor SIGKILL ×${FORM.kills} while ${TASKS} tasks log at full speed: no line lost, duplicated or reordered; rotation within its limits`, async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'drover-chaos-exkill-'));
  const stop = join(tmp, 'stop');
  const t0 = Date.now();
  const phase = (what: string): void => void process.stdout.write(`# ${what} at ${Date.now() - t0} ms\n`);
  let passed = false;
  const a: AgentProcess = await startAgent({ configHcl: RAW_EXEC_CONFIG });
  t.after(async () => {
    writeFileSync(stop, '');
    await purgeAndStop([a]);
    // The daemon stops once idle; one left behind (a failure midway) is ours to end.
    for (const pid of daemonPids(a.dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    // Kept for a look when the scenario failed (executor.log tells what the daemons did).
    if (passed) rmSync(a.dataDir, { recursive: true, force: true });
    else process.stdout.write(`# agent data dir kept: ${a.dataDir}\n`);
    phase('cleaned up');
  });

  await runHcl(a.client, job(stop));
  const allocs = await eventually(
    async () => {
      const list = await a.client.jobs.allocations('logkill');
      return list.length === TASKS && list.every((x) => x.ClientStatus === 'running') ? list : undefined;
    },
    { timeoutMs: 60_000, message: `${TASKS} running allocations` },
  );
  phase('allocations running');
  const logDirOf = (id: string): string => join(a.dataDir, 'alloc', id, 'alloc', 'logs');

  // While the tasks write, each task's newest file index is sampled: it must never go back …
  const newestSeen = new Map<string, number>();
  const wentBack: string[] = [];
  const sampler = setInterval(() => {
    for (const x of allocs) {
      const now = newestIndex(logDirOf(x.ID));
      const seen = newestSeen.get(x.ID) ?? -1;
      if (now < seen) wentBack.push(`${x.Name}: ${seen} → ${now}`);
      newestSeen.set(x.ID, Math.max(seen, now));
    }
  }, 100);
  t.after(() => clearInterval(sampler));
  // … and a few readers follow their task's logs from the start, as `nomad alloc logs -f` does.
  const following = new AbortController();
  t.after(() => following.abort());
  const followers = allocs.slice(0, FOLLOWERS).map((x) => {
    const frames: LogFrame[] = [];
    const done = (async () => {
      try {
        for await (const f of a.client.client.logFrames(x.ID, { task: 'w', type: 'stdout', follow: true, origin: 'start', signal: following.signal })) frames.push(f);
      } catch (err) {
        if (!following.signal.aborted) throw err;
      }
    })();
    return { x, frames, done };
  });

  // Kill the daemon at random moments of the write window; each time wait for the agent to bring up another.
  const seed = Number(process.env['DROVER_CHAOS_SEED'] ?? Date.now() % 1_000_000);
  phase(`seed ${seed}`);
  let rnd = seed;
  const random = (): number => ((rnd = (rnd * 48271) % 2147483647) / 2147483647);
  const startedAt = Date.now();
  const at = Array.from({ length: FORM.kills }, () => 0.05 + random() * 0.9).sort((x, y) => x - y).map((f) => startedAt + f * FORM.writeMs);
  let kills = 0;
  let vanished = 0;
  for (const when of at) {
    const [pid] = await eventually(() => {
      const pids = daemonPids(a.dataDir);
      return pids.length === 1 ? pids : undefined;
    }, { timeoutMs: 30_000, message: 'one executor daemon serving the agent' }).catch(async (err: unknown) => {
      // None came back: say what the agent made of its tasks.
      const states = (await a.client.jobs.allocations('logkill').catch(() => [])).map((x) => `${x.Name} ${x.ClientStatus}: ${(x.TaskStates['w']?.Events ?? []).map((e) => `${e.Type} ${e.DisplayMessage}`).join('; ')}`);
      throw new Error(`${(err as Error).message} after ${kills} kills\n${states.join('\n')}\nagent stderr: ${a.output().stderr.slice(-3000)}`);
    });
    const wait = when - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    try {
      process.kill(pid as number, 'SIGKILL');
    } catch (err) {
      // Gone by itself between being seen and the kill (counted, and reported: the next one is killed instead).
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      vanished++;
      continue;
    }
    kills++;
    phase(`killed daemon ${pid}`);
    await eventually(() => !alive(pid as number), { message: `daemon ${pid} gone` });
  }
  const rest = startedAt + FORM.writeMs - Date.now();
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  writeFileSync(stop, '');
  phase('stop file written');
  // No task noticed the kills (a failed wait would make its exit unknown, and the task fail).
  for (const x of await a.client.jobs.allocations('logkill')) {
    const events = (x.TaskStates['w']?.Events ?? []).map((e) => `${e.Type}: ${e.DisplayMessage}`);
    assert.equal(x.ClientStatus, 'running', `${x.Name} is ${x.ClientStatus}: ${JSON.stringify(events)}`);
  }

  // Every task's last line reaches its logs once the new daemon has caught up.
  await eventually(() => allocs.every((x) => /end \d+\n$/.test(readRotated(logDirOf(x.ID)).bytes.subarray(-40).toString())), {
    timeoutMs: 120_000,
    intervalMs: 200,
    message: 'every task wrote its last line and the executor copied it',
  });

  phase('all copied');
  clearInterval(sampler);
  assert.deepEqual(wentBack, [], 'a file index went back');
  await eventually(() => followers.every((f) => /end \d+\n$/.test(Buffer.concat(f.frames.slice(-2).map((fr) => fr.data)).toString('latin1'))), {
    timeoutMs: 60_000,
    intervalMs: 100,
    message: 'every follower read its task\'s last line',
  });
  following.abort();
  let followedLines = 0;
  for (const f of followers) {
    await f.done;
    followedLines += checkFollowed(Number(f.x.Name.match(/\[(\d+)\]$/)?.[1]), f.frames, `alloc ${f.x.Name} followed`);
  }
  let lines = 0;
  let written = 0;
  let maxFileSize = 0;
  let maxFileCount = 0;
  let rotatedFiles = 0;
  for (const x of allocs) {
    const index = x.Name.match(/\[(\d+)\]$/)?.[1];
    assert.ok(index !== undefined, x.Name);
    const dir = logDirOf(x.ID);
    const { bytes, sizes } = readRotated(dir);
    const counted = checkPiece(Number(index), bytes.toString('latin1'), `alloc ${x.Name} files`, true);
    lines += counted.next - counted.first;
    written += counted.next;
    assert.ok(newestIndex(dir) >= (newestSeen.get(x.ID) ?? -1), `${x.Name}: the file index went back from ${newestSeen.get(x.ID)} to ${newestIndex(dir)}`);
    assert.ok(sizes.length <= MAX_FILES, `${x.Name}: ${sizes.length} stdout files, max_files is ${MAX_FILES}`);
    for (const s of sizes) assert.ok(s <= MAX_FILE_BYTES, `${x.Name}: a file of ${s} bytes, max_file_size is ${MAX_FILE_BYTES}`);
    maxFileSize = Math.max(maxFileSize, ...sizes);
    maxFileCount = Math.max(maxFileCount, sizes.length);
    rotatedFiles += Number(readdirSync(dir).filter((f) => f.startsWith('w.stdout.')).map((f) => f.slice(9)).sort((p, q) => Number(q) - Number(p))[0]);
    // The logs API reads the same bytes, from the oldest file kept.
    const viaApi: Uint8Array[] = [];
    for await (const chunk of a.client.client.logs(x.ID, { task: 'w', type: 'stdout', origin: 'start' })) viaApi.push(chunk);
    const api = Buffer.concat(viaApi);
    if (!api.equals(bytes)) {
      checkPiece(Number(index), api.toString('latin1'), `alloc ${x.Name} logs API`, true);
      assert.fail(`${x.Name}: the logs API read ${api.length} bytes, the files hold ${bytes.length}`);
    }
  }

  // The tasks never noticed: all still running, none restarted.
  const after = await a.client.jobs.allocations('logkill');
  for (const x of after) {
    const st = x.TaskStates['w'];
    assert.equal(x.ClientStatus, 'running', `${x.Name}: ${x.ClientStatus}`);
    assert.equal(st?.Restarts, 0, `${x.Name} restarted`);
    assert.equal(st?.Events.filter((e) => e.Type === 'Started').length, 1, `${x.Name}: started once`);
  }

  phase('checked');
  passed = true;
  report({
    scenario: `executor SIGKILL while ${TASKS} tasks log at full speed`,
    runs: kills,
    checked: `every task's stdout (rotated files in order, the logs API from the start, ${FOLLOWERS} followers) numbered consecutively to its last line; ≤ ${MAX_FILES} files of ≤ ${MAX_FILE_MB} MB; file index never back; tasks not restarted`,
    result: 'pass',
    figures: { seed, 'lines written': written, 'lines checked': lines, 'rotations': rotatedFiles, 'max file bytes': maxFileSize, 'max files': maxFileCount, 'lines followed': followedLines, 'daemons gone before their kill': vanished },
  });
});

test(
  'a task with memory = 10 that writes 64 MB to stdout at full speed is not OOM-killed by its own log spool',
  // A file's pages are charged to the memory cgroup of the task that writes them: spools on tmpfs got this task
  // OOM-killed within its first 10 MB; on the data dir's disk the kernel reclaims them (executor/daemon/state-dir.ts).
  async (t) => {
    const a: AgentProcess = await startAgent({ configHcl: RAW_EXEC_CONFIG });
    t.after(async () => {
      await purgeAndStop([a]);
      rmSync(a.dataDir, { recursive: true, force: true });
    });
    const bytes = 64 * 1024 * 1024;
    await runHcl(
      a.client,
      `job "spoolmem" {
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    task "w" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "yes 0123456789abcdef0123456789abcdef | head -c ${bytes} || exit 1; exec sleep 3600"]
      }
      resources {
        cpu    = 10
        memory = 10
      }
      logs {
        max_files     = 3
        max_file_size = 30
      }
    }
  }
}
`,
    );
    const [alloc] = await eventually(async () => {
      const list = await a.client.jobs.allocations('spoolmem');
      return list.length === 1 && list[0]?.ClientStatus !== 'pending' ? list : undefined;
    }, { timeoutMs: 60_000, message: 'the allocation started' });
    const dir = join(a.dataDir, 'alloc', alloc?.ID ?? '', 'alloc', 'logs');
    // Until every byte is copied or the task is gone (an OOM kill: "Exit Code: 137, Signal: 9").
    const x = await eventually(async () => {
      const info = await a.client.allocations.info(alloc?.ID ?? '');
      return info.ClientStatus !== 'running' || readRotated(dir).bytes.length === bytes ? info : undefined;
    }, { timeoutMs: 120_000, intervalMs: 100, message: 'all 64 MB copied, or the task gone' });
    assert.equal(x.ClientStatus, 'running', JSON.stringify(x.TaskStates?.['w']?.Events.map((e) => `${e.Type}: ${e.DisplayMessage}`)));
    assert.equal(readRotated(dir).bytes.length, bytes, 'bytes copied');
  },
);
