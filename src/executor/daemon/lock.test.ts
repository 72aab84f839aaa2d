import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonPaths } from '../paths.js';
import { acquireDaemonLock } from './lock.js';
import { nativeAddon } from './native.js';

const NO_ADDON = nativeAddon ? false : 'the native addon is not built (the abstract name is the lock then)';

test('daemon lock: one holder at a time, released on release; the lock file is 0600', { skip: NO_ADDON }, async () => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'drover-lock-'));
  try {
    const paths = daemonPaths(dir);
    const first = await acquireDaemonLock(paths);
    assert.ok(first, 'the first daemon takes the lock');
    assert.equal(await acquireDaemonLock(paths), undefined, 'a second daemon is refused while the first holds it');
    assert.equal(fs.statSync(join(dir, 'executor.lock')).mode & 0o777, 0o600);
    first.release();
    const again = await acquireDaemonLock(paths);
    assert.ok(again, 'taken again once released');
    again.release();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('daemon lock: a lock file another user owns is refused, not shared', { skip: NO_ADDON || (process.getuid?.() === 0 ? false : 'needs root to chown') }, async () => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'drover-lock-'));
  try {
    const file = join(dir, 'executor.lock');
    fs.writeFileSync(file, '');
    fs.chownSync(file, 65534, 65534);
    await assert.rejects(acquireDaemonLock(daemonPaths(dir)), /executor\.lock is not a file owned by uid 0/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
