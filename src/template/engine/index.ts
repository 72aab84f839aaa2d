// Go's text/template in TypeScript: parse once, execute many times.
// Messages, output and semantics follow Go (see values.ts for how JS values
// stand for Go values, and README.md for what differs from Go).

import { BUILTINS } from './builtins.js';
import { TemplateError } from './errors.js';
import { execute as run, type Compiled } from './exec.js';
import { parseSet, ParseFailure } from './parse.js';

export { TemplateError } from './errors.js';
export { Float64 } from './values.js';
export { MAX_RENDER_CHARS, MAX_RENDER_ITEMS, checkChars, checkItems } from './limits.js';
/** Go's fmt.Sprint and fmt.Sprintf over template values, for functions that must format as Go does. */
export { sprint as goSprint, sprintf as goSprintf } from './fmt.js';

/** A template function. Throwing makes the action fail with Go's "error calling NAME: MSG". */
export type TemplateFunc = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
export type FuncMap = Readonly<Record<string, TemplateFunc>>;

export interface TemplateOptions {
  /** Action delimiters; default "{{" and "}}". */
  leftDelim?: string;
  rightDelim?: string;
  /** Functions known at parse time: an unknown name is a parse error, as in Go. */
  funcs?: FuncMap;
  /** Go's Option("missingkey=..."): what a missing map key gives. Default 'default' (prints "<no value>"). */
  missingKey?: 'default' | 'zero' | 'error';
}

/** A parsed template set: the main template plus its {{define}}s and {{block}}s. */
export interface Template {
  readonly name: string;
  /** Renders with `data` as dot; `funcs` override same-named parse-time functions. Throws TemplateError. */
  execute(data: unknown, funcs?: FuncMap): string;
}

/** Parses `text` as the template `name`. Throws TemplateError. */
export function parseTemplate(name: string, text: string, opts: TemplateOptions = {}): Template {
  const funcs = opts.funcs ?? {};
  const hasFunction = (fn: string): boolean =>
    (Object.prototype.hasOwnProperty.call(funcs, fn) && typeof funcs[fn] === 'function') || BUILTINS.has(fn);
  let trees;
  try {
    ({ trees } = parseSet(name, text, opts.leftDelim ?? '', opts.rightDelim ?? '', hasFunction));
  } catch (e) {
    if (e instanceof ParseFailure) throw new TemplateError(e.message, name, e.line);
    throw e;
  }
  const compiled: Compiled = { parseName: name, text, trees, funcs, missingKey: opts.missingKey ?? 'default' };
  return {
    name,
    execute: (data: unknown, execFuncs?: FuncMap): string => run(compiled, name, data, execFuncs),
  };
}
