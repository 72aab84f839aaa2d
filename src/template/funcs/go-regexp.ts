/**
 * Go's regexp (RE2 syntax) on JavaScript's RegExp, for regexMatch and
 * regexReplaceAll. What RE2 accepts and JS spells differently is translated:
 * (?P<name>…), leading flags (?i) (?s) (?m), \A and \z, \Q…\E, POSIX classes
 * [[:alpha:]], \pL. What RE2 refuses (lookaround, backreferences) is refused
 * with Go's message. Not supported: flags in the middle of a pattern and the
 * ungreedy flag (?U), both refused with a clear message. \s and \w follow JS
 * (Unicode spaces count as \s) where RE2 is ASCII-only.
 */

const posix: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const escapeLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** Compiles a Go regexp; errors read as Go's "error parsing regexp: …". */
export function compileGoRegexp(re: string, global = false): RegExp {
  let flags = '';
  let src = re;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('U')) throw new Error('error parsing regexp: the ungreedy flag (?U) is not supported on drover');
    flags = [...new Set(lead[1])].join('');
    src = src.slice(lead[0].length);
  }
  let out = '';
  let unicode = false;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new Error('error parsing regexp: trailing backslash at end of expression: ``');
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += escapeLiteral(lit);
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (!inClass && n === 'A') { out += '(?<![\\s\\S])'; i++; continue; }
      if (!inClass && n === 'z') { out += '(?![\\s\\S])'; i++; continue; }
      if (/[1-9]/.test(n)) throw new Error(`error parsing regexp: invalid escape sequence: \`\\${n}\``);
      if (n === 'p' || n === 'P') {
        unicode = true;
        if (src[i + 2] === '{') {
          const end = src.indexOf('}', i + 3);
          out += `\\${n}{${src.slice(i + 3, end)}}`;
          i = end;
        } else {
          out += `\\${n}{${src[i + 2] ?? ''}}`;
          i += 2;
        }
        continue;
      }
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        if (m && posix[m[2]!] !== undefined) {
          if (m[1]) throw new Error(`error parsing regexp: negated POSIX class [:^${m[2]}:] is not supported on drover`);
          out += posix[m[2]!];
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ']' first in a class is a literal in RE2.
      if (src[i + 1] === '^') { out += '^'; i++; }
      if (src[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('P<')) { out += '(?<'; i += 3; continue; }
      if (rest.startsWith(':') ) { out += '(?:'; i += 2; continue; }
      if (/^(=|!|<=|<!)/.test(rest)) {
        throw new Error(`error parsing regexp: invalid or unsupported Perl syntax: \`(?${rest[0] === '<' ? rest.slice(0, 2) : rest[0]}\``);
      }
      if (rest.startsWith('<')) { out += '(?<'; i += 2; continue; }
      throw new Error(`error parsing regexp: flags inside a pattern (\`(?${rest.slice(0, rest.search(/[):]/) + 1)}\`) are not supported on drover; put them at the start`);
    }
    out += c;
  }
  try {
    return new RegExp(out, flags + (unicode ? 'u' : '') + (global ? 'g' : ''));
  } catch (err) {
    throw new Error(`error parsing regexp: ${(err as Error).message}`, { cause: err });
  }
}

/** Go's Regexp.ReplaceAllString: $1, ${1}, $name, ${name}, $$; $1x means the group named "1x". */
export function goReplaceAll(re: RegExp, src: string, template: string): string {
  const g = re.global ? re : new RegExp(re.source, re.flags + 'g');
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    g.lastIndex = searchPos;
    const m = g.exec(src);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += src.slice(lastMatchEnd, a0);
    // Go drops an empty match that abuts the previous match.
    if (a1 > lastMatchEnd || a0 === 0) out += expand(template, m);
    lastMatchEnd = a1;
    const width = src.codePointAt(searchPos)! > 0xffff ? 2 : 1;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastMatchEnd);
}

function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) break;
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') { out += '$'; i++; continue; }
    const braced = template[i] === '{';
    const nm = /^[0-9A-Za-z_]+/.exec(template.slice(braced ? i + 1 : i));
    if (!nm || (braced && template[i + 1 + nm[0].length] !== '}')) { out += '$'; continue; }
    const name = nm[0];
    i += name.length + (braced ? 2 : 0);
    if (/^[0-9]+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out + template.slice(i);
}
