/**
 * Real named network namespaces (root and iproute2 only): create, adopt,
 * list, destroy twice, and a leftover file from a crash.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, destroyNetns, findIp, listNetns, netnsExists, netnsLoopbackUp, netnsPath, type NetnsOptions } from './netns.js';

let skip: string | undefined;
const markerDir = mkdtempSync(join(tmpdir(), 'drover-netns-test-'));
const opts: NetnsOptions = { markerDir };
const made: string[] = [];

before(() => {
  if (process.getuid?.() !== 0) skip = 'network namespaces need root';
  else if (findIp() === undefined) skip = 'iproute2 (ip) is not installed';
  if (skip) process.stderr.write(`# netns tests skipped: ${skip}\n`);
});

after(async () => {
  for (const name of made) await destroyNetns(name, opts);
  rmSync(markerDir, { recursive: true, force: true });
});

function name(): string {
  const n = `drover-test-${randomUUID()}`;
  made.push(n);
  return n;
}

function links(n: string): string[] {
  return execFileSync('ip', ['-n', n, '-o', 'link'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.split(':')[1]?.trim() ?? '');
}

test('createNetns makes a persistent namespace with only lo; destroyNetns removes it, twice is fine', async (t) => {
  if (skip) return t.skip(skip);
  const n = name();
  const ns = await createNetns(n, opts);
  assert.deepEqual(ns, { name: n, path: `/var/run/netns/${n}`, created: true });
  assert.equal(netnsExists(n), true);
  assert.deepEqual(links(n), ['lo']);
  await destroyNetns(n, opts);
  assert.equal(netnsExists(n), false);
  assert.equal(existsSync(netnsPath(n)), false);
  assert.equal(existsSync(join(markerDir, n)), false);
  await destroyNetns(n, opts);
});

test('createNetns adopts a live namespace of the same name (agent restart) instead of failing', async (t) => {
  if (skip) return t.skip(skip);
  const n = name();
  await createNetns(n, opts);
  const again = await createNetns(n, opts);
  assert.equal(again.created, false);
  assert.equal(again.path, netnsPath(n));
  await destroyNetns(n, opts);
});

test('netnsLoopbackUp brings lo up inside the namespace', async (t) => {
  if (skip) return t.skip(skip);
  const n = name();
  await createNetns(n, opts);
  await netnsLoopbackUp(n, opts);
  const lo = execFileSync('ip', ['-n', n, '-o', 'link', 'show', 'lo'], { encoding: 'utf8' });
  assert.match(lo, /[<,]UP[,>]/);
  await destroyNetns(n, opts);
});

test('listNetns names only live namespaces drover made, and drops markers of vanished ones', async (t) => {
  if (skip) return t.skip(skip);
  const a = name();
  const b = name();
  const foreign = name();
  await createNetns(a, opts);
  await createNetns(b, opts);
  execFileSync('ip', ['netns', 'add', foreign]);
  assert.deepEqual(await listNetns(opts), [a, b].sort());
  // b vanishes behind drover's back (someone ran `ip netns delete`).
  execFileSync('ip', ['netns', 'delete', b]);
  assert.deepEqual(await listNetns(opts), [a]);
  assert.equal(existsSync(join(markerDir, b)), false);
  execFileSync('ip', ['netns', 'delete', foreign]);
  await destroyNetns(a, opts);
  assert.deepEqual(await listNetns(opts), []);
});

test('destroyNetns removes a leftover plain file (a crash before the bind mount)', async (t) => {
  if (skip) return t.skip(skip);
  const n = name();
  writeFileSync(netnsPath(n), '');
  assert.equal(netnsExists(n), false);
  await destroyNetns(n, opts);
  assert.equal(existsSync(netnsPath(n)), false);
});

test('names that could escape /var/run/netns are refused', async (t) => {
  if (skip) return t.skip(skip);
  await assert.rejects(createNetns('../etc', opts), { code: 'validation' });
  await assert.rejects(createNetns('', opts), { code: 'validation' });
});
