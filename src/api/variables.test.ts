/**
 * Nomad Variables over real HTTP against a real `drover agent` process:
 * Nomad's wire format, check-and-set conflicts (409 with the current
 * variable), locks, validation, ACL per path, and an agent whose key file is
 * gone (it starts and serves everything else; variables say what is wrong).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, CasConflictError, LockConflictError, type ApiVariable } from './index.js';
import { startAgent, type AgentProcess } from './testing.js';

const agents: AgentProcess[] = [];
after(async () => {
  for (const a of agents) await a.kill('SIGKILL');
});

async function agent(o: Parameters<typeof startAgent>[0] = {}): Promise<AgentProcess> {
  const a = await startAgent(o);
  agents.push(a);
  return a;
}

async function raw(a: AgentProcess, method: string, path: string, body?: unknown, token?: string) {
  const r = await fetch(`${a.address}${path}`, {
    method,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    headers: token ? { 'X-Nomad-Token': token } : {},
  });
  const text = await r.text();
  return { status: r.status, index: r.headers.get('x-nomad-index'), text, json: (): unknown => JSON.parse(text) };
}

test('variables API: put, get, list and delete in Nomad\'s JSON', async () => {
  const a = await agent();
  const put = await raw(a, 'PUT', '/v1/var/nomad/jobs/web', { Namespace: 'default', Path: 'ignored', Items: { user: 'admin', pass: 's3cret' } });
  assert.equal(put.status, 200, put.text);
  const v = put.json() as ApiVariable;
  assert.deepEqual(Object.keys(v), ['Namespace', 'Path', 'CreateIndex', 'CreateTime', 'ModifyIndex', 'ModifyTime', 'Items']);
  assert.equal(v.Path, 'nomad/jobs/web', 'the URL names the path');
  assert.equal(put.index, String(v.ModifyIndex));
  assert.ok(v.CreateTime > 1e18, `CreateTime ${v.CreateTime} is Unix nanoseconds`);

  await a.client.variables.update({ Path: 'other', Items: { k: 'v' } });
  const got = await raw(a, 'GET', '/v1/var/nomad/jobs/web');
  assert.equal(got.status, 200);
  assert.deepEqual(got.json(), v);
  assert.equal(got.index, String(v.ModifyIndex), "a read answers with the variable's own index");
  const missing = await raw(a, 'GET', '/v1/var/nope');
  assert.deepEqual([missing.status, missing.text], [404, 'variable not found']);

  await a.client.variables.update({ Path: 'nomad/jobs/api', Items: { k: 'v' } });
  await a.client.variables.update({ Path: '/app/db/', Items: { k: 'v' } });
  const list = await raw(a, 'GET', '/v1/vars');
  assert.deepEqual(
    (list.json() as ApiVariable[]).map((m) => [m.Path, Object.keys(m).includes('Items')]),
    [
      ['app/db', false],
      ['nomad/jobs/api', false],
      ['nomad/jobs/web', false],
      ['other', false],
    ],
  );
  assert.deepEqual(
    (await a.client.variables.list({ prefix: 'nomad/' })).map((m) => m.Path),
    ['nomad/jobs/api', 'nomad/jobs/web'],
  );
  assert.deepEqual(await a.client.variables.list({ namespace: 'prod' }), []);
  assert.equal((await a.client.variables.list({ namespace: '*' })).length, 4);

  const del = await raw(a, 'DELETE', '/v1/var/app/db');
  assert.deepEqual([del.status, del.text], [204, '']);
  assert.ok(Number(del.index) > v.ModifyIndex);
  assert.equal(await a.client.variables.peek('app/db'), undefined);
  assert.equal((await raw(a, 'DELETE', '/v1/var/app/db')).status, 204, 'deleting what is gone is fine');
});

test('variables API: check-and-set conflicts answer 409 with the current variable', async () => {
  const a = await agent();
  const v1 = await a.client.variables.checkedUpdate({ Path: 'cfg', Items: { a: '1' } }, 0);
  const again = await raw(a, 'PUT', '/v1/var/cfg?cas=0', { Items: { a: '2' } });
  assert.equal(again.status, 409);
  assert.deepEqual(again.json(), v1);
  assert.equal(again.index, String(v1.ModifyIndex));
  await assert.rejects(a.client.variables.checkedUpdate({ Path: 'cfg', Items: { a: '2' } }, v1.ModifyIndex + 5), (err: unknown) => {
    assert.ok(err instanceof CasConflictError);
    assert.equal(err.message, `cas conflict: expected ModifyIndex ${v1.ModifyIndex + 5}; found ${v1.ModifyIndex}`);
    assert.deepEqual(err.conflict.Items, { a: '1' });
    return true;
  });
  const v2 = await a.client.variables.checkedUpdate({ Path: 'cfg', Items: { a: '2' }, ModifyIndex: v1.ModifyIndex });
  assert.equal(v2.CreateIndex, v1.CreateIndex);
  // A check index for a variable that does not exist: 409 with a zero value.
  const ghost = await raw(a, 'PUT', '/v1/var/ghost?cas=3', { Items: { a: '1' } });
  assert.equal(ghost.status, 409);
  assert.deepEqual(ghost.json(), { Namespace: 'default', Path: 'ghost', CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0 });

  const stale = await raw(a, 'DELETE', `/v1/var/cfg?cas=${v1.ModifyIndex}`);
  assert.equal(stale.status, 409);
  assert.deepEqual((stale.json() as ApiVariable).Items, { a: '2' });
  await assert.rejects(a.client.variables.checkedDelete('cfg', 0), CasConflictError);
  await a.client.variables.checkedDelete('cfg', v2.ModifyIndex);
  assert.equal(await a.client.variables.peek('cfg'), undefined);
  assert.deepEqual(await raw(a, 'PUT', '/v1/var/cfg?cas=x', { Items: { a: '1' } }).then((r) => [r.status, r.text]), [
    400,
    'can not parse cas: strconv.ParseUint: parsing "x": invalid syntax',
  ]);
});

test('variables API: locks (acquire, writes need the ID, renew, release) and their errors', async () => {
  const a = await agent();
  const vars = a.client.variables;
  const held = await vars.acquireLock({ Path: 'leader', Items: { holder: 'me' }, Lock: { ID: '', TTL: '10s', LockDelay: '1s' } });
  assert.deepEqual(held.Lock && { TTL: held.Lock.TTL, LockDelay: held.Lock.LockDelay }, { TTL: '10s', LockDelay: '1s' });
  const id = held.Lock?.ID as string;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(held.Items, { holder: 'me' });

  await assert.rejects(vars.acquireLock({ Path: 'leader', Lock: { ID: '', TTL: '10s', LockDelay: '' } }), LockConflictError);
  const blocked = await raw(a, 'PUT', '/v1/var/leader', { Items: { holder: 'you' } });
  assert.equal(blocked.status, 409);
  assert.deepEqual(blocked.json(), { Namespace: 'default', Path: 'leader', CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0 });
  assert.equal((await raw(a, 'DELETE', '/v1/var/leader')).status, 409);
  const mine = await vars.update({ Path: 'leader', Items: { holder: 'still me' }, Lock: { ID: id, TTL: '', LockDelay: '' } });
  assert.equal(mine.Lock?.ID, id);

  const renewed = await vars.renewLock({ Path: 'leader', Lock: { ID: id, TTL: '', LockDelay: '' } });
  assert.equal(renewed.Lock?.ID, id);
  assert.equal((await raw(a, 'PUT', '/v1/var/leader?lock-renew', { Lock: { ID: id } })).index, String(mine.ModifyIndex));
  await assert.rejects(vars.renewLock({ Path: 'leader', Lock: { ID: 'wrong', TTL: '', LockDelay: '' } }), (err: unknown) => {
    assert.ok(err instanceof LockConflictError);
    assert.equal(err.cause.body, 'attempting to modify locked variable');
    return true;
  });
  const wrong = await raw(a, 'PUT', '/v1/var/leader?lock-release', { Lock: { ID: 'wrong' } });
  assert.equal(wrong.status, 409);
  assert.deepEqual((wrong.json() as ApiVariable).Lock, { TTL: '', LockDelay: '', ID: '' });

  for (const [path, body, want] of [
    ['/v1/var/leader?lock-release&lock-acquire', {}, 'multiple lock operations'],
    ['/v1/var/leader?lock-acquire&cas=1', {}, "CAS can't be used with lock operations"],
    ['/v1/var/leader?lock-release', { Lock: { ID: id }, Items: { a: 'b' } }, "lock release operation doesn't take variable items"],
    ['/v1/var/leader?lock-release', {}, 'missing lock information'],
    ['/v1/var/leader?lock-acquire', { Lock: { TTL: '1s' } }, 'TTL must be between 10 seconds and 24 hours'],
    ['/v1/var/leader?lock-acquire', { Lock: { TTL: 'soon' } }, 'Lock.TTL: invalid duration "soon"'],
  ] as const) {
    const r = await raw(a, 'PUT', path, body);
    assert.deepEqual([r.status, r.text], [400, want], path);
  }

  const released = await vars.releaseLock({ Path: 'leader', Lock: { ID: id, TTL: '', LockDelay: '' } });
  assert.equal(released.Lock, undefined);
  assert.equal(released.Items, undefined, 'a release answers without items, as Nomad');
  assert.deepEqual((await vars.read('leader')).Items, { holder: 'still me' });
  assert.equal((await raw(a, 'PUT', '/v1/var/leader?lock-renew', { Lock: { ID: id } })).text, "variable doesn't hold a lock");
  assert.equal((await raw(a, 'PUT', '/v1/var/none?lock-renew', { Lock: { ID: id } })).status, 404);
});

test('variables API: bad paths, items and namespaces are 400s with Nomad\'s messages', async () => {
  const a = await agent();
  for (const [path, body, want] of [
    ['/v1/var/a%20b', { Items: { k: 'v' } }, 'invalid path "a b"'],
    ['/v1/var/nomad', { Items: { k: 'v' } }, '"nomad" is a reserved top-level directory path, but you may write variables to "nomad/jobs", "nomad/job-templates", "nomad/sentinel", or below'],
    ['/v1/var/ok', { Items: {} }, 'variable missing required Items object'],
    ['/v1/var/ok', { Items: { k: 1 } }, 'Items.k: expected a string'],
    ['/v1/var/ok', { Items: { k: 'x'.repeat(70_000) } }, 'variables are limited to 64KiB in total size'],
    ['/v1/var/ok?namespace=prod', { Items: { k: 'v' } }, 'variable "ok" is in nonexistent namespace "prod" (drover has only "default")'],
    ['/v1/var/ok', { Namespace: '*', Items: { k: 'v' } }, 'can not target wildcard ("*")namespace'],
    ['/v1/var/ok', { Items: { k: 'v' }, Lock: { TTL: '15s' } }, 'variable should not contain lock definition'],
    ['/v1/var/ok', '{"Items":', 'Failed to parse JSON body: Unexpected end of JSON input'],
  ] as const) {
    const r = await raw(a, 'PUT', path, body);
    assert.deepEqual([r.status, r.text], [400, want], path);
  }
  assert.equal((await raw(a, 'GET', '/v1/vars?filter=x')).status, 400);
  assert.equal((await raw(a, 'GET', '/v1/var/ok?namespace=prod')).status, 404);
});

test('variables API: ACL per path and operation; locks shown to management and the holder only', async () => {
  const a = await agent({ args: ['-acl-enabled'] });
  const boot = (await raw(a, 'POST', '/v1/acl/bootstrap').then((r) => r.json())) as { SecretID: string };
  const mgmt = new ApiClient({ address: a.address, token: boot.SecretID });
  const token = async (policy: string) => (await mgmt.acl.create({ Name: policy, Type: 'client', Policies: [policy] })).SecretID;
  const read = await token('read');
  const write = await token('write');

  assert.equal((await raw(a, 'PUT', '/v1/var/x', { Items: { k: 'v' } })).status, 403);
  assert.equal((await raw(a, 'PUT', '/v1/var/x', { Items: { k: 'v' } }, read)).status, 403);
  assert.equal((await raw(a, 'PUT', '/v1/var/x', { Items: { k: 'v' } }, 'bogus')).text, 'ACL token not found');
  const held = await new ApiClient({ address: a.address, token: write }).variables.acquireLock({ Path: 'x', Items: { k: 'v' } });
  assert.ok(held.Lock?.ID, 'the holder sees its lock');

  assert.equal((await raw(a, 'GET', '/v1/var/x')).status, 403);
  const asRead = await raw(a, 'GET', '/v1/var/x', undefined, read);
  assert.equal(asRead.status, 200);
  assert.equal((asRead.json() as ApiVariable).Lock, undefined);
  assert.equal((await mgmt.variables.read('x')).Lock?.ID, held.Lock?.ID);
  assert.deepEqual((await raw(a, 'GET', '/v1/vars')).json(), [], 'anonymous lists nothing');
  assert.deepEqual(((await raw(a, 'GET', '/v1/vars', undefined, read)).json() as ApiVariable[]).map((m) => [m.Path, m.Lock]), [['x', undefined]]);
  assert.equal((await raw(a, 'DELETE', '/v1/var/x', undefined, read)).status, 403);
});

test('variables API: with its key file gone the agent starts and serves the rest; variables name the file', async () => {
  const a = await agent();
  await a.client.variables.update({ Path: 'kept', Items: { k: 'v' } });
  await a.kill('SIGTERM');
  const keyFile = join(a.dataDir, 'keystore', 'variables.key');
  rmSync(keyFile);
  const b = await agent({ dataDir: a.dataDir });
  assert.match(b.output().stderr, /variables cannot be read or written until the key is restored/);
  assert.deepEqual(await b.client.jobs.list(), []);
  assert.deepEqual(
    (await b.client.variables.list()).map((m) => m.Path),
    ['kept'],
  );
  for (const [method, body] of [
    ['GET', undefined],
    ['PUT', { Items: { k: 'w' } }],
  ] as const) {
    const r = await raw(b, method, '/v1/var/kept', body);
    assert.equal(r.status, 503, `${method}: ${r.text}`);
    assert.ok(r.text.includes(`the variables key file ${keyFile} is missing, but state.db holds 1 variable sealed with key`), r.text);
  }
});
