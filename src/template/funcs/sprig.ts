/**
 * The sprig functions consul-template exposes as sprig_NAME (sprig v3's
 * HermeticTxtFuncMap): the commonly used, cheap ones. Sprig's non-hermetic
 * functions (now, date, uuidv4, env, expandenv, rand*) are not in
 * consul-template's map, so they are not here either: a template naming
 * them fails to parse, as on Nomad. Sprig swallows most errors (toJson
 * gives "", b64dec gives the error text); that is kept.
 */
import { createHash } from 'node:crypto';
import { fn } from './args.js';
import { checkChars, checkItems } from '../engine/index.js';
import { marshalGoJSON } from './go-json.js';
import { goSprint } from './go-print.js';
import { goQuote, goTypeName, isGoEmpty, isPlainObject, mapEntries, unboxFloat } from './go-values.js';
import { goSplit, goToLower, goToTitle, goToUpper, goTrim, goTrimSpace } from './strings.js';
import type { TemplateFunc } from './types.js';

/** sprig's strval: strings as they are, Stringers by their String(), anything else as %v. */
const strval = (v: unknown): string => goSprint(v);

/** spf13/cast.ToInt64 as sprig uses it: numbers truncate, numeric strings parse, anything else is 0. */
function toInt64(x: unknown): number {
  const v = unboxFloat(x);
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.replace(/\.0*$/, '');
    if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/.test(s)) {
      const neg = s.startsWith('-');
      const body = s.replace(/^[+-]/, '');
      const n = /^0[0-7]+$/.test(body) ? parseInt(body, 8) : Number(body.replace(/^0[oO]/, '0o'));
      return neg ? -n : n;
    }
    return 0;
  }
  return 0;
}

function intDiv(a: number, b: number): number {
  if (b === 0) throw new Error('runtime error: integer divide by zero');
  return Math.trunc(a / b);
}

const sliceError = (lo: number, hi: number): Error => new Error(`runtime error: slice bounds out of range [${lo}:${hi}]`);
/** Go's s[lo:hi] on a string (byte offsets; drover uses UTF-16 offsets, the same for ASCII). */
function goSlice(s: string, lo: number, hi: number = s.length): string {
  if (lo < 0 || hi > s.length || lo > hi) throw sliceError(lo, hi);
  return s.slice(lo, hi);
}

/** sprig's strslice: a list's non-nil elements as strings. */
function strslice(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

function until(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (step !== 0 && (stop - start) / step > 0) checkItems('until', Math.ceil((stop - start) / step));
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

/** sprig's indent: every line prefixed by n spaces; a negative n fails as Go's strings.Repeat panics. */
function indentLines(name: string, n: number, s: string): string {
  if (n < 0) throw new Error('strings: negative Repeat count');
  const lines = s.split('\n');
  checkChars(name, n * lines.length + s.length);
  const pad = ' '.repeat(n);
  return pad + lines.join('\n' + pad);
}

const asDict = (name: string, d: unknown): Record<string, unknown> => {
  if (isPlainObject(d)) return d;
  if (d instanceof Map) return Object.fromEntries(mapEntries(d));
  // A nil or missing value reaches sprig as a nil map (Go's text/template passes the zero value), which has no keys.
  if (d === null || d === undefined) return {};
  throw new Error(`wrong type for value; expected map[string]interface {}; got ${goTypeName(d)} (${name})`);
};

export function sprigFuncs(): Record<string, TemplateFunc> {
  const f: Record<string, TemplateFunc> = {
    // Strings
    upper: fn('upper', ['string'], goToUpper),
    lower: fn('lower', ['string'], goToLower),
    title: fn('title', ['string'], goToTitle),
    trim: fn('trim', ['string'], goTrimSpace),
    trimAll: fn('trimAll', ['string', 'string'], (a: string, b: string) => goTrim(b, a)),
    trimPrefix: fn('trimPrefix', ['string', 'string'], (a: string, b: string) => (a !== '' && b.startsWith(a) ? b.slice(a.length) : b)),
    trimSuffix: fn('trimSuffix', ['string', 'string'], (a: string, b: string) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
    contains: fn('contains', ['string', 'string'], (sub: string, s: string) => s.includes(sub)),
    hasPrefix: fn('hasPrefix', ['string', 'string'], (p: string, s: string) => s.startsWith(p)),
    hasSuffix: fn('hasSuffix', ['string', 'string'], (p: string, s: string) => s.endsWith(p)),
    replace: fn('replace', ['string', 'string', 'string'], (o: string, n: string, s: string) =>
      o === '' ? [...s].map((c) => n + c).join('') + n : s.split(o).join(n)),
    repeat: fn('repeat', ['int', 'string'], (count: number, s: string) => {
      if (count < 0) throw new Error('strings: negative Repeat count');
      checkChars('repeat', count * s.length);
      return s.repeat(count);
    }),
    substr: fn('substr', ['int', 'int', 'string'], (start: number, end: number, s: string) => {
      if (start < 0) return goSlice(s, 0, end);
      if (end < 0 || end > s.length) return goSlice(s, start);
      return goSlice(s, start, end);
    }),
    trunc: fn('trunc', ['int', 'string'], (c: number, s: string) => {
      if (c < 0 && s.length + c > 0) return s.slice(s.length + c);
      if (c >= 0 && s.length > c) return s.slice(0, c);
      return s;
    }),
    nospace: fn('nospace', ['string'], (s: string) => s.replace(/\s+/gu, '')),
    quote: (...args: unknown[]) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(strval(a))).join(' '),
    squote: (...args: unknown[]) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${goSprint(a)}'`).join(' '),
    cat: (...args: unknown[]) => args.filter((a) => a !== null && a !== undefined).map(goSprint).join(' '),
    indent: fn('indent', ['int', 'string'], (n: number, s: string) => indentLines('indent', n, s)),
    nindent: fn('nindent', ['int', 'string'], (n: number, s: string) => '\n' + indentLines('nindent', n, s)),
    splitList: fn('splitList', ['string', 'string'], (sep: string, s: string) => goSplit(s, sep)),
    join: fn('join', ['string', 'any'], (sep: string, v: unknown) => strslice(v).join(sep)),
    sortAlpha: fn('sortAlpha', ['any'], (v: unknown) => strslice(v).sort()),
    toString: fn('toString', ['any'], strval),
    atoi: fn('atoi', ['string'], (s: string) => (/^[+-]?[0-9]+$/.test(s) ? Number(s) : 0)),
    int: fn('int', ['any'], toInt64),
    int64: fn('int64', ['any'], toInt64),
    // Encoding and hashes
    b64enc: fn('b64enc', ['string'], (s: string) => Buffer.from(s, 'utf8').toString('base64')),
    b64dec: fn('b64dec', ['string'], (s: string) => {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return `illegal base64 data at input byte ${s.length - (s.length % 4)}`;
      return Buffer.from(s, 'base64').toString('utf8');
    }),
    sha256sum: fn('sha256sum', ['string'], (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')),
    sha1sum: fn('sha1sum', ['string'], (s: string) => createHash('sha1').update(s, 'utf8').digest('hex')),
    toJson: fn('toJson', ['any'], (v: unknown) => {
      try {
        return marshalGoJSON(v);
      } catch {
        return '';
      }
    }),
    toPrettyJson: fn('toPrettyJson', ['any'], (v: unknown) => {
      try {
        return marshalGoJSON(v, { indent: '  ' });
      } catch {
        return '';
      }
    }),
    toRawJson: fn('toRawJson', ['any'], (v: unknown) => marshalGoJSON(v, { escapeHTML: false })),
    // Defaults and flow
    default: fn('default', ['any'], (d: unknown, ...given: unknown[]) => (given.length === 0 || isGoEmpty(given[0]) ? d : given[0]), 'any'),
    empty: fn('empty', ['any'], isGoEmpty),
    coalesce: (...v: unknown[]) => v.find((x) => !isGoEmpty(x)) ?? null,
    ternary: fn('ternary', ['any', 'any', 'bool'], (vt: unknown, vf: unknown, c: boolean) => (c ? vt : vf)),
    fail: fn('fail', ['string'], (msg: string) => {
      throw new Error(msg);
    }),
    // Lists and dicts
    list: (...v: unknown[]) => v,
    first: fn('first', ['any'], (l: unknown) => (Array.isArray(l) && l.length > 0 ? l[0] : null)),
    last: fn('last', ['any'], (l: unknown) => (Array.isArray(l) && l.length > 0 ? l[l.length - 1] : null)),
    has: fn('has', ['any', 'any'], (needle: unknown, l: unknown) => Array.isArray(l) && l.some((x) => x === needle)),
    uniq: fn('uniq', ['any'], (l: unknown): unknown[] => (Array.isArray(l) ? (l as unknown[]).filter((x, i, all) => all.indexOf(x) === i) : [])),
    dict: (...v: unknown[]) => {
      const d: Record<string, unknown> = {};
      for (let i = 0; i < v.length; i += 2) d[strval(v[i])] = i + 1 < v.length ? v[i + 1] : '';
      return d;
    },
    get: fn('get', ['any', 'string'], (d: unknown, key: string) => {
      const m = asDict('get', d);
      return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : '';
    }),
    hasKey: fn('hasKey', ['any', 'string'], (d: unknown, key: string) => Object.prototype.hasOwnProperty.call(asDict('hasKey', d), key)),
    keys: (...dicts: unknown[]) => dicts.flatMap((d) => Object.keys(asDict('keys', d))),
    values: fn('values', ['any'], (d: unknown) => Object.values(asDict('values', d))),
    // Arithmetic on int64, as sprig
    add: (...v: unknown[]) => v.reduce<number>((a, b) => a + toInt64(b), 0),
    add1: fn('add1', ['any'], (v: unknown) => toInt64(v) + 1),
    sub: fn('sub', ['any', 'any'], (a: unknown, b: unknown) => toInt64(a) - toInt64(b)),
    mul: fn('mul', ['any'], (a: unknown, ...v: unknown[]) => v.reduce<number>((x, b) => x * toInt64(b), toInt64(a)), 'any'),
    div: fn('div', ['any', 'any'], (a: unknown, b: unknown) => intDiv(toInt64(a), toInt64(b))),
    mod: fn('mod', ['any', 'any'], (a: unknown, b: unknown) => {
      if (toInt64(b) === 0) throw new Error('runtime error: integer divide by zero');
      return toInt64(a) % toInt64(b);
    }),
    max: fn('max', ['any'], (a: unknown, ...v: unknown[]) => v.reduce<number>((x, b) => Math.max(x, toInt64(b)), toInt64(a)), 'any'),
    min: fn('min', ['any'], (a: unknown, ...v: unknown[]) => v.reduce<number>((x, b) => Math.min(x, toInt64(b)), toInt64(a)), 'any'),
    until: fn('until', ['int'], (count: number) => until(0, count, count < 0 ? -1 : 1)),
    untilStep: fn('untilStep', ['int', 'int', 'int'], until),
  };
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [`sprig_${k}`, v]));
}

