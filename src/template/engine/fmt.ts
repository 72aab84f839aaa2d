// Go's fmt for the values of values.ts: Sprint, Sprintln, Sprintf with the
// verbs, flags, widths, precisions and error forms ("%!d(string=x)",
// "%!d(MISSING)", "%!(EXTRA ...)") Go prints.

import { isPrintRune, quoteGo, quoteRune } from './lex.js';
import { Complex128, intValue, isNil, K, kindOf, num, sortedEntries, stringerOf, structFields, typeName } from './values.js';

class Flags {
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  widPresent = false;
  precPresent = false;
  wid = 0;
  prec = 0;
  clear(): void {
    this.plus = this.minus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = this.widPresent = this.precPresent = false;
    this.wid = this.prec = 0;
  }
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

class Printer {
  buf = '';
  readonly f = new Flags();
  private erroring = false;

  // ---- padding ----
  private padding(n: number): string {
    return n > 0 ? (this.f.zero ? '0' : ' ').repeat(n) : '';
  }
  pad(s: string): void {
    const f = this.f;
    if (!f.widPresent || f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = f.wid - runeCount(s);
    if (!f.minus) this.buf += this.padding(width) + s;
    else this.buf += s + this.padding(width);
  }
  private padNoZero(s: string): void {
    const z = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = z;
  }

  // ---- top level ----
  printArg(arg: unknown, verb: string): void {
    if (isNil(arg)) {
      if (verb === 'T' || verb === 'v') this.padNoZeroIfNeeded('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      this.pad(typeName(arg));
      return;
    }
    if (verb === 'p') {
      this.badVerb(verb, arg);
      return;
    }
    this.printValue(arg, verb, 0);
  }

  private padNoZeroIfNeeded(s: string): void {
    this.pad(s);
  }

  private handleMethods(v: unknown, verb: string): boolean {
    if (this.erroring) return false;
    const s = stringerOf(v);
    if (s === null) return false;
    if (this.f.sharpV) return false;
    if (verb === 'v' || verb === 's' || verb === 'x' || verb === 'X' || verb === 'q') {
      let str: string;
      try {
        str = s();
      } catch (e) {
        this.buf += `%!${verb}(PANIC=String method: ${e instanceof Error ? e.message : String(e)})`;
        return true;
      }
      this.fmtString(str, verb, v);
      return true;
    }
    return false;
  }

  printValue(v: unknown, verb: string, depth: number): void {
    if (isNil(v)) {
      if (depth > 0) this.pad(this.f.sharpV ? 'interface {}(nil)' : '<nil>');
      else if (verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, v);
      return;
    }
    switch (kindOf(v)) {
      case K.Bool:
        if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
        else this.badVerb(verb, v);
        return;
      case K.Int:
        this.fmtInteger(v as number | bigint, verb);
        return;
      case K.Float:
        this.fmtFloatVerb(num(v), verb, v);
        return;
      case K.String:
        this.fmtString(v as string, verb, v);
        return;
      case K.Complex:
        this.fmtComplex(v as Complex128, verb);
        return;
      default:
        break;
    }
    if (this.handleMethods(v, verb)) return;
    switch (kindOf(v)) {
      case K.Slice: {
        // %#v is Go syntax: []interface {}{1, 2}
        const sep = this.f.sharpV ? ', ' : ' ';
        this.buf += this.f.sharpV ? typeName(v) + '{' : '[';
        const a = v as unknown[];
        for (let i = 0; i < a.length; i++) {
          if (i > 0) this.buf += sep;
          this.printValue(a[i], verb, depth + 1);
        }
        this.buf += this.f.sharpV ? '}' : ']';
        return;
      }
      case K.Map: {
        const sep = this.f.sharpV ? ', ' : ' ';
        this.buf += this.f.sharpV ? typeName(v) + '{' : 'map[';
        let i = 0;
        for (const [k, val] of sortedEntries(v)) {
          if (i++ > 0) this.buf += sep;
          this.printValue(k, verb, depth + 1);
          this.buf += ':';
          this.printValue(val, verb, depth + 1);
        }
        this.buf += this.f.sharpV ? '}' : ']';
        return;
      }
      case K.Func:
        this.pad('0x0');
        return;
      default: {
        this.buf += this.f.sharpV ? typeName(v) + '{' : '{';
        let i = 0;
        for (const [name, val] of structFields(v)) {
          if (i++ > 0) this.buf += this.f.sharpV ? ', ' : ' ';
          if (this.f.plusV || this.f.sharpV) this.buf += name + ':';
          this.printValue(val, verb, depth + 1);
        }
        this.buf += '}';
      }
    }
  }

  badVerb(verb: string, arg: unknown): void {
    this.erroring = true;
    this.buf += '%!' + verb + '(';
    if (!isNil(arg)) {
      this.buf += typeName(arg) + '=';
      this.printArg(arg, 'v');
    } else {
      this.buf += '<nil>';
    }
    this.buf += ')';
    this.erroring = false;
  }

  // ---- integers ----
  private fmtInteger(v: number | bigint, verb: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        return this.fmtInt(v, 10, verb, false);
      case 'b':
        return this.fmtInt(v, 2, verb, false);
      case 'o':
      case 'O':
        return this.fmtInt(v, 8, verb, false);
      case 'x':
        return this.fmtInt(v, 16, verb, false);
      case 'X':
        return this.fmtInt(v, 16, verb, true);
      case 'c':
        return this.pad(runeString(intValue(v)));
      case 'q':
        return this.pad(quoteRuneLiteral(intValue(v), this.f.plus));
      case 'U':
        return this.fmtUnicode(intValue(v));
      default:
        return this.badVerb(verb, v);
    }
  }

  private fmtInt(v: number | bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f;
    const big = BigInt(v);
    const negative = big < 0n;
    let digits = (negative ? -big : big).toString(base);
    if (upper) digits = digits.toUpperCase();
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && big === 0n) {
        const z = f.zero;
        f.zero = false;
        this.buf += this.padding(f.wid);
        f.zero = z;
        return;
      }
    } else if (f.zero && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = '0b' + digits;
      else if (base === 8 && digits[0] !== '0') digits = '0' + digits;
      else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = '0o' + digits;
    if (negative) digits = '-' + digits;
    else if (f.plus) digits = '+' + digits;
    else if (f.space) digits = ' ' + digits;
    this.padNoZero(digits);
  }

  private fmtUnicode(r: number): void {
    const f = this.f;
    let hex = (r < 0 ? BigInt.asUintN(64, BigInt(r)) : r).toString(16).toUpperCase();
    const prec = f.precPresent && f.prec > 4 ? f.prec : 4;
    if (hex.length < prec) hex = '0'.repeat(prec - hex.length) + hex;
    let s = 'U+' + hex;
    if (f.sharp && r >= 0 && r <= 0x10ffff && isPrintRune(r)) s += " '" + String.fromCodePoint(r) + "'";
    this.padNoZero(s);
  }

  // ---- floats ----
  private fmtFloatVerb(v: number, verb: string, orig: unknown): void {
    switch (verb) {
      case 'v':
        return this.fmtFloat(v, 'g', -1);
      case 'g':
      case 'G':
      case 'x':
      case 'X':
      case 'b':
        return this.fmtFloat(v, verb, -1);
      case 'f':
      case 'F':
      case 'e':
      case 'E':
        return this.fmtFloat(v, verb, 6);
      default:
        return this.badVerb(verb, orig);
    }
  }

  private fmtComplex(c: Complex128, verb: string): void {
    if (!'vbgGxXfFeE'.includes(verb)) return this.badVerb(verb, c);
    const plus = this.f.plus;
    this.buf += '(';
    this.fmtFloatVerb(c.re, verb, c);
    this.f.plus = true; // the imaginary part always has a sign
    this.fmtFloatVerb(c.im, verb, c);
    this.buf += 'i)';
    this.f.plus = plus;
  }

  private fmtFloat(v: number, verb: string, precIn: number): void {
    const f = this.f;
    const prec = f.precPresent ? f.prec : precIn;
    let num = formatFloat(v, verb, prec);
    num = num[0] === '-' || num[0] === '+' ? num : '+' + num;
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.padNoZero(num);
      return;
    }
    if (f.sharp && verb !== 'b') num = sharpFloat(num, verb, prec);
    if (f.plus || num[0] !== '+') {
      if (f.zero && f.widPresent && f.wid > num.length) {
        this.buf += num[0] + '0'.repeat(f.wid - num.length) + num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ---- strings ----
  fmtString(s: string, verb: string, arg: unknown): void {
    const f = this.f;
    switch (verb) {
      case 'v':
        if (f.sharpV) return this.pad(quoteGo(s));
        return this.fmtS(s);
      case 's':
        return this.fmtS(s);
      case 'x':
      case 'X':
        return this.fmtSx(s, verb === 'X');
      case 'q': {
        const t = this.truncate(s);
        if (f.sharp && canBackquote(t)) return this.pad('`' + t + '`');
        return this.pad(quoteGo(t, f.plus));
      }
      default:
        return this.badVerb(verb, arg);
    }
  }
  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    return Array.from(s).slice(0, this.f.prec).join('');
  }
  private fmtS(s: string): void {
    this.pad(this.truncate(s));
  }
  private fmtSx(s: string, upper: boolean): void {
    const f = this.f;
    let bytes = Buffer.from(s, 'utf8');
    if (f.precPresent && f.prec < bytes.length) bytes = bytes.subarray(0, f.prec);
    if (bytes.length === 0) {
      const z = f.zero;
      f.zero = false;
      this.buf += this.padding(f.wid);
      f.zero = z;
      return;
    }
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      if (f.space && i > 0) out += ' ';
      if (f.sharp && (f.space || i === 0)) out += upper ? '0X' : '0x';
      const h = bytes[i]!.toString(16).padStart(2, '0');
      out += upper ? h.toUpperCase() : h;
    }
    this.pad(out);
  }
}

function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r === 96 || r === 0xfeff) return false;
    if (r < 0x20 && r !== 9) return false;
    if (r === 0x7f) return false;
  }
  return true;
}

function runeString(r: number): string {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(r);
}

function quoteRuneLiteral(r: number, ascii: boolean): string {
  const rr = r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) ? 0xfffd : r;
  return "'" + quoteRune(rr, 39, ascii) + "'";
}

// ---- float formatting (strconv.FormatFloat) ----

interface Dec {
  d: string; // significant digits, no leading or trailing zeros ("" for zero)
  dp: number; // decimal point position: value = 0.d × 10^dp
}

function shortestDec(v: number): Dec {
  if (v === 0) return { d: '', dp: 0 };
  const [m, e] = v.toExponential().split('e') as [string, string];
  const d = m.replace('.', '').replace(/0+$/, '');
  return { d, dp: Number(e) + 1 };
}

function exactDec(v: number): Dec {
  if (v === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (mant << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e)).toString();
    dp = s.length + e;
  }
  return { d: s.replace(/0+$/, ''), dp };
}

/** Rounds to nd significant digits, half to even (Go's decimal.Round). */
function roundDec(x: Dec, nd: number): Dec {
  if (nd < 0 || nd >= x.d.length) return x;
  const d = x.d;
  const up = d[nd] === '5' && nd + 1 === d.length ? nd > 0 && (d.charCodeAt(nd - 1) - 48) % 2 === 1 : d[nd]! >= '5';
  if (up) {
    let i = nd - 1;
    while (i >= 0 && d[i] === '9') i--;
    if (i < 0) return { d: '1', dp: x.dp + 1 };
    return { d: d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1), dp: x.dp };
  }
  return { d: d.slice(0, nd).replace(/0+$/, ''), dp: x.dp };
}

function fmtE(neg: boolean, x: Dec, prec: number, ch: string): string {
  let out = neg ? '-' : '';
  out += x.d.length === 0 ? '0' : x.d[0];
  if (prec > 0) {
    out += '.';
    let i = 1;
    const m = Math.min(x.d.length, prec + 1);
    if (i < m) {
      out += x.d.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) out += '0';
  }
  out += ch;
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else out += '+';
  return out + (exp < 10 ? '0' + exp : String(exp));
}

function fmtF(neg: boolean, x: Dec, prec: number): string {
  let out = neg ? '-' : '';
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    out += x.d.slice(0, m) + '0'.repeat(x.dp - m);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      out += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return out;
}

/** strconv.FormatFloat(v, verb, prec, 64) for verbs e E f F g G. */
export function formatFloat(v: number, verb: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  if (verb === 'x' || verb === 'X' || verb === 'b') return (neg ? '-' : '') + formatBinaryFloat(a, verb, prec);
  const shortest = prec < 0;
  let x: Dec;
  let p = prec;
  const lower = verb.toLowerCase();
  if (shortest) {
    x = shortestDec(a);
    if (lower === 'e') p = Math.max(x.d.length - 1, 0);
    else if (lower === 'f') p = Math.max(x.d.length - x.dp, 0);
    else p = x.d.length;
  } else {
    x = exactDec(a);
    if (lower === 'e') x = roundDec(x, p + 1);
    else if (lower === 'f') x = roundDec(x, x.dp + p);
    else {
      if (p === 0) p = 1;
      x = roundDec(x, p);
    }
  }
  switch (lower) {
    case 'e':
      return fmtE(neg, x, p, verb === 'E' ? 'E' : 'e');
    case 'f':
      return fmtF(neg, x, p);
    default: {
      let eprec = p;
      if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
      if (shortest) eprec = 6;
      const exp = x.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (p > x.d.length) p = x.d.length;
        return fmtE(neg, x, p - 1, verb === 'G' ? 'E' : 'e');
      }
      if (p > x.dp) p = x.d.length;
      return fmtF(neg, x, Math.max(p - x.dp, 0));
    }
  }
}

/** strconv's 'x' (hex mantissa, binary exponent) and 'b' (integer mantissa) forms of a |v|. */
function formatBinaryFloat(a: number, verb: string, prec: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp -= 1023;
  if (verb === 'b') {
    const e = exp - 52;
    return `${mant}p${e >= 0 ? '+' : '-'}${Math.abs(e)}`;
  }
  if (mant === 0n) exp = 0;
  mant <<= 8n; // leading 1 at bit 60
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const digits = verb === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = '0' + verb + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += verb === 'X' ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  const e = Math.abs(exp);
  return out + (e < 10 ? '0' + e : String(e));
}

function sharpFloat(num: string, verb: string, prec: number): string {
  // Go's %#e/%#f/%#g/%#x: keep a decimal point, and for g and x pad to the precision.
  let digits = 0;
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
  let tail = '';
  let body = num;
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i]!;
    if (c === '.') {
      hasPoint = true;
      continue;
    }
    if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    }
    if (c !== '0') sawNonzero = true;
    if (sawNonzero) digits--;
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  while (digits > 0) {
    body += '0';
    digits--;
  }
  return body + tail;
}

// ---- public entry points ----

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    p.f.clear();
    p.printArg(a, 'v');
    prevString = isString;
  }
  return p.buf;
}

/** fmt.Sprintln: spaces always, newline at the end. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  for (let i = 0; i < args.length; i++) {
    if (i > 0) p.buf += ' ';
    p.f.clear();
    p.printArg(args[i], 'v');
  }
  return p.buf + '\n';
}

/** fmt.Sprint of one value, the way an action prints it. */
export function printOne(v: unknown): string {
  if (typeof v === 'string') return v;
  const p = new Printer();
  p.printArg(v, 'v');
  return p.buf;
}

function parsenum(s: string, start: number, end: number): { num: number; ok: boolean; next: number } {
  let num = 0;
  let ok = false;
  let i = start;
  for (; i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (num > 1e6) return { num: 0, ok: false, next: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    ok = true;
  }
  return { num, ok, next: i };
}

/** fmt.Sprintf. */
export function sprintf(format: string, a: readonly unknown[]): string {
  const p = new Printer();
  const f = p.f;
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (i: number): number => {
    afterIndex = false;
    if (i >= end || format[i] !== '[') return i;
    reordered = true;
    let wid = 1;
    let ok = false;
    let index = 0;
    if (end - i >= 3) {
      for (let j = i + 1; j < end; j++) {
        if (format[j] === ']') {
          const n = parsenum(format, i + 1, j);
          wid = j - i + 1;
          if (n.ok && n.next === j) {
            ok = true;
            index = n.num - 1;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < a.length) {
      argNum = index;
      afterIndex = true;
      return i + wid;
    }
    goodArgNum = false;
    afterIndex = ok;
    return i + wid;
  };
  const intFromArg = (): { num: number; isInt: boolean } => {
    if (argNum >= a.length) return { num: 0, isInt: false };
    const v = a[argNum++];
    if (kindOf(v) === K.Int) {
      const n = intValue(v);
      if (Math.abs(n) > 1e6) return { num: 0, isInt: false };
      return { num: n, isInt: true };
    }
    return { num: 0, isInt: false };
  };

  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    f.clear();
    simple: for (; i < end; i++) {
      const c = format[i]!;
      switch (c) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          if (c >= 'a' && c <= 'z' && argNum < a.length) {
            if (c === 'v') {
              f.sharpV = f.sharp;
              f.sharp = false;
              f.plusV = f.plus;
              f.plus = false;
            }
            p.printArg(a[argNum], c);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    i = argNumber(i);
    if (i < end && format[i] === '*') {
      i++;
      const r = intFromArg();
      f.wid = r.num;
      f.widPresent = r.isInt;
      if (!f.widPresent) p.buf += '%!(BADWIDTH)';
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const n = parsenum(format, i, end);
      f.wid = n.num;
      f.widPresent = n.ok;
      i = n.next;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      i = argNumber(i);
      if (i < end && format[i] === '*') {
        i++;
        const r = intFromArg();
        f.prec = r.num;
        f.precPresent = r.isInt;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const n = parsenum(format, i, end);
        f.prec = n.num;
        f.precPresent = n.ok;
        i = n.next;
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }
    if (!afterIndex) i = argNumber(i);
    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') p.buf += '%';
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`;
    else if (argNum >= a.length) p.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      p.printArg(a[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    f.clear();
    p.buf += '%!(EXTRA ';
    for (let j = argNum; j < a.length; j++) {
      if (j > argNum) p.buf += ', ';
      const arg = a[j];
      if (isNil(arg)) p.buf += '<nil>';
      else {
        p.buf += typeName(arg) + '=';
        p.printArg(arg, 'v');
      }
    }
    p.buf += ')';
  }
  return p.buf;
}
