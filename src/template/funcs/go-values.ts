/**
 * How Go values look in drover's template value model (see the engine):
 * strings, numbers (integer → int, else float64), booleans, null (nil),
 * arrays (slices), plain objects and Maps (Go maps), class instances (Go
 * structs, with methods). These helpers answer the questions consul-template's
 * functions ask of a Go value: its type name for errors, its %q form, and how
 * to walk a map or a struct.
 */
import { Float64 } from '../engine/values.js';

/** A value that stands for a Go scalar type with methods (e.g. nanoTime, an int64): encoders use this primitive. */
export const goScalar = Symbol('goScalar');
/** A value with its own encoding/json form (Go's MarshalJSON): the value to encode instead. */
export const goJSON = Symbol('goJSON');

export interface HasGoScalar {
  [goScalar](): string | number | boolean;
}
export interface HasGoJSON {
  [goJSON](): unknown;
}

/**
 * The engine's Float64: a float64 whose value is integral (the constant 2.0),
 * which a bare JS number would make an int.
 */
export function isFloat64Box(v: unknown): v is Float64 {
  return v instanceof Float64;
}

/** A Go number: its value and whether Go types it float64 (else int). */
export function goNumber(v: unknown): { n: number; float: boolean } | undefined {
  if (typeof v === 'number') return { n: v, float: !Number.isInteger(v) };
  if (isFloat64Box(v)) return { n: v.value, float: true };
  return undefined;
}

/** A Float64 box as its number; anything else as it is. */
export const unboxFloat = (v: unknown): unknown => (isFloat64Box(v) ? v.value : v);

/** A float64 result: an integral one is boxed so it stays float64 (printf "%.1f" works on it). */
export const goFloat = (n: number): unknown => (Number.isInteger(n) ? new Float64(n) : n);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Go maps: plain objects and Maps with string keys. */
export function isGoMap(v: unknown): v is Record<string, unknown> | Map<unknown, unknown> {
  return v instanceof Map || isPlainObject(v);
}

/** A Go map's entries in Go's printing/ranging order (sorted keys). */
export function mapEntries(v: Record<string, unknown> | Map<unknown, unknown>): [string, unknown][] {
  const entries: [string, unknown][] = v instanceof Map
    ? [...v.entries()].map(([k, x]) => [String(k), x])
    : Object.entries(v);
  return entries.sort(([a], [b]) => compareGoStrings(a, b));
}

/** Go's string order: by bytes of UTF-8, which is code point order (JS's < compares UTF-16 units). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** A class instance standing for a Go struct (not a map, slice or scalar). */
export function isGoStruct(v: unknown): v is object {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isGoMap(v) && !isFloat64Box(v);
}

/** A struct's exported fields, in declaration order: own properties named with an upper-case letter. */
export function structFields(v: object): [string, unknown][] {
  return Object.entries(v).filter(([k, x]) => /^[A-Z]/.test(k) && typeof x !== 'function');
}

/** The Go type name %T would print, for error messages. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float64';
    case 'bigint':
      return 'int64';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'func';
    default:
      break;
  }
  if (Array.isArray(v)) return '[]interface {}';
  if (isFloat64Box(v)) return 'float64';
  if (isGoMap(v)) return 'map[string]interface {}';
  const name = (v as { constructor?: { goType?: string; name?: string } }).constructor;
  return name?.goType ?? name?.name ?? 'struct';
}

/** Go's strconv.Quote (what %q prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
      default: break;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** Go's %v for a float64: shortest repr, exponent form outside [1e-4, 1e21). */
export function formatGoFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    // JS: 1.5e-7 / 1e+21; Go's %v: 1.5e-07 / 1e+21 (two-digit exponent minimum).
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

/** Go's truth in sprig's empty(): zero values are empty. */
export function isGoEmpty(v: unknown): boolean {
  if (isFloat64Box(v)) return v.value === 0;
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}
