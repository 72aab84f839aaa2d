/** Go's %v for template values, as sprig's strval and error messages print them. */
import { formatGoFloat, isGoMap, mapEntries, structFields, unboxFloat } from './go-values.js';

export function goSprint(x: unknown): string {
  const v = unboxFloat(x);
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
      return formatGoFloat(v);
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'function':
      return '<func>';
    default:
      break;
  }
  if (Array.isArray(v)) return '[' + v.map(goSprint).join(' ') + ']';
  if (isGoMap(v)) return 'map[' + mapEntries(v).map(([k, x]) => `${k}:${goSprint(x)}`).join(' ') + ']';
  if (definesToString(v)) return (v as { toString(): string }).toString();
  return '{' + structFields(v).map(([, x]) => goSprint(x)).join(' ') + '}';
}

function definesToString(v: object): boolean {
  for (let p = Object.getPrototypeOf(v) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    if (Object.prototype.hasOwnProperty.call(p, 'toString')) return true;
  }
  return false;
}
