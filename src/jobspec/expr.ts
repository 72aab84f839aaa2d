/**
 * A deliberately small evaluator for the `${ ... }` expressions hcl2json leaves
 * in its JSON: literals, `var.*` / `local.*` references with `.attr` / `[i]`
 * steps, arithmetic, comparison, logic, the conditional operator and a handful
 * of HCL functions. Enough for what job files do with variables; anything else
 * is an ExprError naming the expression.
 *
 * Any other root name (`NOMAD_ALLOC_ID`, `attr.kernel.name`, `node.unique.name`,
 * `meta.x`, `env["HOME"]`) evaluates to its own `${...}` text, exactly as
 * Nomad's jobspec2 UndefinedVariable hook does, so runtime interpolation
 * survives to task start.
 */

import { FUNCTIONS } from './functions.js';
import { DroverError, ErrorCode } from '../model/errors.js';

/** Why an expression could not be evaluated (the message is user-facing). */
export class ExprError extends DroverError {
  constructor(message: string) {
    super(ErrorCode.validation, message);
  }
}

/** A `local.x` whose value is not computed yet (locals are evaluated in dependency order). */
export class NotReadyError extends ExprError {}

/** A reference to a value whose problem was already reported (an unset variable, a failed local). */
export class SilentError extends ExprError {}

/** Where `var.*` and `local.*` values come from. */
export interface Scope {
  /** Returns the value, or throws ExprError (undeclared) / NotReadyError (local not yet evaluated). */
  lookup(root: 'var' | 'local', name: string): unknown;
}

type TemplatePart = { lit: string } | { expr: string };

/**
 * Evaluates a string from hcl2json as an HCL template. A string that is one
 * interpolation and nothing else keeps the expression's type (number, list…);
 * otherwise parts are joined as strings. `$${` and `%%{` escapes become literal.
 */
export function evalTemplate(text: string, scope: Scope): unknown {
  const parts = splitTemplate(text);
  const only = parts[0];
  if (parts.length === 1 && only && 'expr' in only) return evalExpr(only.expr, scope);
  let out = '';
  for (const p of parts) {
    if ('lit' in p) out += p.lit;
    else out += toTemplateString(evalExpr(p.expr, scope), p.expr);
  }
  return out;
}

/** True when a string holds an interpolation or an escape that evalTemplate would change. */
export function hasTemplate(text: string): boolean {
  return text.includes('${') || text.includes('%{');
}

function toTemplateString(v: unknown, expr: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ExprError(`cannot include the value of "\${${expr}}" in a string: a ${describe(v)} is not a string`);
}

function splitTemplate(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') {
      lit += `${c}{`;
      i += 3;
    } else if (c === '%' && s[i + 1] === '{') {
      throw new ExprError('template directives (%{ ... }) are not supported by drover');
    } else if (c === '$' && s[i + 1] === '{') {
      const end = matchBrace(s, i + 2);
      if (end < 0) throw new ExprError(`unterminated interpolation in "${s}"`);
      if (lit !== '') parts.push({ lit });
      lit = '';
      parts.push({ expr: s.slice(i + 2, end).replace(/^~/, '').replace(/~$/, '').trim() });
      i = end + 1;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit !== '' || parts.length === 0) parts.push({ lit });
  return parts;
}

/** Index of the brace closing an interpolation that starts at `from`, skipping nested strings; -1 if none. */
function matchBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

interface Tok {
  readonly kind: 'num' | 'str' | 'ident' | 'op' | 'eof';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}', '='];

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      toks.push({ kind: 'num', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i)) as RegExpExecArray;
      toks.push({ kind: 'ident', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      let raw = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') {
          const e = src[j + 1] ?? '';
          raw += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          j += 2;
        } else if (src[j] === '$' && src[j + 1] === '{') {
          const end = matchBrace(src, j + 2);
          if (end < 0) throw new ExprError(`unterminated string in "${src}"`);
          raw += src.slice(j, end + 1);
          j = end + 1;
        } else {
          raw += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new ExprError(`unterminated string in "${src}"`);
      toks.push({ kind: 'str', text: raw, start: i, end: j + 1 });
      i = j + 1;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new ExprError(`unsupported expression "\${${src}}"`);
      toks.push({ kind: 'op', text: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  toks.push({ kind: 'eof', text: '', start: src.length, end: src.length });
  return toks;
}

/** Evaluates one expression (the inside of `${ }`). */
export function evalExpr(src: string, scope: Scope): unknown {
  // Refuse deep nesting before lexing: each nested string template is lexed again, so "${"${"${…
  // thousands deep took seconds before the evaluator's own depth check was reached.
  if (depth === 0 && nestingOf(src) > MAX_EXPR_DEPTH) throw new ExprError(tooDeep(src));
  return new Evaluator(src, scope).run();
}

/** The deepest nesting of brackets, braces and parentheses in `src` (counting inside strings too: conservative). */
function nestingOf(src: string): number {
  let d = 0;
  let max = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) max = Math.max(max, ++d);
    else if ((c === 41 || c === 93 || c === 125) && d > 0) d--;
  }
  return max;
}

class Evaluator {
  private readonly toks: Tok[];
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly scope: Scope,
  ) {
    this.toks = lex(src);
  }

  run(): unknown {
    const v = this.ternary();
    if (this.peek().kind !== 'eof') this.fail();
    return v;
  }

  private fail(): never {
    throw new ExprError(`unsupported expression "\${${this.src}}" (drover evaluates variables, locals, operators and a few functions only)`);
  }

  private peek(): Tok {
    return this.toks[this.i] as Tok;
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isOp(text)) this.fail();
    this.i++;
  }

  private ternary(): unknown {
    return nested(this.src, () => this.ternaryAt());
  }

  private ternaryAt(): unknown {
    const cond = this.binary(0);
    if (!this.isOp('?')) return cond;
    this.i++;
    const a = this.ternary();
    this.expect(':');
    const b = this.ternary();
    return asBool(cond, this.src) ? a : b;
  }

  private binary(level: number): unknown {
    const levels = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
    const ops = levels[level];
    if (!ops) return this.unary();
    let left = this.binary(level + 1);
    while (this.peek().kind === 'op' && ops.includes(this.peek().text)) {
      const op = this.peek().text;
      this.i++;
      const right = this.binary(level + 1);
      left = applyOp(op, left, right, this.src);
    }
    return left;
  }

  private unary(): unknown {
    if (this.isOp('!')) {
      this.i++;
      return !asBool(nested(this.src, () => this.unary()), this.src);
    }
    if (this.isOp('-')) {
      this.i++;
      return -asNumber(nested(this.src, () => this.unary()), this.src);
    }
    return this.postfix();
  }

  private postfix(): unknown {
    const t = this.peek();
    if (t.kind === 'ident' && !['true', 'false', 'null'].includes(t.text) && this.toks[this.i + 1]?.text !== '(') {
      return this.traversal();
    }
    let v = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        v = index(v, this.stepName(), this.src);
      } else if (this.isOp('[')) {
        this.i++;
        v = index(v, this.ternary(), this.src);
        this.expect(']');
      } else return v;
    }
  }

  private stepName(): string {
    const t = this.peek();
    if (t.kind !== 'ident' && t.kind !== 'num') this.fail();
    this.i++;
    return t.text;
  }

  /** A reference: `var.x…`, `local.x…`, or a runtime name kept as its own `${…}` text. */
  private traversal(): unknown {
    const root = this.peek();
    this.i++;
    if (root.text === 'var' || root.text === 'local') {
      if (!this.isOp('.')) throw new ExprError(`"${root.text}" must be followed by a name, as in ${root.text}.example`);
      this.i++;
      let v = this.scope.lookup(root.text, this.stepName());
      for (;;) {
        if (this.isOp('.')) {
          this.i++;
          v = index(v, this.stepName(), this.src);
        } else if (this.isOp('[')) {
          this.i++;
          v = index(v, this.ternary(), this.src);
          this.expect(']');
        } else return v;
      }
    }
    let end = root.end;
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        end = this.peek().end;
        this.stepName();
      } else if (this.isOp('[')) {
        this.i++;
        this.ternary();
        end = this.peek().end;
        this.expect(']');
      } else break;
    }
    return `\${${this.src.slice(root.start, end)}}`;
  }

  private primary(): unknown {
    const t = this.peek();
    this.i++;
    switch (t.kind) {
      case 'num':
        return Number(t.text);
      case 'str':
        return evalTemplate(t.text, this.scope);
      case 'ident':
        if (t.text === 'true') return true;
        if (t.text === 'false') return false;
        if (t.text === 'null') return null;
        return this.call(t.text);
      case 'op':
        if (t.text === '(') {
          const v = this.ternary();
          this.expect(')');
          return v;
        }
        if (t.text === '[') return this.list();
        if (t.text === '{') return this.object();
        return this.fail();
      default:
        return this.fail();
    }
  }

  private list(): unknown[] {
    const out: unknown[] = [];
    while (!this.isOp(']')) {
      out.push(this.ternary());
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.expect(']');
    return out;
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (!this.isOp('}')) {
      const k = this.peek();
      if (k.kind !== 'ident' && k.kind !== 'str') this.fail();
      this.i++;
      if (!this.isOp('=') && !this.isOp(':')) this.fail();
      this.i++;
      out[k.text] = this.ternary();
      if (this.isOp(',')) this.i++;
    }
    this.expect('}');
    return out;
  }

  private call(name: string): unknown {
    this.expect('(');
    const args: unknown[] = [];
    while (!this.isOp(')')) {
      args.push(this.ternary());
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.expect(')');
    const fn = FUNCTIONS[name];
    if (!fn) {
      throw new ExprError(`unsupported function "${name}" in "\${${this.src}}" (drover supports ${Object.keys(FUNCTIONS).join(', ')})`);
    }
    return fn(args, this.src);
  }
}

/**
 * How deep expressions may nest (parentheses, brackets, operators, templates
 * in strings), as the HCL front end allows (src/hcl MAX_NESTING): recursion
 * past it would overflow the stack.
 */
const MAX_EXPR_DEPTH = 200;
let depth = 0;

function tooDeep(src: string): string {
  return `expression nested too deeply (more than ${MAX_EXPR_DEPTH} levels) in "\${${src.length > 80 ? `${src.slice(0, 80)}…` : src}}"`;
}

/** Runs one level of nesting; evaluation is synchronous, so one counter covers nested templates too. */
function nested<T>(src: string, fn: () => T): T {
  if (depth >= MAX_EXPR_DEPTH) throw new ExprError(tooDeep(src));
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

function applyOp(op: string, a: unknown, b: unknown, src: string): unknown {
  switch (op) {
    case '||':
      return asBool(a, src) || asBool(b, src);
    case '&&':
      return asBool(a, src) && asBool(b, src);
    case '==':
      return JSON.stringify(a) === JSON.stringify(b);
    case '!=':
      return JSON.stringify(a) !== JSON.stringify(b);
    case '<':
      return asNumber(a, src) < asNumber(b, src);
    case '>':
      return asNumber(a, src) > asNumber(b, src);
    case '<=':
      return asNumber(a, src) <= asNumber(b, src);
    case '>=':
      return asNumber(a, src) >= asNumber(b, src);
    case '+':
      return asNumber(a, src) + asNumber(b, src);
    case '-':
      return asNumber(a, src) - asNumber(b, src);
    case '*':
      return asNumber(a, src) * asNumber(b, src);
    case '/':
      return asNumber(a, src) / asNumber(b, src);
    default:
      return asNumber(a, src) % asNumber(b, src);
  }
}

function index(v: unknown, key: unknown, src: string): unknown {
  if (Array.isArray(v)) {
    const n = asNumber(key, src);
    if (!Number.isInteger(n) || n < 0 || n >= v.length) throw new ExprError(`index ${String(key)} out of range in "\${${src}}"`);
    return v[n];
  }
  if (typeof v === 'object' && v !== null) {
    // HCL converts a key to a string; a list, map or null cannot be one (it printed as "[object Object]").
    if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
      throw new ExprError(`a string key is required to index a map in "\${${src}}", got a ${describe(key)}`);
    }
    const k = String(key);
    if (!Object.hasOwn(v, k)) throw new ExprError(`no key "${k}" in "\${${src}}"`);
    return (v as Record<string, unknown>)[k];
  }
  throw new ExprError(`cannot index a ${describe(v)} in "\${${src}}"`);
}

/** Converts as HCL does, or throws ExprError naming the expression. */
export function asNumber(v: unknown, src: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new ExprError(`a number is required in "\${${src}}", got a ${describe(v)}`);
  return n;
}

/** Converts as HCL does, or throws ExprError naming the expression. */
export function asBool(v: unknown, src: string): boolean {
  if (v === 'true' || v === 'false') return v === 'true';
  if (typeof v !== 'boolean') throw new ExprError(`a bool is required in "\${${src}}", got a ${describe(v)}`);
  return v;
}

/** Converts as HCL does, or throws ExprError naming the expression. */
export function asString(v: unknown, src: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ExprError(`a string is required in "\${${src}}", got a ${describe(v)}`);
}

/** Converts as HCL does, or throws ExprError naming the expression. */
export function asList(v: unknown, src: string): unknown[] {
  if (!Array.isArray(v)) throw new ExprError(`a list is required in "\${${src}}", got a ${describe(v)}`);
  return v;
}

/** Describes a value's type for messages. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  return typeof v;
}
