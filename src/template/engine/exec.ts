// The evaluator: walks a parsed template set over a data value, as Go's
// text/template/exec.go does, with the same error texts and the same node
// positions in "executing NAME at <NODE>" messages.

import { BUILTINS, FuncError, NILI, toJs, unIface, type BuiltinSpec, type ParamType, type Val } from './builtins.js';
import { lineCol, TemplateError } from './errors.js';
import { printOne } from './fmt.js';
import { quoteGo } from './lex.js';
import { MAX_RENDER_CHARS, MAX_RENDER_ITEMS } from './limits.js';
import {
  nodeString,
  type ActionNode,
  type ArgNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './nodes.js';
import { Complex128, Float64, isNil, K, kindOf, methodOf, mapGet, sortedEntries, truth, typeName } from './values.js';

export type JsFunc = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
export type MissingKey = 'default' | 'zero' | 'error';

/** Everything an execution needs that parsing produced. */
export interface Compiled {
  readonly parseName: string;
  readonly text: string;
  readonly trees: ReadonlyMap<string, ListNode>;
  readonly funcs: Readonly<Record<string, JsFunc>>;
  readonly missingKey: MissingKey;
}

const MISSING: unique symbol = Symbol('missing'); // Go's missingVal: no piped-in value
type Final = unknown; // a value, or MISSING

const MAX_EXEC_DEPTH = 100000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const NONE = 0;
const BREAK = 1;
const CONTINUE = 2;
type Signal = typeof NONE | typeof BREAK | typeof CONTINUE;

interface Variable {
  readonly name: string;
  value: Val;
  iface: boolean; // holds an element of a slice or map (Go interface{} static type)
}

type Callee = { kind: 'builtin'; name: string; spec: BuiltinSpec } | { kind: 'js'; fn: JsFunc; self: unknown };

/** Runs the template `name` of `c` over `data`; returns the output. */
export function execute(c: Compiled, name: string, data: unknown, funcs: Readonly<Record<string, JsFunc>> | undefined): string {
  const s = new State(c, funcs, name, data);
  try {
    s.walk(data, c.trees.get(name)!);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      s.fail(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    }
    throw e;
  }
  return s.out;
}

/** A property a template may read: not the constructor, nor one inherited from Object.prototype. */
function isStructMember(obj: Record<string, unknown>, name: string): boolean {
  if (!(name in obj) || name === 'constructor' || name === '__proto__') return false;
  return !(Object.prototype.hasOwnProperty.call(Object.prototype, name) && obj[name] === (Object.prototype as Record<string, unknown>)[name]);
}

class State {
  out = '';
  private node: Node | null = null;
  private vars: Variable[];
  private depth = 0;
  /** Range iterations run so far, within MAX_RENDER_ITEMS (limits.ts). */
  private steps = 0;
  private dotIface = false;
  private lastIface = false;

  constructor(
    private readonly c: Compiled,
    private readonly execFuncs: Readonly<Record<string, JsFunc>> | undefined,
    private tmplName: string,
    data: unknown,
  ) {
    this.vars = [{ name: '$', value: data, iface: false }];
  }

  // ---- errors ----
  fail(msg: string): never {
    const n = this.node;
    if (n === null) {
      throw new TemplateError(`template: ${this.tmplName}: ${msg}`, this.c.parseName, 0);
    }
    const { line, col } = lineCol(this.c.text, n.pos);
    const context = nodeString(n);
    throw new TemplateError(
      `template: ${this.c.parseName}:${line}:${col}: executing ${quoteGo(this.tmplName)} at <${context}>: ${msg}`,
      this.c.parseName,
      line,
      col,
    );
  }

  // ---- variables ----
  private setVar(name: string, value: Val, iface: boolean): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) {
        v.value = value;
        v.iface = iface;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }
  private varLookup(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) return v;
    }
    this.fail(`undefined variable: ${name}`);
  }

  // ---- walking ----
  walk(dot: Val, node: Node): Signal {
    this.node = node;
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return NONE;
      }
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      case 'comment':
        return NONE;
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'list': {
        const nodes = node.nodes;
        for (let i = 0; i < nodes.length; i++) {
          const sig = this.walk(dot, nodes[i]!);
          if (sig !== NONE) return sig;
        }
        return NONE;
      }
      case 'range':
        this.walkRange(dot, node);
        return NONE;
      case 'template':
        this.walkTemplate(dot, node);
        return NONE;
      case 'text':
        this.emit(node.text);
        return NONE;
      default:
        this.fail(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: Val, node: BranchNode): Signal {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (truth(unIface(val))) {
        if (node.type === 'with') return this.walkDot(val, false, node.list);
        return this.walk(dot, node.list);
      }
      if (node.elseList) return this.walk(dot, node.elseList);
      return NONE;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkDot(dot: Val, iface: boolean, list: ListNode): Signal {
    const saved = this.dotIface;
    this.dotIface = iface;
    try {
      return this.walk(dot, list);
    } finally {
      this.dotIface = saved;
    }
  }

  private walkRange(dot: Val, r: BranchNode): void {
    this.node = r;
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      // Returns false when the body said {{break}}.
      const one = (index: Val, elem: Val, elemIface: boolean): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0]!.ident[0]!, index, false);
            else this.setVar(decl[0]!.ident[0]!, elem, elemIface);
          } else {
            const top = this.vars[this.vars.length - 1]!;
            top.value = elem;
            top.iface = elemIface;
          }
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem, elemIface);
          else {
            const second = this.vars[this.vars.length - 2]!;
            second.value = index;
            second.iface = false;
          }
        }
        if (++this.steps > MAX_RENDER_ITEMS) {
          this.node = r;
          this.fail(`range: more than ${MAX_RENDER_ITEMS} iterations in one render`);
        }
        const sig = this.walkDot(elem, elemIface, r.list);
        this.vars.length = mark;
        return sig !== BREAK;
      };
      switch (kindOf(val)) {
        case K.Slice: {
          const a = val as unknown[];
          if (a.length === 0) break;
          for (let i = 0; i < a.length; i++) {
            const e = a[i];
            if (!one(i, isNil(e) ? NILI : e, true)) break;
          }
          return;
        }
        case K.Map: {
          const entries = sortedEntries(val as object);
          if (entries.length === 0) break;
          for (const [k, v] of entries) {
            if (!one(k, isNil(v) ? NILI : v, true)) break;
          }
          return;
        }
        case K.Int: {
          if (decl.length > 1) this.fail(`can't use ${printOne(val)} to iterate over more than one variable`);
          const n = Number(val);
          if (n <= 0) break;
          for (let i = 0; i < n; i++) {
            if (!one(undefined, i, false)) break;
          }
          return;
        }
        case K.Invalid:
          break;
        default:
          this.fail(`range can't iterate over ${printOne(val)}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: Val, t: TemplateNode): void {
    this.node = t;
    const tmpl = this.c.trees.get(t.name);
    if (tmpl === undefined) this.fail(`template ${quoteGo(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.fail(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, tmplName: this.tmplName, node: this.node, dotIface: this.dotIface };
    this.depth++;
    this.tmplName = t.name;
    this.vars = [{ name: '$', value: newDot, iface: false }];
    this.dotIface = false;
    this.walk(newDot, tmpl);
    this.depth--;
    this.vars = saved.vars;
    this.tmplName = saved.tmplName;
    this.node = saved.node;
    this.dotIface = saved.dotIface;
  }

  // ---- evaluation ----
  private evalPipeline(dot: Val, pipe: PipeNode | null): Val {
    if (pipe === null) return undefined;
    this.node = pipe;
    let value: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value);
      if (value === NILI) value = undefined; // Go digs a value out of interface{}
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value, false);
      else this.vars.push({ name: v.ident[0]!, value, iface: false });
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Final): Val {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
      default:
        break;
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.fail('nil is not a command');
      // falls through: fail never returns
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: NumberNode): Val {
    this.node = n;
    if (n.isComplex) return new Complex128(n.float64, n.imag);
    const t = n.text;
    const hexInt = t.length > 2 && t[0] === '0' && (t[1] === 'x' || t[1] === 'X') && !/[pP]/.test(t);
    if (n.isFloat && !hexInt && t[0] !== "'" && /[.eEpP]/.test(t)) {
      return Number.isInteger(n.float64) ? new Float64(n.float64) : n.float64;
    }
    if (n.isInt) return n.int64 >= -MAX_SAFE && n.int64 <= MAX_SAFE ? Number(n.int64) : n.int64;
    if (n.isUint) this.fail(`${t} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: Val, field: FieldNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = field;
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, args, final);
  }

  private evalChainNode(dot: Val, chain: ChainNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = chain;
    if (chain.node.type === 'nil') this.fail(`indirection through explicit nil in ${nodeString(chain)}`);
    this.lastIface = false;
    const pipe = this.evalArg(dot, null, chain.node);
    const t = chain.node.type;
    const iface = (t === 'field' || t === 'variable' || t === 'chain') && this.lastIface;
    return this.evalFieldChain(dot, pipe, iface, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Val, variable: VariableNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = variable;
    const v = this.varLookup(variable.ident[0]!);
    if (variable.ident.length === 1) {
      if (args) this.notAFunction(args, final);
      this.lastIface = v.iface;
      return v.value;
    }
    return this.evalFieldChain(dot, v.value, v.iface, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(
    dot: Val,
    receiver: Val,
    iface: boolean,
    node: Node,
    ident: readonly string[],
    args: readonly ArgNode[] | null,
    final: Final,
  ): Val {
    const n = ident.length;
    let recv = receiver;
    let recvIface = iface;
    for (let i = 0; i < n - 1; i++) {
      recv = this.evalField(dot, ident[i]!, node, null, MISSING, recv, recvIface);
      recvIface = this.lastIface;
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, recv, recvIface);
  }

  private evalFunction(dot: Val, node: IdentifierNode, cmd: Node, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = node;
    const name = node.ident;
    const callee = this.findFunction(name);
    if (callee === null) this.fail(`${quoteGo(name)} is not a defined function`);
    return this.evalCall(dot, callee, cmd, name, args, final);
  }

  private findFunction(name: string): Callee | null {
    if (this.execFuncs && Object.hasOwn(this.execFuncs, name) && typeof this.execFuncs[name] === 'function') {
      return { kind: 'js', fn: this.execFuncs[name], self: undefined };
    }
    if (Object.hasOwn(this.c.funcs, name) && typeof this.c.funcs[name] === 'function') {
      return { kind: 'js', fn: this.c.funcs[name], self: undefined };
    }
    const b = BUILTINS.get(name);
    return b ? { kind: 'builtin', name, spec: b } : null;
  }

  private evalField(
    dot: Val,
    fieldName: string,
    node: Node,
    args: readonly ArgNode[] | null,
    final: Final,
    receiver: Val,
    recvIface: boolean,
  ): Val {
    this.lastIface = false;
    if (receiver !== NILI && isNil(receiver)) {
      if (this.c.missingKey === 'error') this.fail(`nil data; no entry for key ${quoteGo(fieldName)}`);
      return undefined;
    }
    const typ = recvIface || receiver === NILI ? 'interface {}' : typeName(receiver);
    if (receiver === NILI) this.fail(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    const kind = kindOf(receiver);
    if (typeof receiver === 'object' && receiver !== null) {
      const method = methodOf(receiver, fieldName);
      if (method !== null) return this.evalCall(dot, { kind: 'js', fn: method, self: receiver }, node, fieldName, args, final);
    }
    if (kind === K.Struct) {
      const obj = receiver as Record<string, unknown>;
      if (isStructMember(obj, fieldName)) {
        let prop: unknown;
        try {
          prop = obj[fieldName]; // a getter may throw
        } catch (e) {
          this.fail(`error calling ${fieldName}: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (typeof prop === 'function') {
          return this.evalCall(dot, { kind: 'js', fn: prop as JsFunc, self: obj }, node, fieldName, args, final);
        }
        if (hasArgs) this.fail(`${fieldName} has arguments but cannot be invoked as function`);
        return isNil(prop) ? NILI : prop;
      }
    } else if (kind === K.Map) {
      if (hasArgs) this.fail(`${fieldName} is not a method but has arguments`);
      const { found, value } = mapGet(receiver, fieldName);
      this.lastIface = true;
      if (!found) {
        if (this.c.missingKey === 'zero') return NILI;
        if (this.c.missingKey === 'error') this.fail(`map has no entry for key ${quoteGo(fieldName)}`);
        this.lastIface = false;
        return undefined;
      }
      return isNil(value) ? NILI : value;
    }
    this.fail(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(dot: Val, callee: Callee, node: Node, name: string, argNodes: readonly ArgNode[] | null, final: Final): Val {
    const args = argNodes ? argNodes.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    let fixed: readonly ParamType[] = [];
    let variadic: ParamType | null = 'any';
    if (callee.kind === 'builtin') {
      fixed = callee.spec.fixed;
      variadic = callee.spec.variadic;
      if (variadic !== null) {
        if (numIn < fixed.length) this.fail(`wrong number of args for ${name}: want at least ${fixed.length} got ${args.length}`);
      } else if (numIn !== fixed.length) {
        this.fail(`wrong number of args for ${name}: want ${fixed.length} got ${numIn}`);
      }
      if (name === 'and' || name === 'or') {
        let v: Val = undefined;
        for (const arg of args) {
          v = this.evalArg(dot, 'value', arg);
          if (truth(unIface(v)) === (name === 'or')) return v;
        }
        if (final !== MISSING) v = final;
        return v;
      }
    }
    const argv: Val[] = new Array<Val>(numIn);
    let i = 0;
    for (; i < fixed.length && i < args.length; i++) argv[i] = this.evalArg(dot, fixed[i]!, args[i]!);
    if (variadic !== null) for (; i < args.length; i++) argv[i] = this.evalArg(dot, variadic, args[i]!);
    if (final !== MISSING) {
      const t = numIn - 1 < fixed.length ? fixed[numIn - 1]! : (variadic ?? 'any');
      argv[i] = this.validateType(final, t);
    }
    try {
      if (callee.kind === 'builtin') return callee.spec.fn(...argv);
      const r = callee.fn.apply(callee.self, argv.map(toJs));
      return r;
    } catch (e) {
      if (e instanceof TemplateError || (e instanceof RangeError && /call stack/i.test(e.message))) throw e;
      this.node = node;
      const msg = e instanceof FuncError || e instanceof Error ? e.message : String(e);
      this.fail(`error calling ${name}: ${msg}`);
    }
  }

  private validateType(value: Val, typ: ParamType | null): Val {
    if (value !== NILI && isNil(value)) {
      if (typ === 'string') this.fail('invalid value; expected string');
      return undefined;
    }
    if (typ === 'string' && typeof value !== 'string') {
      this.fail(`wrong type for value; expected string; got ${value === NILI ? 'interface {}' : typeName(value)}`);
    }
    return value;
  }

  private evalArg(dot: Val, typ: ParamType | null, n: ArgNode): Val {
    this.node = n;
    switch (n.type) {
      case 'dot':
        this.lastIface = this.dotIface;
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'string') this.fail('cannot assign nil to string');
        return undefined;
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
      default:
        break;
    }
    if (typ === 'string') {
      if (n.type === 'string') return n.text;
      this.fail(`expected string; found ${nodeString(n)}`);
    }
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
  }

  private printValue(n: ActionNode, v: Val): void {
    this.node = n;
    if (isNil(v) || v === NILI) {
      this.emit('<no value>');
      return;
    }
    if (typeof v === 'string') {
      this.emit(v);
      return;
    }
    if (typeof v === 'function') this.fail(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    this.emit(printOne(v));
  }

  /** Appends to the output, within MAX_RENDER_CHARS (limits.ts). */
  private emit(text: string): void {
    if (this.out.length + text.length > MAX_RENDER_CHARS) this.fail(`output exceeds the limit of ${MAX_RENDER_CHARS} characters per render`);
    this.out += text;
  }
}

