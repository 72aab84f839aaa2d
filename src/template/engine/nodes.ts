// The parse tree, shaped like Go's text/template/parse nodes. `pos` is the
// string index where the node starts (Go's Pos, in UTF-16 units here);
// nodeString renders a node the way Go's Node.String does, which error
// messages quote ("executing ... at <.Foo.Bar>").

import { quoteGo } from './lex.js';

export interface ListNode { readonly type: 'list'; readonly pos: number; readonly nodes: Node[] }
export interface TextNode { readonly type: 'text'; readonly pos: number; readonly text: string }
export interface CommentNode { readonly type: 'comment'; readonly pos: number; readonly text: string }
export interface PipeNode {
  readonly type: 'pipe';
  readonly pos: number;
  readonly line: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface ActionNode { readonly type: 'action'; readonly pos: number; readonly line: number; readonly pipe: PipeNode }
export interface CommandNode { readonly type: 'command'; readonly pos: number; readonly args: ArgNode[] }
export interface IdentifierNode { readonly type: 'identifier'; readonly pos: number; readonly ident: string }
export interface VariableNode { readonly type: 'variable'; readonly pos: number; readonly ident: string[] }
export interface DotNode { readonly type: 'dot'; readonly pos: number }
export interface NilNode { readonly type: 'nil'; readonly pos: number }
export interface FieldNode { readonly type: 'field'; readonly pos: number; readonly ident: string[] }
export interface ChainNode { readonly type: 'chain'; readonly pos: number; readonly node: ArgNode; readonly field: string[] }
export interface BoolNode { readonly type: 'bool'; readonly pos: number; readonly value: boolean }
export interface NumberNode {
  readonly type: 'number';
  readonly pos: number;
  readonly text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  imag: number;
}
export interface StringNode { readonly type: 'string'; readonly pos: number; readonly quoted: string; readonly text: string }
export interface EndNode { readonly type: 'end'; readonly pos: number }
export interface ElseNode { readonly type: 'else'; readonly pos: number; readonly line: number }
export interface BranchNode {
  readonly type: 'if' | 'range' | 'with';
  readonly pos: number;
  readonly line: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}
export interface BreakNode { readonly type: 'break'; readonly pos: number; readonly line: number }
export interface ContinueNode { readonly type: 'continue'; readonly pos: number; readonly line: number }
export interface TemplateNode {
  readonly type: 'template';
  readonly pos: number;
  readonly line: number;
  readonly name: string;
  readonly pipe: PipeNode | null;
}

/** Operands: what a command's words can be. */
export type ArgNode =
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type Node =
  | ListNode
  | TextNode
  | CommentNode
  | ActionNode
  | CommandNode
  | EndNode
  | ElseNode
  | BranchNode
  | BreakNode
  | ContinueNode
  | TemplateNode
  | ArgNode;

export function nodeString(n: Node): string {
  switch (n.type) {
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'text':
      return n.text;
    case 'comment':
      return '{{' + n.text + '}}';
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(', ') + ' := ';
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'action':
      return '{{' + nodeString(n.pipe) + '}}';
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? '(' + nodeString(a) + ')' : nodeString(a))).join(' ');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return n.ident.map((id) => '.' + id).join('');
    case 'chain': {
      const head = n.node.type === 'pipe' ? '(' + nodeString(n.node) + ')' : nodeString(n.node);
      return head + n.field.map((f) => '.' + f).join('');
    }
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
    case 'if':
    case 'range':
    case 'with': {
      let s = '{{' + n.type + ' ' + nodeString(n.pipe) + '}}' + nodeString(n.list);
      if (n.elseList) s += '{{else}}' + nodeString(n.elseList);
      return s + '{{end}}';
    }
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'template':
      return '{{template ' + quoteGo(n.name) + (n.pipe ? ' ' + nodeString(n.pipe) : '') + '}}';
  }
}
