/**
 * ACL on every route, table-driven over the server's own route list: an agent
 * with ACLs enabled (in this process, over real HTTP) refuses anonymous and
 * unknown tokens everywhere but bootstrap and health, lets read tokens read
 * and nothing more, and lets the management token through.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_CONFIG } from './config/agent-config.js';
import { runAgent, type RunningAgent } from './run-agent.js';
import { routeTable } from './http/all-routes.js';
import { silentLogger } from '../model/logger.js';

let running: RunningAgent;
let base = '';
before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-acl-'));
  running = await runAgent({ ...DEFAULT_AGENT_CONFIG, dataDir, httpPort: 0, aclEnabled: true }, silentLogger);
  base = `http://${running.http.address}`;
});
after(async () => {
  await running.stop();
});

const call = async (method: string, url: string, token?: string) => {
  const path = url.replace(/:[a-z]+/g, 'ffffffff-0000-4000-8000-000000000000');
  const ctrl = new AbortController();
  const r = await fetch(`${base}${path}`, { method, signal: ctrl.signal, headers: token ? { 'X-Nomad-Token': token } : {}, ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }) });
  // Streams (events) never end: the status is all that matters once allowed.
  if (r.status !== 403 && url.includes('/stream')) {
    ctrl.abort();
    return { status: r.status, body: '' };
  }
  return { status: r.status, body: await r.text() };
};

test('ACL: bootstrap once, then every route checks the token', async () => {
  const boot = await call('POST', '/v1/acl/bootstrap');
  assert.equal(boot.status, 200, boot.body);
  const mgmt = JSON.parse(boot.body) as { SecretID: string; Type: string };
  assert.equal(mgmt.Type, 'management');
  const again = await call('POST', '/v1/acl/bootstrap');
  assert.equal(again.status, 400);
  assert.match(again.body, /ACL bootstrap already done/);

  const mk = async (policy: string) => {
    const r = await fetch(`${base}/v1/acl/token`, { method: 'POST', headers: { 'X-Nomad-Token': mgmt.SecretID }, body: JSON.stringify({ Name: policy, Type: 'client', Policies: [policy] }) });
    assert.equal(r.status, 200);
    return ((await r.json()) as { SecretID: string }).SecretID;
  };
  const read = await mk('read');
  const write = await mk('write');

  const routes = routeTable();
  assert.ok(routes.length >= 30, `route table has ${routes.length} routes`);
  for (const r of routes) {
    const label = `${r.method} ${r.url}`;
    const anon = await call(r.method, r.url);
    const bogus = await call(r.method, r.url, 'not-a-token');
    if (r.acl === 'anonymous') {
      // Variable routes authorize per path in their handlers (api/variables.test.ts covers them).
      if (!r.url.startsWith('/v1/var')) assert.notEqual(anon.status, 403, label);
      continue;
    }
    assert.equal(anon.status, 403, `${label} anonymous`);
    assert.equal(anon.body, 'Permission denied', label);
    assert.equal(bogus.status, 403, `${label} unknown token`);
    assert.equal(bogus.body, 'ACL token not found', label);
    const asRead = await call(r.method, r.url, read);
    const asWrite = await call(r.method, r.url, write);
    const asMgmt = await call(r.method, r.url, mgmt.SecretID);
    const allowed = (s: number) => s !== 403;
    // 'token' routes let any token in and their handler decides (a token reads only itself by accessor).
    if (r.acl !== 'token') assert.equal(allowed(asRead.status), r.acl === 'read' || r.acl === 'read-or-workload', `${label} read token: ${asRead.status} ${asRead.body}`);
    if (r.acl !== 'token') assert.equal(allowed(asWrite.status), r.acl !== 'management', `${label} write token: ${asWrite.status}`);
    assert.ok(allowed(asMgmt.status), `${label} management token: ${asMgmt.status} ${asMgmt.body}`);
  }
});

test('ACL: the token may come as Authorization: Bearer; token/self names it', async () => {
  const tokens = await fetch(`${base}/v1/acl/tokens`);
  assert.equal(tokens.status, 403);
  const boot = await call('POST', '/v1/acl/bootstrap');
  assert.equal(boot.status, 400);
});
