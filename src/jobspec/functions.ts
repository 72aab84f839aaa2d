/**
 * The few HCL functions drover evaluates in job files (Nomad's jobspec2 has
 * ~80; these cover what variables and locals typically need).
 */
import { ExprError, asList, asNumber, asString } from './expr.js';

type Fn = (args: unknown[], src: string) => unknown;

const arity = (args: unknown[], n: number, name: string, src: string): void => {
  if (args.length !== n) throw new ExprError(`${name}() takes ${n} argument(s) in "\${${src}}"`);
};

/** The HCL functions drover evaluates (a small subset of Nomad's jobspec2 functions). */
export const FUNCTIONS: Record<string, Fn> = {
  upper: (a, s) => (arity(a, 1, 'upper', s), asString(a[0], s).toUpperCase()),
  lower: (a, s) => (arity(a, 1, 'lower', s), asString(a[0], s).toLowerCase()),
  trimspace: (a, s) => (arity(a, 1, 'trimspace', s), asString(a[0], s).trim()),
  join: (a, s) => (arity(a, 2, 'join', s), asList(a[1], s).map((x) => asString(x, s)).join(asString(a[0], s))),
  split: (a, s) => (arity(a, 2, 'split', s), asString(a[1], s).split(asString(a[0], s))),
  length: (a, s) => {
    arity(a, 1, 'length', s);
    const v = a[0];
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (typeof v === 'object' && v !== null) return Object.keys(v).length;
    throw new ExprError(`length() needs a string, list or map in "\${${s}}"`);
  },
  concat: (a, s) => a.flatMap((x) => asList(x, s)),
  lookup: (a, s) => {
    if (a.length !== 2 && a.length !== 3) throw new ExprError(`lookup() takes 2 or 3 arguments in "\${${s}}"`);
    const m = a[0];
    const k = asString(a[1], s);
    if (typeof m === 'object' && m !== null && !Array.isArray(m) && Object.hasOwn(m, k)) return (m as Record<string, unknown>)[k];
    if (a.length === 3) return a[2];
    throw new ExprError(`lookup() found no key "${k}" in "\${${s}}"`);
  },
  min: (a, s) => Math.min(...a.map((x) => asNumber(x, s))),
  max: (a, s) => Math.max(...a.map((x) => asNumber(x, s))),
  tostring: (a, s) => (arity(a, 1, 'tostring', s), asString(a[0], s)),
  tonumber: (a, s) => (arity(a, 1, 'tonumber', s), asNumber(a[0], s)),
  format: (a, s) => {
    const fmt = asString(a[0], s);
    let n = 1;
    return fmt.replace(/%([%sdvq])/g, (_, verb: string) => {
      if (verb === '%') return '%';
      if (n >= a.length) throw new ExprError(`format() has too few arguments in "\${${s}}"`);
      const v = a[n++];
      if (verb === 'd') return String(Math.trunc(asNumber(v, s)));
      if (verb === 'q') return JSON.stringify(asString(v, s));
      return verb === 'v' && typeof v === 'object' ? JSON.stringify(v) : asString(v, s);
    });
  },
};
