// toJSON / toYAML / toTOML against Go's encoders (encoding/json, gopkg.in/yaml.v2, BurntSushi/toml),
// expected values from consul-template's tests and docs and from those libraries' documented behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseTOML } from 'smol-toml';
import { templateFuncs } from './index.js';
import { testContext } from './testing.js';
import { NomadService } from './nomad-values.js';

const f = templateFuncs(testContext());
const call = (name: string, ...args: unknown[]): unknown => f[name]!(...args);
const config = { minconns: '2', maxconns: '5', admin: { port: '1234' } };

test('toJSON: sorted keys, HTML escaped, compact; toJSONPretty: two spaces', () => {
  assert.equal(call('toJSON', ['a', 'b', 'c']), '["a","b","c"]');
  assert.equal(call('toJSON', config), '{"admin":{"port":"1234"},"maxconns":"5","minconns":"2"}');
  assert.equal(call('toJSONPretty', config), '{\n  "admin": {\n    "port": "1234"\n  },\n  "maxconns": "5",\n  "minconns": "2"\n}');
  assert.equal(call('toJSON', { k: '<>&&', '\u2028': 1 }), '{"k":"\\u003c\\u003e\\u0026\\u0026","\\u2028":1}');
  assert.equal(call('toUnescapedJSON', ['a?b&c', 'x?y&z']), '["a?b&c","x?y&z"]');
  assert.equal(call('toUnescapedJSONPretty', { a: 'b&c', x: 'y&z', k: '<>&&' }), '{\n  "a": "b&c",\n  "k": "<>&&",\n  "x": "y&z"\n}');
  // Go sorts map keys as strings: "10" before "9" (a JS object would put "9" first).
  assert.equal(call('toJSON', new Map([['9', 1], ['10', 2], ['a', 3]])), '{"10":2,"9":1,"a":3}');
  assert.equal(call('toJSON', { e: {}, l: [], n: null, t: true, f: 1.5, i: -3 }), '{"e":{},"f":1.5,"i":-3,"l":[],"n":null,"t":true}');
  assert.equal(call('toJSONPretty', { e: {}, l: [] }), '{\n  "e": {},\n  "l": []\n}');
  assert.equal(call('toJSON', 'a\tb\u0001'), '"a\\tb\\u0001"');
  assert.throws(() => call('toJSON', NaN), { message: 'toJSON: json: unsupported value: NaN' });
});

test('toJSON of Nomad values: items as their values, structs by field order', () => {
  const svc = new NomadService({
    id: 'i', serviceName: 'web', namespace: 'default', nodeId: 'n', datacenter: 'dc1', jobId: 'j', allocId: 'a',
    tags: ['b', 'a'], address: '10.0.0.1', port: 80, createIndex: 1, modifyIndex: 1,
  });
  assert.equal(call('toJSON', [svc]),
    '[{"ID":"i","Name":"web","Node":"n","Address":"10.0.0.1","Port":80,"Datacenter":"dc1","Tags":["a","b"],"JobID":"j","AllocID":"a"}]');
});

test('toYAML as yaml.v2: sorted, quoted where YAML 1.1 would misread, sequences flush, literal blocks', () => {
  assert.equal(call('toYAML', { foo: 'bar' }), 'foo: bar');
  assert.equal(call('toYAML', config), 'admin:\n  port: "1234"\nmaxconns: "5"\nminconns: "2"');
  assert.equal(call('toYAML', { list: [1, 'two', { k: 'v' }], yes: 'on', n: null, e: {}, l: [] }),
    'e: {}\nl: []\nlist:\n- 1\n- two\n- k: v\n"n": null\n"yes": "on"');
  assert.equal(call('toYAML', { cert: 'line1\nline2' }), 'cert: |-\n  line1\n  line2');
  assert.equal(call('toYAML', { a: 'true', b: '1.5', c: '', d: 'a: b' }), 'a: "true"\nb: "1.5"\nc: ""\nd: "a: b"');
  // yaml.v2 orders keys with numbers compared by value.
  assert.equal(call('toYAML', { a10: 1, a9: 2, b: 3 }), 'a9: 2\na10: 1\nb: 3');
  assert.equal(call('toYAML', ['a', 'b']), '- a\n- b');
  assert.equal(call('toYAML', 'plain'), 'plain');
});

test('toTOML as BurntSushi/toml: plain keys first, indented sub-tables, arrays of tables', () => {
  assert.equal(call('toTOML', { foo: 'bar' }), 'foo = "bar"');
  assert.equal(call('toTOML', { minconns: '2', maxconns: '5', admin: { port: '1134' } }),
    'maxconns = "5"\nminconns = "2"\n\n[admin]\n  port = "1134"');
  const nested = {
    title: 'x "q"\n', n: 3, f: 2.5, whole: 2, ok: true, list: [1, 2], skip: null,
    servers: { alpha: { ip: '10.0.0.1', 'dotted.key': 'v' }, beta: { ip: '10.0.0.2' } },
    products: [{ name: 'Hammer' }, { name: 'Nail', sku: 284758393 }],
  };
  const out = call('toTOML', nested) as string;
  assert.equal(out, [
    'f = 2.5', 'list = [1, 2]', 'n = 3', 'ok = true', 'title = "x \\"q\\"\\n"', 'whole = 2', '',
    '[[products]]', '  name = "Hammer"', '', '[[products]]', '  name = "Nail"', '  sku = 284758393', '',
    '[servers]', '  [servers.alpha]', '    "dotted.key" = "v"', '    ip = "10.0.0.1"', '  [servers.beta]', '    ip = "10.0.0.2"',
  ].join('\n'));
  // What it writes is TOML that reads back to the same data (nil dropped).
  const { skip: _skip, ...kept } = nested;
  assert.deepEqual(JSON.parse(JSON.stringify(parseTOML(out))), kept);
  assert.equal(call('toTOML', { a: [{ x: 1 }, 'b'] }), 'a = [{x = 1}, "b"]');
  assert.throws(() => call('toTOML', { a: [1, null] }), { message: 'toTOML: toml: cannot encode array with nil element' });
});
