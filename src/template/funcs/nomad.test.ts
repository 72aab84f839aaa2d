import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateFuncs } from './index.js';
import { chooseServices } from './nomad.js';
import { NomadService, NomadVarItems, NomadVarMeta } from './nomad-values.js';
import { testContext } from './testing.js';
import { marshalGoJSON } from './go-json.js';
import type { ServiceInstance } from '../sources.js';

function setup() {
  const ctx = testContext();
  const f = templateFuncs(ctx);
  const call = (name: string, ...args: unknown[]): unknown => f[name]!(...args);
  return { ctx, f, call, sources: ctx.sources, deps: ctx.deps };
}

test('nomadVar returns the items: .key is the value, methods as consul-template NomadVarItems', () => {
  const { call, sources, deps } = setup();
  sources.putVariable('default', 'nomad/jobs/app', { k2: 'v2', k1: 'v1' }, 7);
  const items = call('nomadVar', 'nomad/jobs/app') as NomadVarItems;
  assert.ok(items instanceof NomadVarItems);
  assert.equal(String(items.get('k1')), 'v1');
  assert.deepEqual(items.Keys(), ['k1', 'k2']);
  assert.deepEqual(items.Values(), ['v1', 'v2']);
  assert.deepEqual(items.Tuples().map((t) => [t.K, t.V]), [['k1', 'v1'], ['k2', 'v2']]);
  const meta = items.Metadata()!;
  assert.equal(String(meta), 'nomad/jobs/app');
  assert.equal(meta.Namespace, 'default');
  assert.equal(meta.ModifyIndex, 7);
  assert.equal(String(meta.CreateTime), '2023-11-14 22:13:20 +0000 UTC');
  assert.equal(meta.CreateTime.Time().Format('2006-01-02'), '2023-11-14');
  assert.equal(items.Parent()!.Path, 'nomad/jobs/app');
  assert.equal(items.get('k2')!.Parent().Items.get('k1')!.Value, 'v1');
  assert.deepEqual(items.ItemsMap(), { k1: 'v1', k2: 'v2' });
  assert.equal(marshalGoJSON(items), '{"k1":"v1","k2":"v2"}');
  assert.deepEqual(deps.usedList, [{ kind: 'variable', namespace: 'default', path: 'nomad/jobs/app' }]);
  assert.deepEqual(deps.missingList, []);
});

test('nomadVar on a missing variable blocks with consul-template\'s dependency name and renders on empty', () => {
  const { call, deps } = setup();
  const items = call('nomadVar', '/nomad/jobs/missing/') as NomadVarItems;
  assert.equal(items.size, 0);
  assert.equal(items.Metadata(), null);
  assert.equal(items.Parent(), null);
  assert.equal(items.ItemsMap(), null);
  assert.deepEqual(deps.missingList, ['nomad.var.block(nomad/jobs/missing@default.global)']);
  assert.deepEqual(deps.usedList, [{ kind: 'variable', namespace: 'default', path: 'nomad/jobs/missing' }]);
});

test('nomadVar reads path@namespace.region; another region fails; empty path reads nothing', () => {
  const { call, sources, deps } = setup();
  sources.putVariable('prod', 'app/config', { a: 'b' });
  assert.equal(String((call('nomadVar', 'app/config@prod') as NomadVarItems).get('a')), 'b');
  assert.equal(String((call('nomadVar', 'app/config@prod.global') as NomadVarItems).get('a')), 'b');
  assert.throws(() => call('nomadVar', 'app/config@prod.eu'),
    { message: 'nomad.var.block(app/config@prod.eu): no path to region "eu" (this agent serves region "global")' });
  assert.equal((call('nomadVar', '') as NomadVarItems).size, 0);
  assert.throws(() => call('nomadVar', '@dc1'), { message: 'nomad.var.get: invalid format: "@dc1"' });
  assert.throws(() => call('nomadVar', 3), { message: 'wrong type for value; expected string; got int' });
  assert.deepEqual(deps.missingList, []);
  // Paths as consul-template parses them (dependency/nomad_var_get_test.go).
  sources.putVariable('default', 'config/*/timeouts', { t: '1' });
  sources.putVariable('default', 'path.with.dots', { d: '1' });
  sources.putVariable('default', 'config/facet:größe-lf-si', { g: '1' });
  assert.equal((call('nomadVar', 'config/*/timeouts/') as NomadVarItems).size, 1);
  assert.equal((call('nomadVar', 'path.with.dots') as NomadVarItems).size, 1);
  assert.equal((call('nomadVar', 'config/facet:größe-lf-si') as NomadVarItems).size, 1);
});

test('nomadVar on a denied path fails naming the dependency', () => {
  const { call, sources } = setup();
  sources.denied.push('default/secret');
  assert.throws(() => call('nomadVar', 'secret/db'), { message: 'nomad.var.block(secret/db@default.global): Permission denied' });
  assert.throws(() => call('nomadVarExists', 'secret/db'), { message: 'nomad.var.get(secret/db@default.global): Permission denied' });
});

test('nomadVarExists: true/false, never blocks', () => {
  const { call, sources, deps } = setup();
  sources.putVariable('default', 'path', { a: '1' });
  assert.equal(call('nomadVarExists', 'path'), true);
  assert.equal(call('nomadVarExists', 'no_path'), false);
  assert.equal(call('nomadVarExists', 'path@default.global'), true);
  assert.equal(call('nomadVarExists', ''), false);
  assert.deepEqual(deps.missingList, []);
  assert.deepEqual(deps.usedList.map((w) => w.kind === 'variable' && w.path), ['path', 'no_path', 'path']);
});

test('nomadVarList lists metadata by prefix, printing as paths; too many args fail as consul-template', () => {
  const { call, sources, deps } = setup();
  for (const p of ['list/foo/zip', 'list', 'list/foo', 'other']) sources.putVariable('default', p, { x: '1' });
  const metas = call('nomadVarList', 'list') as NomadVarMeta[];
  assert.equal(metas.map(String).join(' '), 'list list/foo list/foo/zip');
  assert.ok(metas[0] instanceof NomadVarMeta);
  assert.equal((call('nomadVarList') as NomadVarMeta[]).length, 4);
  assert.equal((call('nomadVarList', '/') as NomadVarMeta[]).length, 4);
  assert.deepEqual(deps.usedList[0], { kind: 'variable-prefix', namespace: 'default', prefix: 'list' });
  assert.deepEqual(deps.usedList[2], { kind: 'variable-prefix', namespace: 'default', prefix: '' });
  assert.throws(() => call('nomadVarList', 'a', 'b'), {
    message: 'nomadVarList takes either a single "prefix" parameter or none for all available variables; got: [a b]',
  });
  assert.equal((call('nomadVarList', 'nothing') as NomadVarMeta[]).length, 0);
  assert.deepEqual(deps.missingList, []);
  assert.throws(() => call('nomadVarList', 'x@*'), /listing every namespace \("@\*"\) is not supported/);
});

test('nomadVarListSafe blocks on an empty list; both read "Permission denied" as empty', () => {
  const { call, sources, deps } = setup();
  sources.putVariable('default', 'app/a', { x: '1' });
  assert.equal((call('nomadVarListSafe', 'app') as NomadVarMeta[]).length, 1);
  assert.deepEqual(deps.missingList, []);
  assert.deepEqual(call('nomadVarListSafe', 'none@default.global'), []);
  assert.deepEqual(deps.missingList, ['nomad.var.list(none@default.global)']);
  sources.denied.push('default/locked');
  assert.deepEqual(call('nomadVarList', 'locked'), []);
  assert.deepEqual(call('nomadVarListSafe', 'locked'), []);
  assert.deepEqual(deps.missingList, ['nomad.var.list(none@default.global)', 'nomad.var.list(locked@default.global)']);
});

test('nomadService: instances with consul-template\'s fields, tag filter, region check', () => {
  const { call, sources, deps } = setup();
  sources.putService({ id: 'b', serviceName: 'redis', tags: ['zeta', 'alpha'], address: '10.0.0.2', port: 6380 });
  sources.putService({ id: 'a', serviceName: 'redis', tags: ['primary'], address: '10.0.0.1', port: 6379 });
  sources.putService({ id: 'c', serviceName: 'web' });
  const all = call('nomadService', 'redis') as NomadService[];
  assert.deepEqual(all.map((s) => `${s.Address}:${s.Port}`), ['10.0.0.1:6379', '10.0.0.2:6380']);
  assert.deepEqual({ ...all[1] }, {
    ID: 'b', Name: 'redis', Node: 'node-1', Address: '10.0.0.2', Port: 6380, Datacenter: 'dc1',
    Tags: ['alpha', 'zeta'], JobID: 'job', AllocID: 'alloc-b',
  });
  assert.deepEqual((call('nomadService', 'primary.redis') as NomadService[]).map((s) => s.ID), ['a']);
  assert.deepEqual(call('nomadService', 'nope.redis'), []);
  assert.deepEqual(call('nomadService', 'redis@global'), all);
  assert.throws(() => call('nomadService', 'redis@eu'), { message: 'nomad.service(redis@eu): no path to region "eu" (this agent serves region "global")' });
  assert.throws(() => call('nomadService', 'bad name'), { message: 'nomad.service: invalid format: "bad name"' });
  assert.throws(() => call('nomadService', 3), { message: 'expected string for <service> argument' });
  assert.throws(() => call('nomadService', 'a', 'b'), { message: 'expected arguments <service> or <count> <key> <service>' });
  assert.throws(() => call('nomadService', '2', 'k', 'redis'), { message: 'expected integer for <count> argument' });
  assert.deepEqual(call('nomadService', 'missing'), []);
  assert.deepEqual(deps.missingList, []);
  assert.deepEqual(deps.usedList[0], { kind: 'service', namespace: 'default', name: 'redis' });
});

test('nomadService N KEY NAME chooses by rendezvous hashing, as Nomad\'s choose', () => {
  // Nomad's TestServiceRegistration_choose: ids abc001..abc003 of s1, other fields empty.
  const regs: ServiceInstance[] = ['abc001', 'abc002', 'abc003'].map((id) => ({
    id, serviceName: 's1', namespace: '', nodeId: '', datacenter: '', jobId: '', allocId: '', tags: [], address: '', port: 0,
    createIndex: 0, modifyIndex: 0,
  }));
  const ids = (n: number, key: string) => chooseServices('d', regs, n, key).map((s) => s.id);
  assert.deepEqual(ids(1, 'aaa'), ['abc003']);
  assert.deepEqual(ids(2, 'aaa'), ['abc003', 'abc001']);
  assert.deepEqual(ids(3, 'aaa'), ['abc003', 'abc001', 'abc002']);
  assert.deepEqual(ids(3, 'ddd'), ['abc001', 'abc002', 'abc003']);
  assert.deepEqual(ids(3, 'ccc'), ['abc003', 'abc002', 'abc001']);
  assert.deepEqual(chooseServices('d', [], 2, 'aaa'), []);
  assert.throws(() => chooseServices('nomad.service(s1:1|)', regs, 1, ''),
    { message: "nomad.service(s1:1|): failed to choose services: Parameter for choose must be in form '<number>|<key>'" });

  const { call, sources } = setup();
  for (const id of ['a', 'b', 'c', 'd']) sources.putService({ id, serviceName: 'redis' });
  const two = (call('nomadService', 2, 'alloc-1234', 'redis') as NomadService[]).map((s) => s.ID);
  assert.equal(two.length, 2);
  assert.deepEqual((call('nomadService', 2, 'alloc-1234', 'redis') as NomadService[]).map((s) => s.ID), two);
  assert.equal((call('nomadService', 9, 'alloc-1234', 'redis') as NomadService[]).length, 4);
});

test('nomadServices lists names and sorted tags', () => {
  const { call, sources, deps } = setup();
  sources.putService({ id: '1', serviceName: 'web', tags: ['b', 'a'] });
  sources.putService({ id: '2', serviceName: 'api' });
  sources.putService({ id: '3', serviceName: 'other', namespace: 'prod' });
  const list = call('nomadServices') as { Name: string; Tags: string[] }[];
  assert.deepEqual(list.map((s) => [s.Name, s.Tags]), [['api', []], ['web', ['a', 'b']]]);
  assert.deepEqual(deps.usedList, [{ kind: 'service-list', namespace: 'default' }]);
  assert.equal((call('nomadServices', '@global') as unknown[]).length, 2);
  assert.throws(() => call('nomadServices', 'x'), { message: 'nomad.services: invalid format: "x"' });
  // byTag groups them, as consul-template's byTag over NomadServicesSnippet.
  const grouped = call('byTag', list) as Record<string, { Name: string }[]>;
  assert.deepEqual(Object.keys(grouped).sort(), ['a', 'b']);
  assert.equal(grouped['a']![0]!.Name, 'web');
});

test('the job\'s namespace is the default for variables and services', () => {
  const ctx = testContext({ namespace: 'prod' });
  const f = templateFuncs(ctx);
  ctx.sources.putVariable('prod', 'cfg', { a: '1' });
  ctx.sources.putService({ id: '1', serviceName: 'web', namespace: 'prod' });
  assert.equal((f['nomadVar']!('cfg') as NomadVarItems).size, 1);
  assert.equal((f['nomadService']!('web') as unknown[]).length, 1);
  f['nomadVar']!('gone');
  assert.deepEqual(ctx.deps.missingList, ['nomad.var.block(gone@prod.global)']);
});
