import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExprError, evalTemplate, type Scope } from './expr.js';
import { scaled } from '../model/testing/eventually.js';

const scope: Scope = {
  lookup(root, name) {
    const values: Record<string, unknown> = { n: 3, s: 'web', list: ['a', 'b'], m: { k: 'v' }, on: true };
    if (root === 'var' && name in values) return values[name];
    throw new ExprError(`undeclared ${root}.${name}`);
  },
};

describe('evalTemplate', () => {
  it('keeps the type of a whole-string reference', () => {
    assert.equal(evalTemplate('${var.n}', scope), 3);
    assert.deepEqual(evalTemplate('${var.list}', scope), ['a', 'b']);
    assert.equal(evalTemplate('${var.on}', scope), true);
  });

  it('interpolates inside larger strings', () => {
    assert.equal(evalTemplate('x-${var.n}-${var.s}', scope), 'x-3-web');
    assert.equal(evalTemplate('${var.list[1]}${var.m.k}${var.m["k"]}', scope), 'bvv');
  });

  it('evaluates operators, conditionals and a few functions', () => {
    assert.equal(evalTemplate('${var.n * 2 + 1}', scope), 7);
    assert.equal(evalTemplate('${var.n > 2 ? "big" : "small"}', scope), 'big');
    assert.equal(evalTemplate('${upper(var.s)}-${lower("X")}', scope), 'WEB-x');
    assert.equal(evalTemplate('${format("%s:%d", var.s, var.n)}', scope), 'web:3');
    assert.equal(evalTemplate('${join(",", var.list)}', scope), 'a,b');
    assert.equal(evalTemplate('${length(var.list)}', scope), 2);
  });

  it('keeps runtime references as their own ${...} text', () => {
    assert.equal(evalTemplate('${NOMAD_ALLOC_ID}', scope), '${NOMAD_ALLOC_ID}');
    assert.equal(evalTemplate('${attr.kernel.name}-${node.unique.name}', scope), '${attr.kernel.name}-${node.unique.name}');
    assert.equal(evalTemplate('${env["HOME"]}', scope), '${env["HOME"]}');
    assert.equal(evalTemplate('${meta.rack-id}', scope), '${meta.rack-id}');
  });

  it('turns $${ and %%{ escapes into literal text', () => {
    assert.equal(evalTemplate('$${NOMAD_TASK_DIR}/x %%{ y }', scope), '${NOMAD_TASK_DIR}/x %{ y }');
  });

  it('rejects what it cannot evaluate', () => {
    assert.throws(() => evalTemplate('${var.missing}', scope), /undeclared var\.missing/);
    assert.throws(() => evalTemplate('${sha256("x")}', scope), /unsupported function "sha256"/);
    assert.throws(() => evalTemplate('${[for x in var.list: x]}', scope), ExprError);
    assert.throws(() => evalTemplate('%{ if true }x%{ endif }', scope), /template directives/);
    assert.throws(() => evalTemplate('a${var.list}', scope), /cannot include/);
  });
});

describe('evalTemplate on hostile indexes (issue 16 fuzzing)', () => {
  it('refuses a list or map as a map key instead of printing "[object Object]"', () => {
    assert.throws(() => evalTemplate('${var.m[{}]}', scope), (err: unknown) => err instanceof ExprError && /a string key is required to index a map in .*, got a map/.test(err.message));
    assert.throws(() => evalTemplate('${{}[[1]]}', scope), /a string key is required .* got a list/);
  });

  it('finds only own keys: "constructor" and "__proto__" are not keys of every map', () => {
    assert.throws(() => evalTemplate('${var.m["constructor"]}', scope), /no key "constructor"/);
    assert.throws(() => evalTemplate('${var.m.__proto__}', scope), /no key "__proto__"/);
    assert.equal(evalTemplate('${lookup(var.m, "toString", "dflt")}', scope), 'dflt');
  });
});

describe('evalTemplate on deep nesting (issue 16 fuzzing)', () => {
  it('refuses expressions nested past 200 levels with an ExprError instead of overflowing the stack', () => {
    const n = 20_000;
    for (const src of [`${'['.repeat(n)}${']'.repeat(n)}`, `${'('.repeat(n)}1${')'.repeat(n)}`, `${'- '.repeat(n)}1`, `"${'${"'.repeat(n)}x${'"}'.repeat(n)}"`]) {
      assert.throws(() => evalTemplate(`\${${src}}`, scope), (err: unknown) => err instanceof ExprError && /nested too deeply \(more than 200 levels\)/.test(err.message));
    }
  });

  it('still evaluates nesting within the limit, and the counter unwinds after an error', () => {
    assert.equal(evalTemplate(`\${${'('.repeat(150)}1${')'.repeat(150)}}`, scope), 1);
    assert.equal(evalTemplate(`\${${'- '.repeat(150)}1}`, scope), 1);
  });
});

describe('evalTemplate on deeply nested string templates (issue 16 fuzzing, long form)', () => {
  it('refuses them before lexing each level again (was seconds for 5000 levels)', () => {
    const n = 5000;
    const t0 = performance.now();
    assert.throws(() => evalTemplate(`\${"${'${"'.repeat(n)}x${'"}'.repeat(n)}"}`, scope), /nested too deeply/);
    // The fuzzing hang guard (it was ~2.5 s of quadratic re-lexing).
    assert.ok(performance.now() - t0 < scaled(2000));
  });
});
