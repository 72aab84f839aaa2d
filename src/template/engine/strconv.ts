// The pieces of Go's strconv the parser needs: Unquote, UnquoteChar and the
// base-0 number syntax (0x, 0o, 0b, leading-0 octal, underscores, hex floats).

export class SyntaxError_ extends Error {}

const INVALID = 'invalid syntax';

/** strconv.UnquoteChar: one (possibly escaped) character from s at i. */
export function unquoteChar(s: string, i: number, quote: string): { r: number; next: number } {
  const c = s.codePointAt(i);
  if (c === undefined) throw new SyntaxError_(INVALID);
  const ch = String.fromCodePoint(c);
  if (ch === quote && (quote === "'" || quote === '"')) throw new SyntaxError_(INVALID);
  if (ch !== '\\') return { r: c, next: i + ch.length };
  const e = s[i + 1];
  if (e === undefined) throw new SyntaxError_(INVALID);
  switch (e) {
    case 'a':
      return { r: 7, next: i + 2 };
    case 'b':
      return { r: 8, next: i + 2 };
    case 'f':
      return { r: 12, next: i + 2 };
    case 'n':
      return { r: 10, next: i + 2 };
    case 'r':
      return { r: 13, next: i + 2 };
    case 't':
      return { r: 9, next: i + 2 };
    case 'v':
      return { r: 11, next: i + 2 };
    case '\\':
      return { r: 92, next: i + 2 };
    case "'":
    case '"':
      if (e !== quote) throw new SyntaxError_(INVALID);
      return { r: e.charCodeAt(0), next: i + 2 };
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new SyntaxError_(INVALID);
      const v = parseInt(hex, 16);
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) throw new SyntaxError_(INVALID);
      return { r: v, next: i + 2 + n };
    }
    default: {
      if (e >= '0' && e <= '7') {
        const oct = s.slice(i + 1, i + 4);
        if (!/^[0-7]{3}$/.test(oct)) throw new SyntaxError_(INVALID);
        const v = parseInt(oct, 8);
        if (v > 255) throw new SyntaxError_(INVALID);
        return { r: v, next: i + 4 };
      }
      throw new SyntaxError_(INVALID);
    }
  }
}

/** strconv.Unquote for "..." and `...` literals (the lexer guarantees the delimiters). */
export function unquote(q: string): string {
  if (q.length < 2) throw new SyntaxError_(INVALID);
  const quote = q[0]!;
  if (quote !== q[q.length - 1]) throw new SyntaxError_(INVALID);
  const body = q.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) throw new SyntaxError_(INVALID);
    return body.replace(/\r/g, '');
  }
  if (quote !== '"') throw new SyntaxError_(INVALID);
  if (!body.includes('\\') && !body.includes('"') && !body.includes('\n')) return body;
  let out = '';
  let bytes: number[] | null = null; // \x and octal escapes are bytes, not runes
  for (let i = 0; i < body.length; ) {
    if (body[i] === '\n') throw new SyntaxError_(INVALID);
    const isByte = body[i] === '\\' && (body[i + 1] === 'x' || (body[i + 1]! >= '0' && body[i + 1]! <= '7'));
    const { r, next } = unquoteChar(body, i, '"');
    if (isByte) {
      (bytes ??= []).push(r);
    } else {
      if (bytes) {
        out += Buffer.from(bytes).toString('utf8');
        bytes = null;
      }
      out += String.fromCodePoint(r);
    }
    i = next;
  }
  if (bytes) out += Buffer.from(bytes).toString('utf8');
  return out;
}

function underscoreOK(s: string): boolean {
  // Go's rule: underscores only between digits or after a base prefix.
  let saw = '^';
  let i = 0;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[bBoOxX]/.test(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt/ParseUint with base 0; null when the syntax is not an integer. */
export function parseIntBase0(text: string): bigint | null {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  let prefixed = false;
  if (s.length >= 2 && s[0] === '0') {
    const p = s[1]!.toLowerCase();
    if (p === 'x') [base, digits, prefixed] = [16, s.slice(2), true];
    else if (p === 'o') [base, digits, prefixed] = [8, s.slice(2), true];
    else if (p === 'b') [base, digits, prefixed] = [2, s.slice(2), true];
    else [base, digits] = [8, s.slice(1)];
  }
  if (digits.includes('_')) {
    if (!underscoreOK(text)) return null;
    digits = digits.replace(/_/g, '');
  }
  if (digits === '') return prefixed || base !== 8 ? null : 0n;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return null;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const v = BigInt(prefix + digits);
  return neg ? -v : v;
}

/** strconv.ParseFloat(s, 64); null on bad syntax or out of range. */
export function parseFloatGo(text: string): number | null {
  let s = text;
  if (s.includes('_')) {
    if (!underscoreOK(s)) return null;
    s = s.replace(/_/g, '');
  }
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  let v: number;
  const hex = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (hex) {
    const int = hex[1] ?? '';
    const frac = hex[2] ?? '';
    if (int === '' && frac === '') return null;
    const mant = BigInt('0x' + (int + frac || '0'));
    v = Number(mant) * Math.pow(2, Number(hex[3]) - 4 * frac.length);
  } else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    v = Number(s);
  } else {
    return null;
  }
  if (!Number.isFinite(v)) return null;
  return sign * v;
}
