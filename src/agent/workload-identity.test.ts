/**
 * Workload identity end to end on a real agent in this process, ACLs on,
 * over real HTTP and a real raw_exec task: the task gets NOMAD_TOKEN,
 * NOMAD_UNIX_ADDR, secrets/nomad_token and its named identity; the served
 * JWKS verifies the tokens (node:crypto, as a third party would); the task
 * calls the API through secrets/api.sock (401 without a token, 403 with a
 * bad one, through with its own); the token reads services and its job's
 * variables (Nomad's implicit policy) and nothing else; and it stops working
 * once the allocation is terminal.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_CONFIG } from './config/agent-config.js';
import { runAgent, type RunningAgent } from './run-agent.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { parseJob } from '../jobspec/index.js';
import { AclService } from './core/acl.js';

let running: RunningAgent;
let base = '';
let mgmt = '';
let dataDir = '';

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'drover-wid-'));
  running = await runAgent({ ...DEFAULT_AGENT_CONFIG, dataDir, httpPort: 0, aclEnabled: true, plugins: { raw_exec: { enabled: true } } }, silentLogger);
  base = `http://${running.http.address}`;
  const boot = await fetch(`${base}/v1/acl/bootstrap`, { method: 'POST' });
  mgmt = ((await boot.json()) as { SecretID: string }).SecretID;
});
after(async () => {
  if (running.agent.job('wid')) running.agent.deregister('wid', true);
  await eventually(() => running.agent.allocs('wid').every((a) => a.record.terminal), { message: 'wid allocs to end', timeoutMs: 30_000 });
  await running.stop();
});

/** The task: asks the task API three ways and prints what it saw, then stays up (its token lives as long as it runs). */
const SCRIPT = `
const http = require('http');
const sock = process.env.NOMAD_SECRETS_DIR + '/api.sock';
const call = (path, token) => new Promise((resolve) => {
  const q = http.get({ socketPath: sock, path, headers: token ? { 'X-Nomad-Token': token } : {} }, (s) => {
    let b = '';
    s.on('data', (d) => (b += d));
    s.on('end', () => resolve(s.statusCode + ' ' + b));
  });
  q.on('error', (e) => resolve('error ' + e.message));
});
(async () => {
  const t = process.env.NOMAD_TOKEN;
  const out = {
    none: await call('/v1/agent/health'),
    bad: await call('/v1/agent/health', '37297754-3b87-41da-9ac7-d98fd934deed'),
    good: await call('/v1/agent/health', t),
    services: await call('/v1/services', t),
    jobs: await call('/v1/jobs', t),
    token: t,
    named: process.env.NOMAD_TOKEN_example,
    unix: process.env.NOMAD_UNIX_ADDR,
    addr: process.env.NOMAD_ADDR,
  };
  console.log(JSON.stringify(out));
  setInterval(() => {}, 1 << 30);
})();
`;

/** drover's own CLI inside a task, through the socket (Nomad's e2e api-nomad-cli does this with \`nomad var get\`). */
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const CLI = `"${process.execPath}" "${MAIN}" service list; echo "services=$?"; "${process.execPath}" "${MAIN}" job status wid; echo "status=$?"`;

const JOB = `job "wid" {
  group "g" {
    task "cli" {
      driver = "raw_exec"
      lifecycle {
        hook = "prestart"
      }
      config {
        command = "/bin/sh"
        args    = ["-c", ${JSON.stringify(CLI)}]
      }
      env {
        NOMAD_ADDR = "\${NOMAD_UNIX_ADDR}"
      }
      identity {
        env = true
      }
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = ${JSON.stringify(process.execPath)}
        args    = ["-e", ${JSON.stringify(SCRIPT)}]
      }
      env {
        NOMAD_ADDR = "\${NOMAD_UNIX_ADDR}"
      }
      identity {
        env  = true
        file = true
      }
      identity {
        name        = "example"
        aud         = ["example.com"]
        ttl         = "1h"
        env         = true
        file        = true
        change_mode = "restart"
      }
    }
  }
}
`;

interface TaskOutput {
  none: string;
  bad: string;
  good: string;
  services: string;
  jobs: string;
  token: string;
  named: string;
  unix: string;
  addr: string;
}

const get = async (path: string, token?: string): Promise<{ status: number; body: string }> => {
  const r = await fetch(`${base}${path}`, { headers: token ? { 'X-Nomad-Token': token } : {} });
  return { status: r.status, body: await r.text() };
};

function decode(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, c] = jwt.split('.') as [string, string];
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>, claims: JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown> };
}

test('a task gets its identities, uses the task API, and its token carries only the implicit policy', async () => {
  const { job } = await parseJob(JOB, { file: 'wid.nomad.hcl', drivers: running.agent.drivers });
  await running.agent.register(job);
  const alloc = await eventually(() => running.agent.allocs('wid')[0], { message: 'alloc placed' });
  const allocId = alloc.record.id;
  const taskDir = join(running.agent.allocDir(allocId), 't');
  const out = await eventually(
    () => {
      const text = readFileSync(join(running.agent.allocDir(allocId), 'alloc', 'logs', 't.stdout.0'), 'utf8');
      return text.includes('\n') ? (JSON.parse(text) as TaskOutput) : undefined;
    },
    { message: 'task output', timeoutMs: 30_000 },
  );

  // drover's CLI in a task, with NOMAD_ADDR=$NOMAD_UNIX_ADDR and its NOMAD_TOKEN: services yes, jobs no.
  const logs = join(running.agent.allocDir(allocId), 'alloc', 'logs');
  const cliOut = readFileSync(join(logs, 'cli.stdout.0'), 'utf8');
  assert.match(cliOut, /^No service registrations found\nservices=0\n/);
  assert.match(cliOut, /status=1\n$/);
  assert.match(readFileSync(join(logs, 'cli.stderr.0'), 'utf8'), /403/);

  // The task API: always authenticated (Nomad's authMiddleware), then ordinary ACLs.
  assert.equal(out.none, '401 Unauthorized');
  assert.equal(out.bad, '403 Forbidden');
  assert.match(out.good, /^200 .*"ok":true/);
  assert.match(out.services, /^200 \[/);
  assert.equal(out.jobs, '403 Permission denied');
  const sock = join(taskDir, 'secrets', 'api.sock');
  assert.equal(out.unix, `unix://${sock}`);
  assert.equal(out.addr, out.unix, 'env { } may refer to NOMAD_UNIX_ADDR');

  // The files: secrets/nomad_token and secrets/nomad_<name>.jwt (no task user: readable by all, as Nomad).
  assert.equal(readFileSync(join(taskDir, 'secrets', 'nomad_token'), 'utf8'), out.token);
  assert.equal(readFileSync(join(taskDir, 'secrets', 'nomad_example.jwt'), 'utf8'), out.named);
  assert.equal(statSync(join(taskDir, 'secrets', 'nomad_token')).mode & 0o777, 0o666);

  // Nomad's claims and header; the named identity expires after its ttl.
  const def = decode(out.token);
  assert.deepEqual(Object.keys(def.header), ['alg', 'kid', 'typ']);
  assert.equal(def.header.alg, 'RS256');
  assert.equal(def.header.typ, 'JWT');
  assert.deepEqual(Object.keys(def.claims), ['nomad_namespace', 'nomad_job_id', 'nomad_allocation_id', 'nomad_task', 'sub', 'aud', 'nbf', 'iat', 'jti']);
  assert.equal(def.claims.nomad_namespace, 'default');
  assert.equal(def.claims.nomad_job_id, 'wid');
  assert.equal(def.claims.nomad_allocation_id, allocId);
  assert.equal(def.claims.nomad_task, 't');
  assert.equal(def.claims.sub, 'global:default:wid:g:t:default');
  assert.equal(def.claims.aud, 'nomadproject.io');
  const named = decode(out.named);
  assert.equal(named.claims.sub, 'global:default:wid:g:t:example');
  assert.equal(named.claims.aud, 'example.com');
  assert.equal((named.claims.exp as number) - (named.claims.iat as number), 3600);

  // The JWKS verifies both, as a third party would (anonymous, cacheable).
  const jwksRes = await fetch(`${base}/.well-known/jwks.json`);
  assert.equal(jwksRes.status, 200);
  assert.match(jwksRes.headers.get('cache-control') ?? '', /^max-age=\d+$/);
  const jwks = (await jwksRes.json()) as { keys: (JsonWebKey & { kid: string; use: string; alg: string })[] };
  assert.equal(jwks.keys.length, 1);
  const jwk = jwks.keys[0] as JsonWebKey & { kid: string; use: string; alg: string };
  assert.equal(jwk.kid, def.header.kid);
  assert.equal(jwk.use, 'sig');
  assert.equal(jwk.alg, 'RS256');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  for (const t of [out.token, out.named]) {
    const [h, c, s] = t.split('.') as [string, string, string];
    assert.ok(verify('sha256', Buffer.from(`${h}.${c}`), key, Buffer.from(s, 'base64url')), 'signature verifies with the JWKS');
  }
  assert.equal((await get('/.well-known/openid-configuration')).status, 404);

  // Over the TCP API too: services yes, anything else no; token/self is not an ACL token.
  assert.equal((await get('/v1/services', out.token)).status, 200);
  assert.equal((await get('/v1/service/web', out.token)).status, 200);
  assert.deepEqual(JSON.parse((await get('/v1/services?namespace=*', out.token)).body), []);
  assert.equal((await get('/v1/jobs', out.token)).status, 403);
  assert.equal((await get(`/v1/allocation/${allocId}`, out.token)).status, 403);
  assert.deepEqual(await get('/v1/acl/token/self', out.token), { status: 404, body: 'ACL token not found' });
  const tampered = `${out.token.split('.').slice(0, 2).join('.')}.${'A'.repeat(342)}`;
  assert.equal((await get('/v1/services', tampered)).status, 403);

  // Variables: Nomad's implicit policy, exact paths, read and list only, own namespace.
  const acl = new AclService(running.agent.db, true, Date.now, running.agent.identities);
  for (const path of ['nomad/jobs', 'nomad/jobs/wid', 'nomad/jobs/wid/g', 'nomad/jobs/wid/g/t']) {
    assert.ok(acl.canVariable(out.token, path, 'read'), path);
    assert.ok(acl.canVariable(out.named, path, 'list'), path);
    assert.equal(acl.canVariable(out.token, path, 'write'), false, path);
    assert.equal(acl.canVariable(out.token, path, 'read', 'other'), false, path);
  }
  for (const path of ['nomad/jobs/other', 'nomad/jobs/wid/g/t/x', 'nomad/jobs/wid/h', 'config/db']) {
    assert.equal(acl.canVariable(out.token, path, 'read'), false, path);
  }
  assert.throws(() => acl.authorizeVariable(out.token, 'nomad/jobs/other', 'read'), /Permission denied/);
  assert.ok(acl.canVariable(mgmt, 'anything', 'write'));

  // A terminal allocation's identities are refused (Nomad treats them as expired).
  running.agent.deregister('wid', false);
  await eventually(() => running.agent.alloc(allocId)?.record.clientStatus === 'complete', { message: 'alloc complete', timeoutMs: 30_000 });
  assert.equal((await get('/v1/services', out.token)).status, 403);
  // An invalid principal is refused outright (as an unknown ACL token is), not just filtered.
  assert.throws(() => acl.canVariable(out.token, 'nomad/jobs/wid', 'read'), /Permission denied/);
});
