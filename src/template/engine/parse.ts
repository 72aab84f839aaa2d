// The parser of Go's text/template: same grammar, same error texts
// ("template: NAME:LINE: MSG", where LINE is the line of the token being
// looked at), producing the trees of one template set (the main template
// plus every {{define}} and {{block}}).

import { lex, quoteGo, T, type Token } from './lex.js';
import {
  nodeString,
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type ElseNode,
  type EndNode,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './nodes.js';
import { parseFloatGo, parseIntBase0, unquote, unquoteChar } from './strconv.js';

/** Thrown inside the parser; turned into TemplateError by the caller. */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface ParseResult {
  /** Every tree in the set by name, the main template included. */
  readonly trees: Map<string, ListNode>;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Parses `text` as the template `name`. `hasFunction` says which function
 * names exist at parse time (user functions and builtins).
 */
export function parseSet(
  name: string,
  text: string,
  leftDelim: string,
  rightDelim: string,
  hasFunction: (name: string) => boolean,
): ParseResult {
  const tokens = lex(text, leftDelim, rightDelim, !hasFunction('break'), !hasFunction('continue'));
  const trees = new Map<string, ListNode>();
  const shared: Shared = { tokens, i: 0, hi: 0, parseName: name, trees, hasFunction };
  const main = new TreeParser(shared, name);
  main.parseTop();
  return { trees };
}

interface Shared {
  readonly tokens: Token[];
  i: number;
  hi: number;
  readonly parseName: string;
  readonly trees: Map<string, ListNode>;
  readonly hasFunction: (name: string) => boolean;
}

function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim() === '';
    default:
      return false;
  }
}

function itemString(t: Token): string {
  if (t.typ === T.EOF) return 'EOF';
  if (t.typ === T.Error) return t.val;
  if (t.typ > T.Keyword) return `<${t.val}>`;
  // Go: len(val) > 10 bytes prints %.10q (the first 10 runes) and "...".
  if (Buffer.byteLength(t.val) > 10) return quoteGo(Array.from(t.val).slice(0, 10).join('')) + '...';
  return quoteGo(t.val);
}


/** Go's maxStackDepth on wasm (text/template/parse). */
const MAX_STACK_DEPTH = 1000;
class TreeParser {
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private stackDepth = 0;
  private actionLine = 0;
  private root: ListNode | null = null;

  constructor(
    private readonly s: Shared,
    private name: string,
  ) {}

  // ---- token stream ----
  // Go's parser reports the line of token[0], the furthest token read from the
  // lexer (look-ahead included), so errors use tokens[s.hi].
  private next(): Token {
    const last = this.s.tokens.length - 1;
    const i = Math.min(this.s.i, last);
    this.s.i = i + 1;
    if (i > this.s.hi) this.s.hi = i;
    return this.s.tokens[i]!;
  }
  private backup(): void {
    this.s.i--;
  }
  private peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }
  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.typ === T.Space);
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // ---- errors ----
  private errorf(msg: string): never {
    const line = this.s.tokens[this.s.hi]!.line;
    throw new ParseFailure(`template: ${this.s.parseName}:${line}: ${msg}`, line);
  }
  private unexpected(token: Token, context: string): never {
    if (token.typ === T.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.s.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }
  private expect(typ: number, context: string): Token {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }

  // ---- set management ----
  private add(): void {
    const existing = this.s.trees.get(this.name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.s.trees.set(this.name, this.root!);
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${quoteGo(this.name)}`);
  }

  parseTop(): void {
    this.root = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delimAt = this.s.i;
        this.next();
        if (this.nextNonSpace().typ === T.Define) {
          const def = new TreeParser(this.s, 'definition');
          def.parseDefinition();
          continue;
        }
        this.s.i = delimAt; // Go's backup2(delim)
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
    this.add();
  }

  parseDefinition(): void {
    const context = 'define clause';
    const tok = this.nextNonSpace();
    if (tok.typ !== T.String && tok.typ !== T.RawString) this.unexpected(tok, context);
    this.name = this.unquoteOrFail(tok.val);
    this.expect(T.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private unquoteOrFail(q: string): string {
    try {
      return unquote(q);
    } catch {
      this.errorf('invalid syntax');
    }
  }

  private itemList(): [ListNode, EndNode | ElseNode] {
    return this.nested(() => {
      const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
      while (this.peekNonSpace().typ !== T.EOF) {
        const n = this.textOrAction();
        if (n.type === 'end' || n.type === 'else') return [list, n];
        list.nodes.push(n);
      }
      this.errorf('unexpected EOF');
    });
  }

  /**
   * One level of nesting (a parenthesized pipeline, or the body of if/range/with/define/block).
   * Go limits parentheses to maxStackDepth (10000; 1000 on wasm, whose stack is small like JS's)
   * with "max expression depth exceeded"; drover counts control structures too, which Go leaves
   * to its growable stack, since 2000 nested {{if}}s overflow a JS stack.
   */
  private nested<R>(fn: () => R): R {
    if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
    this.stackDepth++;
    try {
      return fn();
    } finally {
      this.stackDepth--;
    }
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Text:
        return { type: 'text', pos: token.pos, text: token.val };
      case T.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case T.Comment:
        return { type: 'comment', pos: token.pos, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Block:
        return this.blockControl();
      case T.Break:
        return this.breakOrContinue('break', token);
      case T.Continue:
        return this.breakOrContinue('continue', token);
      case T.Else:
        return this.elseControl();
      case T.End:
        return { type: 'end', pos: this.expect(T.RightDelim, 'end').pos };
      case T.If:
        return this.control('if');
      case T.Range:
        return this.control('range');
      case T.Template:
        return this.templateControl();
      case T.With:
        return this.control('with');
      default:
        break;
    }
    this.backup();
    const t = this.peek();
    return { type: 'action', pos: t.pos, line: t.line, pipe: this.pipeline('command', T.RightDelim) };
  }

  private breakOrContinue(word: 'break' | 'continue', tok: Token): Node {
    const t = this.nextNonSpace();
    if (t.typ !== T.RightDelim) this.unexpected(t, `{{${word}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`);
    return { type: word, pos: tok.pos, line: tok.line };
  }

  private pipeline(context: string, end: number): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, line: token.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== T.Variable) break;
      const vIndex = this.s.i;
      this.next();
      const nxt = this.peekNonSpace();
      if (nxt.typ === T.Assign || nxt.typ === T.Declare) {
        pipe.isAssign = nxt.typ === T.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (nxt.typ === T.Char && nxt.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else {
        // Not a declaration: put the variable (and the space after it) back.
        this.s.i = vIndex;
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i]!.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private control(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, T.RightDelim);
      if (context === 'range') this.rangeDepth++;
      const [list, first] = this.itemList();
      let next = first;
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        // "else if" / "else with" (Go 1.23): {{if a}}_{{else if b}}_{{end}} is
        // {{if a}}_{{else}}{{if b}}_{{end}}{{end}}; one {{end}} closes both.
        const p = this.peek().typ;
        if ((context === 'if' && p === T.If) || (context === 'with' && p === T.With)) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [this.control(context)] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === T.If || peek.typ === T.With) return { type: 'else', pos: peek.pos, line: peek.line };
    const t = this.expect(T.RightDelim, 'else');
    return { type: 'else', pos: t.pos, line: t.line };
  }

  private parseTemplateName(token: Token, context: string): string {
    if (token.typ === T.String || token.typ === T.RawString) return this.unquoteOrFail(token.val);
    this.unexpected(token, context);
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const block = new TreeParser(this.s, name);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { type: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === T.Space) continue;
      if (t.typ === T.RightDelim || t.typ === T.RightParen) this.backup();
      else if (t.typ !== T.Pipe) this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().typ !== T.Field) return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().typ === T.Field) fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${quoteGo(nodeString(node))}`);
      // falls through: errorf never returns
      default:
        return { type: 'chain', pos: chainPos, node, field: fields };
    }
  }

  private term(): ArgNode | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Identifier:
        if (!this.s.hasFunction(token.val)) this.errorf(`function ${quoteGo(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.val };
      case T.Dot:
        return { type: 'dot', pos: token.pos };
      case T.Nil:
        return { type: 'nil', pos: token.pos };
      case T.Variable:
        return this.useVar(token.pos, token.val);
      case T.Field:
        return { type: 'field', pos: token.pos, ident: [token.val.slice(1)] };
      case T.Bool:
        return { type: 'bool', pos: token.pos, value: token.val === 'true' };
      case T.CharConstant:
      case T.Complex:
      case T.Number:
        return this.newNumber(token);
      case T.LeftParen:
        return this.nested(() => this.pipeline('parenthesized pipeline', T.RightParen));
      case T.String:
      case T.RawString:
        return { type: 'string', pos: token.pos, quoted: token.val, text: this.unquoteOrFail(token.val) };
      default:
        break;
    }
    this.backup();
    return null;
  }

  private newVariable(pos: number, ident: string): VariableNode {
    return { type: 'variable', pos, ident: ident.split('.') };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${quoteGo(v.ident[0]!)}`);
    return v;
  }

  private newNumber(token: Token): NumberNode {
    const text = token.val;
    const n: NumberNode = {
      type: 'number',
      pos: token.pos,
      text,
      isInt: false,
      isUint: false,
      isFloat: false,
      isComplex: false,
      int64: 0n,
      uint64: 0n,
      float64: 0,
      imag: 0,
    };
    if (token.typ === T.CharConstant) {
      let r: number;
      let next: number;
      try {
        ({ r, next } = unquoteChar(text, 1, "'"));
      } catch {
        this.errorf('invalid syntax');
      }
      if (text.slice(next) !== "'") this.errorf(`malformed character constant: ${text}`);
      n.isInt = n.isUint = n.isFloat = true;
      n.int64 = n.uint64 = BigInt(r);
      n.float64 = r;
      return n;
    }
    if (token.typ === T.Complex) {
      const m = /^([+-]?[^+-]+(?:[eEpP][+-]\d+)?)([+-].*)i$/.exec(text);
      const re = m ? parseFloatGo(m[1]!) : null;
      const im = m ? parseFloatGo(m[2]!) : null;
      if (re === null || im === null) this.errorf(`expected integer`);
      n.isComplex = true;
      n.float64 = re;
      n.imag = im;
      simplifyComplex(n);
      return n;
    }
    if (text.endsWith('i')) {
      const f = parseFloatGo(text.slice(0, -1));
      if (f !== null) {
        n.isComplex = true;
        n.imag = f;
        simplifyComplex(n);
        return n;
      }
    }
    const iv = parseIntBase0(text);
    if (iv !== null) {
      if (iv >= 0n && iv <= UINT64_MAX) {
        n.isUint = true;
        n.uint64 = iv;
      }
      if (iv >= INT64_MIN && iv <= INT64_MAX) {
        n.isInt = true;
        n.int64 = iv;
        if (iv === 0n) n.isUint = true;
      }
    }
    if (n.isInt) {
      n.isFloat = true;
      n.float64 = Number(n.int64);
    } else if (n.isUint) {
      n.isFloat = true;
      n.float64 = Number(n.uint64);
    } else {
      const f = parseFloatGo(text);
      if (f !== null) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${quoteGo(text)}`);
        n.isFloat = true;
        n.float64 = f;
        if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
          n.isInt = true;
          n.int64 = BigInt(f);
        }
        if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
          n.isUint = true;
          n.uint64 = BigInt(f);
        }
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) this.errorf(`illegal number syntax: ${quoteGo(text)}`);
    return n;
  }
}

function simplifyComplex(n: NumberNode): void {
  n.isFloat = n.imag === 0;
  if (n.isFloat) {
    const f = n.float64;
    n.isInt = Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63;
    if (n.isInt) n.int64 = BigInt(f);
    n.isUint = Number.isInteger(f) && f >= 0 && f < 2 ** 64;
    if (n.isUint) n.uint64 = BigInt(f);
  }
}
