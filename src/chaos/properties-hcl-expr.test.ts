/**
 * Property-based tests (issue 16, hostile input) for the HCL expression
 * evaluator of job files (src/jobspec/expr.ts): random expression trees from
 * a grammar (literals, references, operators, conditionals, function calls,
 * indexes, for-expressions, splats, string templates with ${ } and %{ })
 * evaluate to a value or an ExprError (drover's validation error), never
 * another error or a hang.
 */
import { after, test } from 'node:test';
import fc from 'fast-check';
import { report } from './campaign.js';
import { Tally, check, nastyNumber, nastyString, params } from './properties-harness.js';
import { ExprError, evalExpr, evalTemplate, type Scope } from '../jobspec/expr.js';
import { FUNCTIONS } from '../jobspec/functions.js';

const VARS: Record<string, unknown> = {
  s: 'hello',
  n: 42,
  f: 1.5,
  b: true,
  l: ['a', 'b', 'c'],
  m: { k: 'v', n: 1, nested: { deep: [1, 2, { x: 'y' }] } },
  e: '',
  big: 'x'.repeat(1000),
  nul: null,
};

const scope: Scope = {
  lookup(root, name) {
    if (Object.hasOwn(VARS, name)) return VARS[name];
    throw new ExprError(`Reference to undeclared ${root === 'var' ? 'input variable' : 'local value'} "${name}"`);
  },
};

const FN_NAMES = [...Object.keys(FUNCTIONS), 'nope', 'file', 'range', 'strrev', 'toset'];
const OPS = ['+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||'];

/** HCL expressions as text, from a grammar, nested at random. */
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string; tmpl: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyNumber.map((n) => (Number.isFinite(n) ? String(Math.abs(n)) : '1')),
    nastyString.map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null'),
    fc.constantFrom(...Object.keys(VARS), 'undeclared').chain((k) => fc.constantFrom(`var.${k}`, `local.${k}`)),
    fc.constantFrom('NOMAD_ALLOC_ID', 'attr.kernel.name', 'node.unique.name', 'meta.x', 'env["HOME"]', 'var', 'local', 'var.', 'x.y[0]'),
    tie('tmpl').map((t) => JSON.stringify(t)),
    fc.tuple(tie('e'), fc.constantFrom(...OPS), tie('e')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(fc.constantFrom('-', '!'), tie('e')).map(([op, a]) => `${op}${a}`),
    tie('e').map((a) => `(${a})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    fc.tuple(fc.constantFrom(...FN_NAMES), fc.array(tie('e'), { maxLength: 4 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.tuple(tie('e'), tie('e')).map(([a, i]) => `${a}[${i}]`),
    fc.tuple(tie('e'), fc.constantFrom('k', 'n', 'nested', '0', 'x')).map(([a, k]) => `${a}.${k}`),
    fc.array(tie('e'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(fc.constantFrom('a', 'b', '"c d"', 'k'), tie('e')), { maxLength: 3 }).map((kv) => `{ ${kv.map(([k, v]) => `${k} = ${v}`).join(', ')} }`),
    fc.tuple(tie('e'), tie('e')).map(([xs, body]) => `[for x in ${xs}: ${body}]`),
    fc.tuple(tie('e'), tie('e')).map(([xs, body]) => `{for k, v in ${xs}: k => ${body}}`),
    tie('e').map((a) => `${a}[*].k`),
    tie('e').map((a) => `${a}.*`),
  ),
  /** A string template: literal text, ${ } interpolations, %{ } directives, escapes. */
  tmpl: fc
    .array(
      fc.oneof(
        fc.string({ maxLength: 8 }),
        tie('e').map((e) => `\${${e}}`),
        tie('e').map((e) => `\${~ ${e} ~}`),
        fc.constantFrom('$${x}', '%%{x}', '${', '}', '%{ if true }a%{ else }b%{ endif }', '%{ for x in var.l }${x}%{ endfor }'),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join('')),
})).e;

/** Shapes far deeper than a person writes. */
const deep: fc.Arbitrary<string> = fc.integer({ min: 100, max: 20_000 }).chain((n) =>
  fc.constantFrom(
    `${'('.repeat(n)}1${')'.repeat(n)}`,
    `${'['.repeat(n)}${']'.repeat(n)}`,
    `${'{a = '.repeat(n)}1${'}'.repeat(n)}`,
    `${'-'.repeat(n)}1`,
    `${'!'.repeat(n)}true`,
    `${'- '.repeat(n)}1`,
    `${'true ? '.repeat(n)}1${' : 2'.repeat(n)}`,
    `${'upper('.repeat(n)}"a"${')'.repeat(n)}`,
    `"${'${"'.repeat(n)}x${'"}'.repeat(n)}"`,
    `var.m${'.nested'.repeat(n)}`,
    `${'1 + '.repeat(n)}1`,
    `join("", [${'"x", '.repeat(n)}"y"])`,
  ),
);

const accept = (err: unknown): boolean => err instanceof ExprError && err.message.trim() !== '';
const tally = new Tally();

test('HCL expression evaluator: any expression gives a value or an ExprError', () =>
  tally.run(() => {
    fc.assert(fc.property(expr, (e) => check(tally, accept, () => evalExpr(e, scope))), params(1000));
    fc.assert(fc.property(expr, (e) => check(tally, accept, () => evalTemplate(`pre \${${e}} post`, scope))), params(500));
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => check(tally, accept, () => evalTemplate(s, scope))), params(500));
    fc.assert(fc.property(deep, (e) => check(tally, accept, () => evalExpr(e, scope))), params(60));
  }));

after(() => {
  report({
    scenario: 'fuzz: HCL expression evaluator',
    runs: tally.runs,
    checked: 'grammar-built expressions and templates evaluate to a value or an ExprError with a message, each within the hang guard',
    result: tally.result,
    figures: tally.figures(),
  });
});
