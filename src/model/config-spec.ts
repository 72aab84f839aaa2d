/**
 * Schemas for driver plugin config and task config {} blocks: a small typed
 * mirror of Nomad's hclspec, so one declaration serves validation at submit
 * time, typed decoding at task start, and (in plugin/) the hclspec sent to Nomad.
 *
 * Input is the JSON shape @cdktf/hcl2json produces: attributes are values,
 * blocks are arrays of objects.
 */
import { parseDuration } from './duration.js';
import { errorMessage, type FieldProblem } from './errors.js';
import { isRecord } from './shape.js';

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

/** Options of an attribute. */
export interface AttrOptions {
  readonly required?: boolean;
  readonly default?: unknown;
  /** Allowed values for a string attribute (its decoded type becomes their union). */
  readonly oneOf?: readonly string[];
  /** Smallest allowed value for a number. */
  readonly min?: number;
}

/** An attribute; the untyped base of what `spec.attr` returns. */
export interface AttrSpec extends AttrOptions {
  readonly kind: 'attr';
  readonly type: AttrType;
}

export interface BlockSpec<S extends ObjectSpec = ObjectSpec> {
  readonly kind: 'block';
  readonly spec: S;
  readonly required?: boolean;
}

export interface BlockListSpec<S extends ObjectSpec = ObjectSpec> {
  readonly kind: 'blockList';
  readonly spec: S;
  readonly min?: number;
  readonly max?: number;
}

export type FieldSpec = AttrSpec | BlockSpec | BlockListSpec;

/** A schema. Without a type argument it is the untyped base every schema is assignable to (hclspec, jobspec). */
export interface ObjectSpec<F extends Readonly<Record<string, FieldSpec>> = Readonly<Record<string, FieldSpec>>> {
  readonly kind: 'object';
  readonly fields: F;
}

/** No options, no renames. */
type Empty = Readonly<Record<never, never>>;

function attr<T extends AttrType>(type: T): TypedAttrSpec<T, Empty>;
function attr<T extends AttrType, const O extends AttrOptions>(type: T, opts: O): TypedAttrSpec<T, O>;
function attr(type: AttrType, opts: AttrOptions = {}): AttrSpec {
  return { kind: 'attr', type, ...opts };
}

/** Shorthands used by the drivers' schema declarations; each result keeps its static type for {@link SpecValue}. */
export const spec = {
  object: <F extends Readonly<Record<string, FieldSpec>>>(fields: F): ObjectSpec<F> => ({ kind: 'object', fields }),
  attr,
  block: <S extends ObjectSpec>(s: S, opts: { required?: boolean } = {}): BlockSpec<S> => ({ kind: 'block', spec: s, ...opts }),
  blockList: <S extends ObjectSpec>(s: S, opts: { min?: number; max?: number } = {}): BlockListSpec<S> => ({ kind: 'blockList', spec: s, ...opts }),
};

/** An attribute as `spec.attr` returns it: its type and options as literal types. */
export type TypedAttrSpec<T extends AttrType, O extends AttrOptions> = { readonly kind: 'attr'; readonly type: T } & O;

/** What each attribute type decodes to. */
interface AttrValues {
  string: string;
  number: number;
  bool: boolean;
  /** Integer ms. */
  duration: number;
  'list(string)': readonly string[];
  'list(number)': readonly number[];
  'map(string)': Readonly<Record<string, string>>;
  any: unknown;
}

type AttrValue<A extends AttrSpec> = A extends { readonly type: 'string'; readonly oneOf: readonly (infer L extends string)[] } ? L : AttrValues[A['type']];

/** Blocks are always decoded (an absent optional block gets its defaults); attributes only when required or defaulted. */
type AlwaysSet<F extends FieldSpec> = F extends AttrSpec
  ? F extends { readonly required: true }
    ? true
    : F extends { readonly default: infer D }
      ? undefined extends D
        ? false
        : true
      : false
  : true;

type FieldValue<F extends FieldSpec> = F extends AttrSpec
  ? AttrValue<F>
  : F extends BlockSpec<infer S>
    ? SpecValue<S>
    : F extends BlockListSpec<infer S>
      ? readonly SpecValue<S>[]
      : never;

type Flat<T> = { [K in keyof T]: T[K] };

/**
 * The decoded value of a schema (TypeBox's Static): required and defaulted
 * attributes are always set, other attributes may be undefined; durations
 * are ms; a block is its nested object, a block list an array of them. An
 * untyped ObjectSpec decodes to a record of unknowns.
 */
export type SpecValue<S extends ObjectSpec> = string extends keyof S['fields']
  ? Readonly<Record<string, unknown>>
  : Flat<
      { readonly [K in keyof S['fields'] as AlwaysSet<S['fields'][K]> extends true ? K : never]: FieldValue<S['fields'][K]> } & {
        readonly [K in keyof S['fields'] as AlwaysSet<S['fields'][K]> extends true ? never : K]?: FieldValue<S['fields'][K]> | undefined;
      }
    >;

type CamelCase<K extends string> = K extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : K;

/** Property names for keys whose name does not follow from the HCL key (a unit suffix, a shorter name). */
export type KeyRenames<V> = { readonly [K in keyof V]?: string };

/** A decoded value with its snake_case keys in camelCase (`cgroup_v2_override` → `cgroupV2Override`) or renamed by `R`. */
export type CamelCased<V, R extends KeyRenames<V> = Empty> = {
  readonly [K in keyof V as K extends keyof R ? Extract<R[K], string> : K extends string ? CamelCase<K> : never]: V[K];
};

/**
 * The fields of `s` out of a decoded value of a schema that embeds them
 * (mock_driver's task config holds its command's fields at top level).
 */
export function pickSpec<S extends ObjectSpec>(s: S, v: SpecValue<S>): SpecValue<S> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (Object.hasOwn(s.fields, k)) out[k] = x;
  // The keys of `s` with the values decoded for them: a SpecValue<S>.
  return out as SpecValue<S>;
}

/** `A` with the properties of `B` replacing its own: a decoded config whose driver parses or narrows some fields further. */
export type Overlay<A, B> = Flat<Omit<A, keyof B> & B>;

/**
 * A decoded value with camelCase keys, for drivers whose code uses
 * TypeScript names: the schema stays the one list of fields, and the
 * decoded config type is derived from it with {@link CamelCased}.
 */
export function camelCased<V extends object, const R extends KeyRenames<V> = Empty>(v: V, renames?: R): CamelCased<V, R> {
  const names = new Map(Object.entries(renames ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[names.get(k) ?? k.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())] = x;
  // The keys are renamed exactly as CamelCased renames them in the type.
  return out as CamelCased<V, R>;
}

export interface DecodeOptions {
  /**
   * Leave strings that still hold `${...}` runtime interpolation unchecked
   * (submit-time validation: they are resolved at task start).
   */
  readonly allowInterpolation?: boolean;
}

/** The decoded value matches its type only when `problems` is empty. */
export interface DecodeResult<T> {
  readonly value: T;
  readonly problems: FieldProblem[];
}

const INTERPOLATION = /\$\{[^}]*\}/;

/**
 * Decodes `raw` against `s`. Unknown keys, wrong types, missing required
 * attributes and bad durations are all reported (with the dotted field path
 * under `path`); defaults fill unset attributes. With `allowInterpolation`
 * a value may still be an unresolved `${...}` string, so it is not typed.
 */
export function decodeSpec<S extends ObjectSpec>(s: S, raw: unknown, path: string, opts?: { readonly allowInterpolation?: false }): DecodeResult<SpecValue<S>>;
export function decodeSpec(s: ObjectSpec, raw: unknown, path: string, opts: DecodeOptions): DecodeResult<unknown>;
export function decodeSpec<S extends ObjectSpec>(s: S, raw: unknown, path: string, opts: DecodeOptions = {}): DecodeResult<SpecValue<S>> {
  const problems: FieldProblem[] = [];
  const value = decodeObject(s, raw ?? {}, path, opts, problems);
  // decodeObject builds exactly the shape SpecValue describes from the same fields; the type cannot follow a loop over them.
  return { value: value as SpecValue<S>, problems };
}

function decodeObject(s: ObjectSpec, raw: unknown, path: string, opts: DecodeOptions, problems: FieldProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(raw)) {
    problems.push({ field: path, message: `expected a block, got ${describe(raw)}` });
    return out;
  }
  const input = raw;
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
        problems.push({ field: path, message: errorMessage(err) });
        return undefined;
      }
    case 'list(string)':
      if (!Array.isArray(v)) return bad('a list of strings');
      return v.map((item, i) => (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? String(item) : bad(`a string at [${i}]`)));
    case 'list(number)':
      if (!Array.isArray(v)) return bad('a list of numbers');
      return v.map((item, i) => (typeof item === 'number' ? item : bad(`a number at [${i}]`)));
    case 'map(string)': {
      const obj: unknown = Array.isArray(v) && v.length === 1 ? v[0] : v; // `x { }` block syntax also decodes as a map
      if (!isRecord(obj)) return bad('a map of strings');
      const out: Record<string, string> = {};
      for (const [k, item] of Object.entries(obj)) {
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
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? `${typeof v} ${v}` : typeof v;
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
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] ?? 0;
      prev[j] = Math.min(tmp + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] ?? 0;
}
