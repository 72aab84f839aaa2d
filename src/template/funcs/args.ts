/**
 * Argument checking for template functions. Go's text/template checks each
 * argument against the function's Go signature before the call; drover's
 * functions are plain JS, so each declares its Go parameter types here and
 * gets Go's messages ("wrong number of args for NAME: want 1 got 2",
 * "wrong type for value; expected string; got int").
 */
import type { TemplateFunc } from './types.js';
import { goNumber, goTypeName, isGoMap } from './go-values.js';

/** Go parameter types the functions use: string, int, bool, []string, map[string]interface{}, float64 (any number), interface{}. */
export type Param = 'string' | 'int' | 'bool' | 'strings' | 'map' | 'number' | 'any';

const goName: Record<Param, string> = {
  string: 'string',
  int: 'int',
  bool: 'bool',
  strings: '[]string',
  map: 'map[string]interface {}',
  number: 'float64',
  any: 'interface {}',
};

/** Throws Go's message when `v` cannot be passed as `p`; gives the value the function gets (numbers unboxed). */
export function checkArg(p: Param, v: unknown): unknown {
  if (p === 'any') return v;
  if (v === null || v === undefined) {
    if (p === 'strings' || p === 'map') return v; // a nil slice or map is a valid value of those types
    throw new Error(`invalid value; expected ${goName[p]}`);
  }
  if (p === 'int' || p === 'number') {
    // An integral float constant (2.0) converts to int as Go converts constants.
    const g = goNumber(v);
    if (g && (p === 'number' || Number.isInteger(g.n))) return g.n;
  }
  if (matches(p, v)) return v;
  throw new Error(`wrong type for value; expected ${goName[p]}; got ${goTypeName(v)}`);
}

function matches(p: Param, v: unknown): boolean {
  switch (p) {
    case 'string':
      return typeof v === 'string';
    case 'int':
    case 'number':
      return false; // numbers were taken above
    case 'bool':
      return typeof v === 'boolean';
    case 'strings':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'map':
      return isGoMap(v);
    case 'any':
      return true;
  }
}

/**
 * A function with Go's signature checks: `params` fixed parameters, then any
 * number of `variadic` ones when given.
 */
export function fn<A extends unknown[]>(
  name: string,
  params: readonly Param[],
  impl: (...args: A) => unknown,
  variadic?: Param,
): TemplateFunc {
  return (...args: unknown[]) => {
    if (variadic === undefined ? args.length !== params.length : args.length < params.length) {
      const want = variadic === undefined ? `${params.length}` : `at least ${params.length}`;
      throw new Error(`wrong number of args for ${name}: want ${want} got ${args.length}`);
    }
    const checked = args.map((a, i) => checkArg(params[i] ?? variadic ?? 'any', a));
    return impl(...(checked as A));
  };
}
