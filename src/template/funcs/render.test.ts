// End to end: templates as Nomad users write them, rendered by drover's Go template engine with these functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateError, parseTemplate } from '../engine/index.js';
import { templateFuncs } from './index.js';
import { testContext } from './testing.js';

function render(text: string, setup: (ctx: ReturnType<typeof testContext>) => void = () => {}, over: Parameters<typeof testContext>[0] = {}) {
  const ctx = testContext(over);
  setup(ctx);
  const funcs = templateFuncs(ctx);
  const out = parseTemplate('test', text, { funcs }).execute(null);
  return { out, ctx };
}

const withVar = (ctx: ReturnType<typeof testContext>): void => {
  ctx.sources.putVariable('default', 'nomad/jobs/app', { password: 's3cr3t', user: 'admin' });
};

test('nomadVar: with/.key, range over items, methods', () => {
  assert.equal(render('{{ with nomadVar "nomad/jobs/app" }}{{ .user }}:{{ .password }}{{ end }}', withVar).out, 'admin:s3cr3t');
  assert.equal(render('{{ range $k, $v := nomadVar "nomad/jobs/app" }}{{ $k }}={{ $v }};{{ end }}', withVar).out,
    'password=s3cr3t;user=admin;');
  assert.equal(render('{{ with nomadVar "nomad/jobs/app" }}{{ .Keys }} {{ .Values }} {{ .Metadata.Path }}{{ end }}', withVar).out,
    '[password user] [s3cr3t admin] nomad/jobs/app');
  assert.equal(render('{{ range (nomadVar "nomad/jobs/app").Tuples }}{{ .K }}{{ .V }}{{ end }}', withVar).out, 'passwords3cr3tuseradmin');
  assert.equal(render('{{ nomadVar "nomad/jobs/app" | toJSON }}', withVar).out, '{"password":"s3cr3t","user":"admin"}');
  assert.equal(render('{{ (nomadVar "nomad/jobs/app").user.Value | toUpper }}', withVar).out, 'ADMIN');
  assert.equal(render('{{ with nomadVar "nomad/jobs/app" }}{{ .Metadata.CreateTime }} {{ .Parent.Namespace }}{{ end }}', withVar).out,
    '2023-11-14 22:13:20 +0000 UTC default');
  assert.equal(render('{{ with nomadVar "nomad/jobs/app" }}{{ .ItemsMap | toYAML }}{{ end }}', withVar).out, 'password: s3cr3t\nuser: admin');
});

test('nomadVar on a missing variable records the block and renders on', () => {
  const { out, ctx } = render('a{{ with nomadVar "nope" }}{{ .x }}{{ end }}b');
  assert.equal(out, 'ab');
  assert.deepEqual(ctx.deps.missingList, ['nomad.var.block(nope@default.global)']);
});

test('nomadVarExists, nomadVarList', () => {
  const t = '{{ if nomadVarExists "nomad/jobs/app" }}yes{{ end }}{{ range nomadVarList "nomad" }} {{ . }} {{ .Path }}{{ end }}';
  assert.equal(render(t, withVar).out, 'yes nomad/jobs/app nomad/jobs/app');
});

test('nomadService and nomadServices as in Nomad\'s docs', () => {
  const setup = (ctx: ReturnType<typeof testContext>): void => {
    ctx.sources.putService({ id: 'a', serviceName: 'redis', address: '10.0.0.1', port: 6379, tags: ['cache', 'primary'] });
    ctx.sources.putService({ id: 'b', serviceName: 'redis', address: '10.0.0.2', port: 6380, tags: ['cache'] });
  };
  assert.equal(render('{{ range nomadService "redis" }}{{ .Address }}:{{ .Port }} {{ end }}', setup).out, '10.0.0.1:6379 10.0.0.2:6380 ');
  assert.equal(render('{{ range nomadService "primary.redis" }}{{ .Address }}{{ end }}', setup).out, '10.0.0.1');
  assert.equal(render('{{ range nomadServices }}{{ .Name }} {{ .Tags }}{{ end }}', setup).out, 'redis [cache primary]');
  assert.equal(render('{{ range nomadService 1 "alloc-x" "redis" }}{{ .ID }}{{ end }}', setup).out.length, 1);
  assert.equal(render('{{ range nomadService "redis" }}{{ if .Tags | contains "primary" }}{{ .ID }}{{ end }}{{ end }}', setup).out, 'a');
});

test('helpers in pipelines, as consul-template\'s tests render them', () => {
  const cases: [string, string][] = [
    ['{{ "a,b,c" | split "," | join ";" }}', 'a;b;c'],
    ['{{ "a,b,c" | split "," }}', '[a b c]'],
    ['{{ "a:x,b:y,c:z" | splitToMap "," ":" }}', 'map[a:x b:y c:z]'],
    ['{{ "{\\"foo\\": \\"bar\\"}" | parseJSON }}', 'map[foo:bar]'],
    ['{{ "foo:\\n  bar: \\"baz\\"\\n  baz: 7" | parseYAML }}', 'map[foo:map[bar:baz baz:7]]'],
    ['{{ "1.0" | parseFloat | printf "%.1f" }}', '1.0'],
    ['{{ "1.2" | parseFloat }}', '1.2'],
    ['{{ "-1" | parseInt }}', '-1'],
    ['{{ range loop 3 }}1{{ end }}', '111'],
    ['{{ range $i := loop 5 8 }}stanza-{{ $i }} {{ end }}', 'stanza-5 stanza-6 stanza-7 '],
    ['{{ $i := print "3" | parseInt }}{{ range loop 1 $i }}1{{ end }}', '11'],
    ['{{ 2 | add 2 }} {{ 5 | subtract 2 }} {{ 2 | multiply 2 }} {{ 10 | divide 2 }} {{ 3 | modulo 2 }} {{ 3 | minimum 2 }} {{ 3 | maximum 2 }}', '4 3 4 5 1 2 3'],
    ['{{ 2.5 | add 1 }} {{ 2.0 | multiply 3 }}', '3.5 6'],
    ['{{ "foo" | regexReplaceAll "\\\\w" "x" }}', 'xxx'],
    ['{{ "{\\"foo\\":\\"bar\\"}" | parseJSON | toTOML }}', 'foo = "bar"'],
    ['{{ "{\\"foo\\":\\"bar\\"}" | parseJSON | toYAML }}', 'foo: bar'],
    ['{{ timestamp }}', '1970-01-01T00:00:00Z'],
    ['{{ scratch.MapSet "e" "foo/bar" "a" }}{{ scratch.MapSet "e" "qux" "c" }}{{ scratch.Get "e" | explodeMap }}', 'map[foo:map[bar:a] qux:c]'],
    ['{{ "hello" | sprig_upper }} {{ sprig_repeat 2 "ab" }} {{ "" | sprig_default "d" }}', 'HELLO abab d'],
    ['{{ env "NOMAD_ALLOC_ID" }}', 'alloc-1'],
  ];
  for (const [text, want] of cases) assert.equal(render(text, () => {}, { env: { NOMAD_ALLOC_ID: 'alloc-1' } }).out, want, text);
});

test('errors read as Go\'s "error calling NAME: ..."', () => {
  assert.throws(() => render('{{ key "a" }}'), /error calling key: key: Consul is not available on drover \(no consul block\); use nomadVar/);
  assert.throws(() => render('{{ plugin "echo" }}'), /error calling plugin: function is disabled/);
  assert.throws(() => render('{{ sprig_now }}'), /function "sprig_now" not defined/);
});

test('render limits (issue 16 fuzzing): huge loops, ranges and strings fail with a TemplateError instead of hanging or a RangeError', () => {
  const fails = (text: string, re: RegExp): void =>
    assert.throws(() => render(text), (err: unknown) => err instanceof TemplateError && re.test(err.message), text);
  fails('{{ range $i := loop 1000000000000 }}{{ $i }}{{ end }}', /error calling loop: loop: 1000000000000 items exceed the limit of 100000 per render/);
  fails('{{ range 1000000000000 }}{{ end }}', /at <\{\{range 1000000000000\}\}.*range: more than 100000 iterations in one render/);
  fails('{{ range loop 3000 }}{{ range loop 3000 }}{{ end }}{{ end }}', /range: more than 100000 iterations/);
  fails('{{ sprig_until 1000000000 }}', /until: 1000000000 items exceed/);
  fails('{{ sprig_untilStep 0 1000000000 1 }}', /until: 1000000000 items exceed/);
  fails('{{ sprig_repeat 1000000000 "x" }}', /repeat: a result of 1000000000 characters exceeds the limit of 67108864/);
  fails('{{ "a" | indent 1000000000 }}', /indent: a result of 1000000001 characters exceeds/);
  fails('{{ sprig_indent -1 "a" }}', /error calling sprig_indent: strings: negative Repeat count/);
  fails('{{ range loop 1000 }}{{ sprig_repeat 100000 "x" }}{{ end }}', /output exceeds the limit of 67108864 characters per render/);
  // Within the limits, the same functions work as before.
  assert.equal(render('{{ range loop 3 }}{{ . }}{{ end }}|{{ sprig_repeat 3 "ab" }}|{{ sprig_indent 2 "a\\nb" }}').out, '012|ababab|  a\n  b');
});
