// The lexer of Go's text/template: the same token kinds, the same trim-marker
// rules and the same error texts, so the parser can report what Go reports.
// Positions are string indices (UTF-16); error columns are turned into Go's
// byte columns only when a message is built (see errors.ts).

export const T = {
  Error: 0,
  Bool: 1,
  Char: 2, // printable ASCII character inside an action: grab bag for comma etc.
  CharConstant: 3,
  Comment: 4,
  Complex: 5,
  Assign: 6, // =
  Declare: 7, // :=
  EOF: 8,
  Field: 9,
  Identifier: 10,
  LeftDelim: 11,
  LeftParen: 12,
  Number: 13,
  Pipe: 14,
  RawString: 15,
  RightDelim: 16,
  RightParen: 17,
  Space: 18,
  String: 19,
  Text: 20,
  Variable: 21,
  // Keywords: everything above Keyword prints as <word> in errors.
  Keyword: 30,
  Block: 31,
  Break: 32,
  Continue: 33,
  Dot: 34,
  Define: 35,
  Else: 36,
  End: 37,
  If: 38,
  Nil: 39,
  Range: 40,
  Template: 41,
  With: 42,
} as const;
export type TokenType = (typeof T)[keyof typeof T];

export interface Token {
  readonly typ: TokenType;
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

const KEYWORDS: Readonly<Record<string, TokenType>> = {
  '.': T.Dot,
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

const EOF = -1;

/** Go's %#U: U+0023 '#'. */
export function runeU(r: number): string {
  const hex = r.toString(16).toUpperCase().padStart(4, '0');
  return isPrintRune(r) ? `U+${hex} '${String.fromCodePoint(r)}'` : `U+${hex}`;
}

const PRINT_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintRune(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  return PRINT_RE.test(String.fromCodePoint(r));
}

const ALNUM_RE = /^[\p{L}\p{Nd}_]$/u;
function isAlphaNumeric(r: number): boolean {
  if (r < 0x80) {
    return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  }
  return r !== EOF && ALNUM_RE.test(String.fromCodePoint(r));
}

function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}
const SPACE_CHARS = ' \t\r\n';

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s[at] === '-' && isSpace(s.charCodeAt(at + 1));
}
function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s.charCodeAt(at)) && s[at + 1] === '-';
}
function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

type StateFn = ((l: Lexer) => StateFn) | null;

/** Scans the whole input into tokens; the last one is EOF or Error. */
export function lex(input: string, leftDelim: string, rightDelim: string, breakOK: boolean, continueOK: boolean): Token[] {
  const l = new Lexer(input, leftDelim || '{{', rightDelim || '}}', breakOK, continueOK);
  let state: StateFn = lexText;
  while (state !== null) state = state(l);
  return l.items;
}

class Lexer {
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  line = 1;
  startLine = 1;
  readonly items: Token[] = [];
  constructor(
    readonly input: string,
    readonly leftDelim: string,
    readonly rightDelim: string,
    readonly breakOK: boolean,
    readonly continueOK: boolean,
  ) {}

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 10) this.line++;
    return r;
  }
  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }
  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const c = this.input.charCodeAt(this.pos - 1);
      this.pos -= c >= 0xdc00 && c <= 0xdfff && this.pos >= 2 ? 2 : 1;
      if (c === 10) this.line--;
    }
  }
  emit(typ: TokenType): void {
    this.items.push({ typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine });
    this.start = this.pos;
    this.startLine = this.line;
  }
  ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }
  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }
  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }
  errorf(msg: string): StateFn {
    this.items.push({ typ: T.Error, pos: this.start, val: msg, line: this.startLine });
    return null;
  }
  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + 2)) {
      return { delim: true, trimSpaces: true };
    }
    if (this.input.startsWith(this.rightDelim, this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 46: // .
      case 44: // ,
      case 124: // |
      case 58: // :
      case 41: // )
      case 40: // (
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }
}

function lexText(l: Lexer): StateFn {
  const x = l.input.indexOf(l.leftDelim, l.pos);
  if (x >= 0) {
    const ldn = l.leftDelim.length;
    l.pos = x;
    let trimLength = 0;
    if (hasLeftTrimMarker(l.input, l.pos + ldn)) {
      let i = l.pos;
      while (i > l.start && SPACE_CHARS.includes(l.input[i - 1]!)) i--;
      trimLength = l.pos - i;
    }
    l.pos -= trimLength;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input, l.start, l.pos);
      l.emit(T.Text);
    }
    l.pos += trimLength;
    l.ignore();
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input, l.start, l.pos);
    l.emit(T.Text);
  }
  l.emit(T.EOF);
  return null;
}

function leftTrimLength(s: string, at: number): number {
  let i = at;
  while (i < s.length && SPACE_CHARS.includes(s[i]!)) i++;
  return i - at;
}

function lexLeftDelim(l: Lexer): StateFn {
  l.pos += l.leftDelim.length;
  const trimSpace = hasLeftTrimMarker(l.input, l.pos);
  const afterMarker = trimSpace ? 2 : 0;
  if (l.input.startsWith('/*', l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  l.emit(T.LeftDelim);
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): StateFn {
  l.pos += 2;
  const i = l.input.indexOf('*/', l.pos);
  if (i < 0) return l.errorf('unclosed comment');
  l.pos = i + 2;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  if (trimSpaces) l.pos += 2;
  l.pos += l.rightDelim.length;
  if (trimSpaces) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const trimSpace = hasRightTrimMarker(l.input, l.pos);
  if (trimSpace) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += l.rightDelim.length;
  l.emit(T.RightDelim);
  if (trimSpace) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): StateFn {
  const { delim } = l.atRightDelim();
  if (delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup(); // Put space back in case we have " -}}".
    return lexSpace;
  }
  switch (r) {
    case 61: // =
      l.emit(T.Assign);
      return lexInsideAction;
    case 58: // :
      if (l.next() !== 61) return l.errorf('expected :=');
      l.emit(T.Declare);
      return lexInsideAction;
    case 124:
      l.emit(T.Pipe);
      return lexInsideAction;
    case 34:
      return lexQuote;
    case 96:
      return lexRawQuote;
    case 36:
      return lexVariable;
    case 39:
      return lexChar;
    case 40:
      l.emit(T.LeftParen);
      l.parenDepth++;
      return lexInsideAction;
    case 41:
      l.emit(T.RightParen);
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${runeU(r)}`);
      return lexInsideAction;
  }
  if (r === 46) {
    // special look-ahead for ".field" so we don't break backup().
    if (l.pos < l.input.length) {
      const c = l.input.charCodeAt(l.pos);
      if (c < 48 || c > 57) return lexField;
    }
    l.backup();
    return lexNumber;
  }
  if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r < 0x80 && isPrintRune(r)) {
    l.emit(T.Char);
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${runeU(r)}`);
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  // A trim-marked closing delimiter starts with a space: leave it for lexRightDelim.
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(l.rightDelim, l.pos - 1 + 2)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  l.emit(T.Space);
  return lexInsideAction;
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${runeU(r)}`);
    const kw = Object.prototype.hasOwnProperty.call(KEYWORDS, word) ? KEYWORDS[word] : undefined;
    if (kw !== undefined && kw > T.Keyword) {
      if ((kw === T.Break && !l.breakOK) || (kw === T.Continue && !l.continueOK)) l.emit(T.Identifier);
      else l.emit(kw);
    } else if (word[0] === '.') {
      l.emit(T.Field);
    } else if (word === 'true' || word === 'false') {
      l.emit(T.Bool);
    } else {
      l.emit(T.Identifier);
    }
    return lexInsideAction;
  }
}

function lexField(l: Lexer): StateFn {
  return lexFieldOrVariable(l, T.Field);
}

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) {
    l.emit(T.Variable);
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, T.Variable);
}

function lexFieldOrVariable(l: Lexer, typ: TokenType): StateFn {
  if (l.atTerminator()) {
    l.emit(typ === T.Variable ? T.Variable : T.Dot);
    return lexInsideAction;
  }
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${runeU(r)}`);
  l.emit(typ);
  return lexInsideAction;
}

function lexChar(l: Lexer): StateFn {
  for (;;) {
    let r = l.next();
    if (r === 92) {
      r = l.next();
      if (r !== EOF && r !== 10) continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF || r === 10) return l.errorf('unterminated character constant');
    if (r === 39) break;
  }
  l.emit(T.CharConstant);
  return lexInsideAction;
}

function lexNumber(l: Lexer): StateFn {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${quoteGo(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 43 || sign === 45) {
    // Complex: 1+2i. No spaces, must end in 'i'.
    if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${quoteGo(l.input.slice(l.start, l.pos))}`);
    }
    l.emit(T.Complex);
  } else {
    l.emit(T.Number);
  }
  return lexInsideAction;
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    let r = l.next();
    if (r === 92) {
      r = l.next();
      if (r !== EOF && r !== 10) continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF || r === 10) return l.errorf('unterminated quoted string');
    if (r === 34) break;
  }
  l.emit(T.String);
  return lexInsideAction;
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf('unterminated raw quoted string');
    if (r === 96) break;
  }
  l.emit(T.RawString);
  return lexInsideAction;
}

/** strconv.Quote. */
export function quoteGo(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    out += quoteRune(r, 34, asciiOnly);
  }
  return out + '"';
}

/** One rune as it appears inside a Go quoted literal delimited by `quote`. */
export function quoteRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 92) return '\\' + String.fromCharCode(r);
  if (asciiOnly ? r < 0x80 && isPrintRune(r) : isPrintRune(r)) return String.fromCodePoint(r);
  switch (r) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + r.toString(16).padStart(2, '0');
  if (r >= 0xd800 && r <= 0xdfff) return '\\ufffd';
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0');
  return '\\U' + r.toString(16).padStart(8, '0');
}
