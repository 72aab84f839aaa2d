/**
 * Schemas for driver plugin config and task config {} blocks: a small typed
 * mirror of Nomad's hclspec, so one declaration serves validation at submit
 * time, typed decoding at task start, and (in plugin/) the hclspec sent to Nomad.
 *
 * Input is the JSON shape @cdktf/hcl2json produces: attributes are values,
 * blocks are arrays of objects.
 */
import { parseDuration } from './duration.js';
import type { FieldProblem } from './errors.js';

export type AttrType =
  | 'string'
  | 'number'
  | 'bool'
  /** A Go duration string decoded to integer ms (hclspec "string" on the wire). */
  | 'duration'
  | 'list(string)'
  | 'list(number)'
  | 'map(string)'
  /** Any value, passed through as written (hclspec "any"). */
  | 'any';

export interface AttrSpec {
  readonly kind: 'attr';
  readonly type: AttrType;
  readonly required?: boolean;
  readonly default?: unknown;
  /** Allowed values for a string attribute. */
  readonly oneOf?: readonly string[];
  /** Smallest allowed value for a number. */
  readonly min?: number;
}

export interface BlockSpec {
  readonly kind: 'block';
  readonly spec: ObjectSpec;
  readonly required?: boolean;
}

export interface BlockListSpec {
  readonly kind: 'blockList';
  readonly spec: ObjectSpec;
  readonly min?: number;
  readonly max?: number;
}

export type FieldSpec = AttrSpec | BlockSpec | BlockListSpec;

export interface ObjectSpec {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/** Shorthands used by the drivers' schema declarations. */
export const spec = {
  object: (fields: Record<string, FieldSpec>): ObjectSpec => ({ kind: 'object', fields }),
  attr: (type: AttrType, opts: Omit<AttrSpec, 'kind' | 'type'> = {}): AttrSpec => ({ kind: 'attr', type, ...opts }),
  block: (s: ObjectSpec, opts: { required?: boolean } = {}): BlockSpec => ({ kind: 'block', spec: s, ...opts }),
  blockList: (s: ObjectSpec, opts: { min?: number; max?: number } = {}): BlockListSpec => ({ kind: 'blockList', spec: s, ...opts }),
};

export interface DecodeOptions {
  /**
   * Leave strings that still hold `${...}` runtime interpolation unchecked
   * (submit-time validation: they are resolved at task start).
   */
  readonly allowInterpolation?: boolean;
}

export interface DecodeResult<T> {
  readonly value: T;
  readonly problems: FieldProblem[];
}

const INTERPOLATION = /\$\{[^}]*\}/;

/**
 * Decodes `raw` against `s`. Unknown keys, wrong types, missing required
 * attributes and bad durations are all reported (with the dotted field path
 * under `path`); defaults fill unset attributes.
 */
export function decodeSpec<T = Record<string, unknown>>(
  s: ObjectSpec,
  raw: unknown,
  path: string,
  opts: DecodeOptions = {},
): DecodeResult<T> {
  const problems: FieldProblem[] = [];
  const value = decodeObject(s, raw ?? {}, path, opts, problems);
  return { value: value as T, problems };
}

function decodeObject(s: ObjectSpec, raw: unknown, path: string, opts: DecodeOptions, problems: FieldProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ field: path, message: `expected a block, got ${describe(raw)}` });
    return out;
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(key in s.fields)) {
      const known = Object.keys(s.fields);
      problems.push({
        field: join(path, key),
        message: `unknown attribute or block "${key}"${suggest(key, known)}`,
      });
    }
  }
  for (const [key, field] of Object.entries(s.fields)) {
    const fieldPath = join(path, key);
    const present = key in input && input[key] !== null && input[key] !== undefined;
    switch (field.kind) {
      case 'attr':
        if (!present) {
          if (field.required) problems.push({ field: fieldPath, message: 'missing required attribute' });
          else if (field.default !== undefined) out[key] = decodeAttr(field, field.default, fieldPath, opts, problems);
          continue;
        }
        out[key] = decodeAttr(field, input[key], fieldPath, opts, problems);
        break;
      case 'block': {
        const blocks = asBlocks(input[key]);
        if (blocks.length === 0) {
          if (field.required) problems.push({ field: fieldPath, message: 'missing required block' });
          else out[key] = decodeObject(field.spec, {}, fieldPath, opts, problems);
          continue;
        }
        if (blocks.length > 1) problems.push({ field: fieldPath, message: `only one "${key}" block is allowed` });
        out[key] = decodeObject(field.spec, blocks[0], fieldPath, opts, problems);
        break;
      }
      case 'blockList': {
        const blocks = asBlocks(input[key]);
        if (field.min !== undefined && blocks.length < field.min)
          problems.push({ field: fieldPath, message: `at least ${field.min} "${key}" block(s) required` });
        if (field.max !== undefined && blocks.length > field.max)
          problems.push({ field: fieldPath, message: `at most ${field.max} "${key}" block(s) allowed` });
        out[key] = blocks.map((b, i) => decodeObject(field.spec, b, `${fieldPath}[${i}]`, opts, problems));
        break;
      }
      default: {
        const never: never = field;
        throw new Error(`unknown field spec ${String(never)}`);
      }
    }
  }
  return out;
}

function asBlocks(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function decodeAttr(field: AttrSpec, v: unknown, path: string, opts: DecodeOptions, problems: FieldProblem[]): unknown {
  const pending = opts.allowInterpolation === true && typeof v === 'string' && INTERPOLATION.test(v);
  const bad = (expected: string): undefined => {
    problems.push({ field: path, message: `expected ${expected}, got ${describe(v)}` });
    return undefined;
  };
  switch (field.type) {
    case 'string':
      if (typeof v === 'number' || typeof v === 'boolean') return String(v); // HCL converts primitives to string
      if (typeof v !== 'string') return bad('a string');
      if (!pending && field.oneOf && !field.oneOf.includes(v)) {
        problems.push({ field: path, message: `must be one of ${field.oneOf.map((o) => `"${o}"`).join(', ')}, got "${v}"` });
      }
      return v;
    case 'number': {
      if (pending) return v;
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) return bad('a number');
      if (field.min !== undefined && n < field.min) problems.push({ field: path, message: `must be at least ${field.min}, got ${n}` });
      return n;
    }
    case 'bool':
      if (pending) return v;
      if (v === 'true' || v === 'false') return v === 'true';
      if (typeof v !== 'boolean') return bad('a bool');
      return v;
    case 'duration':
      if (pending) return v;
      if (typeof v === 'number' && v === 0) return 0;
      if (typeof v !== 'string') return bad('a duration string such as "30s"');
      try {
        const ms = parseDuration(v);
        if (ms < 0) problems.push({ field: path, message: `duration must not be negative, got "${v}"` });
        return ms;
      } catch (err) {
        problems.push({ field: path, message: (err as Error).message });
        return undefined;
      }
    case 'list(string)':
      if (!Array.isArray(v)) return bad('a list of strings');
      return v.map((item, i) => (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? String(item) : bad(`a string at [${i}]`)));
    case 'list(number)':
      if (!Array.isArray(v)) return bad('a list of numbers');
      return v.map((item, i) => (typeof item === 'number' ? item : bad(`a number at [${i}]`)));
    case 'map(string)': {
      const obj = Array.isArray(v) && v.length === 1 ? v[0] : v; // `x { }` block syntax also decodes as a map
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return bad('a map of strings');
      const out: Record<string, string> = {};
      for (const [k, item] of Object.entries(obj as Record<string, unknown>)) {
        if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out[k] = String(item);
        else bad(`a string for key "${k}"`);
      }
      return out;
    }
    case 'any':
      return v;
    default: {
      const never: never = field.type;
      throw new Error(`unknown attr type ${String(never)}`);
    }
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a block or map';
  if (typeof v === 'string') return `string "${v}"`;
  return `${typeof v} ${String(v)}`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** ` (did you mean "x"?)` when a known name is one or two edits away. */
export function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}
