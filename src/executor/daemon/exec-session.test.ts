import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { ExecSession } from './exec-session.js';

const ENV = { PATH: '/usr/bin:/bin', TERM: 'xterm' };

/** A tty session running `script` in sh; `output()` is everything it printed so far. */
async function ttySession(script: string): Promise<{ session: ExecSession; output: () => string }> {
  const chunks: Buffer[] = [];
  const session = await ExecSession.start({ file: '/bin/sh', args: ['-c', script], env: ENV, cwd: tmpdir() }, true, undefined, (_stream, d) => chunks.push(d));
  return { session, output: () => Buffer.concat(chunks).toString() };
}

test('a tty session keeps the output its command wrote just before exiting, even when the daemon reads it late', async () => {
  const chunks: Buffer[] = [];
  let stopReading: (() => void) | undefined;
  const s = await ExecSession.start(
    { file: '/bin/sh', args: ['-c', 'echo first; sleep 0.3; echo the-last-line; exit 5'], env: ENV, cwd: tmpdir() },
    true,
    { height: 24, width: 80 },
    (_stream, d) => {
      chunks.push(d);
      if (stopReading) setTimeout(stopReading, 50).unref();
      stopReading = undefined;
    },
  );
  // A daemon too busy to read the terminal until node-pty gives up on it (200 ms after the exit): once the
  // first line is in, the terminal's handle stops reading.
  stopReading = () => (s as unknown as { pty: { _socket: { _handle: { readStop(): void } } } }).pty._socket._handle.readStop();
  const result = await s.done;
  assert.equal(result.exitCode, 5);
  assert.match(Buffer.concat(chunks).toString(), /first\r\n/);
  assert.match(Buffer.concat(chunks).toString(), /the-last-line/);
});

test('a paused tty session still gets the output its stream held when the command exits', async () => {
  const { session: s, output } = await ttySession('sleep 0.1; echo the-last-line; exit 5');
  (s as unknown as { pty: { pause(): void } }).pty.pause();
  assert.equal((await s.done).exitCode, 5);
  assert.match(output(), /the-last-line/);
});

test('a tty session whose background child holds the terminal still ends when the command exits', async () => {
  const { session: s, output } = await ttySession('sleep 30 & echo started; exit 0');
  const result = await s.done;
  s.kill();
  assert.equal(result.exitCode, 0);
  assert.match(output(), /started/);
});
