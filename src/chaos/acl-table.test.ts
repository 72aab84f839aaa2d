/**
 * ACLs on every route (issue 16), as a table: each route the running server
 * has (HttpServer.routes) is listed here with the Nomad capability that
 * guards it (command/agent/*_endpoint.go and nomad/*_endpoint.go) and the
 * drover policy that grants it; a route missing from the table fails the
 * test. Every route is tried with no token, an unknown token, a near miss of
 * a real secret, a token lacking the route's capability and one holding it:
 * only the last gets past the ACL.
 *
 * drover's policies are coarser than Nomad's (see core/acl.ts): "read"
 * holds every read capability, "write" every write one, and the rest is
 * management's. So "lacking the capability" is the next policy down: a read
 * token for a write route, a write token for a management route, and a
 * workload identity (the implicit workload policy only) for a read route.
 *
 * Also: bootstrap is answered once, and the bootstrap secret is never shown
 * again unasked (token list); secrets are looked up by digest, so a near
 * miss is just "not found".
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_CONFIG } from '../agent/config/agent-config.js';
import { runAgent, type RunningAgent } from '../agent/run-agent.js';
import { silentLogger } from '../model/logger.js';
import { mockJob } from '../api/testing.js';
import { eventually, scaled } from '../model/testing/eventually.js';
import { budget, report } from './campaign.js';

/**
 * What a route needs in drover: the AclNeed tiers of core/acl.ts, 'open' for routes that
 * need nothing (as Nomad), 'variables' for the variable routes (checked per path).
 */
type Need = 'open' | 'token' | 'read' | 'read-or-workload' | 'write' | 'management' | 'variables';
interface Row {
  /** Nomad's check for this route. */
  readonly nomad: string;
  readonly need: Need;
  /** Path parameters filled with the workload's own job/alloc (else a fixed unknown id). */
  readonly own?: boolean;
  readonly stream?: boolean;
}
const R = (nomad: string, need: Need, extra: Partial<Row> = {}): Row => ({ nomad, need, ...extra });
const READ_JOB = 'namespace read-job';
const SUBMIT_JOB = 'namespace submit-job';

const TABLE: Readonly<Record<string, Row>> = {
  'GET /v1/jobs': R('namespace list-jobs', 'read'),
  'PUT /v1/jobs': R(SUBMIT_JOB, 'write'),
  'POST /v1/jobs': R(SUBMIT_JOB, 'write'),
  'PUT /v1/job/:id': R(SUBMIT_JOB, 'write'),
  'POST /v1/job/:id': R(SUBMIT_JOB, 'write'),
  'PUT /v1/jobs/parse': R('namespace parse-job (or read-job / submit-job)', 'read'),
  'POST /v1/jobs/parse': R('namespace parse-job (or read-job / submit-job)', 'read'),
  'PUT /v1/validate/job': R('namespace read-job (Job.Validate)', 'read'),
  'POST /v1/validate/job': R('namespace read-job (Job.Validate)', 'read'),
  'GET /v1/job/:id': R(READ_JOB, 'read', { own: true }),
  'DELETE /v1/job/:id': R(SUBMIT_JOB, 'write'),
  'PUT /v1/job/:id/dispatch': R('namespace dispatch-job', 'write'),
  'POST /v1/job/:id/dispatch': R('namespace dispatch-job', 'write'),
  'PUT /v1/job/:id/periodic/force': R(SUBMIT_JOB, 'write'),
  'POST /v1/job/:id/periodic/force': R(SUBMIT_JOB, 'write'),
  'GET /v1/job/:id/allocations': R(READ_JOB, 'read', { own: true }),
  'GET /v1/job/:id/versions': R(READ_JOB, 'read', { own: true }),
  'PUT /v1/job/:id/revert': R(SUBMIT_JOB, 'write'),
  'POST /v1/job/:id/revert': R(SUBMIT_JOB, 'write'),
  'GET /v1/job/:id/submission': R(READ_JOB, 'read', { own: true }),
  'GET /v1/job/:id/summary': R(READ_JOB, 'read', { own: true }),
  'GET /v1/job/:id/scale': R('namespace read-job-scaling (or read-job)', 'read', { own: true }),
  'PUT /v1/job/:id/scale': R('namespace scale-job (or submit-job)', 'write'),
  'POST /v1/job/:id/scale': R('namespace scale-job (or submit-job)', 'write'),
  'GET /v1/scaling/policies': R('namespace list-scaling-policies', 'read'),
  'GET /v1/scaling/policy/:id': R('namespace read-scaling-policy', 'read'),
  'GET /v1/allocations': R(READ_JOB, 'read'),
  'GET /v1/allocation/:id': R(READ_JOB, 'read', { own: true }),
  'PUT /v1/allocation/:id/stop': R('namespace alloc-lifecycle', 'write'),
  'POST /v1/allocation/:id/stop': R('namespace alloc-lifecycle', 'write'),
  'GET /v1/evaluations': R(READ_JOB, 'read'),
  'GET /v1/evaluations/count': R(READ_JOB, 'read'),
  'GET /v1/evaluation/:id': R(READ_JOB, 'read'),
  'GET /v1/evaluation/:id/allocations': R(READ_JOB, 'read'),
  'GET /v1/job/:id/evaluations': R(READ_JOB, 'read', { own: true }),
  'GET /v1/deployments': R(READ_JOB, 'read'),
  'GET /v1/deployment/:id': R(READ_JOB, 'read'),
  'GET /v1/deployment/allocations/:id': R(READ_JOB, 'read'),
  'PUT /v1/deployment/promote/:id': R(SUBMIT_JOB, 'write'),
  'POST /v1/deployment/promote/:id': R(SUBMIT_JOB, 'write'),
  'PUT /v1/deployment/fail/:id': R(SUBMIT_JOB, 'write'),
  'POST /v1/deployment/fail/:id': R(SUBMIT_JOB, 'write'),
  'PUT /v1/deployment/pause/:id': R(SUBMIT_JOB, 'write'),
  'POST /v1/deployment/pause/:id': R(SUBMIT_JOB, 'write'),
  'GET /v1/job/:id/deployments': R(READ_JOB, 'read', { own: true }),
  'GET /v1/job/:id/deployment': R(READ_JOB, 'read', { own: true }),
  'GET /v1/client/allocation/:id/stats': R(READ_JOB, 'read', { own: true }),
  'PUT /v1/client/allocation/:id/signal': R('namespace alloc-lifecycle', 'write'),
  'POST /v1/client/allocation/:id/signal': R('namespace alloc-lifecycle', 'write'),
  'PUT /v1/client/allocation/:id/restart': R('namespace alloc-lifecycle', 'write'),
  'POST /v1/client/allocation/:id/restart': R('namespace alloc-lifecycle', 'write'),
  'GET /v1/client/fs/ls/:alloc': R('namespace read-fs', 'read', { own: true }),
  'GET /v1/client/fs/stat/:alloc': R('namespace read-fs', 'read', { own: true }),
  'GET /v1/client/fs/cat/:alloc': R('namespace read-fs', 'read', { own: true }),
  'GET /v1/client/fs/readat/:alloc': R('namespace read-fs', 'read', { own: true }),
  'GET /v1/client/fs/logs/:alloc': R('namespace read-logs', 'read', { own: true, stream: true }),
  'GET /v1/client/allocation/:id/exec': R('namespace alloc-exec (alloc-node-exec for raw_exec)', 'write', { own: true }),
  'PUT /v1/system/gc': R('management', 'management'),
  'GET /v1/client/gc': R('node write', 'write'),
  'PUT /v1/client/gc': R('node write', 'write'),
  'GET /v1/client/allocation/:id/gc': R('namespace submit-job (or gc-allocation)', 'write'),
  'PUT /v1/client/allocation/:id/gc': R('namespace submit-job (or gc-allocation)', 'write'),
  'GET /v1/event/stream': R('per topic: read-job, node read, …', 'read', { stream: true }),
  'GET /v1/nodes': R('node read', 'read'),
  'GET /v1/node/:id': R('node read', 'read'),
  'GET /v1/node/:id/allocations': R('node read', 'read'),
  'GET /v1/services': R('namespace read-job, or any workload identity', 'read-or-workload'),
  'GET /v1/service/:name': R('namespace read-job, or any workload identity', 'read-or-workload'),
  'DELETE /v1/service/:name/:id': R(SUBMIT_JOB, 'write'),
  'GET /v1/client/allocation/:id/checks': R(READ_JOB, 'read', { own: true }),
  'GET /v1/vars': R('variables list, per path (results filtered)', 'variables'),
  'GET /v1/var/*': R('variables read, per path', 'variables'),
  'PUT /v1/var/*': R('variables write, per path', 'variables'),
  'POST /v1/var/*': R('variables write, per path', 'variables'),
  'DELETE /v1/var/*': R('variables destroy, per path', 'variables'),
  'GET /v1/agent/self': R('agent read', 'read'),
  'GET /v1/agent/health': R('none: Nomad serves health without a token', 'open'),
  // Nomad serves /v1/metrics without a token; drover asks for read (metrics name jobs and tasks).
  'GET /v1/metrics': R('none in Nomad (drover: read)', 'read'),
  'PUT /v1/acl/bootstrap': R('none: anyone may bootstrap, once', 'open'),
  'POST /v1/acl/bootstrap': R('none: anyone may bootstrap, once', 'open'),
  'GET /v1/acl/token/self': R('any valid ACL token', 'token'),
  'GET /v1/acl/tokens': R('management', 'management'),
  'PUT /v1/acl/token': R('management', 'management'),
  'POST /v1/acl/token': R('management', 'management'),
  // Nomad also lets a token read itself by its accessor (tested below).
  'GET /v1/acl/token/:accessor': R('management, or the token itself', 'token', { own: true }),
  'DELETE /v1/acl/token/:accessor': R('management', 'management'),
  'GET /.well-known/jwks.json': R('none: public keys for workload identities', 'open'),
  'GET /.well-known/openid-configuration': R('none: OIDC discovery', 'open'),
  'GET /': R('none: redirects to the UI', 'open'),
  'GET /ui': R('none: the UI loads without a token and asks for one', 'open'),
  'GET /ui/*': R('none: the UI loads without a token and asks for one', 'open'),
  'GET /ui/assets/*': R('none: the UI bundle', 'open'),
};
const OPTIONAL = new Set(['GET /ui/assets/*']);
const UNKNOWN_ID = 'ffffffff-0000-4000-8000-000000000000';

let running: RunningAgent;
let base = '';
let dataDir = '';
let mgmt = '';
let mgmtAccessor = '';
let readTok = '';
let readAccessor = '';
let writeTok = '';
let workload = '';
let allocId = '';

const call = async (method: string, path: string, token?: string, body?: string) => {
  const ctrl = new AbortController();
  const guard = setTimeout(() => ctrl.abort(), scaled(20_000));
  try {
    const headers: Record<string, string> = token === undefined ? {} : { 'X-Nomad-Token': token };
    const r = await fetch(`${base}${path}`, { method, signal: ctrl.signal, headers, redirect: 'manual', ...(method === 'GET' || method === 'DELETE' ? {} : { body: body ?? '{}' }) });
    // Streams do not end: once past the ACL, the status is all that matters.
    if (r.status === 200 && (path.includes('/stream') || path.includes('/logs/'))) {
      ctrl.abort();
      return { status: r.status, body: '' };
    }
    return { status: r.status, body: await r.text() };
  } finally {
    clearTimeout(guard);
  }
};

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'drover-chaos-acl-'));
  running = await runAgent({ ...DEFAULT_AGENT_CONFIG, dataDir, httpPort: 0, aclEnabled: true }, silentLogger);
  base = `http://${running.http.address}`;
  const boot = await call('POST', '/v1/acl/bootstrap');
  assert.equal(boot.status, 200, boot.body);
  ({ SecretID: mgmt, AccessorID: mgmtAccessor } = JSON.parse(boot.body) as { SecretID: string; AccessorID: string });
  const mk = async (policy: string): Promise<string> => {
    const r = await call('POST', '/v1/acl/token', mgmt, JSON.stringify({ Name: policy, Type: 'client', Policies: [policy] }));
    assert.equal(r.status, 200, r.body);
    return (JSON.parse(r.body) as { SecretID: string }).SecretID;
  };
  readTok = await mk('read');
  readAccessor = (JSON.parse((await call('GET', '/v1/acl/token/self', readTok)).body) as { AccessorID: string }).AccessorID;
  writeTok = await mk('write');
  // A task with a workload identity file: the weakest principal there is.
  const parsed = await call('POST', '/v1/jobs/parse', mgmt, JSON.stringify({ JobHCL: mockJob('wl', 'run_for = "600s"', { extra: '      identity {\n        file = true\n      }' }), Canonicalize: true }));
  assert.equal(parsed.status, 200, parsed.body);
  const reg = await call('POST', '/v1/jobs', mgmt, JSON.stringify({ Job: JSON.parse(parsed.body) as unknown }));
  assert.equal(reg.status, 200, reg.body);
  allocId = await eventually(
    async () => {
      const r = await call('GET', '/v1/job/wl/allocations', mgmt);
      return (JSON.parse(r.body) as Array<{ ID: string; ClientStatus: string }>).find((a) => a.ClientStatus === 'running')?.ID;
    },
    { timeoutMs: scaled(30_000), message: 'workload running' },
  );
  workload = await eventually(async () => readFileSync(join(dataDir, 'alloc', allocId, 't', 'secrets', 'nomad_token'), 'utf8').trim() || undefined, {
    timeoutMs: scaled(30_000),
    message: 'workload identity written',
  });
  const v = await call('PUT', '/v1/var/team/secret', mgmt, JSON.stringify({ Items: { password: 'hunter2' } }));
  assert.equal(v.status, 200, v.body);
});

after(async () => {
  if (!running) return;
  await call('DELETE', '/v1/job/wl?purge=true', mgmt).catch(() => undefined);
  await eventually(async () => (JSON.parse((await call('GET', '/v1/allocations', mgmt)).body) as unknown[]).length === 0, { timeoutMs: scaled(30_000), message: 'purged' }).catch(() => undefined);
  await running.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('every route from the server has a row in the ACL table, and every row is a route', () => {
  const served = running.http.routes.map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(served.filter((r) => !(r in TABLE)), [], 'routes without an ACL row: add them to TABLE with the capability Nomad checks');
  assert.deepEqual(Object.keys(TABLE).filter((r) => !served.includes(r) && !OPTIONAL.has(r)), [], 'ACL rows for routes the server does not have');
});

test('every route: no token, unknown, near-miss and lacking tokens are refused; the right one gets through', async () => {
  const failures: string[] = [];
  let sent = 0;
  const nearMiss = mgmt.slice(0, -1) + (mgmt.endsWith('0') ? '1' : '0');
  const rounds = budget(1, 3);
  const one = async ({ method, url }: { method: string; url: string }): Promise<void> => {
    const row = TABLE[`${method} ${url}`];
    if (!row) return;
    const fill = (own: boolean): string =>
      url
        .replace(':alloc', own ? allocId : UNKNOWN_ID)
        .replace(':id', url.startsWith('/v1/job/') ? (own ? 'wl' : 'nope') : own ? allocId : UNKNOWN_ID)
        .replace(':name', 'nope')
        .replace(':accessor', own ? readAccessor : UNKNOWN_ID)
        .replace('*', url.startsWith('/v1/var') ? 'team/secret' : 'jobs') + (url.includes('/fs/') ? '?path=alloc/logs&task=t&type=stdout&offset=0' : '');
    const path = fill(row.own === true);
    const label = `${method} ${url} (${row.nomad})`;
    const expect = async (who: string, token: string | undefined, allowed: boolean, body?: RegExp) => {
      sent++;
      const r = await call(method, path, token).catch((e: unknown) => ({ status: 0, body: String(e) }));
      if (r.status >= 500 && !/^The web UI is not built/.test(r.body)) failures.push(`${label} ${who}: ${r.status} ${r.body.slice(0, 200)}`);
      else if (allowed && r.status === 403) failures.push(`${label} ${who}: refused: ${r.body}`);
      else if (!allowed && r.status !== 403) failures.push(`${label} ${who}: not refused: ${r.status} ${r.body.slice(0, 120)}`);
      else if (body && !body.test(r.body)) failures.push(`${label} ${who}: ${JSON.stringify(r.body)} does not match ${body}`);
    };
    if (row.need === 'open') {
      await expect('no token', undefined, true);
      await expect('unknown token', UNKNOWN_ID, true);
      return;
    }
    if (row.need === 'variables') return; // per path: the next test
    await expect('no token', undefined, false, /^Permission denied$/);
    await expect('unknown token', UNKNOWN_ID, false, /^ACL token not found$/);
    await expect('near miss of the management secret', nearMiss, false, /^ACL token not found$/);
    await expect('a forged workload identity', `${workload.slice(0, -4)}AAAA`, false);
    const lacking: Record<Exclude<Need, 'open' | 'variables'>, string | undefined> = {
      management: writeTok,
      write: readTok,
      read: workload,
      'read-or-workload': undefined,
      token: undefined,
    };
    const right: Record<Exclude<Need, 'open' | 'variables'>, string> = { management: mgmt, write: writeTok, read: readTok, 'read-or-workload': workload, token: readTok };
    const weaker = lacking[row.need];
    if (weaker !== undefined) await expect(`lacking (${row.need === 'read' ? 'workload identity' : row.need === 'write' ? 'read token' : 'write token'})`, weaker, false, /^Permission denied$/);
    await expect(`holding ${row.need}`, right[row.need], true);
  };
  // Four routes at a time: each route's own requests stay in order.
  for (let round = 0; round < rounds; round++) {
    const queue = [...running.http.routes];
    await Promise.all([1, 2, 3, 4].map(async () => {
      for (let r = queue.shift(); r !== undefined; r = queue.shift()) await one(r);
    }));
  }
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} ACL failures`);
  report({
    scenario: 'ACL table over every route',
    runs: sent,
    checked: 'every route from the server: no token, unknown, near-miss and forged tokens, a token lacking the capability are refused (403); the right one passes; a route without a row fails',
    result: failures.length === 0 ? 'pass' : `${failures.length} failures`,
    figures: { routes: running.http.routes.length, requests: sent, '5xx': failures.filter((f) => / 5\d\d /.test(f)).length },
  });
});

test('variables: checked per path and operation', async () => {
  const cases: Array<[string, string, string | undefined, boolean]> = [
    ['GET', '/v1/var/team/secret', undefined, false],
    ['GET', '/v1/var/team/secret', UNKNOWN_ID, false],
    ['GET', '/v1/var/team/secret', workload, false],
    ['GET', '/v1/var/team/secret', readTok, true],
    ['PUT', '/v1/var/team/secret', undefined, false],
    ['PUT', '/v1/var/team/secret', readTok, false],
    ['PUT', '/v1/var/team/secret', workload, false],
    ['PUT', '/v1/var/nomad/jobs/wl', workload, false],
    ['PUT', '/v1/var/team/other', writeTok, true],
    ['POST', '/v1/var/team/other', readTok, false],
    ['DELETE', '/v1/var/team/secret', undefined, false],
    ['DELETE', '/v1/var/team/secret', readTok, false],
    ['DELETE', '/v1/var/team/secret', workload, false],
    ['DELETE', '/v1/var/team/other', writeTok, true],
    ['GET', '/v1/var/nomad/jobs/wl', workload, true],
  ];
  for (const [method, path, token, allowed] of cases) {
    const r = await call(method, path, token, JSON.stringify({ Items: { k: 'v' } }));
    assert.equal(r.status !== 403, allowed, `${method} ${path} with ${token === undefined ? 'no token' : token === workload ? 'workload' : token === readTok ? 'read' : token === writeTok ? 'write' : token}: ${r.status} ${r.body}`);
    assert.ok(r.status < 500, r.body);
  }
  // Listing is filtered, as Nomad's: without a token (or as another job's workload) nothing shows.
  for (const token of [undefined, workload]) {
    const r = await call('GET', '/v1/vars', token);
    assert.equal(r.status, 200, r.body);
    assert.doesNotMatch(r.body, /team\/secret/);
  }
  assert.equal((await call('GET', '/v1/vars', UNKNOWN_ID)).status, 403);
  assert.match((await call('GET', '/v1/vars', readTok)).body, /team\/secret/);
  assert.doesNotMatch((await call('GET', '/v1/var/team/secret', readTok)).body, /^$/);
});

test('bootstrap: answered once; its secret is never shown again unasked; near misses are unknown tokens', async () => {
  for (const method of ['PUT', 'POST']) {
    for (const token of [undefined, mgmt]) {
      const again = await call(method, '/v1/acl/bootstrap', token);
      assert.equal(again.status, 400, again.body);
      assert.match(again.body, /^ACL bootstrap already done \(reset index: \d+\)$/);
      assert.ok(!again.body.includes(mgmt));
    }
  }
  // The token list is stubs: no secrets, not even for management.
  const list = await call('GET', '/v1/acl/tokens', mgmt);
  assert.equal(list.status, 200);
  for (const s of [mgmt, readTok, writeTok]) assert.ok(!list.body.includes(s), 'a secret in the token list');
  // A client token may read itself by accessor (Nomad's ACL.GetToken), not another token.
  const self = JSON.parse((await call('GET', '/v1/acl/token/self', readTok)).body) as { AccessorID: string; SecretID: string };
  assert.equal(self.SecretID, readTok);
  const own = await call('GET', `/v1/acl/token/${self.AccessorID}`, readTok);
  assert.equal(own.status, 200, own.body);
  assert.equal((JSON.parse(own.body) as { SecretID: string }).SecretID, readTok);
  const other = await call('GET', `/v1/acl/token/${mgmtAccessor}`, readTok);
  assert.equal(other.status, 403);
  assert.ok(!other.body.includes(mgmt));
  assert.equal((await call('GET', `/v1/acl/token/${UNKNOWN_ID}`, readTok)).status, 403);
  assert.equal((await call('GET', `/v1/acl/token/${UNKNOWN_ID}`, mgmt)).status, 404);
  // Every one-character change of a real secret, and its prefixes, is just an unknown token.
  const misses = new Set<string>();
  for (let i = 0; i < mgmt.length; i += budget(4, 1)) {
    const c = mgmt[i] === 'a' ? 'b' : 'a';
    misses.add(mgmt.slice(0, i) + c + mgmt.slice(i + 1));
    misses.add(mgmt.slice(0, i));
  }
  misses.add(mgmt.toUpperCase());
  misses.delete('');
  for (const m of misses) {
    const r = await call('GET', '/v1/acl/token/self', m);
    assert.equal(r.status, 403, `${JSON.stringify(m)}: ${r.status}`);
  }
  report({ scenario: 'ACL bootstrap once, secrets by digest', runs: misses.size + 4, checked: 'second bootstrap refused with its reset index, no secret in the token list, near-miss secrets refused', result: 'pass' });
});
