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
 * The tasks themselves run on untouched: no restart, same process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budget, report } from './campaign.js';
import { purgeAndStop, RAW_EXEC_CONFIG, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';

const TASKS = 20;
const MAX_FILES = 3;
const MAX_FILE_MB = 1;
const MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024;
/** How long the tasks write, and how many times the daemon is killed meanwhile. */
const FORM = budget({ writeMs: 8_000, kills: 2 }, { writeMs: 180_000, kills: 40 });
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
        memory = 10
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
  const indexes = readdirSync(logDir)
    .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
    .map((f) => Number(f.slice(prefix.length)))
    .sort((x, y) => x - y);
  const parts = indexes.map((i) => readFileSync(join(logDir, `${prefix}${i}`)));
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
}

/**
 * Checks one task's stream; returns how many numbered lines it holds and how many the task wrote. The
 * first piece may be the tail of a line whose start rotation deleted.
 */
function checkStream(index: number, text: string, where: string): { kept: number; written: number } {
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', `${where}: the stream ends with a whole line`);
  const line = (n: number): string => `${index} ${n} ${PAD}`;
  const first = /^\d+ (\d+) x+$/.exec(lines[0] ?? '');
  let start = 0;
  let n: number;
  if (first && lines[0] === line(Number(first[1]))) {
    n = Number(first[1]);
  } else {
    // A partial first line: it must be the end of the line before the next whole one.
    const next = /^\d+ (\d+) /.exec(lines[1] ?? '');
    assert.ok(next, `${where}: line 2 is ${JSON.stringify(lines[1])}`);
    n = Number(next[1]);
    assert.ok(n > 0 && line(n - 1).endsWith(lines[0] as string), `${where}: first line ${JSON.stringify(lines[0])} is not the tail of line ${n - 1}`);
    start = 1;
  }
  const firstNumber = n;
  for (let i = start; i < lines.length - 1; i++, n++) {
    if (lines[i] !== line(n)) assert.fail(`${where}: after line ${n - 1} comes ${JSON.stringify(lines[i]?.slice(0, 80))}, expected line ${n} (lines ${firstNumber}..)`);
  }
  assert.equal(lines[lines.length - 1], `${index} end ${n}`, `${where}: the last line ends the count`);
  return { kept: n - firstNumber, written: n };
}

test(`executor SIGKILL ×${FORM.kills} while ${TASKS} tasks log at full speed: no line lost, duplicated or reordered; rotation within its limits`, async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'drover-chaos-exkill-'));
  const stop = join(tmp, 'stop');
  const t0 = Date.now();
  const phase = (what: string): void => void process.stdout.write(`# ${what} at ${Date.now() - t0} ms\n`);
  const a: AgentProcess = await startAgent({ configHcl: RAW_EXEC_CONFIG });
  t.after(async () => {
    writeFileSync(stop, '');
    await purgeAndStop([a]);
    // The daemon stops once idle; one left behind (a failure midway) is ours to end.
    for (const pid of daemonPids(a.dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    rmSync(a.dataDir, { recursive: true, force: true });
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

  // Kill the daemon at random moments of the write window; each time wait for the agent to bring up another.
  const seed = Number(process.env['DROVER_CHAOS_SEED'] ?? Date.now() % 1_000_000);
  phase(`seed ${seed}`);
  let rnd = seed;
  const random = (): number => ((rnd = (rnd * 48271) % 2147483647) / 2147483647);
  const startedAt = Date.now();
  const at = Array.from({ length: FORM.kills }, () => 0.05 + random() * 0.9).sort((x, y) => x - y).map((f) => startedAt + f * FORM.writeMs);
  let kills = 0;
  for (const when of at) {
    const [pid] = await eventually(() => {
      const pids = daemonPids(a.dataDir);
      return pids.length === 1 ? pids : undefined;
    }, { timeoutMs: 30_000, message: 'one executor daemon serving the agent' });
    const wait = when - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    process.kill(pid as number, 'SIGKILL');
    kills++;
    phase(`killed daemon ${pid}`);
    await eventually(() => !alive(pid as number), { message: `daemon ${pid} gone` });
  }
  const rest = startedAt + FORM.writeMs - Date.now();
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  writeFileSync(stop, '');
  phase('stop file written');

  // Every task's last line reaches its logs once the new daemon has caught up.
  await eventually(() => allocs.every((x) => /end \d+\n$/.test(readRotated(logDirOf(x.ID)).bytes.subarray(-40).toString())), {
    timeoutMs: 120_000,
    intervalMs: 200,
    message: 'every task wrote its last line and the executor copied it',
  });

  phase('all copied');
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
    const counted = checkStream(Number(index), bytes.toString('latin1'), `alloc ${x.Name} files`);
    lines += counted.kept;
    written += counted.written;
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
      checkStream(Number(index), api.toString('latin1'), `alloc ${x.Name} logs API`);
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
  report({
    scenario: `executor SIGKILL while ${TASKS} tasks log at full speed`,
    runs: kills,
    checked: `every task's stdout (rotated files in order, and the logs API from the start) numbered consecutively to its last line; ≤ ${MAX_FILES} files of ≤ ${MAX_FILE_MB} MB; tasks not restarted`,
    result: 'pass',
    figures: { seed, 'lines written': written, 'lines checked': lines, 'rotations': rotatedFiles, 'max file bytes': maxFileSize, 'max files': maxFileCount },
  });
});
