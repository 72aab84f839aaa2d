import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvFile } from './env-file.js';
import { missingList } from './manager.js';

test('parseEnvFile: go-envparse rules', () => {
  const text = [
    '# a comment',
    '',
    'export A=1',
    'B = spaced value   # trailing comment',
    'C="quoted # not a comment \\"x\\" \\\\ \\n"',
    "D='single $literal \\n'",
    'E=',
    'A=2',
  ].join('\n');
  assert.deepEqual(parseEnvFile(`${text}\n`), {
    A: '2',
    B: 'spaced value',
    C: 'quoted # not a comment "x" \\ \n',
    D: 'single $literal \\n',
    E: '',
  });
});

test('parseEnvFile: errors name the line', () => {
  assert.throws(() => parseEnvFile('A=1\nnot a pair\n'), /^EnvParseError: error on line 2: missing "="$/);
  assert.throws(() => parseEnvFile('A="open\n'), /error on line 1: unmatched "/);
  assert.throws(() => parseEnvFile("A='open\n"), /error on line 1: unmatched '/);
  assert.throws(() => parseEnvFile('A="\\q"\n'), /error on line 1: invalid escape sequence: q/);
  assert.throws(() => parseEnvFile('1A=x\n'), /error on line 1: key must start with \[A-Za-z_\]/);
  assert.throws(() => parseEnvFile('=x\n'), /error on line 1: empty key/);
});

test("missingList: three dependencies, then consul-template's \"and N more\"", () => {
  assert.equal(missingList(['a', 'b']), 'a, b');
  assert.equal(missingList(['a', 'b', 'c', 'd', 'e']), 'a, b, c, and 2 more');
});
