import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '../model/logger.js';
import { PluginConnection, call } from './client/connection.js';
import { launchPlugin } from './client/launch.js';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, negotiateAppProtocol, parseHandshake, portRange } from './handshake.js';
import { StdioCapture } from './stdio.js';
import { listenTcp } from './server/listen.js';
import { installPluginShims, shimScript } from './install.js';
import { parseServeArgs } from './serve-main.js';
import { eventually } from '../model/testing/eventually.js';
import { GRPCStdioClient, GRPCStdioService } from './wire/go-plugin.js';
import { HealthService } from './wire/health.js';

const MAIN_JS = fileURLToPath(new URL('../main.js', import.meta.url));
const COOKIE = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE };

function shim(): string {
  return installPluginShims(fs.mkdtempSync(path.join(os.tmpdir(), 'drover-plugin-dir-')), { drivers: ['mock_driver'] })[0] as string;
}

/** Whether signal `sig` is pending for `pid` (its SigPnd or ShdPnd mask in /proc). */
function signalPending(pid: number, sig: number): boolean {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const bit = 1n << BigInt(sig - 1);
  return [...status.matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)].some((m) => (BigInt(`0x${m[1]}`) & bit) !== 0n);
}

/** Runs `cmd` to completion with `env`; returns exit code and output. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('plugin serve: without the magic cookie it exits 1, says it is a Nomad plugin, prints nothing on stdout', async () => {
  const env = { ...process.env };
  delete env[MAGIC_COOKIE_KEY];
  for (const [cmd, args] of [[shim(), []], [process.execPath, [MAIN_JS, 'plugin', 'serve', 'mock_driver']]] as const) {
    const r = await run(cmd, [...args], env);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /This binary is a plugin for Nomad/);
  }
  const wrong = await run(shim(), [], { ...env, [MAGIC_COOKIE_KEY]: 'nope' });
  assert.equal(wrong.code, 1);
});

test('plugin serve: an unknown driver is refused with exit 1', async () => {
  const r = await run(process.execPath, [MAIN_JS, 'plugin', 'serve', 'no_such_driver'], { ...process.env, ...COOKIE });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /unknown driver "no_such_driver"/);
});

test('plugin serve: the handshake is the first stdout line; health, SIGINT, broker, controller shutdown', async () => {
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-sock-'));
  const p = await launchPlugin({ path: shim(), logger: silentLogger, socketDir, startTimeoutMs: 20_000 });
  let firstLine = '';
  try {
    // launchPlugin took the first line; check its exact shape by re-forming it.
    firstLine = `1|2|unix|${p.handshake.address}|grpc|`;
    assert.deepEqual(parseHandshake(firstLine), p.handshake);
    // In a private dir of its own inside PLUGIN_UNIX_SOCKET_DIR, so no other user can reach it whatever the umask.
    assert.equal(path.dirname(path.dirname(p.handshake.address)), socketDir);
    assert.match(path.basename(path.dirname(p.handshake.address)), /^plugin/);
    assert.equal(fs.statSync(path.dirname(p.handshake.address)).mode & 0o777, 0o700);
    assert.equal(fs.statSync(p.handshake.address).mode & 0o777, 0o600);
    assert.ok(fs.statSync(p.handshake.address).isSocket());
    const conn = await PluginConnection.open(p.handshake, silentLogger);
    const health = new grpc.Client(`unix://${p.handshake.address}`, grpc.credentials.createInsecure());
    assert.deepEqual(await call(health, HealthService.check, { service: 'plugin' }), { status: 1 });
    assert.deepEqual(await call(health, HealthService.check, { service: '' }), { status: 1 });
    await assert.rejects(call(health, HealthService.check, { service: 'other' }), (e: grpc.ServiceError) => e.code === grpc.status.NOT_FOUND);
    // go-plugin plugins ignore Ctrl-C: the host decides when they stop.
    process.kill(p.pid, 'SIGINT');
    // Once delivered (no longer pending) the plugin's loop has it before our next call.
    await eventually(() => !signalPending(p.pid, 2), { message: 'SIGINT delivered' });
    assert.deepEqual(await call(health, HealthService.check, { service: 'plugin' }), { status: 1 });
    health.close();
    await conn.shutdown(5_000);
    const exit = await p.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(fs.existsSync(path.dirname(p.handshake.address)), false, 'socket and its dir removed');
    conn.close();
  } finally {
    p.child.kill('SIGKILL');
  }
});

test('plugin serve: nothing precedes the handshake line on stdout', async () => {
  const c = spawn(shim(), [], { env: { ...process.env, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: '2' }, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  await new Promise<void>((resolve) => c.stdout.on('data', (d) => ((out += d), out.includes('\n') && resolve())));
  c.kill('SIGTERM');
  await new Promise((r) => c.on('exit', r));
  assert.match(out, /^1\|2\|unix\|\/[^|]+\|grpc\|\n$/);
});

test('handshake: protocol negotiation as go-plugin (highest common, else our lowest)', () => {
  assert.equal(negotiateAppProtocol({ PLUGIN_PROTOCOL_VERSIONS: '1,2' }), 2);
  assert.equal(negotiateAppProtocol({ PLUGIN_PROTOCOL_VERSIONS: '1' }), 2);
  assert.equal(negotiateAppProtocol({}), 2);
  assert.equal(negotiateAppProtocol({ PLUGIN_PROTOCOL_VERSIONS: '3,1' }, [1, 2, 3]), 3);
  assert.throws(() => parseHandshake('2|2|unix|/x|grpc|'), /incompatible core API version/);
  assert.throws(() => parseHandshake('hello'), /Unrecognized remote plugin message/);
  assert.deepEqual(portRange({ PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '10010' }), { min: 10000, max: 10010 });
  assert.throws(() => portRange({ PLUGIN_MIN_PORT: '5', PLUGIN_MAX_PORT: '4' }), /greater than/);
});

test('listener: TCP honours PLUGIN_MIN_PORT..PLUGIN_MAX_PORT and skips taken ports', async () => {
  const blocker = new grpc.Server();
  const base = 20000 + Math.floor(Math.random() * 20000);
  const taken = await new Promise<number>((res, rej) => blocker.bindAsync(`127.0.0.1:${base}`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const server = new grpc.Server();
  try {
    const l = await listenTcp(server, { PLUGIN_MIN_PORT: String(taken), PLUGIN_MAX_PORT: String(taken + 5) });
    const port = Number(l.address.split(':')[1]);
    assert.ok(port > taken && port <= taken + 5, `bound ${l.address}`);
  } finally {
    server.forceShutdown();
    blocker.forceShutdown();
  }
});

test('stdio: output written after the handshake reaches the host over GRPCStdio', async () => {
  const capture = new StdioCapture(10);
  capture.push(1, Buffer.from('dropped-'));
  capture.push(1, Buffer.from('early '));
  const server = new grpc.Server();
  server.addService(GRPCStdioService, capture.handlers());
  const sock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drover-sock-')), 's');
  await new Promise<void>((res, rej) => server.bindAsync(`unix://${sock}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? rej(e) : res())));
  const client = new GRPCStdioClient(`unix://${sock}`, grpc.credentials.createInsecure());
  const got: { channel: number; data: Buffer }[] = [];
  const s = client.streamStdio({});
  s.on('data', (d: { channel: number; data: Buffer }) => got.push(d));
  s.on('error', () => {});
  await eventually(() => got.length === 1, { message: 'the buffered output' });
  capture.push(2, Buffer.from('late'));
  await eventually(() => got.length === 2, { message: 'the live output' });
  assert.deepEqual(got.map((g) => [g.channel, g.data.toString()]), [[1, 'early '], [2, 'late']]);
  s.cancel();
  client.close();
  server.forceShutdown();
});

test('install: shims exec drover with absolute paths and pass the plugin block args', () => {
  const script = shimScript('/usr/bin/node', "/opt/dro'ver/dist/src/main.js", 'raw_exec');
  assert.match(script, /^#!\/bin\/sh\n/);
  assert.match(script, /exec '\/usr\/bin\/node' '\/opt\/dro'\\''ver\/dist\/src\/main.js' plugin serve 'raw_exec' "\$@"\n$/);
  const file = shim();
  assert.equal(path.basename(file), 'drover-driver-mock_driver');
  assert.ok((fs.statSync(file).mode & 0o111) !== 0, 'executable');
  assert.throws(() => installPluginShims(fs.mkdtempSync(path.join(os.tmpdir(), 'x-')), { drivers: ['nope'] }), /unknown driver/);
  assert.deepEqual(parseServeArgs(['raw_exec', '-data-dir', '/d']), { driver: 'raw_exec', dataDir: '/d' });
  assert.deepEqual(parseServeArgs(['--data-dir=/d', 'exec']), { driver: 'exec', dataDir: '/d' });
  assert.equal(parseServeArgs([]), 'missing DRIVER');
  assert.equal(parseServeArgs(['a', 'b']), 'unexpected argument "b"');
});

test('client: a plugin speaking another protocol version is refused, and the process is killed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-fake-'));
  const fake = path.join(dir, 'fake-plugin');
  fs.writeFileSync(fake, '#!/bin/sh\necho "1|5|unix|/nonexistent|grpc|"\nexec sleep 30\n', { mode: 0o755 });
  await assert.rejects(launchPlugin({ path: fake, logger: silentLogger }), /Incompatible API version with plugin/);
  fs.writeFileSync(fake, '#!/bin/sh\necho oops >&2\nexit 3\n', { mode: 0o755 });
  await assert.rejects(launchPlugin({ path: fake, logger: silentLogger }), /plugin exited before we could connect[\s\S]*oops/);
  fs.writeFileSync(fake, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
  await assert.rejects(launchPlugin({ path: fake, logger: silentLogger, startTimeoutMs: 300 }), /timeout while waiting for plugin to start/);
});
