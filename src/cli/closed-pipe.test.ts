/** `drover … | head`: a reader that closes early ends the command quietly (no EPIPE stack trace, exit 0). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockJob, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { cleanEnv, MAIN } from './cli-testing.js';

interface Closed {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs drover like `drover ARGS | head -c N`: stdout's reader goes away once `closeWhen` holds for what it read. */
function pipedIntoEarlyClose(args: readonly string[], closeWhen: (stdout: string) => boolean, env: Record<string, string> = {}): Promise<Closed> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    const check = (): void => {
      if (!child.stdout.destroyed && closeWhen(stdout)) child.stdout.destroy();
    };
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      check();
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    check();
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function assertQuiet(r: Closed): void {
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /EPIPE|internal error|^\s+at /m);
}

const dir = mkdtempSync(join(tmpdir(), 'drover-pipe-'));
// A task that exits every 100 ms and is restarted, for an hour: its events keep coming, as a
// writer's output keeps coming into `| head`. A closed pipe is only noticed at the next write,
// and a reader may close after the last line of a burst (all of the first events in one read).
const longJob = join(dir, 'long.nomad.hcl');
writeFileSync(
  longJob,
  'job "long" {\n  group "g" {\n    restart {\n      attempts = 36000\n      interval = "1h"\n      delay = "100ms"\n      mode = "fail"\n    }\n' +
    '    task "t" {\n      driver = "mock_driver"\n      config {\n        run_for = "100ms"\n      }\n    }\n  }\n}\n',
);

test('drover run -json | head: the job is stopped as on Ctrl-C and the command exits 0 without a word', async () => {
  // The job restarts for an hour: the command ends only because the closed pipe stopped it.
  const r = await pipedIntoEarlyClose(['run', '-json', longJob], (out) => out.includes('\n'));
  assertQuiet(r);
  assert.equal(r.stderr, '');
});

test('drover run | head: the temporary data dir is cleaned up as after Ctrl-C', async () => {
  // Closed after the first event: a closed pipe is noticed at the next write (Task Setup, Started), as for any Unix writer.
  const r = await pipedIntoEarlyClose(['run', longJob], (out) => /Received/.test(out));
  assertQuiet(r);
  const m = /==> Running job "long" \(1 allocation\) in (\S+)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.equal(existsSync(m[1] as string), false, 'temporary data dir removed');
});

let agent: AgentProcess;
before(async () => {
  agent = await startAgent();
});
after(async () => {
  for (const j of await agent.client.jobs.list()) await agent.client.jobs.deregister(j.ID, { purge: true });
  await eventually(async () => (await agent.client.allocations.list()).length === 0, { timeoutMs: 15_000, message: 'all allocations purged' });
  await agent.kill('SIGTERM');
});

test('job status and alloc logs -f | head: exit 0 quietly', async () => {
  await runHcl(agent.client, mockJob('chatty', 'run_for = "1h"\n stdout_string = "line\\n"\n stdout_repeat = 100000\n stdout_repeat_duration = "1ms"'));
  const alloc = await eventually(async () => (await agent.client.jobs.allocations('chatty')).find((a) => a.ClientStatus === 'running'), { timeoutMs: 10_000, message: 'running alloc' });
  const env = { DROVER_ADDR: agent.address };
  // Closed before the command writes anything.
  assertQuiet(await pipedIntoEarlyClose(['job', 'status', 'chatty'], () => true, env));
  assertQuiet(await pipedIntoEarlyClose(['alloc', 'logs', '-f', alloc.ID], (out) => out.length > 0, env));
  assertQuiet(await pipedIntoEarlyClose(['alloc', 'logs', alloc.ID], () => true, env));
});
