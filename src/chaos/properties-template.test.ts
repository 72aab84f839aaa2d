/**
 * Property-based tests (issue 16, hostile input) for the template engine
 * (src/template: Go text/template with consul-template's functions):
 * random templates from a grammar (actions, pipelines, if/range/with/else,
 * define/template/block, break/continue, variables, comments, trim markers),
 * sometimes unbalanced, sometimes with huge counts or self-recursion, render
 * over random data to a string or a TemplateError, never another error or a
 * hang.
 */
import { after, test } from 'node:test';
import fc from 'fast-check';
import { report } from './campaign.js';
import { Tally, check, jsonLike, nastyNumber, nastyString, params } from './properties-harness.js';
import { TemplateError, parseTemplate } from '../template/engine/index.js';
import { templateFuncs } from '../template/funcs/index.js';
import { testContext } from '../template/funcs/testing.js';

const ctx = testContext({ env: { HOME: '/home/x', EMPTY: '' } });
ctx.sources.putVariable('default', 'nomad/jobs/app', { password: 's3cr3t', user: 'admin' });
ctx.sources.putService({ id: 's1', serviceName: 'web', tags: ['a'] });
const funcs = templateFuncs(ctx);
const FUNC_NAMES = Object.keys(funcs);
const BUILTIN_NAMES = ['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'call'];

/** An argument: literals, dot and fields, variables, nested pipelines. */
const pipeline: fc.Arbitrary<string> = fc.letrec<{ pipe: string; arg: string; cmd: string }>((tie) => ({
  arg: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('.', '.a', '.b.c', '.list', '.m.k', '$', '$x', '$i', 'nil', 'true', 'false', '.a.b.c.d', '.Method', '$.a'),
    nastyString.map((s) => JSON.stringify(s)),
    nastyNumber.map((n) => (Number.isFinite(n) ? String(n) : '1')),
    fc.constantFrom('1e9', '1e12', '-1', '0x10', "'a'", '1i', '1.5', '`raw`', '9223372036854775808', '"nomad/jobs/app"', '"web"', '"%d %s %v %q %x %08.3f %*d"'),
    tie('pipe').map((p) => `(${p})`),
  ),
  cmd: fc.oneof(
    tie('arg'),
    fc.tuple(fc.constantFrom(...FUNC_NAMES, ...BUILTIN_NAMES), fc.array(tie('arg'), { maxLength: 3 })).map(([f, args]) => [f, ...args].join(' ')),
  ),
  pipe: fc.tuple(fc.option(fc.constantFrom('$x := ', '$i, $e := ', '$x = '), { nil: '' }), fc.array(tie('cmd'), { minLength: 1, maxLength: 3 })).map(
    ([decl, cmds]) => decl + cmds.join(' | '),
  ),
})).pipe;

/** A template body: text, actions and control structures, with unbalanced ends now and then. */
const body: fc.Arbitrary<string> = fc.letrec<{ list: string; node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 10 }),
    pipeline.map((p) => `{{ ${p} }}`),
    pipeline.map((p) => `{{- ${p} -}}`),
    fc.constantFrom('{{/* comment */}}', '{{ break }}', '{{ continue }}', '{{ end }}', '{{ else }}', '{{', '}}', '{{ template "x" . }}', '{{ template "nope" }}'),
    fc.tuple(fc.constantFrom('if', 'with', 'range'), pipeline, tie('list'), fc.option(tie('list'), { nil: undefined }), fc.boolean()).map(
      ([kw, p, a, b, closed]) => `{{ ${kw} ${p} }}${a}${b === undefined ? '' : `{{ else }}${b}`}${closed ? '{{ end }}' : ''}`,
    ),
    fc.tuple(pipeline, tie('list'), tie('list')).map(([p, a, b]) => `{{ if ${p} }}${a}{{ else if ${p} }}${b}{{ end }}`),
    fc.tuple(fc.constantFrom('x', 'y'), tie('list')).map(([n, l]) => `{{ define "${n}" }}${l}{{ end }}`),
    fc.tuple(fc.constantFrom('b', 'x'), tie('list')).map(([n, l]) => `{{ block "${n}" . }}${l}{{ end }}`),
  ),
  list: fc.array(tie('node'), { maxLength: 4 }).map((ns) => ns.join('')),
})).list;

/** Templates built to be expensive: huge counts, recursion, deep nesting. */
const expensive: fc.Arbitrary<string> = fc.constantFrom(1e6, 1e9, 1e12, 2 ** 53, 9.3e18).chain((n) =>
  fc.constantFrom(
    `{{ range $i := loop ${n} }}{{ $i }}{{ end }}`,
    `{{ range ${n} }}{{ end }}`,
    `{{ range loop 2000 }}{{ range loop 2000 }}x{{ end }}{{ end }}`,
    `{{ sprig_until ${n} }}`,
    `{{ sprig_untilStep 0 ${n} 1 }}`,
    `{{ sprig_repeat ${n} "ab" }}`,
    `{{ "a" | indent ${n} }}`,
    `{{ sprig_indent ${n} "a" }}`,
    `{{ printf "%${n}d" 1 }}`,
    `{{ printf "%.${n}f" 1.5 }}`,
    `{{ define "x" }}{{ template "x" . }}{{ end }}{{ template "x" . }}`,
    `{{ define "x" }}{{ template "x" . }}{{ template "x" . }}{{ end }}{{ template "x" . }}`,
    `${'{{ if true }}'.repeat(2000)}x${'{{ end }}'.repeat(2000)}`,
    `{{ ${'('.repeat(2000)}1${')'.repeat(2000)} }}`,
    `{{ ${'print ('.repeat(500)}1${')'.repeat(500)} }}`,
    `{{ $x := sprig_list }}{{ range loop 100000 }}{{ $x = sprig_append $x 1 }}{{ end }}{{ len $x }}`,
  ),
);

/** Data for dot: nested JSON-like values with the field names the grammar uses. */
const data = jsonLike(fc.constantFrom('a', 'b', 'c', 'd', 'k', 'm', 'list', 'Method'), 4);

const accept = (err: unknown): boolean => err instanceof TemplateError && err.message.trim() !== '';
const tally = new Tally();

function renderOnce(text: string, dot: unknown, delims?: readonly [string, string]): string {
  const opts = { funcs, missingKey: 'default' as const, ...(delims ? { leftDelim: delims[0], rightDelim: delims[1] } : {}) };
  return parseTemplate('fuzz.tpl', text, opts).execute(dot);
}

test('template engine: any template renders to a string or a TemplateError', () =>
  tally.run(() => {
    fc.assert(fc.property(body, data, (t, d) => check(tally, accept, () => renderOnce(t, d))), params(600));
    fc.assert(fc.property(fc.string({ maxLength: 80 }), data, (t, d) => check(tally, accept, () => renderOnce(t, d))), params(150));
    fc.assert(
      fc.property(body, fc.constantFrom<[string, string]>(['[[', ']]'], ['<%', '%>'], ['{', '}'], ['{{', '{{']), (t, delims) =>
        check(tally, accept, () => renderOnce(t.replaceAll('{{', delims[0]).replaceAll('}}', delims[1]), {}, delims)),
      ),
      params(100),
    );
    fc.assert(fc.property(expensive, (t) => check(tally, accept, () => renderOnce(t, {}))), params(40));
  }));

after(() => {
  report({
    scenario: 'fuzz: template engine',
    runs: tally.runs,
    checked: 'grammar-built Go templates with consul-template functions render to a string or a TemplateError, each within the hang guard',
    result: tally.result,
    figures: tally.figures(),
  });
});
