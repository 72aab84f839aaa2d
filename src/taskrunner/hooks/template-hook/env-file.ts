/**
 * Parses an `env = true` template's output as hashicorp/go-envparse does:
 * KEY=value lines; blank and `#` lines skipped; an `export ` prefix and
 * surrounding whitespace dropped; "double quotes" with \" \\ \n \t escapes,
 * 'single quotes' literal; an unquoted `#` starts a trailing comment.
 */

/** A line that is not KEY=value; `line` is 1-based. */
export class EnvParseError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`error on line ${line}: ${reason}`);
    this.name = 'EnvParseError';
  }
}

/** The variables of an env file; later lines win. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  // A trailing newline is not an extra (empty) line.
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq < 0) throw new EnvParseError(i + 1, 'missing "="');
    let key = line.slice(0, eq).trim();
    if (key.startsWith('export ')) key = key.slice('export '.length).trim();
    if (key === '') throw new EnvParseError(i + 1, 'empty key');
    if (!/^[A-Za-z_]/.test(key)) throw new EnvParseError(i + 1, `key must start with [A-Za-z_] but found ${JSON.stringify(key[0])}`);
    out[key] = parseValue(line.slice(eq + 1).trim(), i + 1);
  });
  return out;
}

function parseValue(value: string, line: number): string {
  let out = '';
  /** Length of `out` up to its last significant character, for trimming before a trailing comment. */
  let significant = 0;
  let mode: 'plain' | 'double' | 'single' | 'escape' = 'plain';
  for (const ch of value) {
    if (ch.charCodeAt(0) < 32) throw new EnvParseError(line, `0x${ch.charCodeAt(0).toString(16).padStart(2, '0')} is an invalid value character`);
    switch (mode) {
      case 'plain':
        if (ch === '"') mode = 'double';
        else if (ch === "'") mode = 'single';
        else if (ch === '#') return out.slice(0, significant);
        else {
          out += ch;
          if (ch !== ' ' && ch !== '\t') significant = out.length;
        }
        break;
      case 'double':
        if (ch === '"') mode = 'plain';
        else if (ch === '\\') mode = 'escape';
        else significant = (out += ch).length;
        break;
      case 'escape': {
        const map: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };
        const esc = map[ch];
        if (esc === undefined) throw new EnvParseError(line, `invalid escape sequence: ${ch}`);
        significant = (out += esc).length;
        mode = 'double';
        break;
      }
      case 'single':
        if (ch === "'") mode = 'plain';
        else significant = (out += ch).length;
        break;
    }
  }
  if (mode === 'double') throw new EnvParseError(line, 'unmatched "');
  if (mode === 'single') throw new EnvParseError(line, "unmatched '");
  if (mode === 'escape') throw new EnvParseError(line, 'incomplete escape sequence');
  return out;
}
