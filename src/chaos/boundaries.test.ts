/**
 * Issue 16, isolation boundaries: the executor's unix socket and a served
 * plugin's gRPC socket answer the agent's user only (another uid gets
 * EACCES); the agent's credentials (Nomad's env deny list) never reach a
 * task of any driver while ordinary variables do; and a task's secrets/ is
 * out of reach of another allocation's task running as nobody.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './campaign.js';
import { batchJob as batch } from './fixtures.js';
import { purgeAndStop, RAW_EXEC_CONFIG, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../plugin/handshake.js';
import { daemonPaths } from '../executor/paths.js';
import { eventually, scaled } from '../model/testing/eventually.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const SKIP_ROOT = isRoot ? false : 'needs root (to connect as another uid)';

const agents: AgentProcess[] = [];
const cleanups: (() => void)[] = [];
after(async () => {
  try {
    await purgeAndStop(agents);
  } finally {
    for (const c of cleanups) c();
  }
});

test(
  'another uid holding the executor\'s lock name cannot keep the agent from running tasks',
  {
    skip: SKIP_ROOT,
  },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'drover-squat-'));
    const script = `require('node:net').createServer().listen('\\0' + process.argv[1], () => console.log('holding'))`;
    const squatter = spawn(process.execPath, ['-e', script, daemonPaths(dataDir).lockName.slice(1)], { uid: NOBODY, gid: NOBODY, cwd: '/', stdio: ['ignore', 'pipe', 'inherit'] });
    let a: AgentProcess | undefined;
    try {
      let held = '';
      squatter.stdout.on('data', (b: Buffer) => (held += b.toString()));
      await eventually(() => held.includes('holding'), { message: 'the squatter holds the lock name' });
      a = await startAgent({ dataDir, configHcl: RAW_EXEC_CONFIG });
      await runHcl(a.client, batch('squatted', 'raw_exec', '/bin/true', []));
      const al = await eventually(async () => {
        const x = (await (a as AgentProcess).client.jobs.allocations('squatted'))[0];
        return x !== undefined && x.ClientStatus !== 'pending' && x.ClientStatus !== 'running' ? x : undefined;
      }, { timeoutMs: 60_000, message: 'the job ran or failed' });
      assert.equal(al.ClientStatus, 'complete', JSON.stringify(al.TaskStates['t']?.Events.map((e) => e.DisplayMessage)));
    } finally {
      if (a) await purgeAndStop([a]);
      squatter.kill('SIGKILL');
      // A daemon the agent started for this data dir once the name was free again.
      for (const pid of executorDaemonsOf(dataDir)) process.kill(pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

/** Pids of executor daemons serving `dataDir`. */
function executorDaemonsOf(dataDir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv.includes('executor') && argv[argv.indexOf('-data-dir') + 1] === dataDir) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const SECRETS = {
  VAULT_TOKEN: 'leak-vault',
  CONSUL_HTTP_TOKEN: 'leak-consul',
  AWS_SECRET_ACCESS_KEY: 'leak-aws',
  GOOGLE_APPLICATION_CREDENTIALS: 'leak-gcp',
  NOMAD_LICENSE: 'leak-license',
};
const AGENT_ENV = { ...SECRETS, DROVER_CHAOS_PLAIN: 'plain-ok' };

/** One agent with raw_exec, started with credentials in its environment, shared by the scenarios that need no special config. */
let shared: Promise<AgentProcess> | undefined;
function sharedAgent(): Promise<AgentProcess> {
  shared ??= startAgent({ env: AGENT_ENV, configHcl: RAW_EXEC_CONFIG }).then((a) => {
    agents.push(a);
    return a;
  });
  return shared;
}

/** Connects to the unix socket `path` as uid/gid `uid`; "connected" or the error code. */
function connectAs(uid: number, path: string): string {
  const script = `require('node:net').connect(process.argv[1]).on('connect', () => { console.log('connected'); process.exit(0) }).on('error', (e) => { console.log(e.code); process.exit(0) })`;
  const r = spawnSync(process.execPath, ['-e', script, path], { uid, gid: uid, cwd: '/', encoding: 'utf8', timeout: scaled(20_000) });
  return `${r.stdout.trim()}${r.stderr.trim() === '' ? '' : ` (${r.stderr.trim()})`}`;
}

function mode(path: string): string {
  return (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');
}

async function logText(a: AgentProcess, allocId: string, task: string, type: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of a.client.client.logs(allocId, { task, type })) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

async function finished(a: AgentProcess, job: string): Promise<string> {
  return eventually(async () => {
    const al = (await a.client.jobs.allocations(job))[0];
    return al !== undefined && (al.ClientStatus === 'complete' || al.ClientStatus === 'failed') ? al.ID : undefined;
  }, { timeoutMs: 60_000, message: `${job} finished` });
}

test('the executor socket is the agent user\'s only: mode 0600, another uid is refused', { skip: SKIP_ROOT }, async () => {
  const a = await sharedAgent();
  await runHcl(a.client, batch('up', 'raw_exec', '/bin/true', []));
  await finished(a, 'up');
  const sock = join(a.dataDir, 'executor.sock');
  const sockMode = mode(sock);
  assert.equal(sockMode, '0600');
  assert.equal(statSync(sock).uid, process.getuid?.());
  assert.equal(connectAs(0, sock), 'connected');
  assert.equal(connectAs(NOBODY, sock), 'EACCES');
  report({
    scenario: 'executor socket from another uid',
    runs: 1,
    checked: 'socket mode 0600 owned by the agent user; uid 65534 gets EACCES, the owner connects',
    result: 'pass',
    figures: { 'socket mode': sockMode, 'data dir mode': mode(a.dataDir), 'nobody': 'EACCES' },
  });
});

test('a served plugin\'s gRPC socket is the agent user\'s only, even under umask 000', { skip: SKIP_ROOT }, async () => {
  const socketDir = mkdtempSync(join(tmpdir(), 'drover-plugsock-'));
  const execDir = mkdtempSync(join(tmpdir(), 'drover-plugexec-'));
  cleanups.push(() => rmSync(socketDir, { recursive: true, force: true }), () => rmSync(execDir, { recursive: true, force: true }));
  // A world-writable socket dir, as /tmp is, and the loosest umask a plugin could inherit.
  execFileSync('chmod', ['1777', socketDir]);
  const p = spawn('/bin/sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, MAIN, 'plugin', 'serve', 'raw_exec', '-data-dir', execDir], {
    env: { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '2', PLUGIN_UNIX_SOCKET_DIR: socketDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanups.push(() => p.kill('SIGKILL'));
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const line = await eventually(() => out.split('\n').find((l) => l.split('|').length >= 5), { timeoutMs: 30_000, message: 'the plugin handshake' });
  const [, , network, address] = line.split('|');
  assert.equal(network, 'unix');
  const sock = address as string;
  const sockMode = mode(sock);
  const dirMode = mode(dirname(sock));
  // Reachable by the owner only: the socket itself, or a private dir around it.
  assert.ok((statSync(sock).mode & 0o077) === 0 || (dirname(sock) !== socketDir && (statSync(dirname(sock)).mode & 0o077) === 0), `socket ${sockMode} in dir ${dirMode}`);
  assert.equal(connectAs(0, sock), 'connected');
  assert.equal(connectAs(NOBODY, sock), 'EACCES');
  p.stdin.end();
  p.kill('SIGTERM');
  report({
    scenario: 'plugin gRPC socket from another uid',
    runs: 1,
    checked: 'served under umask 000 in a world-writable dir, the socket is still the owner\'s only; uid 65534 gets EACCES',
    result: 'pass',
    figures: { 'socket mode': sockMode, 'socket dir mode': dirMode, 'nobody': 'EACCES' },
  });
});

test('Nomad\'s env deny list holds for mock_driver, raw_exec, exec and a plugin-served raw_exec; other host vars pass', async () => {
  const pluginDir = mkdtempSync(join(tmpdir(), 'drover-plugins-'));
  const execDir = mkdtempSync(join(tmpdir(), 'drover-plugin-exec-'));
  cleanups.push(() => rmSync(pluginDir, { recursive: true, force: true }), () => rmSync(execDir, { recursive: true, force: true }));
  execFileSync(process.execPath, [MAIN, 'plugin', 'install', pluginDir, 'raw_exec'], { stdio: 'ignore' });
  const builtIn = await sharedAgent();
  // The plugin-served raw_exec replaces the built-in one, so it gets an agent of its own.
  const served = await startAgent({
    env: AGENT_ENV,
    configHcl: `plugin_dir = "${pluginDir}"
plugin "drover-driver-raw_exec" {
  args = ["-data-dir", "${execDir}"]
  config {
    enabled = true
  }
}
`,
  });
  agents.push(served);
  const seen: Record<string, string> = {};
  const drivers = [
    { name: 'mock_driver', agent: builtIn, job: 'env-mock', hcl: batchMock('env-mock', Object.keys(SECRETS)) },
    { name: 'raw_exec', agent: builtIn, job: 'env-raw', hcl: batch('env-raw', 'raw_exec', '/usr/bin/env', []) },
    { name: 'exec', agent: builtIn, job: 'env-exec', hcl: batch('env-exec', 'exec', '/usr/bin/env', []) },
    { name: 'plugin raw_exec', agent: served, job: 'env-plugin', hcl: batch('env-plugin', 'raw_exec', '/usr/bin/env', []) },
  ];
  for (const d of drivers) {
    await runHcl(d.agent.client, d.hcl);
    seen[d.name] = await logText(d.agent, await finished(d.agent, d.job), 't');
  }
  for (const [driver, text] of Object.entries(seen)) {
    for (const [k, v] of Object.entries(SECRETS)) assert.doesNotMatch(text, new RegExp(v), `${driver} leaked ${k}: ${text}`);
    assert.match(text, /plain-ok/, `${driver} passes ordinary host variables: ${text}`);
  }
  report({
    scenario: 'agent env deny list across drivers',
    runs: drivers.length,
    checked: `${Object.keys(SECRETS).join(', ')} in the agent's env reach no task; an ordinary variable does`,
    result: 'pass',
    figures: { drivers: Object.keys(seen).join('+') },
  });
});

test('client options "env.denylist" replaces the deny list, as Nomad: the listed variable stays out, the default ones then pass', async () => {
  const a = await startAgent({
    env: { DROVER_CHAOS_SECRET: 'leak-custom', VAULT_TOKEN: 'vault-passes', DROVER_CHAOS_PLAIN: 'plain-ok' },
    configHcl: 'client {\n  options = {\n    "env.denylist" = "DROVER_CHAOS_SECRET"\n  }\n}\n',
  });
  agents.push(a);
  await runHcl(a.client, batchMock('env-custom', ['DROVER_CHAOS_SECRET', 'VAULT_TOKEN']));
  const text = await logText(a, await finished(a, 'env-custom'), 't');
  assert.doesNotMatch(text, /leak-custom/, text);
  assert.match(text, /VAULT_TOKEN=vault-passes/, text);
  assert.match(text, /plain-ok/, text);
  report({ scenario: 'custom env.denylist', runs: 1, checked: 'a variable named in client options "env.denylist" reaches no task', result: 'pass' });
});

/** An agent running "keeper": an exec task as nobody that wrote its secret into its secrets dir (started once, for both probes). */
let keeperRun: Promise<{ a: AgentProcess; allocId: string }> | undefined;
function keeper(): Promise<{ a: AgentProcess; allocId: string }> {
  keeperRun ??= (async () => {
    const a = await sharedAgent();
    // The owner runs as nobody too: it must still use its own secrets dir.
    await runHcl(
      a.client,
      `job "keeper" {
  group "g" {
    task "t" {
      driver = "exec"
      user   = "nobody"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo s3cret-keeper > /secrets/token && cat /secrets/token && sleep 600"]
      }
    }
  }
}`,
    );
    const al = await eventually(async () => {
      const x = (await a.client.jobs.allocations('keeper'))[0];
      return x?.ClientStatus === 'running' && /s3cret-keeper/.test(await logText(a, x.ID, 't')) ? x : undefined;
    }, { timeoutMs: 60_000, message: 'the keeper wrote its secret' });
    return { a, allocId: al.ID };
  })();
  return keeperRun;
}

/** Runs an exec task as nobody in another alloc that tries every visible pid's /proc/<pid>/root/secrets and the keeper's host path; its output. */
async function probeSecrets(pidMode: 'private' | 'host'): Promise<string> {
  const { a, allocId } = await keeper();
  const hostPath = join(a.dataDir, 'alloc', allocId, 't', 'secrets', 'token');
  const probe = `for p in /proc/[0-9]*; do cat $p/root/secrets/token 2>/dev/null; done; cat ${hostPath} 2>&1; echo probed`;
  const job = `probe-${pidMode}`;
  await runHcl(
    a.client,
    `job "${job}" {
  type = "batch"
  group "g" {
    task "t" {
      driver = "exec"
      user   = "nobody"
      config {
        command  = "/bin/sh"
        args     = [${JSON.stringify('-c')}, ${JSON.stringify(probe)}]
        pid_mode = "${pidMode}"
      }
    }
  }
}`,
  );
  const text = await logText(a, await finished(a, job), 't');
  assert.match(text, /probed/, text);
  return text;
}

test('a task\'s secrets/ is out of reach of another allocation\'s exec task running as nobody', { skip: SKIP_ROOT }, async () => {
  const text = await probeSecrets('private');
  assert.doesNotMatch(text, /s3cret-keeper/, text);
  report({
    scenario: 'secrets dir from another alloc\'s task',
    runs: 1,
    checked: 'an exec task as nobody reads no other task\'s secrets, by /proc/<pid>/root or the host path; the owner as nobody uses its own',
    result: 'pass',
  });
});

test(
  'with pid_mode = "host", a same-uid task of another allocation cannot read the secrets through /proc/<pid>/root either',
  {
    skip: SKIP_ROOT,
    todo: 'it can: two exec tasks as nobody in the host pid namespace pass the kernel\'s ptrace check on each other (same uid, same caps, dumpable), so /proc/<pid>/root/secrets is readable; Nomad\'s exec is the same. Needs a uid per task or a non-dumpable task',
  },
  async () => {
    const text = await probeSecrets('host');
    assert.doesNotMatch(text, /s3cret-keeper/, text);
  },
);


/** A mock_driver job printing the task env's values of `keys` (and the plain one) through ${env.X}. */
function batchMock(id: string, keys: readonly string[]): string {
  const s = [...keys, 'DROVER_CHAOS_PLAIN'].map((k) => `${k}=\${env.${k}}`).join(' ');
  return `job "${id}" {
  type = "batch"
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for       = "10ms"
        stdout_string = "${s}"
      }
    }
  }
}`;
}
