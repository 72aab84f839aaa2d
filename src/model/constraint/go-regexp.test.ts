/** RE2 patterns on JS: what translates, and Go's compile errors for what RE2 refuses. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGoRegexp } from './go-regexp.js';

describe('compileGoRegexp', () => {
  const matches: [string, string, boolean][] = [
    ['[[:alpha:]]+[[:digit:]]', 'abc1', true],
    ['^\\Qa.b\\E$', 'a.b', true],
    ['^\\Qa.b\\E$', 'axb', false],
    ['(?P<major>\\d+)\\.', '12.', true],
    ['\\Aab\\z', 'ab', true],
    ['\\Aab\\z', 'ab\n', false],
    ['^a{,3}$', 'a{,3}', true],
    ['[]a]+', ']a]', true],
    ['^\\s$', '\u00a0', false],
    ['^\\s$', '\t', true],
    ['^\\-\\/$', '-/', true],
    ['^\\x{263a}$', '\u263a', true],
    ['^.$', '\u{1F600}', true],
    ['^.$', '\r', true],
    ['^\\p{Greek}+$', 'αβγ', true],
    ['^\\PL+$', '123', true],
    ['^\\p{^Lu}+$', 'abc', true],
    ['\\p{Lu}', 'a', false],
    ['^\\101$', 'A', true],
    ['^(?i)abc$', 'ABC', true],
    ['^(?im)abc$', 'x\nABC', false],
    ['(?im)^abc$', 'x\nABC', true],
    ['(?i)k', '\u212a', true],
  ];
  for (const [pattern, input, want] of matches) {
    it(`${pattern} on ${JSON.stringify(input)} → ${want}`, () => {
      const re = compileGoRegexp(pattern);
      assert.ok(re.ok, re.ok ? '' : re.error);
      assert.equal(re.re.test(input), want);
    });
  }

  const errors: [string, string][] = [
    ['(abc', 'error parsing regexp: missing closing ): `(abc`'],
    ['abc)', 'error parsing regexp: unexpected ): `abc)`'],
    ['[a-', 'error parsing regexp: missing closing ]: `[a-`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['a(?=b)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['a(?<!b)', 'error parsing regexp: invalid named capture: `(?<!b)`'],
    ['(?<=a)b>', 'error parsing regexp: invalid named capture: `(?<=a)b>`'],
    ['a*+', 'error parsing regexp: invalid nested repetition operator: `*+`'],
    ['x{2}{3}', 'error parsing regexp: invalid nested repetition operator: `{2}{3}`'],
    ['x|*', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['(|*)', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['\\8', 'error parsing regexp: invalid escape sequence: `\\8`'],
    ['\\Z', 'error parsing regexp: invalid escape sequence: `\\Z`'],
    ['\\x{110000}', 'error parsing regexp: invalid escape sequence: `\\x{110000`'],
    ['a{2,1}', 'error parsing regexp: invalid repeat count: `{2,1}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['\\p{Foo}', 'error parsing regexp: invalid character class range: `\\p{Foo}`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
    ['abc\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
    ['[[:^digit:]]', 'error parsing regexp: a negated POSIX class inside brackets is not supported by drover'],
    ['a(?i)b', 'error parsing regexp: flag group (?i) other than at the start is not supported by drover'],
  ];
  for (const [pattern, error] of errors) {
    it(`refuses ${pattern}`, () => assert.deepEqual(compileGoRegexp(pattern), { ok: false, error }));
  }
});
