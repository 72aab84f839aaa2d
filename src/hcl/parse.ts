/**
 * HCL text → JSON via @cdktn/hcl2json (HashiCorp's own parser in WASM), with
 * its syntax diagnostics turned into located FieldProblems.
 */
import { hclBackend } from './backend.js';
import type { FieldProblem } from '../model/index.js';
import { isObject } from './fields.js';
import type { SourceLocator } from './locate.js';

/** The JSON body hcl2json produces: attributes are values, blocks arrays of objects, labeled blocks `{label: [...]}`. */
export type HclBody = Record<string, unknown>;

/** Parsed body, or the syntax problems that stopped parsing. */
export type ParseOutcome = { ok: true; body: HclBody } | { ok: false; problems: FieldProblem[] };

/** Parses HCL text; syntax errors come back as problems with line (never thrown; the caller adds the file). */
export async function parseHcl(file: string, text: string, locator: SourceLocator): Promise<ParseOutcome> {
  const tooDeep = nestingProblem(text, locator);
  if (tooDeep) return { ok: false, problems: [tooDeep] };
  try {
    const body: unknown = await hclBackend()(file, text);
    if (!isObject(body)) return { ok: false, problems: [{ field: '', message: 'file does not contain an HCL body' }] };
    return { ok: true, body };
  } catch (err) {
    // A stack overflow inside hcl2json (an expression such as `- - - … 1` nested past its stack) is not a
    // syntax error with a position: say what it is instead of passing on "Maximum call stack size exceeded".
    if (err instanceof RangeError) return { ok: false, problems: [{ field: '', message: `${TOO_DEEP} (the parser ran out of stack)` }] };
    return { ok: false, problems: syntaxProblems(file, err instanceof Error ? err.message : String(err), locator) };
  }
}

/**
 * How deep brackets, braces and parentheses may nest. hcl2json's WebAssembly
 * overflows the JS stack somewhere past 700 levels (a RangeError thrown out
 * of the Go runtime, which may not survive it); real files nest a dozen deep.
 */
export const MAX_NESTING = 200;
const TOO_DEEP = `Nesting too deep; brackets, braces, parentheses and operators may nest at most ${MAX_NESTING} levels`;

/**
 * A problem when `text` nests deeper than MAX_NESTING. Counts every bracket,
 * quoted or not: conservative, and a string of 200 unclosed brackets is not
 * a real config.
 */
export function nestingProblem(text: string, locator: SourceLocator): FieldProblem | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 40 || c === 91 || c === 123) {
      if (++depth > MAX_NESTING) {
        return { field: locator.pathAt(line), message: `${TOO_DEEP}.`, line };
      }
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/**
 * hcl2json rejects with `parse config: [f.hcl:3,13-4,1: Summary; Detail. f.hcl:5,1-2: ...]`:
 * split that into one problem per diagnostic, keeping Nomad's "Summary; Detail" wording.
 */
export function syntaxProblems(file: string, message: string, locator: SourceLocator): FieldProblem[] {
  const inner = message.replace(/^parse config: \[/, '').replace(/\]\s*$/, '');
  const marker = new RegExp(`(?:^|\\s)${escapeRegExp(file)}:(\\d+),(\\d+)(?:-(?:\\d+,)?\\d+)?: `, 'g');
  const hits = [...inner.matchAll(marker)];
  if (hits.length === 0) return [{ field: '', message: inner.trim() || message }];
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  hits.forEach((m, k) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = hits[k + 1]?.index ?? inner.length;
    const line = Number(m[1]);
    const text = inner.slice(start, end).trim();
    const key = `${line}:${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ field: locator.pathAt(line), message: text, line });
  });
  return problems;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
