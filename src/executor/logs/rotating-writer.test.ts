import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RotatingWriter } from './rotating-writer.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'drover-logs-'));
}

/** The set's files as index → content, sorted by index. */
function files(dir: string, base: string): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  const names = fs.readdirSync(dir).filter((n) => n.startsWith(`${base}.`));
  for (const n of names.sort((a, b) => Number(a.slice(base.length + 1)) - Number(b.slice(base.length + 1)))) {
    out.set(Number(n.slice(base.length + 1)), fs.readFileSync(path.join(dir, n)));
  }
  return out;
}

test('RotatingWriter: starts at .0 and rotates at the exact byte limit', () => {
  const dir = tempDir();
  const w = new RotatingWriter({ dir, baseName: 't.stdout', maxFiles: 10, maxFileSizeBytes: 10 });
  assert.equal(w.currentPath, path.join(dir, 't.stdout.0'));
  w.write(Buffer.from('0123456789')); // exactly full: no rotation yet
  assert.equal(w.currentIndex, 0);
  assert.deepEqual([...files(dir, 't.stdout').keys()], [0]);
  w.write(Buffer.from('abcdefghijKLMNOPQRSTuv')); // 22 bytes: fills .1 and .2, 2 bytes into .3
  w.close();
  const f = files(dir, 't.stdout');
  assert.deepEqual([...f.keys()], [0, 1, 2, 3]);
  assert.equal(f.get(0)?.toString(), '0123456789');
  assert.equal(f.get(1)?.toString(), 'abcdefghij');
  assert.equal(f.get(2)?.toString(), 'KLMNOPQRST');
  assert.equal(f.get(3)?.toString(), 'uv');
});

test('RotatingWriter: splits mid-line at the byte boundary', () => {
  const dir = tempDir();
  const w = new RotatingWriter({ dir, baseName: 't.stderr', maxFiles: 5, maxFileSizeBytes: 4 });
  w.write(Buffer.from('ab\ncd\n'));
  w.close();
  const f = files(dir, 't.stderr');
  assert.equal(f.get(0)?.toString(), 'ab\nc');
  assert.equal(f.get(1)?.toString(), 'd\n');
});

test('RotatingWriter: keeps maxFiles, deleting the oldest', () => {
  const dir = tempDir();
  const w = new RotatingWriter({ dir, baseName: 'x.stdout', maxFiles: 3, maxFileSizeBytes: 2 });
  w.write(Buffer.from('aabbccddeef'));
  w.close();
  const f = files(dir, 'x.stdout');
  assert.deepEqual([...f.keys()], [3, 4, 5]);
  assert.equal(Buffer.concat([...f.values()]).toString(), 'ddeef');
});

test('RotatingWriter: maxFiles 1 keeps only the live file', () => {
  const dir = tempDir();
  const w = new RotatingWriter({ dir, baseName: 'x.stdout', maxFiles: 1, maxFileSizeBytes: 3 });
  w.write(Buffer.from('abcdefg'));
  w.close();
  assert.deepEqual([...files(dir, 'x.stdout').entries()].map(([i, b]) => [i, b.toString()]), [[2, 'g']]);
});

test('RotatingWriter: reopening appends to the highest existing index', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'web.stdout.0'), 'old0');
  fs.writeFileSync(path.join(dir, 'web.stdout.7'), 'ab');
  fs.writeFileSync(path.join(dir, 'web.stdout.x'), 'ignored');
  fs.writeFileSync(path.join(dir, 'web.stderr.9'), 'other stream');
  const w = new RotatingWriter({ dir, baseName: 'web.stdout', maxFiles: 10, maxFileSizeBytes: 5 });
  assert.equal(w.currentIndex, 7);
  w.write(Buffer.from('cdefg'));
  w.close();
  const f = files(dir, 'web.stdout');
  assert.equal(f.get(7)?.toString(), 'abcde');
  assert.equal(f.get(8)?.toString(), 'fg');
  assert.equal(f.get(0)?.toString(), 'old0');
  assert.equal(fs.readFileSync(path.join(dir, 'web.stderr.9'), 'utf8'), 'other stream');
});

test('RotatingWriter: a full existing file rotates on the first byte; the purge counts old files', () => {
  const dir = tempDir();
  for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(dir, `a.stdout.${i}`), 'xxx');
  const w = new RotatingWriter({ dir, baseName: 'a.stdout', maxFiles: 2, maxFileSizeBytes: 3 });
  w.write(Buffer.from('y'));
  w.close();
  const f = files(dir, 'a.stdout');
  assert.deepEqual([...f.keys()], [3, 4]);
  assert.equal(f.get(4)?.toString(), 'y');
});

test('RotatingWriter: skips a taken next index, as logmon does', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.stdout.0'), '');
  const w = new RotatingWriter({ dir, baseName: 'a.stdout', maxFiles: 10, maxFileSizeBytes: 2 });
  fs.mkdirSync(path.join(dir, 'a.stdout.1'));
  fs.writeFileSync(path.join(dir, 'a.stdout.2'), 'zz');
  w.write(Buffer.from('abc'));
  w.close();
  assert.equal(fs.readFileSync(path.join(dir, 'a.stdout.3'), 'utf8'), 'c');
});

test('RotatingWriter: never writes through a link the task planted at a log name', () => {
  const dir = tempDir();
  const victim = path.join(tempDir(), 'shadow');
  fs.writeFileSync(victim, 'root:x:0:0');
  fs.writeFileSync(path.join(dir, 'a.stdout.0'), '');
  // At the highest index when the writer opens, and at the next index when it rotates.
  fs.symlinkSync(victim, path.join(dir, 'a.stdout.5'));
  const w = new RotatingWriter({ dir, baseName: 'a.stdout', maxFiles: 10, maxFileSizeBytes: 2 });
  assert.equal(w.currentIndex, 0);
  fs.symlinkSync(victim, path.join(dir, 'a.stdout.1'));
  w.write(Buffer.from('abcdef'));
  w.close();
  assert.equal(fs.readFileSync(victim, 'utf8'), 'root:x:0:0');
  assert.equal(fs.readFileSync(path.join(dir, 'a.stdout.0'), 'utf8'), 'ab');
  assert.equal(fs.readFileSync(path.join(dir, 'a.stdout.2'), 'utf8'), 'cd');
});

test('RotatingWriter: rejects bad limits and writes after close', () => {
  const dir = tempDir();
  assert.throws(() => new RotatingWriter({ dir, baseName: 'a', maxFiles: 0, maxFileSizeBytes: 1 }), RangeError);
  assert.throws(() => new RotatingWriter({ dir, baseName: 'a', maxFiles: 1, maxFileSizeBytes: 0 }), RangeError);
  const w = new RotatingWriter({ dir, baseName: 'a', maxFiles: 1, maxFileSizeBytes: 1 });
  w.close();
  w.close();
  assert.throws(() => w.write(Buffer.from('x')), /closed/);
});

test('RotatingWriter: 12 MiB in uneven chunks arrives intact and in order', () => {
  const dir = tempDir();
  const total = 12 * 1024 * 1024;
  const data = Buffer.alloc(total);
  for (let i = 0; i < total; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  const maxFileSizeBytes = 1_000_003; // deliberately not a multiple of any chunk size
  const w = new RotatingWriter({ dir, baseName: 'big.stdout', maxFiles: 100, maxFileSizeBytes });
  const sizes = [1, 7, 4096, 65536, 333_333, 2_000_000];
  let off = 0;
  for (let k = 0; off < total; k++) {
    const n = Math.min(sizes[k % sizes.length] as number, total - off);
    w.write(data.subarray(off, off + n));
    off += n;
  }
  w.close();
  const f = files(dir, 'big.stdout');
  assert.equal(f.size, Math.ceil(total / maxFileSizeBytes));
  const chunks = [...f.values()];
  chunks.slice(0, -1).forEach((b) => assert.equal(b.length, maxFileSizeBytes));
  assert.ok(Buffer.concat(chunks).equals(data));

  // With a small maxFiles the surviving files are exactly the stream's tail.
  const dir2 = tempDir();
  const w2 = new RotatingWriter({ dir: dir2, baseName: 'big.stdout', maxFiles: 3, maxFileSizeBytes });
  for (let o = 0; o < total; o += 65536) w2.write(data.subarray(o, o + 65536));
  w2.close();
  const kept = Buffer.concat([...files(dir2, 'big.stdout').values()]);
  assert.equal(files(dir2, 'big.stdout').size, 3);
  assert.ok(kept.equals(data.subarray(total - kept.length)));
});
