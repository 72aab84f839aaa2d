import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { PROTOCOL_VERSION } from '../protocol.js';
import { daemonPaths } from '../paths.js';
import { executorHarness, alive } from '../testing.js';

const h = executorHarness();
after(() => h.cleanup());

/** A raw connection to the daemon: write lines as they are, read replies one by one. */
async function rawConnection(): Promise<{ send(line: string): void; next(): Promise<Record<string, unknown>>; close(): void }> {
  await h.daemonPid(); // starts the daemon
  const sock = net.connect(daemonPaths(h.dataDir).socket);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const replies: Array<Record<string, unknown>> = [];
  const waiters: Array<(r: Record<string, unknown>) => void> = [];
  let buf = '';
  sock.on('data', (b) => {
    buf += b.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const parsed: unknown = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed));
      const reply = Object.fromEntries(Object.entries(parsed));
      const w = waiters.shift();
      if (w) w(reply);
      else replies.push(reply);
    }
  });
  return {
    send: (line) => sock.write(`${line}\n`),
    next: () => {
      const r = replies.shift();
      return r ? Promise.resolve(r) : new Promise((resolve) => waiters.push(resolve));
    },
    close: () => sock.destroy(),
  };
}

/** The error a reply carries (fails when it is not an error). */
function errorOf(reply: Record<string, unknown>): { code: unknown; message: unknown } {
  const e = reply['e'];
  assert.ok(typeof e === 'object' && e !== null, `expected an error reply, got ${JSON.stringify(reply)}`);
  return { code: Reflect.get(e, 'code'), message: Reflect.get(e, 'message') };
}

test('malformed requests get a clear error on their id and the daemon keeps serving the same connection', async () => {
  const pid = await h.daemonPid();
  const c = await rawConnection();
  try {
    const valid = h.spec({ command: '/bin/true' });
    const cases: Array<{ line: string; id: number | null; code: string; message: string }> = [
      { line: '{nope', id: null, code: 'validation', message: 'a message must be one line of JSON: ' },
      { line: '[1,2]', id: null, code: 'validation', message: 'a message must be a JSON object, got a list' },
      { line: '{"m":"status"}', id: null, code: 'validation', message: 'a message needs an integer "id", got nothing' },
      { line: '{"id":"7","m":"status"}', id: null, code: 'validation', message: 'a message needs an integer "id", got "7"' },
      { line: '{"id":1}', id: 1, code: 'validation', message: 'a message needs a method ("m") or input ("in")' },
      { line: '{"id":2,"m":"reboot"}', id: 2, code: 'not_supported', message: 'unknown method "reboot"' },
      { line: '{"id":3,"m":"wait"}', id: 3, code: 'validation', message: 'wait.taskId: missing required field' },
      { line: '{"id":4,"m":"wait","p":{"taskId":42}}', id: 4, code: 'validation', message: 'wait.taskId: expected a string, got number 42' },
      { line: '{"id":5,"m":"shutdown","p":"t"}', id: 5, code: 'validation', message: 'shutdown: expected an object, got string "t"' },
      {
        line: JSON.stringify({ id: 6, m: 'launch', p: { spec: { ...valid, resources: { ...valid.resources, memoryMb: 'x' } } } }),
        id: 6,
        code: 'validation',
        message: 'launch.spec.resources.memoryMb: expected a number, got string "x"',
      },
      {
        line: JSON.stringify({ id: 7, m: 'launch', p: { spec: { ...valid, output: { kind: 'syslog' } } } }),
        id: 7,
        code: 'validation',
        message: 'launch.spec.output.kind: expected one of "rotate", "paths", got string "syslog"',
      },
      {
        line: JSON.stringify({ id: 8, m: 'exec', p: { taskId: valid.taskId, deadlineMs: 0, command: 'ls', args: ['-l', 3] } }),
        id: 8,
        code: 'validation',
        message: 'exec.args[1]: expected a string, got number 3',
      },
    ];
    for (const k of cases) {
      c.send(k.line);
      const reply = await c.next();
      assert.equal(reply['id'], k.id, k.line);
      const e = errorOf(reply);
      assert.equal(e.code, k.code, k.line);
      assert.ok(typeof e.message === 'string' && e.message.startsWith(k.message), `${k.line}: ${String(e.message)}`);
    }

    // Several problems in one request are all named.
    c.send(JSON.stringify({ id: 9, m: 'updateResources', p: { taskId: 1, resources: { cpuShares: 1, memoryMb: null, memoryMaxMb: 0 } } }));
    const many = errorOf(await c.next());
    assert.equal(
      many.message,
      '3 errors occurred:\n\t* updateResources.taskId: expected a string, got number 1\n\t* updateResources.resources.memoryMb: expected a number, got null\n\t* updateResources.resources.pidsLimit: missing required field',
    );

    // The same connection still serves valid requests, and the daemon did not restart.
    c.send(JSON.stringify({ id: 10, m: 'launch', p: { spec: valid } }));
    const launched = await c.next();
    assert.equal(launched['id'], 10);
    assert.equal(Reflect.get(Object(launched['r']), 'taskId'), valid.taskId);
    c.send(JSON.stringify({ id: 11, m: 'wait', p: { taskId: valid.taskId } }));
    const waited = await c.next();
    assert.deepEqual(waited, { id: 11, r: { exitCode: 0, signal: 0, oomKilled: false } });
    assert.ok(alive(pid));
    assert.equal(await h.daemonPid(), pid);
  } finally {
    c.close();
  }
  // And so does a fresh client connection.
  assert.equal((await h.client.version()).protocol, PROTOCOL_VERSION);
});

test('malformed input for an exec session is dropped; the session goes on', async () => {
  const { spec } = await h.launch({ command: '/bin/sleep', args: ['30'] });
  const c = await rawConnection();
  try {
    c.send(JSON.stringify({ id: 1, m: 'execStreaming', p: { taskId: spec.taskId, command: ['/bin/cat'], tty: false } }));
    c.send(JSON.stringify({ id: 1, in: 'resize', d: { height: 'tall' } }));
    c.send(JSON.stringify({ id: 1, in: 'stdin', d: 12 }));
    c.send(JSON.stringify({ id: 1, in: 'stdin', d: Buffer.from('hello\n').toString('base64') }));
    c.send(JSON.stringify({ id: 1, in: 'stdin-end' }));
    const out: string[] = [];
    for (;;) {
      const r = await c.next();
      assert.equal(r['id'], 1);
      if (r['ev'] === 'stdout') out.push(Buffer.from(String(r['d']), 'base64').toString('utf8'));
      else {
        assert.deepEqual(r['r'], { exitCode: 0, signal: 0, oomKilled: false });
        break;
      }
    }
    assert.equal(out.join(''), 'hello\n');
    // Input has no reply of its own; the connection still answers requests after a bad one.
    c.send('{"id":1,"in":"wiggle"}');
    c.send('{"id":2,"m":"version"}');
    assert.equal(Reflect.get(Object((await c.next())['r']), 'protocol'), PROTOCOL_VERSION);
  } finally {
    c.close();
    await h.client.shutdown(spec.taskId, 'SIGKILL', 0);
  }
});
