import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../model/index.js';
import { MAX_NESTING, readHcl } from './index.js';

describe('readHcl nesting limit (issue 16 fuzzing)', () => {
  it('refuses brackets nested past MAX_NESTING with a located problem, before hcl2json overflows the stack', async () => {
    const n = 1000;
    for (const text of [
      `job "j" {\n  meta = { a = ${'['.repeat(n)}${']'.repeat(n)} }\n}\n`,
      `locals {\n  a = ${'('.repeat(n)}1${')'.repeat(n)}\n}\n`,
      `job "j" {\n  meta = ${'{a = '.repeat(n)}1${'}'.repeat(n)}\n}\n`,
    ]) {
      const err = await readHcl(text, 'deep.hcl', 'x.hcl').then(
        () => assert.fail('expected a ValidationError'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ValidationError, String(err));
      assert.equal(err.problems.length, 1);
      assert.equal(err.line, 2);
      assert.match(err.message, new RegExp(`deep\\.hcl:2: .*Nesting too deep; .* at most ${MAX_NESTING} levels`));
    }
  });

  it('parses nesting at the limit', async () => {
    const d = MAX_NESTING - 2;
    const { body } = await readHcl(`a = ${'['.repeat(d)}${']'.repeat(d)}\n`, 'ok.hcl', 'x.hcl');
    assert.ok(Array.isArray(body['a']));
  });
});

describe('readHcl on a parser stack overflow (issue 16 fuzzing)', () => {
  it('names the problem instead of passing on "Maximum call stack size exceeded"', async () => {
    const err = await readHcl(`locals {\n  a = ${'!'.repeat(100_000)}true\n}\n`, 'neg.hcl', 'x.hcl').then(
      () => assert.fail('expected a ValidationError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ValidationError, String(err));
    assert.match(err.message, /Nesting too deep; .* \(the parser ran out of stack\)/);
    // The parser still works afterwards.
    const { body } = await readHcl('a = 1\n', 'ok.hcl', 'x.hcl');
    assert.equal(body['a'], 1);
  });
});
