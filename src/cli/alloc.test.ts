/** `drover alloc …` as a user runs it: the real binary against a real agent with mock_driver and raw_exec tasks. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { spawn as ptySpawn } from 'node-pty';
import { eventTypes, mockJob, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { cleanEnv, drover as run, MAIN, type DroverOptions } from './cli-testing.js';

let agent: AgentProcess;
before(async () => {
  agent = await startAgent({ configHcl: 'plugin "raw_exec" {\n  config {\n    enabled = true\n  }\n}\n' });
});
after(async () => {
  // Tasks and the executor daemon outlive agents by design: stop the jobs, then the daemon.
  for (const j of await agent.client.jobs.list()) await agent.client.jobs.deregister(j.ID, { purge: true });
  await eventually(async () => (await agent.client.allocations.list()).length === 0, { timeoutMs: 15_000, message: 'all allocations purged' });
  await agent.kill('SIGTERM');
  stopExecutors(agent.dataDir);
});

const drover = (args: string[], o: DroverOptions = {}) => run(args, { ...o, env: { DROVER_ADDR: agent.address, ...o.env } });

/** The one running allocation of `job`. */
async function runningAlloc(job: string): Promise<string> {
  const a = await eventually(async () => (await agent.client.jobs.allocations(job)).find((x) => x.ClientStatus === 'running'), { timeoutMs: 10_000, message: `running alloc of ${job}` });
  return a.ID;
}

const tickerHcl = `job "ticker" {
  group "g" {
    task "sh" {
      driver       = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sh"
        args    = ["-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done"]
      }
    }
  }
}
`;

test('alloc status: details, Task Resources and Recent Events newest first, in Nomad\'s layout', async () => {
  await runHcl(agent.client, mockJob('logs', 'run_for = "1h"\n stdout_string = "line\\n"\n stdout_repeat = 5\n stdout_repeat_duration = "10ms"\n stderr_string = "oops\\n"'));
  const id = await runningAlloc('logs');
  const r = await drover(['alloc', 'status', id.slice(0, 6)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^ID {18}= ${id}$`, 'm'));
  assert.match(r.stdout, /^Name {16}= logs\.g\[0\]$/m);
  assert.match(r.stdout, /^Client Status {7}= running$/m);
  assert.match(r.stdout, /^Desired Description = <none>$/m);
  assert.match(r.stdout, /^Task "t" is "running"\nTask Resources:\nCPU +Memory +Disk +Addresses\n\d+\/100 MHz +[\d.]+ [KM]iB\/300 MiB +300 MiB$/m);
  assert.match(r.stdout, /^Task Events:\nStarted At {5}= \d{4}-\S+\nFinished At {4}= N\/A\nTotal Restarts = 0\nLast Restart {3}= N\/A$/m);
  const table = r.stdout.slice(r.stdout.indexOf('Recent Events:'));
  assert.match(table, /^Recent Events:\nTime +Type +Description\n/);
  const rows = table.split('\n').slice(2).filter((l) => l.trim() !== '');
  assert.deepEqual(rows.map((l) => l.split(/ {2,}/).slice(1)), [
    ['Started', 'Task started by client'],
    ['Task Setup', 'Building Task Directory'],
    ['Received', 'Task received by client'],
  ]);
  assert.match(rows[0] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) {2}/);
  const missing = await drover(['alloc', 'status', 'ffff0000']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), 'No allocation(s) with prefix or id "ffff0000" found');
});

test('alloc logs: stdout, -stderr, -tail -n, and the task chosen by argument', async () => {
  const id = await runningAlloc('logs');
  await eventually(async () => (await drover(['alloc', 'logs', id])).stdout === 'line\n'.repeat(6), { timeoutMs: 15_000, message: 'six lines' });
  const err = await drover(['alloc', 'logs', '-stderr', id, 't']);
  assert.equal(err.code, 0, err.stderr);
  assert.equal(err.stdout, 'oops\n');
  const tail = await drover(['alloc', 'logs', '-tail', '-n', '2', id.slice(0, 8)]);
  assert.equal(tail.stdout, 'line\nline\n');
  const noTask = await drover(['alloc', 'logs', id, 'nope']);
  assert.equal(noTask.code, 1);
  assert.match(noTask.stderr, /Could not find task named: nope, found:\nt/);
});

test('alloc logs -f: follows new output from now and exits 0 on SIGINT', async () => {
  await runHcl(agent.client, tickerHcl);
  const id = await runningAlloc('ticker');
  await eventually(async () => /tick 5\n/.test((await drover(['alloc', 'logs', id])).stdout), { timeoutMs: 15_000, message: 'five ticks' });
  let sent = false;
  const r = await drover(['alloc', 'logs', '-f', id], {
    onStdout: (out, child) => {
      if (!sent && (out.match(/tick/g) ?? []).length >= 3) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const ticks = [...r.stdout.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(ticks.length >= 3, r.stdout);
  assert.ok((ticks[0] as number) > 5, `starts at the end of the log, not the beginning: ${ticks.join(',')}`);
  ticks.forEach((t, i) => i > 0 && assert.equal(t, (ticks[i - 1] as number) + 1, 'consecutive'));
});

test('alloc exec: stdin in, stdout and stderr out, the remote exit code is ours', async () => {
  const id = await runningAlloc('ticker');
  const r = await drover(['alloc', 'exec', id, '/bin/sh', '-c', 'cat; echo to-err >&2; exit 3'], { input: 'hello\n' });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, 'hello\n');
  assert.equal(r.stderr, 'to-err\n');
  const ok = await drover(['alloc', 'exec', '-i=false', '-task', 'sh', id, 'echo', 'no stdin']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'no stdin\n');
  const bad = await drover(['alloc', 'exec', '-task', 'nope', id, 'true']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Could not find task named: nope/);
});

test('alloc exec -t: a real terminal goes raw, resizes reach the command, the terminal is restored, the exit code propagates', async () => {
  const id = await runningAlloc('ticker');
  const script = `'${process.execPath}' '${MAIN}' alloc exec -t ${id} /bin/sh -c 'stty size; until [ "$(stty size)" = "40 100" ]; do sleep 0.02; done; echo resized; read x; stty size; echo "got $x"; exit 5'; echo "rc=$?"; stty -a`;
  const p = ptySpawn('/bin/sh', ['-c', script], { cols: 90, rows: 30, env: cleanEnv({ DROVER_ADDR: agent.address }) });
  let out = '';
  p.onData((d) => (out += d));
  const exited = new Promise<number>((resolve) => p.onExit((e) => resolve(e.exitCode)));
  try {
    // A hang guard only: the CLI starts, connects and execs in a fresh terminal first, slow on a loaded machine.
    await eventually(async () => /30 90/.test(out), { timeoutMs: 60_000, message: 'the initial size' }).catch((err: unknown) => {
      // Seen twice with no output at all: say where every process under the terminal is waiting.
      throw new Error(`${(err as Error).message}; output ${JSON.stringify(out)}; processes under the terminal: ${describeTree(p.pid)}`);
    });
    p.resize(100, 40);
    // The remote side says when the new size reached it; only then is there a line to read.
    await eventually(() => /resized/.test(out), { message: 'the resize to reach the remote terminal' });
    p.write('hi\r');
    assert.equal(await exited, 0);
  } finally {
    p.kill();
  }
  assert.match(out, /40 100/, `the resize reached the remote terminal: ${JSON.stringify(out)}`);
  assert.match(out, /got hi/);
  assert.match(out, /rc=5/);
  const stty = out.slice(out.indexOf('rc=5'));
  assert.match(stty, /(^|\s)icanon(\s|$)/, 'canonical mode restored');
  assert.match(stty, /(^|\s)echo(\s|$)/, 'echo restored');
});

test('exec with a tty: a command that asks for its size at once sees the size the client sent on connecting', async () => {
  await runHcl(agent.client, tickerHcl); // unchanged if an earlier test registered it
  const id = await runningAlloc('ticker');
  // Nomad's clients send tty_size right after the socket opens; the agent starts the command with it.
  const s = await agent.client.client.exec(id, { task: 'sh', command: ['/bin/sh', '-c', 'stty size'], tty: true });
  // A client a little slower than the command: without the wait, `stty size` would already have said 24 80.
  await new Promise((r) => setTimeout(r, 100));
  s.resize(33, 111);
  let out = '';
  for await (const o of s.output) out += Buffer.from(o.data).toString();
  assert.equal(await s.exitCode, 0);
  assert.equal(out.trim(), '33 111');
});

test('alloc signal and restart act on the task; alloc stop watches it stop and its replacement start', async () => {
  const id = await runningAlloc('logs');
  const sig = await drover(['alloc', 'signal', '-s', 'SIGHUP', id, 't']);
  assert.equal(sig.code, 0, sig.stderr);
  assert.equal(sig.stdout, '');
  const rs = await drover(['alloc', 'restart', id]);
  assert.equal(rs.code, 0, rs.stderr);
  await eventually(async () => eventTypes(await agent.client.allocations.info(id), 't').filter((t) => t === 'Started').length === 2, { timeoutMs: 10_000, message: 'restarted' });
  const st = await drover(['alloc', 'status', id]);
  assert.match(st.stdout, /Restart Signaled +User requested task to restart/);
  assert.match(st.stdout, /Signaling +Task being sent signal SIGHUP/);
  const both = await drover(['alloc', 'restart', '-all-tasks', id, 't']);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /-all-tasks option is not allowed when restarting a specific task/);
  const stop = await drover(['alloc', 'stop', id]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, new RegExp(`Stopping allocation "${id.slice(0, 8)}"`));
  assert.match(stop.stdout, new RegExp(`Allocation "${id.slice(0, 8)}" status changed: "running" -> "complete"`));
  assert.match(stop.stdout, /Allocation "[0-9a-f]{8}" created: node "[0-9a-f]{8}", group "g"/);
  assert.match(stop.stdout, /status changed: "pending" -> "running"/);
  const allocs = await agent.client.jobs.allocations('logs');
  assert.equal(allocs.find((a) => a.ID === id)?.DesiredDescription, 'alloc was stopped by user');
  assert.equal(allocs.filter((a) => a.ClientStatus === 'running').length, 1);
});

/** SIGTERMs executor daemons serving `dataDir` (they outlive agents by design; tests must not leave them). */
function stopExecutors(dataDir: string): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.includes('executor') && cmd.some((c) => c.includes(dataDir))) process.kill(Number(pid), 'SIGTERM');
    } catch {
      // Gone meanwhile.
    }
  }
}

/** "pid state wchan argv" of every process under `pid` (itself included), for a hang's failure message. */
function describeTree(pid: number): string {
  const read = (f: string): string => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return '?';
    }
  };
  const stats = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map((n) => ({ pid: Number(n), fields: read(`/proc/${n}/stat`).split(') ')[1]?.split(' ') ?? [] }));
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const s of stats) if (Number(s.fields[1]) === tree[i]) tree.push(s.pid);
  return tree
    .map((p) => `${p} ${stats.find((s) => s.pid === p)?.fields[0] ?? '?'} ${read(`/proc/${p}/wchan`)} ${read(`/proc/${p}/cmdline`).replace(/\0/g, ' ').trim()}`)
    .join('; ');
}
