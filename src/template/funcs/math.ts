/**
 * consul-template's math helpers. Arguments come piped, so `add b a` is
 * a + b and `subtract b a` is a − b ({{ 5 | subtract 2 }} is 3). Two ints
 * give an int (division truncates, by zero fails as Go's runtime does);
 * a float on either side gives a float; modulo takes ints only.
 */
import { goSprint } from './go-print.js';
import { goFloat, goNumber, goQuote, goTypeName, unboxFloat } from './go-values.js';
import type { TemplateFunc } from './types.js';

/** What Go's %q prints for a reflect.Value of the argument. */
function quoteValue(v: unknown): string {
  if (v === null || v === undefined) return '<invalid reflect.Value>';
  if (typeof v === 'string') return goQuote(v);
  return `%!q(${goTypeName(v)}=${goSprint(unboxFloat(v))})`;
}

type Op = (a: number, b: number, ints: boolean) => number;

function mathFunc(name: string, op: Op, intsOnly = false): TemplateFunc {
  return (...args: unknown[]) => {
    if (args.length !== 2) throw new Error(`wrong number of args for ${name}: want 2 got ${args.length}`);
    const [b, a] = args;
    // Go checks the piped value (a) first.
    const [x, y] = [a, b].map((v) => {
      const g = goNumber(v);
      if (!g || (intsOnly && g.float)) throw new Error(`${name}: unknown type for ${quoteValue(v)} (${goTypeName(v)})`);
      return g;
    }) as [{ n: number; float: boolean }, { n: number; float: boolean }];
    const ints = !x.float && !y.float;
    const r = op(x.n, y.n, ints);
    return ints ? r : goFloat(r);
  };
}

const intDiv = (x: number, y: number): number => {
  if (y === 0) throw new Error('runtime error: integer divide by zero');
  return Math.trunc(x / y);
};

export function mathFuncs(): Record<string, TemplateFunc> {
  return {
    add: mathFunc('add', (a, b) => a + b),
    subtract: mathFunc('subtract', (a, b) => a - b),
    multiply: mathFunc('multiply', (a, b) => a * b),
    divide: mathFunc('divide', (a, b, ints) => (ints ? intDiv(a, b) : a / b)),
    modulo: mathFunc('modulo', (a, b) => {
      if (b === 0) throw new Error('runtime error: integer divide by zero');
      return a % b;
    }, true),
    minimum: mathFunc('minimum', (a, b) => (a < b ? a : b)),
    maximum: mathFunc('maximum', (a, b) => (a > b ? a : b)),
  };
}
