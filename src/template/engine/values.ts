// How JS values stand for Go values.
//
//   undefined, null          nil (an untyped nil prints "<no value>")
//   boolean                  bool
//   number, integral         int (when |n| < 2^63); so JSON's 3 and 3.0 are both int 3
//   number, otherwise        float64 (1.5, NaN, ±Inf, 1e21)
//   bigint                   int
//   string                   string
//   Array                    []interface {}
//   plain object, Map        map[string]interface {} (keys sorted when ranged or printed)
//   function                 func (callable with `call`)
//   other objects            structs: properties are fields, function properties
//                            are methods; a class-defined toString is Go's String()
//
// Values taken out of a slice or map are Go interface values; a nil one
// (a null element or map entry, or index's zero value) is tracked by the
// evaluator because Go treats it differently from an untyped nil.

export const K = {
  Invalid: 0,
  Bool: 1,
  Int: 2,
  Float: 3,
  String: 4,
  Slice: 5,
  Map: 6,
  Struct: 7,
  Func: 8,
  Complex: 9,
} as const;
export type Kind = (typeof K)[keyof typeof K];

const TWO63 = 2 ** 63;

/**
 * A float64 whose value is integral (Go's 2.0, which a JS number can't tell
 * from the int 2). Float constants in templates produce it; a function may
 * return one to mean float64 (printf "%g" then works, eq 2 2.0 is an error).
 */
export class Float64 {
  constructor(readonly value: number) {}
}

/** Go's complex128, from literals like 1i or 1+2i. */
export class Complex128 {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

/** The numeric value of an Int or Float value. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : v instanceof Float64 ? v.value : Number(v);
}

export function isPlainMap(v: object): boolean {
  if (v instanceof Map) return true;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined':
      return K.Invalid;
    case 'boolean':
      return K.Bool;
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < TWO63 ? K.Int : K.Float;
    case 'bigint':
      return K.Int;
    case 'string':
      return K.String;
    case 'function':
      return K.Func;
    case 'object':
      if (v === null) return K.Invalid;
      if (Array.isArray(v)) return K.Slice;
      if (v instanceof Float64) return K.Float;
      if (v instanceof Complex128) return K.Complex;
      return isPlainMap(v) ? K.Map : K.Struct;
    default:
      return K.Struct; // symbols: opaque
  }
}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** The Go type name shown in messages ("int", "[]interface {}", ...). */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case K.Invalid:
      return '<nil>';
    case K.Bool:
      return 'bool';
    case K.Int:
      return 'int';
    case K.Float:
      return 'float64';
    case K.String:
      return 'string';
    case K.Slice:
      return '[]interface {}';
    case K.Map:
      return 'map[string]interface {}';
    case K.Func:
      return 'func(...interface {}) (interface {}, error)';
    case K.Complex:
      return 'complex128';
    case K.Struct: {
      const ctor = (v as { constructor?: { name?: unknown } }).constructor;
      return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'struct';
    }
  }
  return 'unknown';
}

/** Go's truth: the zero value of any type is false; structs are always true. */
export function truth(v: unknown): boolean {
  switch (typeof v) {
    case 'undefined':
      return false;
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'string':
      return v.length > 0;
    case 'function':
      return true;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof Float64) return v.value !== 0;
      if (v instanceof Complex128) return v.re !== 0 || v.im !== 0;
      if (v instanceof Map) return v.size > 0;
      if (isPlainMap(v)) return Object.keys(v).length > 0;
      return true;
    default:
      return true;
  }
}

/** The entries of a map value, keys sorted as Go's fmtsort does. */
export function sortedEntries(m: object): [unknown, unknown][] {
  let entries: [unknown, unknown][];
  if (m instanceof Map) entries = Array.from(m.entries());
  else entries = Object.keys(m).map((k) => [k, (m as Record<string, unknown>)[k]]);
  entries.sort((a, b) => compareKeys(a[0], b[0]));
  return entries;
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareStrings(String(a), String(b));
}

const HIGH = /[\ud800-\uffff]/;
/** Go's string order (UTF-8 bytes); UTF-16 order differs only past U+D7FF. */
export function compareStrings(a: string, b: string): number {
  if (HIGH.test(a) || HIGH.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : a > b ? 1 : 0;
}

export function mapLen(m: object): number {
  return m instanceof Map ? m.size : Object.keys(m).length;
}

/** Looks a key up in a map value; `found` false when absent. */
export function mapGet(m: object, key: unknown): { found: boolean; value: unknown } {
  if (m instanceof Map) {
    if (m.has(key)) return { found: true, value: m.get(key) as unknown };
    if (typeof key !== 'string' && m.has(String(key))) return { found: true, value: m.get(String(key)) as unknown };
    return { found: false, value: undefined };
  }
  const k = String(key);
  if (Object.prototype.hasOwnProperty.call(m, k)) return { found: true, value: (m as Record<string, unknown>)[k] };
  return { found: false, value: undefined };
}

/** A struct's own printed fields (Go's %v of a struct): own enumerable data properties. */
export function structFields(v: object): [string, unknown][] {
  return Object.keys(v)
    .filter((k) => typeof (v as Record<string, unknown>)[k] !== 'function')
    .map((k) => [k, (v as Record<string, unknown>)[k]]);
}

/** A class-defined toString (Go's Stringer), or an Error's message (Go's error). */
export function stringerOf(v: unknown): (() => string) | null {
  if (typeof v !== 'object' || v === null) return null;
  if (v instanceof Error) return () => v.message;
  const ts = methodOf(v, 'toString');
  if (ts === null || ts === Array.prototype.toString) return null;
  return () => String(ts.call(v));
}

const BUILTIN_PROTOS: readonly object[] = [Object.prototype, Map.prototype, Array.prototype, Function.prototype];

/**
 * A method defined by the value's class (Go's method set): a function on its
 * prototype chain below the builtin prototypes. Own properties are fields or
 * map entries, not methods.
 */
export function methodOf(v: object, name: string): ((...args: unknown[]) => unknown) | null {
  if (name === 'constructor') return null;
  for (let p = Object.getPrototypeOf(v) as object | null; p !== null && !BUILTIN_PROTOS.includes(p); p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d !== undefined) return typeof d.value === 'function' ? (d.value as (...args: unknown[]) => unknown) : null;
  }
  return null;
}

/** The integer value of an Int-kind value. */
export function intValue(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}
