/**
 * The exec WebSocket's token in a handshake message (Nomad's ws_handshake=true and
 * `{"version":1,"auth_token":"…"}`, what browsers send since they cannot set headers),
 * beside the X-Nomad-Token header that CLI and API clients send.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { ApiClient } from './client.js';
import { mockJob, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';
import type { ApiExecOutput } from '../model/nomad-api/index.js';

let agent: AgentProcess;
let mgmt: ApiClient;
let readOnly: string;
let allocId: string;
before(async () => {
  agent = await startAgent({ configHcl: 'acl {\n  enabled = true\n}\n' });
  const boot = await agent.client.acl.bootstrap();
  mgmt = new ApiClient({ address: agent.address, token: boot.SecretID });
  readOnly = (await mgmt.acl.create({ Name: 'reader', Type: 'client', Policies: ['read'] })).SecretID;
  await runHcl(mgmt, mockJob('exec', 'run_for = "1h"\n exec_command {\n run_for = "10ms"\n stdout_string = "from exec\\n"\n exit_code = 3\n }'));
  allocId = await eventually(async () => (await mgmt.jobs.allocations('exec')).find((a) => a.ClientStatus === 'running')?.ID, { timeoutMs: 10_000, message: 'a running alloc' });
});
after(async () => {
  await mgmt.jobs.deregister('exec', { purge: true }).catch(() => undefined);
  await agent.kill('SIGKILL');
});

interface Outcome {
  readonly stdout: string;
  readonly exitCode?: number;
  readonly closeCode: number;
  readonly reason: string;
  /** The upgrade was refused with this HTTP status. */
  readonly httpStatus?: number;
}

/** Opens an exec session on the mock task, sends `first` frames on open, and collects what comes back. */
function session(o: { handshake?: boolean; header?: string; first?: readonly unknown[] }): Promise<Outcome> {
  const q = new URLSearchParams({ task: 't', command: JSON.stringify(['/bin/sh']) });
  if (o.handshake) q.set('ws_handshake', 'true');
  const url = `${mgmt.url(`/v1/client/allocation/${allocId}/exec`).replace(/^http/, 'ws')}?${q}`;
  const ws = new WebSocket(url, { headers: o.header ? { 'X-Nomad-Token': o.header } : {} });
  let stdout = '';
  let exitCode: number | undefined;
  return new Promise((resolve) => {
    ws.on('open', () => {
      for (const f of o.first ?? []) ws.send(JSON.stringify(f));
    });
    ws.on('message', (raw: Buffer) => {
      const f = JSON.parse(raw.toString()) as ApiExecOutput;
      if (f.stdout?.data) stdout += Buffer.from(f.stdout.data, 'base64').toString();
      if (f.exited) exitCode = f.result?.exit_code;
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ stdout, closeCode: 0, reason: '', httpStatus: res.statusCode });
      ws.terminate();
    });
    ws.on('close', (code: number, reason: Buffer) => resolve({ stdout, closeCode: code, reason: reason.toString(), ...(exitCode !== undefined ? { exitCode } : {}) }));
    ws.on('error', () => undefined);
  });
}

test('a header token still works; without one the upgrade is refused with 403', async () => {
  const ok = await session({ header: mgmt.token! });
  assert.equal(ok.stdout, 'from exec\n');
  assert.equal(ok.exitCode, 3);
  assert.equal((await session({})).httpStatus, 403);
});

test('ws_handshake=true: the token comes in the first message, and what follows is the session', async () => {
  const ok = await session({ handshake: true, first: [{ version: 1, auth_token: mgmt.token }, { stdin: { close: true } }] });
  assert.equal(ok.stdout, 'from exec\n');
  assert.equal(ok.exitCode, 3);
  // A header token agreeing with the handshake's is fine too.
  const both = await session({ handshake: true, header: mgmt.token!, first: [{ version: 1, auth_token: mgmt.token }] });
  assert.equal(both.exitCode, 3);
});

test('a bad, missing, weaker or mismatched handshake token closes the socket with 1008 before anything runs', async () => {
  const bad = await session({ handshake: true, first: [{ version: 1, auth_token: 'not-a-token' }] });
  assert.equal(bad.closeCode, 1008);
  assert.match(bad.reason, /ACL token not found/);
  assert.equal(bad.stdout, '');
  const none = await session({ handshake: true, first: [{ version: 1, auth_token: '' }] });
  assert.equal(none.closeCode, 1008);
  assert.match(none.reason, /Permission denied/);
  const reader = await session({ handshake: true, first: [{ version: 1, auth_token: readOnly }] });
  assert.equal(reader.closeCode, 1008);
  assert.match(reader.reason, /Permission denied/);
  const mismatch = await session({ handshake: true, header: readOnly, first: [{ version: 1, auth_token: mgmt.token }] });
  assert.equal(mismatch.closeCode, 1008);
  assert.match(mismatch.reason, /mismatched/);
  const version = await session({ handshake: true, first: [{ version: 2, auth_token: mgmt.token }] });
  assert.equal(version.closeCode, 1008);
  assert.match(version.reason, /unexpected handshake value: 2/);
  assert.equal(version.stdout, '');
});
