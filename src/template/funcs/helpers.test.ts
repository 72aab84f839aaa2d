// Expected values from consul-template's template/template_test.go and docs/templating-language.md unless noted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateFuncs } from './index.js';
import { testContext } from './testing.js';
import { unboxFloat } from './go-values.js';
import { Float64 } from '../engine/values.js';

/** A float64 result's number (an integral one comes boxed as the engine's Float64). */
const num = (v: unknown): unknown => unboxFloat(v);

const f = templateFuncs(testContext({ env: { HOME: '/home/t', EMPTY: '' }, readFile: (p) => (p === '/tmp/x' ? 'content' : (() => { throw new Error(`open ${p}: no such file or directory`); })()) }));
const call = (name: string, ...args: unknown[]): unknown => f[name]!(...args);

test('base64', () => {
  assert.equal(call('base64Decode', 'aGVsbG8='), 'hello');
  assert.equal(call('base64Encode', 'hello'), 'aGVsbG8=');
  assert.equal(call('base64URLDecode', 'dGVzdGluZzEyMw=='), 'testing123');
  assert.equal(call('base64URLEncode', 'testing123'), 'dGVzdGluZzEyMw==');
  assert.equal(call('base64URLEncode', '\xff\xfe?'), 'w7_Dvj8=');
  assert.throws(() => call('base64Decode', 'aGVsxxbG8='), { message: 'base64Decode: illegal base64 data at input byte 8' });
  assert.throws(() => call('base64URLDecode', 'aGVsbG8'), { message: 'base64URLDecode: illegal base64 data at input byte 4' });
});

test('hashes', () => {
  assert.equal(call('hmacSHA256Hex', 'somemessage', 'somekey'), '6116e95f2827172aa6ef8b22b883f6a77e966aefc129c6b8228ebd0aac74e98d');
  assert.equal(call('sha256Hex', 'bladibla'), '54cf4c66bcabb5c20e25331c01dd600b73369e97a947861bd8d3a0e0b8b3d70b');
  assert.equal(call('md5sum', 'hello'), '5d41402abc4b2a76b9719d911017c592');
});

test('env, mustEnv, envOrDefault read only the task env', () => {
  assert.equal(call('env', 'HOME'), '/home/t');
  assert.equal(call('env', 'PATH'), '');
  assert.equal(call('mustEnv', 'HOME'), '/home/t');
  assert.throws(() => call('mustEnv', 'EMPTY'), { message: 'required environment variable EMPTY is empty' });
  assert.equal(call('envOrDefault', 'EMPTY', 'd'), '');
  assert.equal(call('envOrDefault', 'NOPE', 'd'), 'd');
});

test('file reads through the sandboxed reader', () => {
  assert.equal(call('file', ''), '');
  assert.equal(call('file', ' /tmp/x '), 'content');
  assert.throws(() => call('file', '/nope'), { message: 'open /nope: no such file or directory' });
});

test('strings: trim, split, join, replace, case', () => {
  assert.equal(call('trim', '!!', '!!hello world!!'), 'hello world');
  assert.equal(call('trimPrefix', 'hello ', 'hello world!!'), 'world!!');
  assert.equal(call('trimSuffix', ' world!!', 'hello world!!'), 'hello');
  assert.equal(call('trimSpace', '\t hi\n '), 'hi');
  assert.deepEqual(call('split', ',', 'a,b,c'), ['a', 'b', 'c']);
  assert.deepEqual(call('split', ',', '  '), []);
  assert.equal(call('join', ';', call('split', ',', 'a,b,c')), 'a;b;c');
  assert.throws(() => call('join', ';', [1, 2]), { message: 'wrong type for value; expected []string; got []interface {}' });
  assert.deepEqual(call('splitToMap', ',', ':', 'a:x,b:y,c:z'), { a: 'x', b: 'y', c: 'z' });
  assert.equal(call('replaceAll', 'hello', 'bye', 'hello my hello'), 'bye my bye');
  assert.equal(call('toLower', 'HI'), 'hi');
  assert.equal(call('toUpper', 'hi'), 'HI');
  assert.equal(call('toUpper', 'straße'), 'STRAßE');
  assert.equal(call('toTitle', 'this is a sentence'), 'This Is A Sentence');
  assert.equal(call('toTitle', 'this is a sentence\u2026and another sentence\u2026with a \u{1F680}rocket'),
    'This Is A Sentence\u2026And Another Sentence\u2026With A \u{1F680}Rocket');
  assert.throws(() => call('toLower', 1), { message: 'wrong type for value; expected string; got int' });
  assert.throws(() => call('toLower'), { message: 'wrong number of args for toLower: want 1 got 0' });
});

test('regexMatch and regexReplaceAll: RE2 syntax and Go\'s $ expansion', () => {
  assert.equal(call('regexMatch', '[a-z]+', 'foo'), true);
  assert.equal(call('regexMatch', '^[0-9]+$', 'foo'), false);
  assert.equal(call('regexReplaceAll', '\\w', 'x', 'foo'), 'xxx');
  assert.equal(call('regexReplaceAll', 'hello', 'bye', 'hello my hello'), 'bye my bye');
  assert.equal(call('regexReplaceAll', '(\\w+)@(\\w+)', '$2 at ${1}', 'me@host'), 'host at me');
  assert.equal(call('regexReplaceAll', '(?P<user>\\w+)@', '${user}-', 'me@host'), 'me-host');
  // Go reads $1x as the group named "1x" (none): empty.
  assert.equal(call('regexReplaceAll', '(a)', '$1x', 'a'), '');
  assert.equal(call('regexReplaceAll', '(a)', '$$1', 'a'), '$1');
  // Go drops an empty match that abuts the previous match (JS's replace gives "--").
  assert.equal(call('regexReplaceAll', 'a*', '-', 'a'), '-');
  assert.equal(call('regexReplaceAll', 'x*', '-', 'abc'), '-a-b-c-');
  assert.equal(call('regexMatch', '(?i)^HELLO$', 'hello'), true);
  assert.equal(call('regexMatch', '\\Aab\\z', 'ab'), true);
  assert.equal(call('regexMatch', '^[[:alpha:]]+[[:digit:]]$', 'abc1'), true);
  assert.equal(call('regexMatch', '\\Qa.b\\E', 'axb'), false);
  assert.equal(call('regexMatch', '^\\pL+$', 'größe'), true);
  assert.throws(() => call('regexMatch', 'a(?=b)', 'ab'), { message: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`' });
  assert.throws(() => call('regexMatch', '(a)\\1', 'aa'), { message: 'error parsing regexp: invalid escape sequence: `\\1`' });
  assert.throws(() => call('regexMatch', '(a', 'a'), { message: /^error parsing regexp: / });
});

test('parse helpers: strconv rules and messages', () => {
  assert.equal(call('parseBool', 'true'), true);
  assert.equal(call('parseBool', 'F'), false);
  assert.equal(call('parseBool', ''), false);
  assert.throws(() => call('parseBool', 'yes'), { message: 'parseBool: strconv.ParseBool: parsing "yes": invalid syntax' });
  assert.equal(num(call('parseFloat', '1.2')), 1.2);
  assert.equal(num(call('parseFloat', '')), 0);
  assert.equal(num(call('parseFloat', '-1e3')), -1000);
  assert.equal(num(call('parseFloat', '+Inf')), Infinity);
  assert.throws(() => call('parseFloat', '1.2.3'), { message: 'parseFloat: strconv.ParseFloat: parsing "1.2.3": invalid syntax' });
  assert.equal(call('parseInt', '-1'), -1);
  assert.equal(call('parseInt', ''), 0);
  assert.throws(() => call('parseInt', '1.5'), { message: 'parseInt: strconv.ParseInt: parsing "1.5": invalid syntax' });
  assert.throws(() => call('parseInt', '9223372036854775808'), { message: 'parseInt: strconv.ParseInt: parsing "9223372036854775808": value out of range' });
  assert.equal(call('parseUint', '1'), 1);
  assert.throws(() => call('parseUint', '-1'), { message: 'parseUint: strconv.ParseUint: parsing "-1": invalid syntax' });
  assert.deepEqual(call('parseJSON', '{"foo": "bar"}'), { foo: 'bar' });
  assert.deepEqual(call('parseJSON', ''), {});
  assert.throws(() => call('parseJSON', '{'), { message: /^parseJSON: / });
  assert.deepEqual(call('parseYAML', 'foo: bar'), { foo: 'bar' });
  assert.deepEqual(call('parseYAML', 'foo: bar\nbaz: "foo"'), { foo: 'bar', baz: 'foo' });
  assert.deepEqual(call('parseYAML', 'foo:\n  bar: "baz"\n  baz: 7'), { foo: { bar: 'baz', baz: 7 } });
  // yaml.v2 is YAML 1.1: yes/on are booleans.
  assert.deepEqual(call('parseYAML', 'a: yes\nb: on\nc: "yes"'), { a: true, b: true, c: 'yes' });
  assert.deepEqual(call('parseYAML', ''), {});
  assert.throws(() => call('parseYAML', 'a: [1'), { message: /^yaml: / });
});

test('containment: in, contains, containsAll/Any/None/NotAll', () => {
  assert.equal(call('in', ['prod', 'staging'], 'prod'), true);
  assert.equal(call('in', ['staging'], 'prod'), false);
  assert.equal(call('in', 'production', 'prod'), true);
  assert.equal(call('in', [1, 2], 2), true);
  assert.equal(call('in', [1.5], 1), false);
  assert.equal(call('contains', 'prod', ['prod']), true);
  const tags = ['a', 'b', 'c'];
  assert.equal(call('containsAll', ['a', 'b'], tags), true);
  assert.equal(call('containsAll', ['a', 'z'], tags), false);
  assert.equal(call('containsAll', [], tags), true);
  assert.equal(call('containsAny', ['z', 'b'], tags), true);
  assert.equal(call('containsAny', [], tags), false);
  assert.equal(call('containsNone', ['z'], tags), true);
  assert.equal(call('containsNone', [], tags), true);
  assert.equal(call('containsNotAll', ['a', 'z'], tags), true);
  assert.equal(call('containsNotAll', [], tags), false);
});

test('explode, explodeMap, byKey, mergeMap', () => {
  const pairs = [{ Key: '', Value: '' }, { Key: 'foo/bar', Value: 'a' }, { Key: 'zip/zap', Value: 'b' }];
  assert.deepEqual(call('explode', pairs), { foo: { bar: 'a' }, zip: { zap: 'b' } });
  assert.throws(() => call('explode', [{ Key: 'a', Value: 'x' }, { Key: 'a/b', Value: 'y' }]),
    { message: 'explode: not a map: "a/b": "a" already has value "x"' });
  assert.deepEqual(call('explodeMap', { 'foo/bar': 'a', qux: 'c', 'zip/zap': 'd' }), { foo: { bar: 'a' }, qux: 'c', zip: { zap: 'd' } });
  assert.deepEqual(call('byKey', [{ Key: 'elasticsearch/a', Value: '1' }, { Key: 'redis/a/b', Value: '3' }, { Key: 'top', Value: 'x' }]),
    { elasticsearch: { a: { Key: 'a', Value: '1' } }, redis: { 'a/b': { Key: 'a/b', Value: '3' } } });
  const exploded = call('explode', pairs);
  assert.deepEqual(call('mergeMap', { voo: { bar: 'v' } }, exploded), { voo: { bar: 'v' }, foo: { bar: 'a' }, zip: { zap: 'b' } });
  assert.deepEqual(call('mergeMapWithOverride', { zip: { zap: 't' }, voo: { bar: 'v' } }, exploded),
    { zip: { zap: 'b' }, voo: { bar: 'v' }, foo: { bar: 'a' } });
});

test('scratch is per render and keeps values', () => {
  const s = call('scratch') as { Set(k: string, v: unknown): string; Get(k: string): unknown; MapSet(k: string, mk: string, v: unknown): string; MapValues(k: string): unknown[] | null; Key(k: string): boolean; SetX(k: string, v: unknown): string };
  assert.equal(s.Set('a', 1), '');
  s.SetX('a', 2);
  assert.equal(s.Get('a'), 1);
  assert.equal(s.Key('b'), false);
  assert.equal(s.Get('b'), null);
  s.MapSet('m', 'z', 'last');
  s.MapSet('m', 'a', 'first');
  assert.deepEqual(s.MapValues('m'), ['first', 'last']);
  assert.throws(() => s.MapSet('a', 'x', 1), { message: '"a" is not a map' });
  assert.equal(call('scratch'), s);
  assert.notEqual(templateFuncs(testContext())['scratch']!(), s);
});

test('loop and indent', () => {
  assert.deepEqual(call('loop', 3), [0, 1, 2]);
  assert.deepEqual(call('loop', 1, 3), [1, 2]);
  assert.deepEqual(call('loop', 1, '3'), [1, 2]);
  assert.throws(() => call('loop', 1.5), { message: 'loop: bad argument type: float64' });
  assert.throws(() => call('loop'), { message: 'loop: wrong number of arguments, expected 1 or 2, but got 0' });
  const text = 'hello\nhello\r\nHELLO\r\nhello\nHELLO';
  assert.equal(call('indent', 4, text), '    hello\n    hello\r\n    HELLO\r\n    hello\n    HELLO');
  assert.equal(call('indent', 0, text), text);
  assert.equal(call('indent', 2, 'a\n\nb\n'), '  a\n\n  b\n');
  assert.throws(() => call('indent', -4, text), { message: 'indent value must be a positive integer' });
});

test('timestamp: RFC3339 UTC by default, Go layouts, unix', () => {
  assert.equal(call('timestamp'), '1970-01-01T00:00:00Z');
  assert.equal(call('timestamp', '2006-01-02'), '1970-01-01');
  const g = templateFuncs(testContext({ now: () => Date.UTC(2024, 1, 29, 15, 4, 5, 123) }));
  assert.equal(g['timestamp']!(), '2024-02-29T15:04:05Z');
  assert.equal(g['timestamp']!('unix'), '1709219045');
  assert.equal(g['timestamp']!('Mon Jan _2 15:04:05 MST 2006'), 'Thu Feb 29 15:04:05 UTC 2024');
  assert.equal(g['timestamp']!('2006-01-02T15:04:05.000Z07:00'), '2024-02-29T15:04:05.123Z');
  assert.equal(g['timestamp']!('03:04PM -0700 .999999 January 2, 06 002'), '03:04PM +0000 .123 February 29, 24 060');
  assert.equal(g['timestamp']!('Janet'), 'Janet');
  assert.throws(() => g['timestamp']!('a', 'b'), { message: 'timestamp: wrong number of arguments, expected 0 or 1, but got 2' });
});

test('math: piped argument order, int and float results, Go errors', () => {
  assert.equal(call('add', 2, 2), 4);
  assert.equal(call('subtract', 2, 2), 0);
  assert.equal(call('subtract', 2, 5), 3);
  assert.equal(call('multiply', 2, 2), 4);
  assert.equal(call('divide', 2, 2), 1);
  assert.equal(call('divide', 2, 5), 2);
  assert.equal(call('divide', 2, 5.0 + 0.5), 2.75);
  assert.equal(call('modulo', 2, 3), 1);
  assert.equal(call('minimum', 2, 3), 2);
  assert.equal(call('maximum', 2, 3), 3);
  assert.equal(call('add', 1.5, 1), 2.5);
  assert.throws(() => call('divide', 0, 1), { message: 'runtime error: integer divide by zero' });
  assert.equal(call('divide', 0, 1.5), Infinity);
  assert.throws(() => call('add', 1, 'a'), { message: 'add: unknown type for "a" (string)' });
  assert.throws(() => call('modulo', 2, 1.5), { message: 'modulo: unknown type for %!q(float64=1.5) (float64)' });
});

test('Consul, Vault and the unsupported helpers fail naming what is missing', () => {
  assert.throws(() => call('key', 'a/b'), { message: 'key: Consul is not available on drover (no consul block); use nomadVar' });
  assert.throws(() => call('service', 'web'), { message: 'service: Consul is not available on drover (no consul block); use nomadService' });
  assert.throws(() => call('secret', 'kv/x'), { message: /^secret: Vault is not available on drover \(no vault block\)/ });
  for (const name of ['keyOrDefault', 'keyExists', 'ls', 'tree', 'safeTree', 'services', 'connect', 'secrets', 'pkiCert', 'caRoots', 'caLeaf', 'node', 'nodes']) {
    assert.throws(() => call(name, 'x'), { message: new RegExp(`^${name}: (Consul|Vault) is not available on drover`) });
  }
  assert.throws(() => call('sockaddr', 'GetPrivateIP'), { message: /^sockaddr: go-sockaddr templates are not supported on drover/ });
  assert.throws(() => call('byMeta', 'a', []), { message: /^byMeta: / });
});

test('Nomad\'s default denylist disables executeTemplate, plugin, writeToFile; globs as consul-template', () => {
  for (const name of ['plugin', 'writeToFile', 'executeTemplate']) assert.throws(() => call(name, 'x'), { message: 'function is disabled' });
  const g = templateFuncs(testContext({ functionDenylist: ['sprig_*', 'env'] }));
  assert.throws(() => g['sprig_upper']!('x'), { message: 'function is disabled' });
  assert.throws(() => g['env']!('x'), { message: 'function is disabled' });
  assert.throws(() => g['plugin']!('echo'), { message: /^plugin: running plugin commands from templates is not supported on drover/ });
  assert.equal(g['toUpper']!('x'), 'X');
});

// The engine passes an integral float constant (2.0) as its Float64 box; functions take it as Go's float64.

test('integral float64 values (the engine\'s Float64) count as float64', () => {
  assert.equal(num(call('add', new Float64(2), 1)), 3);
  assert.throws(() => call('modulo', new Float64(2), 3), { message: 'modulo: unknown type for %!q(float64=2) (float64)' });
  assert.equal(call('in', [new Float64(2)], 2), false);
  assert.equal(call('in', [new Float64(2)], new Float64(2)), true);
  assert.equal(call('indent', new Float64(2), 'x'), '  x');
  assert.equal(call('toJSON', [new Float64(2)]), '[2]');
  assert.equal(call('toTOML', { f: new Float64(2) }), 'f = 2.0');
  assert.equal(call('sprig_add', new Float64(2), '3'), 5);
});
