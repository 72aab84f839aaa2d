/**
 * Go's encoding/json Marshal for template values, as consul-template's toJSON
 * family uses it: map keys sorted, struct fields in declaration order, HTML
 * characters escaped as \u003c \u003e \u0026 (unless asked not to), U+2028
 * and U+2029 always escaped, NaN and infinities refused.
 */
import {
  compareGoStrings, goJSON, goScalar, goTypeName, isGoMap, mapEntries, structFields, unboxFloat,
  type HasGoJSON, type HasGoScalar,
} from './go-values.js';

export interface GoJSONOptions {
  /** MarshalIndent's indent ("" for compact). */
  readonly indent?: string;
  /** Go's default; toUnescapedJSON turns it off. */
  readonly escapeHTML?: boolean;
}

export function marshalGoJSON(v: unknown, opts: GoJSONOptions = {}): string {
  const indent = opts.indent ?? '';
  const escapeHTML = opts.escapeHTML ?? true;
  const seen = new Set<unknown>();

  const str = (s: string): string => {
    let out = JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
    if (escapeHTML) out = out.replace(/[<>&]/g, (c) => '\\u00' + c.charCodeAt(0).toString(16));
    return out;
  };

  const enc = (boxed: unknown, depth: number): string => {
    const x = unboxFloat(boxed);
    if (x === null || x === undefined) return 'null';
    switch (typeof x) {
      case 'string':
        return str(x);
      case 'boolean':
        return x ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(x)) throw new Error(`json: unsupported value: ${Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf'}`);
        return JSON.stringify(x);
      case 'bigint':
        return x.toString();
      case 'function':
        throw new Error('json: unsupported type: func()');
      default:
        break;
    }
    if (typeof x === 'object' && goJSON in x) return enc((x as HasGoJSON)[goJSON](), depth);
    if (typeof x === 'object' && goScalar in x) return enc((x as HasGoScalar)[goScalar](), depth);
    if (seen.has(x)) throw new Error(`json: unsupported value: encountered a cycle via ${goTypeName(x)}`);
    seen.add(x);
    try {
      const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
      const end = indent ? '\n' + indent.repeat(depth) : '';
      const colon = indent ? ': ' : ':';
      if (Array.isArray(x)) {
        if (x.length === 0) return '[]';
        return '[' + x.map((e) => nl + enc(e, depth + 1)).join(',') + end + ']';
      }
      const entries = isGoMap(x)
        ? mapEntries(x).sort(([a], [b]) => compareGoStrings(a, b))
        : structFields(x);
      if (entries.length === 0) return '{}';
      return '{' + entries.map(([k, e]) => nl + str(k) + colon + enc(e, depth + 1)).join(',') + end + '}';
    } finally {
      seen.delete(x);
    }
  };
  return enc(v, 0);
}
