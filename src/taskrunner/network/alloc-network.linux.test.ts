/**
 * Real bridge networking through Debian's CNI plugins (root, iproute2,
 * iptables, nsenter and /usr/lib/cni only): ports reach a server inside the
 * allocation's namespace from the host, allocations are apart, outbound
 * reaches the gateway, and teardown leaves nothing: no namespace file, no
 * veth, no iptables rule naming the allocation or its address, no
 * host-local lease, no record. Every alloc id is fresh; `after` removes
 * whatever a failed test left.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, within } from '../../model/testing/eventually.js';
import { findIp, netnsPath } from '../../drivers/shared/netns.js';
import { AllocNetworks } from './alloc-network.js';
import type { AllocNetworkStatus } from './network-status.js';

let skip: string | undefined;
const tmp = mkdtempSync(join(tmpdir(), 'drover-net-test-'));
const recordDir = join(tmp, 'records');
const markerDir = join(tmp, 'markers');
const ids: string[] = [];
const children: ChildProcess[] = [];
const LEASES = '/var/lib/cni/networks/nomad';

function nets(extra: ConstructorParameters<typeof AllocNetworks>[0] = {}): AllocNetworks {
  return new AllocNetworks({ recordDir, netns: { markerDir }, ...extra });
}

before(() => {
  const need: Array<[string, string]> = [['/usr/lib/cni/bridge', 'containernetworking-plugins'], ['/usr/sbin/iptables', 'iptables'], ['/usr/bin/nsenter', 'util-linux']];
  if (process.getuid?.() !== 0) skip = 'bridge networking needs root';
  else if (findIp() === undefined) skip = 'iproute2 (ip) is not installed';
  else {
    for (const [path, pkg] of need) {
      try {
        accessSync(path, constants.X_OK);
      } catch {
        skip = `${path} missing (Debian package ${pkg})`;
        break;
      }
    }
  }
  if (skip) process.stderr.write(`# bridge network tests skipped: ${skip}\n`);
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  if (!skip) {
    const n = nets();
    for (const id of ids) await n.teardown(id);
    for (const bridge of ['drvtest0', 'drvtest1']) {
      try {
        execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
      } catch {
        // never made, or already gone
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

function allocId(): string {
  const id = randomUUID();
  ids.push(id);
  return id;
}

/** A free TCP port on the host (portmap does not check). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '0.0.0.0', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a TCP server inside `ns` that answers `reply` then closes; resolves once it listens. */
async function serveInNs(ns: string, host: string, port: number, reply: string): Promise<ChildProcess> {
  const code = `require('net').createServer((s) => s.end(${JSON.stringify(reply)})).listen(${port}, ${JSON.stringify(host)}, () => console.log('listening'))`;
  const child = spawn('nsenter', [`--net=${ns}`, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await within(
    new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (b: Buffer) => b.toString().includes('listening') && resolve());
      child.once('exit', (c) => reject(new Error(`server in ${ns} exited ${c}`)));
    }),
    10_000,
    'server in namespace listening',
  );
  return child;
}

/** Connects from the host and reads until the peer closes. */
function fetchTcp(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host, port });
    let data = '';
    sock.setTimeout(2000, () => sock.destroy(new Error('timeout')));
    sock.on('data', (b: Buffer) => (data += b.toString()));
    sock.on('end', () => resolve(data));
    sock.on('error', reject);
  });
}

/** Connects from inside `ns`; resolves what was read, or "ERR <code>". */
function fetchFromNs(ns: string, host: string, port: number): Promise<string> {
  const code = `const s = require('net').createConnection({ host: ${JSON.stringify(host)}, port: ${port} }); let d = ''; s.setTimeout(3000, () => { console.log('ERR timeout'); process.exit(0); }); s.on('data', (b) => d += b); s.on('end', () => { console.log(d); process.exit(0); }); s.on('error', (e) => { console.log('ERR ' + e.code); process.exit(0); });`;
  return new Promise((resolve, reject) => {
    execFile('nsenter', [`--net=${ns}`, process.execPath, '-e', code], (err, stdout) => {
      if (err === null) resolve(stdout.trim());
      else reject(new Error(`nsenter client failed: ${err.message}`, { cause: err }));
    });
  });
}

function hostAddress(): string | undefined {
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (name === 'nomad' || name.startsWith('veth') || name.startsWith('drvtest')) continue;
    const a = addrs?.find((x) => x.family === 'IPv4' && !x.internal);
    if (a) return a.address;
  }
  return undefined;
}

function iptablesText(): string {
  return execFileSync('iptables-save', { encoding: 'utf8' });
}

function leaseHolders(dir = LEASES): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f))
    .map((f) => readFileSync(join(dir, f), 'utf8').split(/\s+/)[0] ?? '');
}

function linkExists(name: string): boolean {
  try {
    execFileSync('ip', ['link', 'show', 'dev', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Everything the allocation's network made is gone. */
function assertGone(id: string, status?: AllocNetworkStatus, leases = LEASES): void {
  assert.equal(existsSync(netnsPath(id)), false, 'namespace file removed');
  for (const v of status?.hostInterfaces.filter((i) => i.startsWith('veth')) ?? []) assert.equal(linkExists(v), false, `veth ${v} removed`);
  const rules = iptablesText();
  assert.equal(rules.includes(id), false, 'no iptables rule names the alloc id');
  if (status?.address) assert.equal(rules.includes(`${status.address}/32`), false, 'no iptables rule names the alloc address');
  assert.equal(leaseHolders(leases).includes(id), false, 'no host-local lease for the alloc');
  assert.equal(existsSync(join(recordDir, `${id}.json`)), false, 'record removed');
}

test('bridge: a mapped port reaches a server in the namespace via 127.0.0.1 and the host address; teardown leaves nothing, twice', async (t) => {
  if (skip) return t.skip(skip);
  const n = nets();
  const id = allocId();
  const hostPort = await freePort();
  const status = await n.setup({ allocId: id, mode: 'bridge', ports: [{ label: 'http', value: hostPort, to: 8080 }] });
  assert.equal(status.netnsPath, `/var/run/netns/${id}`);
  assert.equal(status.interfaceName, 'eth0');
  assert.match(status.address ?? '', /^172\.26\.(6[4-9]|7\d)\.\d+$/);
  assert.equal(status.gateway, '172.26.64.1');
  assert.ok(leaseHolders().includes(id), 'host-local lease held while up');
  const server = await serveInNs(status.netnsPath, '0.0.0.0', 8080, `hello from ${id}`);
  assert.equal(await eventually(() => fetchTcp('127.0.0.1', hostPort), { message: 'reply via 127.0.0.1' }), `hello from ${id}`);
  const hostIp = hostAddress();
  if (hostIp !== undefined) assert.equal(await eventually(() => fetchTcp(hostIp, hostPort), { message: `reply via ${hostIp}` }), `hello from ${id}`);
  else t.diagnostic('no non-loopback host address: only 127.0.0.1 checked');
  assert.equal(await fetchTcp(status.address ?? '', 8080), `hello from ${id}`, 'the alloc address is reachable from the host on the bridge');
  server.kill('SIGKILL');

  await n.teardown(id);
  assertGone(id, status);
  await n.teardown(id);
  assertGone(id, status);
});

test('bridge: two allocations get different addresses and do not share a loopback; outbound reaches the gateway', async (t) => {
  if (skip) return t.skip(skip);
  const n = nets();
  const a = await n.setup({ allocId: allocId(), mode: 'bridge' });
  const b = await n.setup({ allocId: allocId(), mode: 'bridge' });
  try {
    assert.notEqual(a.address, b.address);
    await serveInNs(a.netnsPath, '127.0.0.1', 9000, 'a-loopback');
    assert.equal(await fetchFromNs(a.netnsPath, '127.0.0.1', 9000), 'a-loopback');
    assert.equal(await fetchFromNs(b.netnsPath, '127.0.0.1', 9000), 'ERR ECONNREFUSED');

    const hostServer: Server = createServer((s) => s.end('host says hi'));
    await new Promise<void>((resolve) => hostServer.listen(0, '0.0.0.0', resolve));
    try {
      const addr = hostServer.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      assert.equal(await fetchFromNs(a.netnsPath, a.gateway ?? '', port), 'host says hi');
    } finally {
      hostServer.close();
    }
  } finally {
    await n.teardown(a.allocId);
    await n.teardown(b.allocId);
  }
  assertGone(a.allocId, a);
  assertGone(b.allocId, b);
});

test('none: the namespace has only lo, and it is up', async (t) => {
  if (skip) return t.skip(skip);
  const n = nets();
  const id = allocId();
  const status = await n.setup({ allocId: id, mode: 'none' });
  assert.deepEqual({ interfaceName: status.interfaceName, address: status.address }, { interfaceName: 'lo', address: undefined });
  const links = execFileSync('ip', ['-n', id, '-o', 'link'], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(links.length, 1);
  assert.match(links[0] ?? '', /^1: lo: <[^>]*\bUP\b/);
  await serveInNs(status.netnsPath, '127.0.0.1', 9001, 'lo works');
  assert.equal(await fetchFromNs(status.netnsPath, '127.0.0.1', 9001), 'lo works');
  await n.teardown(id);
  assertGone(id);
});

test('teardown from the alloc id alone after the agent was SIGKILLed mid-life', async (t) => {
  if (skip) return t.skip(skip);
  const id = allocId();
  const hostPort = await freePort();
  const mod = fileURLToPath(new URL('./alloc-network.js', import.meta.url));
  const script = `import { AllocNetworks } from ${JSON.stringify(mod)};
const s = await new AllocNetworks({ recordDir: ${JSON.stringify(recordDir)}, netns: { markerDir: ${JSON.stringify(markerDir)} } })
  .setup({ allocId: ${JSON.stringify(id)}, mode: 'bridge', ports: [{ label: 'http', value: ${hostPort}, to: 8080 }] });
console.log(JSON.stringify(s));
setInterval(() => {}, 1000);`;
  const agent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(agent);
  const line = await within(
    new Promise<string>((resolve, reject) => {
      let out = '';
      agent.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      agent.once('exit', (c) => reject(new Error(`agent exited ${c} before setting up`)));
    }),
    20_000,
    'child agent setup',
  );
  const status = JSON.parse(line) as AllocNetworkStatus;
  agent.kill('SIGKILL');
  await new Promise((resolve) => agent.once('exit', resolve));
  assert.ok(iptablesText().includes(id), 'portmap and masquerade rules name the alloc while it is up');

  await nets().teardown(id);
  assertGone(id, status);
});

test('teardown sweeps iptables when the namespace vanished first and only the caller\'s saved status is left', async (t) => {
  if (skip) return t.skip(skip);
  const n = nets();
  const id = allocId();
  const status = await n.setup({ allocId: id, mode: 'bridge', ports: [{ label: 'http', value: await freePort(), to: 0 }] });
  execFileSync('ip', ['netns', 'delete', id]);
  rmSync(join(recordDir, `${id}.json`));
  await n.teardown(id, { mode: status.mode, portMappings: status.portMappings, ...(status.cniResult ? { cniResult: status.cniResult } : {}) });
  assertGone(id, status);
});

test('a failing CNI plugin gives an error naming it and its message, and leaves nothing behind', async (t) => {
  if (skip) return t.skip(skip);
  const bin = join(tmp, 'bin');
  const conf = join(tmp, 'conf');
  for (const d of [bin, conf]) execFileSync('mkdir', ['-p', d]);
  const plugin = join(bin, 'always-fails');
  writeFileSync(plugin, `#!/bin/sh\ncat >/dev/null\nif [ "$CNI_COMMAND" = ADD ]; then\n  echo '{"cniVersion":"0.4.0","code":7,"msg":"refusing on purpose","details":"test plugin"}'\n  exit 1\nfi\nexit 0\n`);
  chmodSync(plugin, 0o755);
  writeFileSync(
    join(conf, 'failing.conflist'),
    JSON.stringify({
      cniVersion: '0.4.0',
      name: 'failing',
      plugins: [
        { type: 'loopback' },
        { type: 'bridge', bridge: 'drvtest0', ipMasq: true, isGateway: true, ipam: { type: 'host-local', ranges: [[{ subnet: '172.26.96.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] } },
        { type: 'firewall', backend: 'iptables' },
        { type: 'portmap', capabilities: { portMappings: true }, snat: true },
        { type: 'always-fails' },
      ],
    }),
  );
  const n = nets({ cniPath: bin, cniConfigDir: conf });
  const id = allocId();
  await assert.rejects(n.setup({ allocId: id, mode: 'cni/failing', ports: [{ label: 'p', value: await freePort(), to: 80 }] }), {
    code: 'validation',
    plugin: 'always-fails',
    message: 'CNI plugin "always-fails" failed on ADD: refusing on purpose (test plugin) [CNI error 7]',
  });
  assertGone(id, undefined, '/var/lib/cni/networks/failing');
  assert.equal(iptablesText().includes('172.26.96.2/32'), false, 'no firewall rule for the address the bridge gave');
  assert.deepEqual(await n.listNamespaces(), []);
});

test('cni/<name>: a user network from cni_config_dir with plugins from /usr/lib/cni', async (t) => {
  if (skip) return t.skip(skip);
  const conf = join(tmp, 'conf2');
  execFileSync('mkdir', ['-p', conf]);
  writeFileSync(
    join(conf, 'mynet.conflist'),
    JSON.stringify({
      cniVersion: '1.0.0',
      name: 'mynet',
      plugins: [{ type: 'loopback' }, { type: 'bridge', bridge: 'drvtest1', isGateway: true, ipMasq: true, ipam: { type: 'host-local', ranges: [[{ subnet: '172.26.97.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] } }],
    }),
  );
  const n = nets({ cniConfigDir: conf, cniPath: '/opt/cni/does-not-exist' });
  const id = allocId();
  const status = await n.setup({ allocId: id, mode: 'cni/mynet' });
  assert.match(status.address ?? '', /^172\.26\.97\.\d+$/);
  assert.deepEqual(await n.listNamespaces(), [id]);
  await n.teardown(id);
  assertGone(id, status, '/var/lib/cni/networks/mynet');
});
