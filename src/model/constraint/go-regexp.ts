/**
 * Go (RE2) regular expressions run on JavaScript's engine. Nomad compiles a
 * `regexp` constraint with Go's regexp package; JS differs, so the pattern is
 * translated (always with the u flag) and what RE2 refuses is refused here
 * too, with Go's error text:
 * - translated: `.` (Go excludes only \n; JS also \r, U+2028/9), `\s`/`\S`
 *   (ASCII in Go), `\A`, `\z`, `\Q…\E`, `(?P<name>…)`, octal `\101`,
 *   `\x{…}`, POSIX classes `[[:alpha:]]`, Unicode classes `\pL`,
 *   `\p{Greek}`, `\P{Lu}`, leading flag groups `(?i)`, `(?s)`, `(?m)`,
 *   literal braces that are no repeat (`a{,3}`), `]` first in a class,
 *   escaped punctuation;
 * - refused as RE2 does: back-references `\1`, look-ahead `(?=` `(?!`,
 *   look-behind (Go reads `(?<=` as a bad named capture), `\Z`, nested
 *   repetition `a**`, a repeat with nothing before it, unbalanced parentheses
 *   and brackets, repeat counts over 1000, reversed ranges `[z-a]`;
 * - refused by drover (RE2 has them, JS on Node 20 cannot express them):
 *   flag groups other than at the start (or right after a leading `^`),
 *   scoped ones `(?i:…)`, `(?U)`, negated POSIX classes `[[:^digit:]]`,
 *   `\p{Any}`, a repeated assertion (`^*`).
 * Matching is leftmost-first in both engines, so `MatchString` agrees.
 * Checked against Go's regexp package (go run on this machine) for the cases
 * in go-regexp.test.ts.
 */

export type GoRegexp = { readonly ok: true; readonly re: RegExp } | { readonly ok: false; readonly error: string };

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const GO_SPACE = '\\t\\n\\f\\r ';
const REPEAT = /^\{(\d+)(,(\d*))?\}/;

/** regexp.Compile; the error text is Go's ("error parsing regexp: missing closing ): `(a`") for the cases RE2 rejects. */
export function compileGoRegexp(pattern: string): GoRegexp {
  const fail = (code: string, expr: string): GoRegexp => ({ ok: false, error: `error parsing regexp: ${code}: \`${expr}\`` });
  let flags = 'u';
  let i = 0;
  // Flags set for the whole pattern: at the start, or just after a leading ^ (which no flag changes).
  const lead = /^(\^?)\(\?([imsU]+)\)/.exec(pattern);
  let out = '';
  if (lead) {
    if (lead[2]?.includes('U')) return unsupported('the (?U) flag');
    flags += [...new Set(lead[2])].join('');
    i = lead[0].length;
    // A ^ written before (?m) still means start of text.
    out = lead[1] === '^' ? (flags.includes('m') ? '(?<![\\s\\S])' : '^') : '';
  }
  const dotAll = flags.includes('s');
  let depth = 0;
  /** Whether the last item can take a repeat, and whether it already is one. */
  let canRepeat = false;
  let lastRepeat = '';
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      const esc = translateEscape(pattern, i, false);
      if (!esc.ok) return esc.goCode ? fail(esc.goCode, esc.expr) : unsupported(esc.expr);
      out += esc.js;
      i = esc.next;
      canRepeat = true;
      lastRepeat = '';
      continue;
    }
    if (c === '[') {
      const cls = translateClass(pattern, i);
      if (!cls.ok) return cls.goCode ? fail(cls.goCode, cls.expr) : unsupported(cls.expr);
      out += cls.js;
      i = cls.next;
      canRepeat = true;
      lastRepeat = '';
      continue;
    }
    if (c === '(') {
      const rest = pattern.slice(i);
      if (rest.startsWith('(?=') || rest.startsWith('(?!')) return fail('invalid or unsupported Perl syntax', rest.slice(0, 3));
      if (rest.startsWith('(?<') || rest.startsWith('(?P<')) {
        // Go 1.22+: (?<name> and (?P<name>; anything else there (look-behind included) is an invalid named capture.
        const end = rest.indexOf('>');
        if (end < 0) return fail('invalid named capture', rest);
        const name = rest.slice(rest.startsWith('(?P') ? 4 : 3, end);
        if (!/^[A-Za-z0-9_]+$/.test(name)) return fail('invalid named capture', rest.slice(0, end + 1));
        out += `(?<${name}>`;
        i += end + 1;
      } else if (rest.startsWith('(?:')) {
        out += '(?:';
        i += 3;
      } else if (rest.startsWith('(?')) {
        return unsupported(`flag group ${rest.slice(0, rest.indexOf(')') + 1 || 3)} other than at the start`);
      } else {
        out += '(';
        i += 1;
      }
      depth++;
      canRepeat = false;
      lastRepeat = '';
      continue;
    }
    if (c === ')') {
      if (depth === 0) return fail('unexpected )', pattern);
      depth--;
      out += ')';
      i++;
      canRepeat = true;
      lastRepeat = '';
      continue;
    }
    if (c === '|') {
      out += '|';
      i++;
      canRepeat = false;
      lastRepeat = '';
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && REPEAT.test(pattern.slice(i)))) {
      let op = c;
      const brace = c === '{' ? REPEAT.exec(pattern.slice(i)) : null;
      if (brace) {
        op = brace[0];
        const min = Number(brace[1]);
        const max = brace[2] === undefined ? min : brace[3] === '' ? -1 : Number(brace[3]);
        if (min > 1000 || max > 1000 || (max !== -1 && max < min)) return fail('invalid repeat count', op);
      }
      let next = i + op.length;
      if (pattern[next] === '?') {
        op += '?';
        next++;
      }
      if (lastRepeat !== '') return fail('invalid nested repetition operator', lastRepeat + op);
      if (!canRepeat) return fail('missing argument to repetition operator', op);
      out += op;
      i = next;
      lastRepeat = op;
      continue;
    }
    lastRepeat = '';
    canRepeat = true;
    if (c === '.') out += dotAll ? '[\\s\\S]' : '[^\\n]';
    else if (c === '{' || c === '}' || c === ']') out += `\\${c}`;
    else out += c;
    i += c.length;
  }
  if (depth > 0) return fail('missing closing )', pattern);
  try {
    return { ok: true, re: new RegExp(out, flags) };
  } catch (err) {
    const message = (err as Error).message;
    if (/[Uu]nknown|[Ii]nvalid property name/.test(message) && /\\[pP]/.test(pattern)) return fail('invalid character class range', /\\[pP](\{[^}]*\}|.)/.exec(pattern)?.[0] ?? '');
    const range = /out of order/.test(message) ? reversedRange(pattern) : undefined;
    if (range) return fail('invalid character class range', range);
    return unsupported(`this pattern (${message})`);
  }
}

/** The first literal range written high-to-low ("z-a"), as Go names it. */
function reversedRange(p: string): string | undefined {
  for (const m of p.matchAll(/([^\\[\]])-([^\\\]])/g)) {
    const [all, a, b] = m;
    if (a !== undefined && b !== undefined && (a.codePointAt(0) ?? 0) > (b.codePointAt(0) ?? 0)) return all;
  }
  return undefined;
}

function unsupported(what: string): GoRegexp {
  return { ok: false, error: `error parsing regexp: ${what} is not supported by drover` };
}

type Piece = { ok: true; js: string; next: number } | { ok: false; goCode?: string; expr: string };

/** One escape at pattern[i] === '\\'; inClass changes what `\s` and friends become. */
function translateEscape(p: string, i: number, inClass: boolean): Piece {
  const e = p[i + 1];
  if (e === undefined) return { ok: false, goCode: 'trailing backslash at end of expression', expr: '' };
  const two = `\\${e}`;
  // \1-\7 followed by an octal digit is octal (\101 is "A"); alone, or \8 \9, it would be a back-reference, which RE2 lacks.
  if (/[89]/.test(e) || (/[1-7]/.test(e) && !/[0-7]/.test(p[i + 2] ?? ''))) return { ok: false, goCode: 'invalid escape sequence', expr: two };
  if (e === 'Q') {
    const end = p.indexOf('\\E', i + 2);
    const lit = p.slice(i + 2, end === -1 ? p.length : end);
    return { ok: true, js: [...lit].map(literal).join(''), next: end === -1 ? p.length : end + 2 };
  }
  if (e === 'A' && !inClass) return { ok: true, js: '^', next: i + 2 };
  if (e === 'z' && !inClass) return { ok: true, js: '$', next: i + 2 };
  if (e === 's') return { ok: true, js: inClass ? GO_SPACE : `[${GO_SPACE}]`, next: i + 2 };
  if (e === 'S') return inClass ? { ok: false, expr: '\\S inside a character class' } : { ok: true, js: `[^${GO_SPACE}]`, next: i + 2 };
  if ('dDwW'.includes(e) || (!inClass && 'bB'.includes(e)) || 'tnfrv'.includes(e)) return { ok: true, js: two, next: i + 2 };
  if (e === 'a') return { ok: true, js: '\\x07', next: i + 2 };
  if (e === '0' || /[0-7]/.test(e)) {
    const oct = /^[0-7]{1,3}/.exec(p.slice(i + 1))?.[0] ?? '0';
    return { ok: true, js: literal(String.fromCodePoint(parseInt(oct, 8))), next: i + 1 + oct.length };
  }
  if (e === 'x') {
    const m = /^x(\{([0-9A-Fa-f]+)\}|[0-9A-Fa-f]{2})/.exec(p.slice(i + 1));
    if (!m) return { ok: false, goCode: 'invalid escape sequence', expr: p.slice(i, i + 4) };
    const cp = parseInt(m[2] ?? m[1] ?? '', 16);
    if (cp > 0x10ffff) return { ok: false, goCode: 'invalid escape sequence', expr: `\\${m[0].slice(0, -1)}` };
    return { ok: true, js: literal(String.fromCodePoint(cp)), next: i + 1 + m[0].length };
  }
  if (e === 'p' || e === 'P') return unicodeClass(p, i, e);
  if (/[!-/:-@[-`{-~]/.test(e)) return { ok: true, js: literal(e), next: i + 2 };
  return { ok: false, goCode: 'invalid escape sequence', expr: two };
}

/** \pL, \p{Greek}, \p{^Lu}, \PN: Go's general categories and scripts, as JS's \p{…} / \p{Script=…}. */
function unicodeClass(p: string, i: number, e: string): Piece {
  const m = /^(\{(\^?)([A-Za-z_]+)\}|[A-Za-z])/.exec(p.slice(i + 2));
  if (!m) return { ok: false, goCode: 'invalid character class range', expr: p.slice(i, i + 3) };
  const name = m[3] ?? m[1] ?? '';
  if (name === 'Any') return { ok: false, expr: '\\p{Any}' };
  const negated = (e === 'P') !== (m[2] === '^');
  const prop = /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
  return { ok: true, js: `\\${negated ? 'P' : 'p'}{${prop}}`, next: i + 2 + m[0].length };
}

/** A literal character, escaped so the u-flag engine accepts it anywhere. */
function literal(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80 && /[^0-9A-Za-z_]/.test(ch)) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return ch;
}

/** A bracketed class at p[i] === '['. */
function translateClass(p: string, i: number): Piece {
  let j = i + 1;
  let js = '[';
  if (p[j] === '^') {
    js += '^';
    j++;
  }
  let first = true;
  while (j < p.length) {
    const c = p[j] ?? '';
    if (c === ']' && !first) return { ok: true, js: `${js}]`, next: j + 1 };
    first = false;
    if (c === '[' && p[j + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(j));
      const set = m ? POSIX[m[2] ?? ''] : undefined;
      if (m && set === undefined) return { ok: false, goCode: 'invalid character class range', expr: m[0] };
      if (m && set !== undefined) {
        if (m[1] === '^') return { ok: false, expr: 'a negated POSIX class inside brackets' };
        js += set;
        j += m[0].length;
        continue;
      }
    }
    if (c === '\\') {
      const esc = translateEscape(p, j, true);
      if (!esc.ok) return esc;
      js += esc.js;
      j = esc.next;
      continue;
    }
    js += c === '-' || /[0-9A-Za-z_]/.test(c) || (c.codePointAt(0) ?? 0) >= 0x80 ? c : literal(c);
    j += c.length;
  }
  return { ok: false, goCode: 'missing closing ]', expr: p.slice(i) };
}
