/**
 * Reliability campaign (issue 16): a driver plugin process crashes under a
 * real agent. The agent loads raw_exec and mock_driver from its plugin_dir in
 * the two forms drover supports there: the shims `drover plugin install`
 * writes (`drover plugin serve DRIVER`), and a third-party plugin executable
 * (a node script built on drover's plugin server). The plugin process, a
 * child of this test's agent only, is SIGKILLed
 *   1. mid-start (StartTask in flight: mock_driver's start_block_for, and a
 *      raw_exec task killed the moment its process exists),
 *   2. mid-stop (StopTask in flight on a task that ignores SIGTERM),
 *   3. mid-exec (an `alloc exec` session open),
 *   4. idle, with tasks running,
 * and every time: the agent keeps serving, the plugin is relaunched, tasks
 * run exactly once and keep their pids, a stop completes and leaves no
 * process behind, an exec session ends with an error and a new one works.
 * As Nomad: its plugin manager relaunches a dead driver plugin and its task
 * runners recover their tasks (RecoverTask) on the new instance.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ApiAllocationListStub } from '../model/nomad-api/index.js';
import { eventTypes, purgeAndStop, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually, scaled } from '../model/testing/eventually.js';
import { budget, LONG, report } from './campaign.js';
import { alive } from './fixtures.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const SERVE_MAIN = pathToFileURL(fileURLToPath(new URL('../plugin/serve-main.js', import.meta.url))).href;

/** How many times each case runs. */
const RUNS = budget(1, 20);

/** One way of putting a plugin in plugin_dir. */
interface PluginForm {
  readonly name: string;
  /** Writes the plugin executables into `dir`; returns the file names of raw_exec and mock_driver. */
  install(dir: string): { raw: string; mock: string };
}

const FORMS: readonly PluginForm[] = [
  {
    name: 'drover plugin serve',
    install: (dir) => {
      // As a user would: the shims exec `node main.js plugin serve DRIVER "$@"`.
      execFileSync(process.execPath, [MAIN, 'plugin', 'install', dir, 'raw_exec', 'mock_driver'], { stdio: 'ignore' });
      return { raw: 'drover-driver-raw_exec', mock: 'drover-driver-mock_driver' };
    },
  },
  {
    name: 'external plugin',
    install: (dir) => {
      // A plugin executable of its own (no drover CLI, no shell): node runs it straight from the #! line.
      const write = (file: string, driver: string): string => {
        writeFileSync(
          join(dir, file),
          `#!${process.execPath}\n'use strict';\nimport(${JSON.stringify(SERVE_MAIN)}).then((m) => m.pluginServeMain([${JSON.stringify(driver)}, ...process.argv.slice(2)]));\n`,
        );
        chmodSync(join(dir, file), 0o755);
        return file;
      };
      return { raw: write('acme-raw', 'raw_exec'), mock: write('acme-mock', 'mock_driver') };
    },
  },
];

interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly cmd: string;
}

/** Every process on the machine, from /proc. */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(d), ppid: Number(fields[1]), state: fields[0] ?? '', cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}


/** The agent's one live child running plugin file `file`. */
function pluginPid(a: AgentProcess, pluginDir: string, file: string, driver: string): number | undefined {
  const mine = processes().filter((p) => p.ppid === a.proc.pid && p.state !== 'Z' && (p.cmd.includes(join(pluginDir, file)) || p.cmd.includes(`plugin serve ${driver} `) || p.cmd.endsWith(`plugin serve ${driver}`)));
  assert.ok(mine.length <= 1, `one plugin process for ${file}: ${JSON.stringify(mine)}`);
  return mine[0]?.pid;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : Math.round(s[Math.floor(s.length / 2)] as number);
}

/** An agent with raw_exec and mock_driver loaded from plugin_dir in `form`, and what the cases need of it. */
class Rig {
  readonly relaunchMs: number[] = [];
  private seq = 0;

  private constructor(
    readonly a: AgentProcess,
    readonly pluginDir: string,
    readonly files: { raw: string; mock: string },
    readonly work: string,
  ) {}

  static async start(form: PluginForm): Promise<Rig> {
    const pluginDir = mkdtempSync(join(tmpdir(), 'drover-chaos-plugins-'));
    const work = mkdtempSync(join(tmpdir(), 'drover-chaos-plugin-work-'));
    const files = form.install(pluginDir);
    const a = await startAgent({
      configHcl: `plugin_dir = "${pluginDir}"
plugin "${files.raw}" {
  args = ["-data-dir", "${join(work, 'executor')}"]
  config {
    enabled = true
  }
}
plugin "${files.mock}" {
  config {}
}
`,
    });
    const rig = new Rig(a, pluginDir, files, work);
    await eventually(async () => rig.pid('raw') !== undefined && rig.pid('mock') !== undefined, { timeoutMs: 20_000, message: 'plugin processes' });
    return rig;
  }

  pid(which: 'raw' | 'mock'): number | undefined {
    return pluginPid(this.a, this.pluginDir, this.files[which], which === 'raw' ? 'raw_exec' : 'mock_driver');
  }

  /** A fresh job id. */
  id(prefix: string): string {
    return `${prefix}-${++this.seq}`;
  }

  /** SIGKILLs the plugin; resolves once its replacement is running (and records how long that took). */
  async crash(which: 'raw' | 'mock'): Promise<void> {
    const pid = this.pid(which);
    assert.ok(pid !== undefined, `${which} plugin running`);
    const t0 = performance.now();
    process.kill(pid, 'SIGKILL');
    const next = await eventually(async () => {
      const p = this.pid(which);
      return p !== undefined && p !== pid ? p : undefined;
    }, { timeoutMs: 30_000, intervalMs: 5, message: `${which} plugin relaunched after ${pid}` }).catch((err: unknown) => {
      throw new Error(`${String(err)}\nagent log (plugin lines):\n${this.pluginLog()}`);
    });
    this.relaunchMs.push(performance.now() - t0);
    assert.notEqual(next, pid);
  }

  /**
   * A crash loop: SIGKILLs the plugin, then each of `n` replacements at a random moment of its
   * launch (handshake, SetConfig, RecoverTask); the one after them is left alone.
   */
  async crashLoop(which: 'raw' | 'mock', n: number, maxDelayMs: number): Promise<void> {
    const first = this.pid(which);
    assert.ok(first !== undefined, `${which} plugin running`);
    let pid: number = first;
    process.kill(pid, 'SIGKILL');
    for (let k = 0; k < n; k++) {
      const prev: number = pid;
      pid = await eventually(async (): Promise<number | undefined> => {
        const p = this.pid(which);
        return p !== undefined && p !== prev ? p : undefined;
      }, { timeoutMs: 60_000, intervalMs: 2, message: `${which} plugin relaunched after ${prev}` }).catch((err: unknown) => {
        throw new Error(`${String(err)}\nagent log (plugin lines):\n${this.pluginLog()}`);
      });
      await sleep(Math.floor(Math.random() * maxDelayMs));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    const last = pid;
    await eventually(async () => {
      const p = this.pid(which);
      return p !== undefined && p !== last;
    }, { timeoutMs: 60_000, message: `${which} plugin relaunched after the crash loop` }).catch((err: unknown) => {
      throw new Error(`${String(err)}\nagent log (plugin lines):\n${this.pluginLog()}`);
    });
  }

  /** The agent's last log lines about plugins, for a failure message. */
  pluginLog(): string {
    const { stdout, stderr } = this.a.output();
    return `${stdout}\n${stderr}`.split('\n').filter((l) => /plugin/i.test(l)).slice(-30).join('\n');
  }

  /** The agent still answers. */
  async serving(): Promise<void> {
    await this.a.client.jobs.list();
  }

  async allocs(job: string): Promise<ApiAllocationListStub[]> {
    return this.a.client.jobs.allocations(job);
  }

  async running(job: string): Promise<ApiAllocationListStub> {
    return eventually(async () => {
      const [al, ...rest] = await this.allocs(job);
      assert.equal(rest.length, 0, `one allocation of ${job}`);
      return al && al.ClientStatus === 'running' && al.TaskStates['t']?.State === 'running' ? al : undefined;
    }, { timeoutMs: 30_000, message: `${job} running` });
  }

  /** Stops the job and waits until its allocation is terminal and purged. */
  async purge(job: string): Promise<void> {
    await this.a.client.jobs.deregister(job, { purge: true });
    await eventually(async () => (await this.allocs(job).catch(() => [])).length === 0 && !(await this.a.client.allocations.list()).some((x) => x.JobID === job), {
      timeoutMs: 30_000,
      message: `${job} purged`,
    });
  }

  /** A raw_exec job whose task records its pid in `pidFile` (one line per start), then runs `then`. */
  rawJob(job: string, pidFile: string, o: { then?: string; killTimeout?: string; trapTerm?: boolean } = {}): string {
    const trap = o.trapTerm ? "trap '' INT TERM; " : '';
    return `job "${job}" {
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "t" {
      driver       = "raw_exec"
      kill_timeout = "${o.killTimeout ?? '1s'}"
      config {
        command = "/bin/sh"
        args    = ["-c", "${trap}echo $$ >> ${pidFile}; ${o.then ?? 'exec sleep 1000'}"]
      }
    }
  }
}
`;
  }
}

const startedCount = (al: ApiAllocationListStub): number => eventTypes(al, 't').filter((e) => e === 'Started').length;

/** 1. mid-start: mock_driver blocks in StartTask, and raw_exec's task process already exists when the plugin dies. */
async function midStart(rig: Rig, t: TestContext, form: string): Promise<void> {
  const checks: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    // mock_driver: StartTask blocks for start_block_for; the plugin dies inside that window.
    const mock = rig.id('start-mock');
    const block = LONG ? 400 + Math.floor(Math.random() * 800) : 800;
    await runHcl(
      rig.a.client,
      `job "${mock}" {
  group "g" {
    task "t" {
      driver = "mock_driver"
      kill_timeout = "1s"
      config {
        run_for = "1000s"
        start_block_for = "${block}ms"
      }
    }
  }
}
`,
    );
    await eventually(async () => eventTypes((await rig.allocs(mock))[0] ?? { TaskStates: {} }, 't').includes('Task Setup'), { timeoutMs: 30_000, message: `${mock} setting up` });
    await sleep(LONG ? Math.floor(Math.random() * block * 0.8) : block / 4);
    await rig.crash('mock');
    const al = await rig.running(mock);
    assert.equal(startedCount(al), 1, `${mock} started once: ${eventTypes(al, 't').join(',')}`);
    await rig.serving();
    await rig.purge(mock);

    // raw_exec: the plugin dies as soon as the task's process exists (StartTask's reply not yet back), or a random moment after submitting.
    const raw = rig.id('start-raw');
    const pidFile = join(rig.work, `${raw}.pid`);
    await runHcl(rig.a.client, rig.rawJob(raw, pidFile));
    if (i % 2 === 0) await eventually(async () => lines(pidFile).length > 0, { timeoutMs: 30_000, intervalMs: 1, message: `${raw} process started` });
    else await sleep(Math.floor(Math.random() * 300));
    await rig.crash('raw');
    const ral = await rig.running(raw);
    await eventually(async () => lines(pidFile).length > 0, { timeoutMs: 10_000, message: `${raw} wrote its pid` });
    const pids = lines(pidFile);
    assert.equal(pids.length, 1, `${raw} ran exactly once: pids ${pids.join(',')}`);
    assert.ok(alive(Number(pids[0])), `${raw} pid ${pids[0]} alive`);
    assert.equal(startedCount(ral), 1, `${raw} started once: ${eventTypes(ral, 't').join(',')}`);
    await rig.purge(raw);
    assert.ok(!alive(Number(pids[0])), `${raw} pid ${pids[0]} gone after the purge`);
    checks.push(raw);
  }
  t.diagnostic(`${checks.length} raw_exec starts`);
  report({
    scenario: `plugin SIGKILL mid-start (${form})`,
    runs: RUNS * 2,
    checked: 'mock_driver blocked in StartTask and raw_exec with its task just spawned: the plugin is relaunched, the task runs exactly once (one pid, one Started), the agent keeps serving',
    result: 'pass',
  });
}

/** 2. mid-stop: the task ignores SIGTERM, so StopTask waits kill_timeout; the plugin dies meanwhile. */
async function midStop(rig: Rig, form: string): Promise<void> {
  for (let i = 0; i < RUNS; i++) {
    const job = rig.id('stop');
    const pidFile = join(rig.work, `${job}.pid`);
    // kill_timeout long enough that the crash lands inside the stop even when the Killing event is seen late (a loaded machine).
    await runHcl(rig.a.client, rig.rawJob(job, pidFile, { trapTerm: true, killTimeout: budget('4s', '6s') }));
    const al = await rig.running(job);
    const pid = Number(await eventually(async () => lines(pidFile)[0], { message: `${job} pid` }));
    await rig.a.client.allocations.stop(al.ID);
    await eventually(async () => eventTypes((await rig.a.client.allocations.list()).find((x) => x.ID === al.ID) ?? { TaskStates: {} }, 't').includes('Killing'), {
      timeoutMs: 30_000,
      message: `${job} killing`,
    });
    await sleep(LONG ? Math.floor(Math.random() * 3000) : 200);
    assert.ok(alive(pid), `${job} still running (it ignores SIGINT and SIGTERM) when the plugin dies`);
    await rig.crash('raw');
    const done = await eventually(async () => {
      const x = (await rig.a.client.allocations.list()).find((y) => y.ID === al.ID);
      return x && x.TaskStates['t']?.State === 'dead' ? x : undefined;
    }, { timeoutMs: 30_000, message: `${job} stopped` });
    assert.ok(eventTypes(done, 't').includes('Killed'), `${job} killed: ${eventTypes(done, 't').join(',')}`);
    await eventually(async () => !alive(pid), { timeoutMs: 15_000, message: `${job} pid ${pid} gone (no orphan)` });
    await rig.serving();
    await rig.purge(job);
  }
  report({
    scenario: `plugin SIGKILL mid-stop (${form})`,
    runs: RUNS,
    checked: 'raw_exec task ignoring SIGTERM, plugin killed while StopTask waits kill_timeout: the stop completes (Killed), the task process is gone',
    result: 'pass',
  });
}

/** 3. mid-exec: an exec session is open when the plugin dies. */
async function midExec(rig: Rig, form: string): Promise<void> {
  const job = rig.id('exec');
  const pidFile = join(rig.work, `${job}.pid`);
  await runHcl(rig.a.client, rig.rawJob(job, pidFile));
  const al = await rig.running(job);
  const taskPid = Number(await eventually(async () => lines(pidFile)[0], { message: `${job} pid` }));
  for (let i = 0; i < RUNS; i++) {
    const execPidFile = join(rig.work, `${job}-exec-${i}.pid`);
    const s = await rig.a.client.client.exec(al.ID, { task: 't', command: ['/bin/sh', '-c', `echo $$ > ${execPidFile}; echo ready; exec sleep 1000`] });
    try {
      let out = '';
      const reader = (async () => {
        for await (const c of s.output) out += Buffer.from(c.data).toString();
      })();
      await eventually(async () => out.includes('ready'), { timeoutMs: 30_000, message: `exec ${i} ready` });
      const execPid = Number(lines(execPidFile)[0]);
      if (LONG) await sleep(Math.floor(Math.random() * 200));
      await rig.crash('raw');
      // The caller learns the session ended, with an error, instead of waiting forever.
      const ended = await Promise.race([
        s.exitCode.then(
          (code) => ({ code }),
          (err: unknown) => ({ err: String(err) }),
        ),
        sleep(scaled(30_000)).then(() => 'hung' as const),
      ]);
      assert.notEqual(ended, 'hung', `exec ${i} ended`);
      assert.ok(typeof ended === 'object' && ('err' in ended || ended.code !== 0), `exec ${i} ended with an error: ${JSON.stringify(ended)}`);
      await reader;
      await eventually(async () => !alive(execPid), { timeoutMs: 15_000, message: `exec ${i} process ${execPid} gone (no orphan)` });
    } finally {
      s.close();
    }
    assert.ok(alive(taskPid), `task pid ${taskPid} kept running`);
    // The plugin is back: a new session works.
    const again = await eventually(async () => {
      const s2 = await rig.a.client.client.exec(al.ID, { task: 't', command: ['/bin/echo', `again-${i}`] });
      let out = '';
      for await (const c of s2.output) out += Buffer.from(c.data).toString();
      return (await s2.exitCode) === 0 ? out : undefined;
    }, { timeoutMs: 30_000, message: `exec after crash ${i}` });
    assert.equal(again, `again-${i}\n`);
  }
  const after = (await rig.allocs(job))[0];
  assert.ok(after);
  assert.equal(startedCount(after), 1, `task started once: ${eventTypes(after, 't').join(',')}`);
  assert.deepEqual(lines(pidFile), [String(taskPid)], 'the task ran once');
  await rig.purge(job);
  assert.ok(!alive(taskPid), 'task gone after the purge');
  report({
    scenario: `plugin SIGKILL mid-exec (${form})`,
    runs: RUNS,
    checked: 'alloc exec session open when the plugin dies: the session ends with an error, its process is gone, the task keeps its pid, a new exec works',
    result: 'pass',
  });
}

/** 4. idle: tasks running, nothing in flight. */
async function idle(rig: Rig, form: string): Promise<void> {
  const jobs = [rig.id('idle'), rig.id('idle')];
  const pidFiles = jobs.map((j) => join(rig.work, `${j}.pid`));
  for (const [k, j] of jobs.entries()) await runHcl(rig.a.client, rig.rawJob(j, pidFiles[k] as string));
  const mockJobId = rig.id('idle-mock');
  await runHcl(rig.a.client, `job "${mockJobId}" {\n  group "g" {\n    task "t" {\n      driver = "mock_driver"\n      config {\n        run_for = "1000s"\n      }\n    }\n  }\n}\n`);
  const before = await Promise.all([...jobs, mockJobId].map((j) => rig.running(j)));
  const pids = await Promise.all(pidFiles.map((f) => eventually(async () => lines(f)[0], { message: `${f}` })));
  for (let i = 0; i < RUNS; i++) {
    await rig.crash('raw');
    await rig.crash('mock');
    await rig.serving();
  }
  // Crash loops: replacements killed again while they launch and recover the tasks.
  // (The short form loops through the served form only: both forms share the supervisor that relaunches.)
  const loops = budget(form === 'drover plugin serve' ? 1 : 0, 5);
  for (let i = 0; i < loops; i++) {
    await rig.crashLoop('raw', budget(2, 3), 600);
    await rig.crashLoop('mock', budget(1, 3), 600);
    await rig.serving();
  }
  // Re-attached: same pids, no restart, and the new plugin can act on them (a signal reaches the task).
  for (const [k, j] of [...jobs, mockJobId].entries()) {
    const al = await rig.running(j);
    assert.equal(al.ID, before[k]?.ID);
    assert.deepEqual(eventTypes(al, 't'), eventTypes(before[k] as ApiAllocationListStub, 't'), `${j}: no new events`);
  }
  for (const [k, f] of pidFiles.entries()) {
    assert.deepEqual(lines(f), [pids[k]], `${jobs[k]} ran once`);
    assert.ok(alive(Number(pids[k])), `${jobs[k]} pid ${pids[k]} alive`);
  }
  const [first] = await rig.allocs(jobs[0] as string);
  await eventually(async () => {
    await rig.a.client.client.signal(first?.ID as string, 'SIGUSR1', { task: 't' });
    return true;
  }, { timeoutMs: 30_000, message: 'signal after re-attach' });
  for (const j of [...jobs, mockJobId]) await rig.purge(j);
  for (const p of pids) assert.ok(!alive(Number(p)), `pid ${p} gone after the purge`);
  report({
    scenario: `plugin SIGKILL idle, tasks running (${form})`,
    runs: RUNS * 2,
    checked: 'raw_exec and mock_driver plugins killed with tasks running: relaunched, tasks re-attached (same pids, no new events, signal and stop work)',
    result: 'pass',
    figures: { 'relaunch ms p50': median(rig.relaunchMs), 'relaunch ms max': Math.round(Math.max(...rig.relaunchMs)) },
  });
  if (loops > 0) report({
    scenario: `plugin crash loop, tasks running (${form})`,
    runs: loops * 2,
    checked: 'the plugin and the next replacements (short: raw_exec 2, mock_driver 1; long: 3 each) killed at random moments of their launch (handshake, SetConfig, RecoverTask): tasks not lost, same pids, no new events, signal and stop work',
    result: 'pass',
  });
}

// The two forms run side by side, each with its own agent: wall time is the slower of them.
test('chaos: driver plugin crash', { timeout: scaled(LONG ? 3_600_000 : 300_000), concurrency: FORMS.length }, async (t) => {
  await Promise.all(
    FORMS.map((form) =>
      t.test(form.name, async (ft) => {
        const rig = await Rig.start(form);
        ft.after(async () => {
          try {
            await purgeAndStop([rig.a]);
          } finally {
            if (rig.a.proc.exitCode === null) await rig.a.kill('SIGKILL');
            // Whatever a failure left behind under this rig's dirs (tasks, executor daemon, plugins).
            const taskPids = new Set(readdirSync(rig.work).filter((f) => f.endsWith('.pid')).flatMap((f) => lines(join(rig.work, f)).map(Number)));
            for (const p of processes()) if (taskPids.has(p.pid) || p.cmd.includes(rig.work) || p.cmd.includes(rig.pluginDir)) process.kill(p.pid, 'SIGKILL');
            rmSync(rig.pluginDir, { recursive: true, force: true });
            rmSync(rig.work, { recursive: true, force: true });
          }
        });
        await ft.test('idle crash and crash loops, tasks running', () => idle(rig, form.name));
        await ft.test('mid-start', (st) => midStart(rig, st, form.name));
        await ft.test('mid-stop', () => midStop(rig, form.name));
        await ft.test('mid-exec', () => midExec(rig, form.name));
      }),
    ),
  );
});
