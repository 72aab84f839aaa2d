// Expected values from sprig v3's docs and tests (Masterminds/sprig), which consul-template exposes as sprig_NAME.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateFuncs } from './index.js';
import { testContext } from './testing.js';

const f = templateFuncs(testContext());
const call = (name: string, ...args: unknown[]): unknown => f[`sprig_${name}`]!(...args);

test('sprig strings', () => {
  assert.equal(call('upper', 'hello'), 'HELLO');
  assert.equal(call('lower', 'HELLO'), 'hello');
  assert.equal(call('trim', '   hello    '), 'hello');
  assert.equal(call('trimAll', '$', '$5.00'), '5.00');
  assert.equal(call('repeat', 3, 'hello'), 'hellohellohello');
  assert.equal(call('substr', 0, 5, 'hello world'), 'hello');
  assert.equal(call('trunc', 5, 'hello world'), 'hello');
  assert.equal(call('trunc', -5, 'hello world'), 'world');
  assert.equal(call('contains', 'cat', 'catch'), true);
  assert.equal(call('hasPrefix', 'cat', 'catch'), true);
  assert.equal(call('hasSuffix', 'ch', 'catch'), true);
  assert.equal(call('replace', ' ', '-', 'I Am Henry VIII'), 'I-Am-Henry-VIII');
  assert.equal(call('quote', 'a', null, 'b"c'), '"a" "b\\"c"');
  assert.equal(call('squote', 'a', 1), "'a' '1'");
  assert.deepEqual(call('splitList', '$', 'foo$bar$baz'), ['foo', 'bar', 'baz']);
  assert.equal(call('join', '+', ['a', 'b', 3, null]), 'a+b+3');
  assert.equal(call('b64enc', 'hello'), 'aGVsbG8=');
  assert.equal(call('b64dec', 'aGVsbG8='), 'hello');
  assert.equal(call('b64dec', 'aGVsbG8'), 'illegal base64 data at input byte 4');
  assert.equal(call('sha256sum', 'Hello world!'), 'c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a');
  assert.equal(call('toJson', { b: [1, '<'], a: null }), '{"a":null,"b":[1,"\\u003c"]}');
  assert.throws(() => call('repeat', -1, 'x'), { message: 'strings: negative Repeat count' });
});

test('sprig defaults and flow', () => {
  assert.equal(call('default', 'foo', ''), 'foo');
  assert.equal(call('default', 'foo', 'bar'), 'bar');
  assert.equal(call('default', 'foo'), 'foo');
  assert.equal(call('default', 'foo', 0), 'foo');
  assert.equal(call('empty', ''), true);
  assert.equal(call('empty', []), true);
  assert.equal(call('empty', { a: 1 }), false);
  assert.equal(call('coalesce', 0, '', 'x', 'y'), 'x');
  assert.equal(call('coalesce', 0, ''), null);
  assert.equal(call('ternary', 'yes', 'no', true), 'yes');
  assert.equal(call('ternary', 'yes', 'no', false), 'no');
  assert.throws(() => call('ternary', 'yes', 'no', 'true'), { message: 'wrong type for value; expected bool; got string' });
  assert.throws(() => call('fail', 'stop here'), { message: 'stop here' });
});

test('sprig lists and dicts', () => {
  assert.deepEqual(call('list', 1, 'a'), [1, 'a']);
  const d = call('dict', 'name1', 'value1', 'name2', 'value2', 'odd') as Record<string, unknown>;
  assert.deepEqual(d, { name1: 'value1', name2: 'value2', odd: '' });
  assert.equal(call('get', d, 'name1'), 'value1');
  assert.equal(call('get', d, 'missing'), '');
  assert.equal(call('hasKey', d, 'name2'), true);
  assert.equal(call('hasKey', d, 'nope'), false);
  assert.deepEqual((call('keys', d) as string[]).sort(), ['name1', 'name2', 'odd']);
  assert.deepEqual(call('until', 5), [0, 1, 2, 3, 4]);
  assert.deepEqual(call('until', -3), [0, -1, -2]);
  assert.deepEqual(call('untilStep', 3, 6, 2), [3, 5]);
  assert.equal(call('first', [1, 2]), 1);
  assert.equal(call('last', [1, 2]), 2);
  assert.deepEqual(call('uniq', [1, 1, 2]), [1, 2]);
});

test('sprig math is int64, strings convert as spf13/cast', () => {
  assert.equal(call('add', 1, 2, '3'), 6);
  assert.equal(call('add1', 1.9), 2);
  assert.equal(call('sub', 10, 3), 7);
  assert.equal(call('mul', 2, 3, 4), 24);
  assert.equal(call('div', 7, 2), 3);
  assert.equal(call('mod', 7, 2), 1);
  assert.equal(call('max', 1, 7, 3), 7);
  assert.equal(call('min', 5, '2', 9), 2);
  assert.equal(call('add', 'x', 1), 1);
  assert.throws(() => call('div', 1, 0), { message: 'runtime error: integer divide by zero' });
});

test('sprig\'s non-hermetic functions are absent, as in consul-template', () => {
  for (const name of ['now', 'date', 'uuidv4', 'env', 'expandenv', 'randAlpha']) assert.equal(f[`sprig_${name}`], undefined);
});

test('sprig dict functions on a missing value (issue 16 fuzzing): a nil map, as Go passes, not "got undefined"', () => {
  assert.deepEqual(call('keys', undefined), []);
  assert.deepEqual(call('keys', null), []);
  assert.throws(() => call('keys', 'x'), /wrong type for value; expected map\[string\]interface \{\}; got string \(keys\)/);
});
