/**
 * TOML output as BurntSushi/toml's Encoder writes it (consul-template's
 * toTOML): map keys sorted, plain keys before sub-tables, sub-tables and
 * their keys indented two spaces per level, arrays of tables as [[key]],
 * nil values skipped. No npm TOML library writes this layout, so it is
 * written here; the tests parse the output back with smol-toml.
 */
import {
  goScalar, goTypeName, isFloat64Box, isGoMap, isGoStruct, mapEntries, structFields,
  type HasGoScalar,
} from './go-values.js';

type Entries = [string, unknown][];

const unwrap = (v: unknown): unknown =>
  v !== null && typeof v === 'object' && goScalar in v ? (v as HasGoScalar)[goScalar]() : v;

function tableEntries(v: unknown): Entries | undefined {
  if (isGoMap(v)) return mapEntries(v);
  if (isGoStruct(v) && !(goScalar in v)) return structFields(v);
  return undefined;
}

const isNil = (v: unknown): boolean => v === null || v === undefined;

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

const keyPart = (k: string): string => (k !== '' && /^[A-Za-z0-9_-]+$/.test(k) ? k : quote(k));

function isTableArray(v: unknown): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  let all = true;
  for (const e of v) {
    if (isNil(e)) throw new Error('toml: cannot encode array with nil element');
    if (!tableEntries(unwrap(e))) all = false;
  }
  return all;
}

const isTable = (v: unknown): boolean => !isNil(v) && (tableEntries(unwrap(v)) !== undefined || isTableArray(v));

function element(v: unknown): string {
  // BurntSushi writes every float64 with a fraction: 2.0 stays "2.0".
  if (isFloat64Box(v)) return Number.isFinite(v.value) ? String(v.value) + '.0' : element(v.value);
  const x = unwrap(v);
  switch (typeof x) {
    case 'string':
      return quote(x);
    case 'boolean':
      return String(x);
    case 'bigint':
      return x.toString();
    case 'number':
      if (Number.isNaN(x)) return 'nan';
      if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
      if (Number.isInteger(x)) return String(x);
      // Go's 'g' format: exponent form below 1e-4 or from 1e21, two-digit exponent.
      {
        const abs = Math.abs(x);
        const s = abs < 1e-4 || abs >= 1e21 ? x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2') : String(x);
        return /[.e]/.test(s) ? s : s + '.0';
      }
    default:
      break;
  }
  if (Array.isArray(x)) {
    if (x.some(isNil)) throw new Error('toml: cannot encode array with nil element');
    return '[' + x.map(element).join(', ') + ']';
  }
  const entries = tableEntries(x);
  if (entries) {
    const kv = entries.filter(([, e]) => !isNil(e)).map(([k, e]) => `${keyPart(k)} = ${element(e)}`);
    return '{' + kv.join(', ') + '}';
  }
  throw new Error(`toml: unsupported type ${goTypeName(x)}`);
}

export function marshalTOML(v: unknown): string {
  let out = '';
  const indent = (key: string[]): string => '  '.repeat(Math.max(key.length - 1, 0));
  const newline = (): void => {
    if (out !== '') out += '\n';
  };
  const dotted = (key: string[]): string => key.map(keyPart).join('.');

  const encode = (key: string[], value: unknown): void => {
    const x = unwrap(value);
    if (isNil(x)) return;
    if (isTableArray(x)) {
      if (key.length === 0) throw new Error('toml: cannot encode an array of tables without a key');
      for (const t of x as unknown[]) {
        newline();
        out += `${indent(key)}[[${dotted(key)}]]`;
        newline();
        table(key, tableEntries(unwrap(t))!);
      }
      return;
    }
    const entries = Array.isArray(x) ? undefined : tableEntries(x);
    if (entries) {
      if (key.length === 1) newline();
      if (key.length > 0) {
        out += `${indent(key)}[${dotted(key)}]`;
        newline();
      }
      table(key, entries);
      return;
    }
    if (key.length === 0) {
      out += element(x);
      return;
    }
    out += `${indent(key)}${keyPart(key[key.length - 1]!)} = ${element(x)}`;
    newline();
  };

  const table = (key: string[], entries: Entries): void => {
    // Maps come sorted (mapEntries); struct fields keep their declaration order, as BurntSushi's eStruct.
    for (const [k, e] of entries) if (!isTable(e)) encode([...key, k], e);
    for (const [k, e] of entries) if (isTable(e)) encode([...key, k], e);
  };

  encode([], v);
  return out;
}
