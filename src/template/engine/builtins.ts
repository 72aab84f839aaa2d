// Go's builtin template functions (and, or, not, len, index, slice, eq, ne,
// lt, le, gt, ge, html, js, urlquery, print, printf, println, call) with
// Go's argument rules and error texts. Each throws FuncError; the evaluator
// turns that into "error calling NAME: MSG".

import { isPrintRune } from './lex.js';
import { printOne, sprint, sprintf, sprintln } from './fmt.js';
import { compareStrings, Complex128, Float64, isNil, K, kindOf, mapGet, mapLen, num, truth, typeName } from './values.js';

/** A Go interface value holding nil (a null slice element or map entry). */
export const NILI: unique symbol = Symbol('nil interface');
export type Val = unknown;

export class FuncError extends Error {}

/** indirectInterface: a nil interface value becomes an untyped nil. */
export function unIface(v: Val): unknown {
  return v === NILI ? undefined : v;
}

/** Parameter types that matter to argument evaluation (Go's evalArg). */
export type ParamType = 'value' | 'string' | 'any';
export interface BuiltinSpec {
  readonly fixed: readonly ParamType[];
  readonly variadic: ParamType | null;
  readonly fn: (...args: Val[]) => Val;
}

const V: ParamType = 'value';

function indexArg(index: Val, cap: number): number {
  const k = kindOf(index);
  if (k === K.Int) {
    const x = Number(index);
    if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
    return x;
  }
  if (isNil(index) || index === NILI) throw new FuncError('cannot index slice/array with nil');
  throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
}

function index(item0: Val, ...indexes: Val[]): Val {
  let item: Val = unIface(item0);
  if (isNil(item)) throw new FuncError('index of untyped nil');
  for (const idx0 of indexes) {
    const idx = unIface(idx0);
    if (item === NILI || isNil(item)) throw new FuncError('index of nil pointer');
    switch (kindOf(item)) {
      case K.String: {
        const bytes = Buffer.from(item as string, 'utf8');
        const x = indexArg(idx, bytes.length);
        if (x === bytes.length) throw new FuncError('reflect: string index out of range');
        item = bytes[x]!;
        break;
      }
      case K.Slice: {
        const a = item as unknown[];
        const x = indexArg(idx, a.length);
        if (x === a.length) throw new FuncError('reflect: slice index out of range');
        const e = a[x];
        item = isNil(e) ? NILI : e;
        break;
      }
      case K.Map: {
        if (isNil(idx)) throw new FuncError('value is nil; should be of type string');
        if (typeof idx !== 'string' && !(item instanceof Map)) {
          throw new FuncError(`value has type ${typeName(idx)}; should be string`);
        }
        const { found, value } = mapGet(item, idx);
        item = found && !isNil(value) ? value : NILI;
        break;
      }
      default:
        throw new FuncError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item0: Val, ...indexes: Val[]): Val {
  const item = unIface(item0);
  if (isNil(item)) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let bytes: Buffer | null = null;
  switch (kindOf(item)) {
    case K.String:
      if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
      bytes = Buffer.from(item as string, 'utf8');
      cap = bytes.length;
      break;
    case K.Slice:
      cap = (item as unknown[]).length;
      break;
    default:
      throw new FuncError(`can't slice item of type ${typeName(item)}`);
  }
  const idx = [0, cap, 0];
  for (let i = 0; i < indexes.length; i++) idx[i] = indexArg(unIface(indexes[i]), cap);
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes) return bytes.subarray(idx[0], idx[1]).toString('utf8');
  return (item as unknown[]).slice(idx[0], idx[1]);
}

function length(item: Val): Val {
  if (item === NILI) throw new FuncError('len of nil pointer');
  if (isNil(item)) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  switch (kindOf(item)) {
    case K.String:
      return Buffer.byteLength(item as string, 'utf8');
    case K.Slice:
      return (item as unknown[]).length;
    case K.Map:
      return mapLen(item);
    default:
      break;
  }
  throw new FuncError(`len of type ${typeName(item)}`);
}

function call(fn0: Val, ...args: Val[]): Val {
  const fn = unIface(fn0);
  if (isNil(fn)) throw new FuncError('call of nil');
  if (typeof fn !== 'function') throw new FuncError(`non-function of type ${typeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args.map(toJs));
}

/** What a JS function receives for a template value: a nil interface is null. */
export function toJs(v: Val): unknown {
  if (v instanceof Float64) return v.value;
  return v === NILI ? null : v;
}

// ---- comparison ----

const BOOL = 1;
const INT = 3;
const FLOAT = 4;
const STRING = 5;
const COMPLEX = 6;
function basicKind(v: unknown): number {
  switch (kindOf(v)) {
    case K.Bool:
      return BOOL;
    case K.Int:
      return INT;
    case K.Float:
      return FLOAT;
    case K.String:
      return STRING;
    case K.Complex:
      return COMPLEX;
    default:
      return 0;
  }
}
const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';

function comparable(v: unknown): boolean {
  const k = kindOf(v);
  return k !== K.Slice && k !== K.Map && k !== K.Func;
}

function eq(arg1: Val, ...arg2: Val[]): Val {
  const a1 = unIface(arg1);
  if (arg2.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a1);
  for (const arg of arg2) {
    const a = unIface(arg);
    const k2 = basicKind(a);
    let t = false;
    if (k1 !== k2) {
      if (!isNil(a1) && !isNil(a)) throw new FuncError(errBadComparison);
    } else if (k1 === INT) {
      t = BigInt(a1 as number) === BigInt(a as number);
    } else if (k1 === COMPLEX) {
      const [x, y] = [a1 as Complex128, a as Complex128];
      t = x.re === y.re && x.im === y.im;
    } else if (k1 === FLOAT) {
      t = num(a1) === num(a);
    } else if (k1 !== 0) {
      t = a1 === a;
    } else {
      const c1 = kindOf(a1);
      const c2 = kindOf(a);
      if (c1 !== c2 && !isNil(a1) && !isNil(a)) {
        throw new FuncError(`non-comparable types ${sprintf('%s', [a1])}: ${typeName(a1)}, ${typeName(a)}: ${printOne(a)}`);
      }
      if (isNil(a1) || isNil(a)) t = isNil(a) === isNil(a1);
      else {
        if (!comparable(a)) throw new FuncError(`non-comparable type ${sprintf('%s', [a])}: ${typeName(a)}`);
        t = a1 === a;
      }
    }
    if (t) return true;
  }
  return false;
}

function lt(arg1: Val, arg2: Val): boolean {
  const a = unIface(arg1);
  const b = unIface(arg2);
  const k1 = basicKind(a);
  if (k1 === 0) throw new FuncError(errBadComparisonType);
  const k2 = basicKind(b);
  if (k2 === 0) throw new FuncError(errBadComparisonType);
  if (k1 !== k2) throw new FuncError(errBadComparison);
  if (k1 === BOOL || k1 === COMPLEX) throw new FuncError(errBadComparisonType);
  if (k1 === STRING) return compareStrings(a as string, b as string) < 0;
  if (k1 === FLOAT) return num(a) < num(b);
  return (a as number) < (b as number);
}
function le(a: Val, b: Val): boolean {
  return lt(a, b) || (eq(a, b) as boolean);
}

// ---- escaping ----

/** text/template's evalArgs: fmt.Sprint, with nil shown as "<no value>". */
function evalArgs(args: Val[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (isNil(unIface(a)) ? '<no value>' : a)));
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case '\0':
        return '\uFFFD';
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      default:
        return '&gt;';
    }
  });
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (r < 0x20) out += '\\u00' + r.toString(16).toUpperCase().padStart(2, '0');
    else if (r < 0x80 || isPrintRune(r)) out += ch;
    else out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 45 || b === 95 || b === 46 || b === 126) {
      out += String.fromCharCode(b);
    } else if (b === 32) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const anyArgs = (args: Val[]): unknown[] => args.map((v) => (v === NILI ? null : v));

/** The builtins by name; and/or are evaluated by the evaluator (they short-circuit). */
export const BUILTINS: ReadonlyMap<string, BuiltinSpec> = new Map<string, BuiltinSpec>([
  ['and', { fixed: [V], variadic: V, fn: () => undefined }],
  ['or', { fixed: [V], variadic: V, fn: () => undefined }],
  ['not', { fixed: [V], variadic: null, fn: (a) => !truth(unIface(a)) }],
  ['len', { fixed: [V], variadic: null, fn: length }],
  ['index', { fixed: [V], variadic: V, fn: index }],
  ['slice', { fixed: [V], variadic: V, fn: slice }],
  ['call', { fixed: [V], variadic: V, fn: call }],
  ['eq', { fixed: [V], variadic: V, fn: eq }],
  ['ne', { fixed: [V, V], variadic: null, fn: (a, b) => !eq(a, b) }],
  ['lt', { fixed: [V, V], variadic: null, fn: lt }],
  ['le', { fixed: [V, V], variadic: null, fn: le }],
  ['gt', { fixed: [V, V], variadic: null, fn: (a, b) => !le(a, b) }],
  ['ge', { fixed: [V, V], variadic: null, fn: (a, b) => !lt(a, b) }],
  ['html', { fixed: [], variadic: 'any', fn: (...a) => htmlEscape(evalArgs(a)) }],
  ['js', { fixed: [], variadic: 'any', fn: (...a) => jsEscape(evalArgs(a)) }],
  ['urlquery', { fixed: [], variadic: 'any', fn: (...a) => urlQueryEscape(evalArgs(a)) }],
  ['print', { fixed: [], variadic: 'any', fn: (...a) => sprint(anyArgs(a)) }],
  ['println', { fixed: [], variadic: 'any', fn: (...a) => sprintln(anyArgs(a)) }],
  ['printf', { fixed: ['string'], variadic: 'any', fn: (f, ...a) => sprintf(f as string, anyArgs(a)) }],
]);
