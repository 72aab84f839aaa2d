/**
 * Typed validators for JSON-shaped messages that cross a process boundary
 * (executor socket requests, driver state read back from the agent's store):
 * camelCase JSON objects, not HCL (config-spec.ts does HCL). A shape is
 * declared once; `Infer<typeof s>` is its TypeScript type and `parseShape`
 * checks a value against it, naming the field path of every problem:
 *
 *   const launch = shape.object({ taskId: shape.string(), pid: shape.integer(), cgroup: shape.optional(shape.string()) });
 *   parseShape(launch, JSON.parse(line), 'launch'); // throws "launch.pid: expected an integer, got string "7""
 *
 * Objects drop keys they do not declare, as protobuf decoders do, so an
 * older reader accepts a newer writer's message; the result holds only what
 * the shape declares.
 */
import { ValidationError, type FieldProblem } from './errors.js';

/** Returned by a failed check (after it recorded why); undefined is a valid value of optional shapes. */
const INVALID: unique symbol = Symbol('invalid');
type Invalid = typeof INVALID;

/** A validator producing `T`. */
export interface Shape<T> {
  /** Records a problem for each mismatch under `path`; returns the (copied) value or INVALID. */
  check(v: unknown, path: string, problems: FieldProblem[]): T | Invalid;
}

/** A shape whose value may be absent (an optional object field). */
export interface OptionalShape<T> extends Shape<T | undefined> {
  readonly optional: true;
}

/** The type a shape produces. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

type Fields = Readonly<Record<string, Shape<unknown>>>;
type Flat<T> = { [K in keyof T]: T[K] };

/** An object shape's value: required keys for plain shapes, optional ones for `shape.optional`. */
export type ObjectValue<F extends Fields> = Flat<
  { readonly [K in keyof F as F[K] extends OptionalShape<unknown> ? never : K]: Infer<F[K]> } & {
    readonly [K in keyof F as F[K] extends OptionalShape<unknown> ? K : never]?: Infer<F[K]>;
  }
>;

/** An object shape; its fields stay reachable for composing shapes. */
export interface ObjectShape<F extends Fields> extends Shape<ObjectValue<F>> {
  readonly fields: F;
}

/** The union of a discriminated shape's variants, each with its tag. */
export type VariantValue<K extends string, V extends Readonly<Record<string, ObjectShape<Fields>>>> = {
  [T in keyof V & string]: Flat<{ readonly [k in K]: T } & Infer<V[T]>>;
}[keyof V & string];

/** True when `A` and `B` are the same type (optional and readonly modifiers included). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * A compile error unless `T` is true. `type _ = Assert<Equals<Infer<typeof s>, I>>`
 * pins a shape to the interface it validates, so neither gains a field the other lacks.
 */
export type Assert<T extends true> = T;

/** True for a plain JSON-style object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function primitive<T>(expected: string, ok: (v: unknown) => v is T): Shape<T> {
  return {
    check(v, path, problems) {
      if (ok(v)) return v;
      problems.push({ field: path, message: `expected ${expected}, got ${describe(v)}` });
      return INVALID;
    },
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isAnything = (_v: unknown): _v is unknown => true;

/** Shape constructors. */
export const shape = {
  string: (): Shape<string> => primitive('a string', isString),
  /** A finite number. */
  number: (): Shape<number> => primitive('a number', isNumber),
  /** A safe integer (pids, ids, ms). */
  integer: (): Shape<number> => primitive('an integer', isInteger),
  boolean: (): Shape<boolean> => primitive('a boolean', isBoolean),
  /** Anything, unchecked (opaque payloads). */
  unknown: (): Shape<unknown> => primitive('anything', isAnything),

  /** One of the given strings. */
  literal<const L extends string>(...values: readonly L[]): Shape<L> {
    const expected = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
    return primitive(expected, (v: unknown): v is L => values.some((x) => x === v));
  },

  /** A value that may be absent (undefined); only meaningful as an object field. */
  optional<T>(s: Shape<T>): OptionalShape<T> {
    return {
      optional: true,
      check: (v, path, problems) => (v === undefined ? undefined : s.check(v, path, problems)),
    };
  },

  array<T>(item: Shape<T>): Shape<readonly T[]> {
    return {
      check(v, path, problems) {
        if (!Array.isArray(v)) {
          problems.push({ field: path, message: `expected a list, got ${describe(v)}` });
          return INVALID;
        }
        const before = problems.length;
        const out = v.map((x: unknown, i) => item.check(x, `${path}[${i}]`, problems));
        return problems.length === before ? out.filter((x): x is T => x !== INVALID) : INVALID;
      },
    };
  },

  /** An object used as a map: any keys, every value of `value`'s shape. */
  record<T>(value: Shape<T>): Shape<Readonly<Record<string, T>>> {
    return {
      check(v, path, problems) {
        if (!isRecord(v)) {
          problems.push({ field: path, message: `expected an object, got ${describe(v)}` });
          return INVALID;
        }
        const out: Record<string, T> = {};
        let ok = true;
        for (const [k, x] of Object.entries(v)) {
          const r = value.check(x, join(path, k), problems);
          if (r === INVALID) ok = false;
          else out[k] = r;
        }
        return ok ? out : INVALID;
      },
    };
  },

  /** An object with these fields (others are dropped). */
  object<F extends Fields>(fields: F): ObjectShape<F> {
    return {
      fields,
      check(v, path, problems) {
        if (!isRecord(v)) {
          problems.push({ field: path, message: `expected an object, got ${describe(v)}` });
          return INVALID;
        }
        const out: Record<string, unknown> = {};
        let ok = true;
        for (const [k, s] of Object.entries(fields)) {
          const field = join(path, k);
          const x = Object.hasOwn(v, k) ? v[k] : undefined;
          if (x === undefined && !('optional' in s)) {
            problems.push({ field, message: 'missing required field' });
            ok = false;
            continue;
          }
          const r = s.check(x, field, problems);
          if (r === INVALID) ok = false;
          else if (r !== undefined) out[k] = r;
        }
        // `out` holds exactly the declared fields, each checked by its own shape.
        return ok ? (out as ObjectValue<F>) : INVALID;
      },
    };
  },

  /** A discriminated union: `key` names the variant, whose object shape checks the rest. */
  variant<const K extends string, V extends Readonly<Record<string, ObjectShape<Fields>>>>(key: K, variants: V): Shape<VariantValue<K, V>> {
    const tags = Object.keys(variants);
    return {
      check(v, path, problems) {
        if (!isRecord(v)) {
          problems.push({ field: path, message: `expected an object, got ${describe(v)}` });
          return INVALID;
        }
        const tag = v[key];
        const s = typeof tag === 'string' && Object.hasOwn(variants, tag) ? variants[tag] : undefined;
        if (s === undefined) {
          const field = join(path, key);
          if (tag === undefined) problems.push({ field, message: 'missing required field' });
          else problems.push({ field, message: `expected one of ${tags.map((t) => JSON.stringify(t)).join(', ')}, got ${describe(tag)}` });
          return INVALID;
        }
        const r = s.check(v, path, problems);
        // The variant's own fields plus the tag that selected it.
        return r === INVALID ? INVALID : ({ [key]: tag, ...r } as VariantValue<K, V>);
      },
    };
  },
};

/**
 * `value` as the shape's type, or a ValidationError listing every problem
 * with its field path under `what` ("launch.spec.resources.memoryMb:
 * expected a number, got string "x"").
 */
export function parseShape<T>(s: Shape<T>, value: unknown, what: string): T {
  const problems: FieldProblem[] = [];
  const r = s.check(value, what, problems);
  if (r === INVALID || problems.length > 0) throw new ValidationError(problems);
  return r;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A value as error text, long strings cut (a bad message may be large). */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v)}`;
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? `${typeof v} ${v}` : typeof v;
}
