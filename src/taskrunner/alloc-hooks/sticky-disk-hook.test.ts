/** The sticky disk hook on real dirs: waits for the previous alloc, moves what exists, stops waiting on shutdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../model/logger.js';
import { StickyDiskHook } from './sticky-disk-hook.js';

function dirs(t: { after: (fn: () => void) => void }): { prev: string; next: string } {
  const root = mkdtempSync(join(tmpdir(), 'drover-sticky-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const prev = join(root, 'prev');
  const next = join(root, 'next');
  mkdirSync(join(prev, 'alloc', 'data'), { recursive: true });
  mkdirSync(join(prev, 'a', 'local'), { recursive: true });
  writeFileSync(join(prev, 'alloc', 'data', 'x'), 'data');
  writeFileSync(join(prev, 'a', 'local', 'y'), 'local');
  mkdirSync(join(next, 'alloc', 'data'), { recursive: true });
  return { prev, next };
}

test('sticky disk hook: moves alloc/data and each task\'s local/ once the previous alloc ended; tasks it lacks are skipped', async (t) => {
  const { prev, next } = dirs(t);
  let end = (): void => undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const hook = new StickyDiskHook({ allocDir: next, taskNames: ['a', 'b'], previous: { id: 'p', dir: prev, ended }, signal: new AbortController().signal, logger: silentLogger });
  let done = false;
  const running = hook.prerun().then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(done, false, 'waits for the previous alloc');
  assert.equal(existsSync(join(prev, 'alloc', 'data', 'x')), true);
  end();
  await running;
  assert.equal(readFileSync(join(next, 'alloc', 'data', 'x'), 'utf8'), 'data');
  assert.equal(readFileSync(join(next, 'a', 'local', 'y'), 'utf8'), 'local');
  assert.equal(existsSync(join(prev, 'alloc', 'data')), false);
  assert.equal(existsSync(join(next, 'b')), false);
});

test('sticky disk hook: an agent shutdown ends the wait and moves nothing', async (t) => {
  const { prev, next } = dirs(t);
  const ctrl = new AbortController();
  const hook = new StickyDiskHook({ allocDir: next, taskNames: ['a'], previous: { id: 'p', dir: prev, ended: new Promise(() => undefined) }, signal: ctrl.signal, logger: silentLogger });
  const running = hook.prerun();
  ctrl.abort();
  await running;
  assert.equal(existsSync(join(prev, 'alloc', 'data', 'x')), true);
  assert.equal(existsSync(join(next, 'alloc', 'data', 'x')), false);
});

test('sticky disk hook: a non-empty destination is kept and the move fails naming the dir', async (t) => {
  const { prev, next } = dirs(t);
  writeFileSync(join(next, 'alloc', 'data', 'mine'), 'keep');
  const hook = new StickyDiskHook({ allocDir: next, taskNames: ['a'], previous: { id: 'p', dir: prev, ended: Promise.resolve() }, signal: new AbortController().signal, logger: silentLogger });
  await assert.rejects(hook.prerun(), /^Error: error moving data dir: /);
  assert.equal(readFileSync(join(next, 'alloc', 'data', 'mine'), 'utf8'), 'keep');
});
