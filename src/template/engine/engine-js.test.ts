// The JS side of the value model: class instances as structs (fields,
// methods, Stringer), Map as a map, per-execution functions, error fields.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Float64, parseTemplate, TemplateError, type FuncMap, type TemplateOptions } from './index.js';

function render(text: string, data: unknown, opts?: TemplateOptions, funcs?: FuncMap): string {
  return parseTemplate('app.tpl', text, opts).execute(data, funcs);
}
function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  assert.fail('expected a TemplateError');
}

class KV {
  private readonly data = new Map<string, string>([
    ['b', '2'],
    ['a', '1'],
  ]);
  readonly Name = 'kv';
  Keys(): string[] {
    return Array.from(this.data.keys()).sort();
  }
  Get(k: string): string {
    const v = this.data.get(k);
    if (v === undefined) throw new Error(`no key ${k}`);
    return v;
  }
  get Size(): number {
    return this.data.size;
  }
}

class Item {
  constructor(
    readonly Key: string,
    readonly Value: string,
  ) {}
  toString(): string {
    return `${this.Key}=${this.Value}`;
  }
}

class Plain {
  A = 1;
  B = 'x';
}

test('a class instance is a struct: fields, getters, methods with and without arguments', () => {
  const kv = new KV();
  assert.equal(render('{{.Name}} {{.Size}} {{.Keys}} {{.Get "b"}} {{range .Keys}}<{{.}}>{{end}}', kv), 'kv 2 [a b] 2 <a><b>');
  assert.equal(render('{{"a" | .Get}}', kv), '1');
  assert.equal(render('{{with $x := .}}{{$x.Get "a"}}{{end}}', kv), '1');
});

test('a method that throws is "error calling NAME", an unknown field names the class', () => {
  const kv = new KV();
  assert.equal(
    failure(() => render('{{.Get "zz"}}', kv)).message,
    'template: app.tpl:1:2: executing "app.tpl" at <.Get>: error calling Get: no key zz',
  );
  assert.equal(
    failure(() => render('{{.Nope}}', kv)).message,
    'template: app.tpl:1:2: executing "app.tpl" at <.Nope>: can\'t evaluate field Nope in type KV',
  );
  // Object.prototype's members and the constructor are not fields.
  assert.match(failure(() => render('{{.constructor}}', kv)).message, /can't evaluate field constructor in type KV/);
  assert.match(failure(() => render('{{.hasOwnProperty}}', kv)).message, /can't evaluate field hasOwnProperty/);
  assert.match(failure(() => render('{{.Name 1}}', kv)).message, /Name has arguments but cannot be invoked as function/);
  assert.match(failure(() => render('{{.__proto__}}', kv)).message, /can't evaluate field __proto__ in type KV/);
  const throwing = {
    get Bad(): string {
      throw new Error('getter failed');
    },
  };
  Object.setPrototypeOf(throwing, class Thing {}.prototype);
  assert.match(failure(() => render('{{.Bad}}', throwing)).message, /at <.Bad>: error calling Bad: getter failed$/);
});

test('a class-defined toString is Go\'s Stringer; other structs print their fields', () => {
  const items = [new Item('a', '1'), new Item('b', '2')];
  assert.equal(render('{{range .}}{{.}} {{end}}', items), 'a=1 b=2 ');
  assert.equal(render('{{.}}', items), '[a=1 b=2]');
  assert.equal(render('{{printf "%s|%v|%q" (index . 0) . (index . 1)}}', items), 'a=1|[a=1 b=2]|"b=2"');
  assert.equal(render('{{.}} {{printf "%+v" .}}', new Plain()), '{1 x} {A:1 B:x}');
  assert.equal(render('{{if .}}t{{end}}', new Plain()), 't');
});

test('a Map is a map: fields, missing keys, sorted range, len, index', () => {
  const m = new Map<string, unknown>([
    ['z', 1],
    ['a', 'x'],
    ['m', null],
  ]);
  assert.equal(render('{{.a}} {{.nope}} {{len .}} {{index . "z"}}', m), 'x <no value> 3 1');
  assert.equal(render('{{range $k, $v := .}}{{$k}}={{$v}};{{end}}', m), 'a=x;m=<no value>;z=1;');
  assert.equal(render('{{.}}', m), 'map[a:x m:<nil> z:1]');
  assert.match(failure(() => render('{{.nope}}', m, { missingKey: 'error' })).message, /map has no entry for key "nope"/);
  assert.equal(render('{{.a}}', Object.assign(Object.create(null) as object, { a: 5 })), '5');
});

/** Like consul-template's NomadVarItems: a map type with methods and a String. */
class VarItems extends Map<string, string> {
  Keys(): string[] {
    return Array.from(this.keys()).sort();
  }
  override toString(): string {
    return Array.from(this.entries(), ([k, v]) => `${k}=${v}`).join(',');
  }
}

test('a Map subclass keeps its entries as fields and its class methods as methods', () => {
  const items = new VarItems([
    ['user', 'u'],
    ['pass', 'p'],
  ]);
  assert.equal(render('{{.user}} {{.Keys}} {{range $k, $v := .}}{{$k}}:{{$v}} {{end}}', items), 'u [pass user] pass:p user:u ');
  assert.equal(render('{{.}}|{{printf "%s" .}}', items), 'user=u,pass=p|user=u,pass=p');
  // An own function-valued entry of a plain object is a value, not a method.
  assert.match(failure(() => render('{{.f}}', { f: () => 1 })).message, /can't print {{.f}} of type func/);
});

test('map keys and string comparisons use Go\'s byte order, not UTF-16 order', () => {
  const m = { '\u{1F600}': 1, '\uFF21': 2, a: 3 }; // UTF-16 puts the emoji (a surrogate) before U+FF21
  assert.equal(render('{{range $k, $v := .}}{{$v}}{{end}}', m), '321');
  assert.equal(render('{{lt "\uFF21" "\u{1F600}"}}', null), 'true');
});

test('functions given to execute override the parse-time ones of the same name', () => {
  const t = parseTemplate('t', '{{greet "x"}}', { funcs: { greet: (s: string) => `hello ${s}` } });
  assert.equal(t.execute(null), 'hello x');
  assert.equal(t.execute(null, { greet: (s: string) => `hi ${s}` }), 'hi x');
  assert.equal(t.execute(null), 'hello x');
  // An execution-time function is no substitute for parse-time knowledge of the name.
  assert.equal(failure(() => parseTemplate('t', '{{late}}')).message, 'template: t:1: function "late" not defined');
  // A function given only at parse time, then one that throws a non-Error.
  const u = parseTemplate('u', '{{f}}', { funcs: { f: () => 1 } });
  const throwsString = (): never => {
    throw 'plain'; // eslint-disable-line @typescript-eslint/only-throw-error
  };
  assert.match(failure(() => u.execute(null, { f: throwsString })).message, /error calling f: plain$/);
});

test('functions receive JS values: nil is null, float constants are numbers', () => {
  const seen: unknown[] = [];
  const rec = (...a: unknown[]): string => {
    seen.push(...a);
    return '';
  };
  render('{{rec .m .missing nil 2.0 1.5 "s" .l}}', { m: null, l: [1] }, { funcs: { rec } });
  assert.deepEqual(seen, [null, undefined, undefined, 2, 1.5, 's', [1]]);
});

test('a function may return Float64 to mean an integral float64', () => {
  const funcs = { half: (n: number) => new Float64(n / 2) };
  assert.equal(render('{{half 4}} {{printf "%.1f %T" (half 4) (half 4)}}', null, { funcs }), '2 2.0 float64');
  assert.match(failure(() => render('{{eq (half 4) 2}}', null, { funcs })).message, /incompatible types for comparison/);
});

test('errors carry the template name, the line, and Go\'s byte column', () => {
  const e = failure(() => render('line one\n  é {{.a.b}}', { a: 1 }));
  assert.equal(e.templateName, 'app.tpl');
  assert.equal(e.line, 2);
  assert.equal(e.col, 9); // bytes before ".b": two spaces, é (2 bytes), a space, "{{.a"
  assert.equal(e.message, 'template: app.tpl:2:9: executing "app.tpl" at <.a.b>: can\'t evaluate field b in type interface {}');
  const p = failure(() => parseTemplate('x.tpl', 'a\nb\n{{if}}'));
  assert.equal(p.templateName, 'x.tpl');
  assert.equal(p.line, 3);
  assert.equal(p.col, undefined);
  assert.equal(p.message, 'template: x.tpl:3: missing value for if');
});

test('a parsed template executes many times with independent state', () => {
  const lines: string[] = [];
  for (let i = 0; i < 50; i++) lines.push(`{{with .Items}}{{range $i, $e := .}}{{if gt $i 0}},{{end}}{{$e.Name | printf "%q"}}{{end}}{{end}} ${i}`);
  const t = parseTemplate('big', lines.join('\n'));
  const data = { Items: Array.from({ length: 20 }, (_, i) => ({ Name: `n${i}` })) };
  const first = t.execute(data);
  for (let i = 0; i < 1000; i++) assert.equal(t.execute(data), first);
  assert.ok(first.startsWith('"n0","n1"'));
});

test('deep recursion stops with Go\'s depth error instead of crashing', () => {
  const e = failure(() => render('{{define "r"}}{{template "r" .}}{{end}}{{template "r" 1}}', null));
  assert.match(e.message, /exceeded maximum template depth \(100000\)$/);
});

test('nesting limit (issue 16 fuzzing): past 1000 levels parsing fails with Go\'s "max expression depth exceeded", not a stack overflow', () => {
  for (const text of [
    `${'{{ if true }}'.repeat(5000)}x${'{{ end }}'.repeat(5000)}`,
    `${'{{ range 1 }}'.repeat(5000)}x${'{{ end }}'.repeat(5000)}`,
    `{{ ${'('.repeat(5000)}1${')'.repeat(5000)} }}`,
  ]) {
    assert.throws(() => parseTemplate('deep', text), (err: unknown) => err instanceof TemplateError && err.message === 'template: deep:1: max expression depth exceeded');
  }
  const n = 900;
  assert.equal(parseTemplate('ok', `${'{{ if true }}'.repeat(n)}x${'{{ end }}'.repeat(n)}`).execute(null), 'x');
  assert.equal(parseTemplate('ok', `{{ ${'('.repeat(n)}1${')'.repeat(n)} }}`).execute(null), '1');
});
