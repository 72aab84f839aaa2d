/**
 * Source locator for HCL text.
 *
 * Why this exists: @cdktn/hcl2json returns plain JSON with no source ranges,
 * yet every jobspec problem must name its line. So we scan the HCL text
 * ourselves (skipping strings, heredocs and comments), track block nesting
 * with labels, and record the line of every block, attribute and object key
 * under the same dotted path the decoder uses:
 * `job.mock.group.web.task.server.config.run_for`.
 *
 * Every block is recorded both as `name` (first one wins) and as `name[i]`
 * (its index among same-named siblings), so `artifact[1].source`,
 * `config.port.label` and a duplicate `task.web[1]` all resolve.
 * The scanner is forgiving: it never throws, so it also works on text that
 * hcl2json rejected (to name the block around a syntax error).
 */

type TokKind = 'ident' | 'string' | 'heredoc' | 'number' | 'punct' | 'nl' | 'eof';

interface Tok {
  readonly kind: TokKind;
  readonly text: string;
  readonly line: number;
}

/** What a recorded path is. */
export type EntryKind = 'block' | 'attribute';

interface Entry {
  readonly line: number;
  readonly kind: EntryKind;
}

interface BlockSpan {
  readonly path: string;
  readonly start: number;
  end: number;
}

/** Answers "which line is this field on?" for one HCL source text. */
export class SourceLocator {
  private readonly entries = new Map<string, Entry>();
  private readonly spans: BlockSpan[] = [];

  /** Records a path (first occurrence wins). */
  record(path: string, line: number, kind: EntryKind): void {
    if (!this.entries.has(path)) this.entries.set(path, { line, kind });
  }

  /** Records a block's line range for {@link SourceLocator.pathAt}. */
  span(path: string, start: number): BlockSpan {
    const s = { path, start, end: Number.MAX_SAFE_INTEGER };
    this.spans.push(s);
    return s;
  }

  /** Line of the path, else of its nearest recorded ancestor; undefined when nothing matches. */
  line(path: string): number | undefined {
    return this.find(path)?.line;
  }

  /** Whether the exact path is a block or an attribute (undefined when not recorded). */
  kind(path: string): EntryKind | undefined {
    return this.entries.get(path)?.kind;
  }

  /** The innermost block enclosing a line, e.g. to name the block around a syntax error. */
  pathAt(line: number): string {
    let best: BlockSpan | undefined;
    for (const s of this.spans) {
      if (s.start <= line && line <= s.end && (!best || s.start >= best.start)) best = s;
    }
    return best?.path ?? '';
  }

  private find(path: string): Entry | undefined {
    let p = path;
    while (p !== '') {
      const hit = this.entries.get(p);
      if (hit) return hit;
      p = parentPath(p);
    }
    return undefined;
  }
}

function parentPath(path: string): string {
  if (path.endsWith(']')) return path.slice(0, path.lastIndexOf('['));
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

/** Scans HCL text and returns its locator. */
export function locate(text: string): SourceLocator {
  const loc = new SourceLocator();
  new Parser(tokenize(text), loc).body([''], undefined);
  return loc;
}

const join = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}.${name}`);

/**
 * Every block doubles the aliases of the paths below it (`name` and
 * `name[i]` at each level), so nesting must be bounded or a few dozen
 * nested blocks take minutes and gigabytes. Real job files nest about 7
 * deep; past MAX_ALIASES the barest aliases are kept (the ones decoders
 * name), and blocks past MAX_DEPTH are skipped: their fields resolve to the
 * line of the deepest recorded block around them.
 */
const MAX_ALIASES = 64;
const MAX_DEPTH = 32;

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly loc: SourceLocator,
  ) {}

  private peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)] as Tok;
  }

  private next(): Tok {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  /** A block body: attributes and nested blocks, until the closing brace (or EOF at top level). */
  body(prefixes: string[], span: BlockSpan | undefined, depth = 0): void {
    const counts = new Map<string, number>();
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') return;
      if (t.kind === 'nl') continue;
      if (t.kind === 'punct' && t.text === '}') {
        if (span) span.end = t.line;
        return;
      }
      if (t.kind !== 'ident') {
        this.skipLine();
        continue;
      }
      const after = this.peek();
      if (after.kind === 'punct' && (after.text === '=' || after.text === ':')) {
        this.next();
        const paths = prefixes.map((p) => join(p, t.text));
        for (const p of paths) this.loc.record(p, t.line, 'attribute');
        this.value(paths, false);
        continue;
      }
      const labels: string[] = [];
      while (this.peek().kind === 'string' || this.peek().kind === 'ident') labels.push(this.next().text);
      if (!(this.peek().kind === 'punct' && this.peek().text === '{')) {
        this.skipLine();
        continue;
      }
      if (depth >= MAX_DEPTH) {
        this.skipBalanced();
        continue;
      }
      this.next();
      // Repeats are told apart by index: `artifact[1]`, and for labeled blocks `task.web[1]`.
      const name = [t.text, ...labels].join('.');
      const n = counts.get(name) ?? 0;
      counts.set(name, n + 1);
      const paths = [...new Set(prefixes.flatMap((p) => [join(p, `${name}[${n}]`), join(p, name)]))].slice(-MAX_ALIASES);
      for (const p of paths) this.loc.record(p, t.line, 'block');
      // The bare type of a labeled block too: `resources.device` for `device "nvidia/gpu" { }`.
      if (labels.length > 0) for (const p of prefixes) this.loc.record(join(p, t.text), t.line, 'block');
      this.body(paths, this.loc.span(paths[paths.length - 1] as string, t.line), depth + 1);
    }
  }

  /**
   * An attribute value (or an object item's value). Records keys of object
   * constructors; ends at a newline, a comma inside an object, or the brace
   * that closes the surrounding body/object (left unconsumed).
   */
  private value(paths: string[], inObject: boolean): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (t.kind === 'nl') {
        this.next();
        return;
      }
      if (t.kind === 'punct') {
        if (t.text === '}') return;
        if (inObject && t.text === ',') return;
        if (t.text === '{') {
          this.next();
          this.object(paths);
          continue;
        }
        if (t.text === '[' || t.text === '(') {
          this.skipBalanced();
          continue;
        }
      }
      this.next();
    }
  }

  /** An object constructor `{ key = value, ... }` after its opening brace. */
  private object(paths: string[]): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (t.kind === 'nl' || (t.kind === 'punct' && t.text === ',')) {
        this.next();
        continue;
      }
      if (t.kind === 'punct' && t.text === '}') {
        this.next();
        return;
      }
      const sep = this.peek(1);
      if ((t.kind === 'ident' || t.kind === 'string') && sep.kind === 'punct' && (sep.text === '=' || sep.text === ':')) {
        this.next();
        this.next();
        const keyPaths = paths.map((p) => join(p, t.text));
        for (const p of keyPaths) this.loc.record(p, t.line, 'attribute');
        this.value(keyPaths, true);
        continue;
      }
      // Not a `key = value` item (a for expression, say): skip to the closing brace.
      this.skipBalanced(1);
      return;
    }
  }

  /** Skips a bracketed group starting at its opening bracket (or inside it, with `depth` 1). */
  private skipBalanced(depth = 0): void {
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') return;
      if (t.kind !== 'punct') continue;
      if (t.text === '{' || t.text === '[' || t.text === '(') depth++;
      else if (t.text === '}' || t.text === ']' || t.text === ')') {
        depth--;
        if (depth <= 0) return;
      }
    }
  }

  private skipLine(): void {
    while (this.peek().kind !== 'nl' && this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === '}') return;
      if (t.kind === 'punct' && (t.text === '{' || t.text === '[' || t.text === '(')) this.skipBalanced();
      else this.next();
    }
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_REST = /[A-Za-z0-9_-]/;

/** Splits HCL into the few token kinds the locator needs. */
function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  const push = (kind: TokKind, text: string, at = line): void => {
    toks.push({ kind, text, line: at });
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '\n') {
      push('nl', '\n');
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      line += countNewlines(src, i, stop);
      i = stop;
    } else if (c === '"') {
      const start = line;
      const r = scanString(src, i + 1);
      line += countNewlines(src, i, r.end);
      push('string', r.text, start);
      i = r.end;
    } else if (c === '<' && src[i + 1] === '<' && /[-A-Za-z_]/.test(src[i + 2] ?? '')) {
      const start = line;
      const end = scanHeredoc(src, i);
      line += countNewlines(src, i, end);
      push('heredoc', '', start);
      i = end;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < src.length && IDENT_REST.test(src[j] as string)) j++;
      push('ident', src.slice(i, j));
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[0-9.eE]/.test(src[j] as string)) j++;
      push('number', src.slice(i, j));
      i = j;
    } else {
      const two = src.slice(i, i + 2);
      const op = ['==', '=>', '!=', '<=', '>=', '&&', '||'].includes(two) ? two : c;
      push('punct', op);
      i += op.length;
    }
  }
  push('eof', '');
  return toks;
}

function countNewlines(src: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (src[k] === '\n') n++;
  return n;
}

/** Scans a quoted string (after its opening quote), including `${ ... }` with nested strings. */
function scanString(src: string, from: number): { text: string; end: number } {
  let i = from;
  let text = '';
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '"') return { text, end: i + 1 };
    if (c === '\n') return { text, end: i }; // unterminated: hcl2json reports it; stay in sync
    if (c === '\\') {
      text += src[i + 1] ?? '';
      i += 2;
    } else if ((c === '$' || c === '%') && src[i + 1] === c && src[i + 2] === '{') {
      text += `${c}{`;
      i += 3;
    } else if ((c === '$' || c === '%') && src[i + 1] === '{') {
      const end = skipTemplateExpr(src, i + 2);
      text += src.slice(i, end);
      i = end;
    } else {
      text += c;
      i++;
    }
  }
  return { text, end: i };
}

/** Skips a template interpolation's body up to and including its closing brace. */
function skipTemplateExpr(src: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '"') {
      i = scanString(src, i + 1).end;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** Skips `<<EOT` / `<<-EOT` heredocs; returns the index of the newline after the closing marker. */
function scanHeredoc(src: string, from: number): number {
  let i = from + 2;
  if (src[i] === '-') i++;
  const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
  if (!m) return i;
  const marker = m[0];
  let nl = src.indexOf('\n', i);
  while (nl >= 0) {
    const next = src.indexOf('\n', nl + 1);
    const lineText = src.slice(nl + 1, next < 0 ? src.length : next);
    if (lineText.trim() === marker) return next < 0 ? src.length : next;
    nl = next;
  }
  return src.length;
}
