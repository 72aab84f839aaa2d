/**
 * The seam between the template hook and the template library: parse one
 * template with consul-template's functions bound to a render's context,
 * then execute it. The library (src/template/engine + src/template/funcs)
 * implements it; the hook only needs this shape.
 */
import type { FuncContext } from '../../../template/funcs/index.js';

/** What one render's functions read: the funcs library's own context. */
export type RenderContext = FuncContext;

export interface TemplateParseOptions {
  readonly leftDelim: string;
  readonly rightDelim: string;
  /** consul-template: "error" with error_on_missing_key, else "zero". */
  readonly missingKey: 'zero' | 'error';
}

/** A failure with Go's text ("template: NAME:3:7: ..."), as the engine throws it. */
export interface ParsedTemplate {
  execute(): string;
}

export interface TemplateEngine {
  /** Throws on a parse error; the returned template throws on an execution error. */
  parse(name: string, text: string, opts: TemplateParseOptions, ctx: RenderContext): ParsedTemplate;
}
