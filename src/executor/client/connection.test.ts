import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutorClient } from '../client.js';
import { NETNS_PROTOCOL, PROPAGATION_PROTOCOL, PROTOCOL_VERSION } from '../protocol.js';
import type { LaunchSpec } from '../types.js';
import { alive, waitGone } from '../testing.js';
import { eventually } from '../../model/testing/eventually.js';

/** Live executor daemons serving `dir`. */
function daemonsFor(dir: string): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || !alive(Number(p))) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (cmd.includes('executor') && cmd.includes(dir) && cmd.some((a) => a.endsWith('main.js'))) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}

async function stop(c: ExecutorClient, dir: string): Promise<void> {
  const pid = (await c.status()).pid;
  assert.equal(await c.stopDaemonIfIdle(), true);
  c.close();
  await waitGone(pid);
  fs.rmSync(dir, { recursive: true, force: true });
}

test('ExecutorClient: starts the daemon on first use; clients racing to start it end up with one daemon', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-'));
  const clients = Array.from({ length: 4 }, () => new ExecutorClient({ dataDir: dir }));
  const statuses = await Promise.all(clients.map((c) => c.status()));
  const pid = statuses[0]?.pid;
  for (const s of statuses) assert.equal(s.pid, pid);
  assert.deepEqual(await clients[0]?.version(), { version: '2.0.0', protocol: PROTOCOL_VERSION });
  // Losers of the start race exit on their own.
  await eventually(() => daemonsFor(dir).length === 1, { timeoutMs: 15_000, message: 'a single daemon' });
  assert.deepEqual(daemonsFor(dir), [pid]);
  for (const c of clients.slice(1)) c.close();
  await stop(clients[0] as ExecutorClient, dir);
});

test('ExecutorClient: a stale socket file left by a dead daemon is replaced', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-'));
  const sock = path.join(dir, 'executor.sock');
  // A process that binds the socket and dies without unlinking it.
  const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => holder.stdout.once('data', r));
  holder.kill('SIGKILL');
  await new Promise((r) => holder.once('exit', r));
  assert.ok(fs.statSync(sock).isSocket());
  const c = new ExecutorClient({ dataDir: dir });
  assert.equal((await c.version()).protocol, PROTOCOL_VERSION);
  await stop(c, dir);
});

test('ExecutorClient: without autoStart a missing daemon is a clear, recoverable error; stopping none is a no-op', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-'));
  const c = new ExecutorClient({ dataDir: dir, autoStart: false });
  await assert.rejects(c.status(), (e: Error & { recoverable?: boolean }) => /no executor daemon at/.test(e.message) && e.recoverable === true);
  assert.equal(await c.stopDaemonIfIdle(), true);
  c.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('ExecutorClient: an idle client does not keep its process alive', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-'));
  const script = `import { ExecutorClient } from ${JSON.stringify(new URL('../client.js', import.meta.url).href)};
const c = new ExecutorClient({ dataDir: ${JSON.stringify(dir)} });
console.log((await c.status()).pid);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 0);
  const c = new ExecutorClient({ dataDir: dir });
  assert.equal((await c.status()).pid, Number(out.trim()), 'the daemon outlived its starter');
  await stop(c, dir);
});

test('ExecutorClient: a daemon from before network namespaces is not asked to launch a task in one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-'));
  // The real daemon, reporting the protocol a pre-netns build would.
  class OldDaemon extends ExecutorClient {
    override async version(): Promise<{ readonly version: string; readonly protocol: number }> {
      return { ...(await super.version()), protocol: NETNS_PROTOCOL - 1 };
    }
  }
  const c = new OldDaemon({ dataDir: dir });
  const { pid } = await c.status();
  const spec = { taskId: 'netns-guard', command: '/bin/true', args: [], env: {}, cwd: '/', user: '', stdoutPath: path.join(dir, 'o'), stderrPath: path.join(dir, 'e'), netnsPath: '/var/run/netns/x' };
  await assert.rejects(c.launch(spec as unknown as LaunchSpec), (err: Error) => {
    assert.match(err.message, new RegExp(`executor daemon \\(pid ${pid}, protocol 1\\) predates network namespaces.*kill ${pid}`));
    return true;
  });
  assert.equal((await c.status()).tasks, 0, 'nothing was launched');
  await stop(c, dir);
});

test('ExecutorClient: a daemon from before mount propagation is not asked to launch a task that needs it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-'));
  class OldDaemon extends ExecutorClient {
    override async version(): Promise<{ readonly version: string; readonly protocol: number }> {
      return { ...(await super.version()), protocol: PROPAGATION_PROTOCOL - 1 };
    }
  }
  const c = new OldDaemon({ dataDir: dir });
  const { pid } = await c.status();
  const isolation = { mounts: [{ hostPath: '/srv', taskPath: '/srv', readonly: false, propagation: 'host-to-task' }] };
  const spec = { taskId: 'prop-guard', command: '/bin/true', args: [], env: {}, cwd: '/', user: '', isolation };
  await assert.rejects(c.launch(spec as unknown as LaunchSpec), new RegExp(`executor daemon \\(pid ${pid}, protocol 2\\) predates mount propagation.*kill ${pid}`));
  assert.equal((await c.status()).tasks, 0, 'nothing was launched');
  await stop(c, dir);
});

test('ExecutorClient: a daemon killed before it answered is replaced, and the pending call still gets its answer', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-'));
  const c = new ExecutorClient({ dataDir: dir });
  const answer = c.status();
  // The first daemon dies (SIGKILL, as an OOM kill or an operator would) while it is still starting up.
  const [first] = await eventually(() => {
    const pids = daemonsFor(dir).filter((p) => fs.readlinkSync(`/proc/${p}/exe`) === process.execPath);
    return pids.length > 0 ? pids : undefined;
  }, { intervalMs: 1, message: 'the first daemon to start' });
  process.kill(first as number, 'SIGKILL');
  await waitGone(first as number);
  assert.equal(fs.existsSync(path.join(dir, 'executor.sock')), false, 'killed before it listened (else this test proves nothing)');
  const st = await answer;
  assert.notEqual(st.pid, first);
  await stop(c, dir);
});
