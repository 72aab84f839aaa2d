/**
 * consul-template's string helpers (template/funcs.go): trim, split, join,
 * case, containment, regexps, hashes, base64. Behaviour follows Go's strings
 * and strconv packages, which differ from JS's in places noted below.
 */
import { createHash, createHmac } from 'node:crypto';
import { fn } from './args.js';
import { compileGoRegexp, goReplaceAll } from './go-regexp.js';
import type { TemplateFunc } from './types.js';

/** Go's strings.Trim: drop leading and trailing runes that are in cutset. */
export function goTrim(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const runes = [...s];
  let a = 0;
  let b = runes.length;
  while (a < b && cut.has(runes[a]!)) a++;
  while (b > a && cut.has(runes[b - 1]!)) b--;
  return runes.slice(a, b).join('');
}

// Go's unicode.IsSpace (White_Space): JS's trim also drops U+FEFF, which Go keeps.
const goSpace = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const leadingSpace = new RegExp(`^[${goSpace}]+`);
const trailingSpace = new RegExp(`[${goSpace}]+$`);
export const goTrimSpace = (s: string): string => s.replace(leadingSpace, '').replace(trailingSpace, '');

/** Go's strings.Split: "" splits into runes. */
export const goSplit = (s: string, sep: string): string[] => (sep === '' ? [...s] : s.split(sep));

/** Go maps case rune by rune and never grows a string ("ß" stays "ß" in ToUpper). */
const mapRunes = (s: string, f: (c: string) => string): string =>
  [...s].map((c) => {
    const m = f(c);
    return [...m].length === 1 ? m : c;
  }).join('');
export const goToUpper = (s: string): string => mapRunes(s, (c) => c.toUpperCase());
export const goToLower = (s: string): string => mapRunes(s, (c) => c.toLowerCase());

/**
 * cases.Title(language.Und, cases.NoLower): upper-case the first letter of
 * each word, leave the rest. Words are runs of letters, marks, digits, "_"
 * and inner apostrophes (an approximation of Unicode word breaking).
 */
export function goToTitle(s: string): string {
  return s.replace(/[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}_]+)*/gu, (w) => {
    const first = [...w][0]!;
    const up = first.toUpperCase();
    return ([...up].length === 1 ? up : first) + w.slice(first.length);
  });
}

/** Go's base64 decoding: strict padding, no whitespace. */
function decodeBase64(name: string, s: string, url: boolean): string {
  const alphabet = url ? /^[A-Za-z0-9\-_]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  const bad = (at: number) => new Error(`${name}: illegal base64 data at input byte ${at}`);
  if (!alphabet.test(s) || s.length % 4 !== 0) {
    const firstBad = [...s].findIndex((c) => !(url ? /[A-Za-z0-9\-_]/ : /[A-Za-z0-9+/]/).test(c));
    throw bad(s.length % 4 !== 0 && (firstBad < 0 || firstBad >= s.length - (s.length % 4)) ? s.length - (s.length % 4) : Math.max(firstBad, 0));
  }
  return Buffer.from(s, url ? 'base64url' : 'base64').toString('utf8');
}

export function stringFuncs(): Record<string, TemplateFunc> {
  return {
    base64Decode: fn('base64Decode', ['string'], (s: string) => decodeBase64('base64Decode', s, false)),
    base64Encode: fn('base64Encode', ['string'], (s: string) => Buffer.from(s, 'utf8').toString('base64')),
    base64URLDecode: fn('base64URLDecode', ['string'], (s: string) => decodeBase64('base64URLDecode', s, true)),
    // Go's URLEncoding keeps the "=" padding that Node's base64url drops.
    base64URLEncode: fn('base64URLEncode', ['string'], (s: string) => Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_')),
    join: fn('join', ['string', 'strings'], (sep: string, a: string[] | null) => (a ?? []).join(sep)),
    trim: fn('trim', ['string', 'string'], (cutset: string, s: string) => goTrim(s, cutset)),
    trimPrefix: fn('trimPrefix', ['string', 'string'], (p: string, s: string) => (p !== '' && s.startsWith(p) ? s.slice(p.length) : s)),
    trimSuffix: fn('trimSuffix', ['string', 'string'], (p: string, s: string) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
    trimSpace: fn('trimSpace', ['string'], goTrimSpace),
    replaceAll: fn('replaceAll', ['string', 'string', 'string'], (f: string, t: string, s: string) =>
      f === '' ? [...s].map((c) => t + c).join('') + t : s.split(f).join(t)),
    regexReplaceAll: fn('regexReplaceAll', ['string', 'string', 'string'], (re: string, pl: string, s: string) =>
      goReplaceAll(compileGoRegexp(re, true), s, pl)),
    regexMatch: fn('regexMatch', ['string', 'string'], (re: string, s: string) => compileGoRegexp(re).test(s)),
    split: fn('split', ['string', 'string'], (sep: string, s: string) => {
      const t = goTrimSpace(s);
      return t === '' ? [] : goSplit(t, sep);
    }),
    splitToMap: fn('splitToMap', ['string', 'string', 'string'], (sep1: string, sep2: string, s: string) => {
      const out: Record<string, string> = {};
      const t = goTrimSpace(s);
      if (t === '') return out;
      for (const part of goSplit(t, sep1)) {
        const at = part.indexOf(sep2);
        if (at < 0) continue;
        out[part.slice(0, at)] = part.slice(at + sep2.length);
      }
      return out;
    }),
    toLower: fn('toLower', ['string'], goToLower),
    toUpper: fn('toUpper', ['string'], goToUpper),
    toTitle: fn('toTitle', ['string'], goToTitle),
    sha256Hex: fn('sha256Hex', ['string'], (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')),
    md5sum: fn('md5sum', ['string'], (s: string) => createHash('md5').update(s, 'utf8').digest('hex')),
    hmacSHA256Hex: fn('hmacSHA256Hex', ['string', 'string'], (message: string, key: string) =>
      createHmac('sha256', key).update(message, 'utf8').digest('hex')),
  };
}
