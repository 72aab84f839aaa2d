/** `drover node status`, the agent address and ACL tokens as the CLI sees them: the real binary against real agents. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mockJob, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { ApiClient } from '../api/index.js';
import { drover } from './cli-testing.js';

let agent: AgentProcess;
let secured: AgentProcess;
before(async () => {
  [agent, secured] = await Promise.all([
    startAgent({ configHcl: 'plugin "raw_exec" {\n  config {\n    enabled = true\n  }\n}\nclient {\n  host_volume "certs" {\n    path      = "/etc/ssl"\n    read_only = true\n  }\n  host_volume "scratch" {\n    path = "/tmp"\n  }\n}\n' }),
    startAgent({ args: ['-acl-enabled'] }),
  ]);
});
after(async () => {
  await Promise.all([agent.kill('SIGKILL'), secured.kill('SIGKILL')]);
});

test('node status: the node list, and -self -verbose with every driver and its health', async () => {
  const list = await drover(['node', 'status', '-address', agent.address]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID {8}Node Pool {2}DC {3}Name +Class +Drain {2}Eligibility {2}Status$/m);
  assert.match(list.stdout, /^[0-9a-f]{8} {2}default {4}dc1 {2}\S+ +<none> {2}false {2}eligible {5}ready$/m);
  const short = await drover(['node', 'status', '-address', agent.address, '-self']);
  assert.equal(short.code, 0, short.stderr);
  assert.match(short.stdout, /^Driver Status = .*\bmock_driver\b/m);
  assert.match(short.stdout, /^Driver Status = .*\braw_exec\b/m);
  const v = await drover(['node', 'status', '-verbose', '-self', '-address', agent.address]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /^Drivers\nDriver +Detected +Healthy +Message +Time$/m);
  assert.match(v.stdout, /^Host Volumes\nName +ReadOnly +Source\ncerts +true +\/etc\/ssl\nscratch +false +\/tmp$/m);
  assert.match(short.stdout, /^Host Volumes += certs,scratch$/m);
  const node = await agent.client.nodes.info('self');
  assert.deepEqual(node.HostVolumes, { certs: { Path: '/etc/ssl', ReadOnly: true }, scratch: { Path: '/tmp', ReadOnly: false } });
  for (const d of ['mock_driver', 'raw_exec']) assert.match(v.stdout, new RegExp(`^${d} +true +true +Healthy +\\d{4}-`, 'm'));
  assert.match(v.stdout, /^exec +(true|false) +(true|false) +\S/m);
  assert.match(v.stdout, /^Attributes\n/m);
  assert.match(v.stdout, /^kernel\.name += linux$/m);
  const id = (await agent.client.nodes.list())[0]?.ID as string;
  const byId = await drover(['node', 'status', '-address', agent.address, id.slice(0, 6)]);
  assert.match(byId.stdout, new RegExp(`^ID += ${id}$`, 'm'));
});

test('-address at a dead port: a clear error, exit 1', async () => {
  const port = await freePort();
  for (const args of [['job', 'status'], ['alloc', 'status', 'abcd'], ['node', 'status'], ['alloc', 'exec', 'abcd', 'true']]) {
    const r = await drover([...args.slice(0, 2), '-address', `http://127.0.0.1:${port}`, ...args.slice(2)]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim(), `Error querying agent: connection refused at http://127.0.0.1:${port} — is "drover agent" running?`);
  }
  const env = await drover(['job', 'status'], { env: { DROVER_ADDR: `127.0.0.1:${port}` } });
  assert.match(env.stderr, new RegExp(`connection refused at http://127.0.0.1:${port}`));
});

test('ACL: commands fail with the 403 message without a token, and work with -token or DROVER_TOKEN', async () => {
  const boot = await drover(['acl', 'bootstrap', '-address', secured.address]);
  assert.equal(boot.code, 0, boot.stderr);
  const secret = /^Secret ID\s+= (\S+)$/m.exec(boot.stdout)?.[1] as string;
  await runHcl(new ApiClient({ address: secured.address, token: secret }), mockJob('guarded', 'run_for = "30s"'));
  const env = { DROVER_ADDR: secured.address };
  const anon = await drover(['job', 'status'], { env });
  assert.equal(anon.code, 1);
  assert.equal(anon.stderr.trim(), 'Error querying jobs: Unexpected response code: 403 (Permission denied)');
  const anonJob = await drover(['job', 'status', 'guarded'], { env });
  assert.equal(anonJob.code, 1);
  assert.match(anonJob.stderr, /403 \(Permission denied\)/);
  const anonNode = await drover(['node', 'status'], { env });
  assert.match(anonNode.stderr, /^Error querying node status: Unexpected response code: 403 \(Permission denied\)/);
  const bad = await drover(['job', 'status', '-token', 'not-a-token'], { env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /403 \(ACL token not found\)/);
  const flag = await drover(['job', 'status', '-token', secret], { env });
  assert.equal(flag.code, 0, flag.stderr);
  assert.match(flag.stdout, /^guarded +service/m);
  const viaEnv = await drover(['job', 'status', 'guarded'], { env: { ...env, DROVER_TOKEN: secret } });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.match(viaEnv.stdout, /^ID {12}= guarded$/m);
  const stop = await drover(['job', 'stop', '-purge', 'guarded'], { env: { ...env, DROVER_TOKEN: secret } });
  assert.equal(stop.code, 0, stop.stderr);
});

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
