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
import { ValidationError } from './errors.js';
/** Returned by a failed check (after it recorded why); undefined is a valid value of optional shapes. */
const INVALID = Symbol('invalid');
/** True for a plain JSON-style object (not null, not an array). */
export function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function primitive(expected, ok) {
    return {
        check(v, path, problems) {
            if (ok(v))
                return v;
            problems.push({ field: path, message: `expected ${expected}, got ${describe(v)}` });
            return INVALID;
        },
    };
}
const isString = (v) => typeof v === 'string';
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const isInteger = (v) => Number.isSafeInteger(v);
const isBoolean = (v) => typeof v === 'boolean';
const isAnything = (_v) => true;
/** Shape constructors. */
export const shape = {
    string: () => primitive('a string', isString),
    /** A finite number. */
    number: () => primitive('a number', isNumber),
    /** A safe integer (pids, ids, ms). */
    integer: () => primitive('an integer', isInteger),
    boolean: () => primitive('a boolean', isBoolean),
    /** Anything, unchecked (opaque payloads). */
    unknown: () => primitive('anything', isAnything),
    /** One of the given strings. */
    literal(...values) {
        const expected = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
        return primitive(expected, (v) => values.some((x) => x === v));
    },
    /** A value that may be absent (undefined); only meaningful as an object field. */
    optional(s) {
        return {
            optional: true,
            check: (v, path, problems) => (v === undefined ? undefined : s.check(v, path, problems)),
        };
    },
    array(item) {
        return {
            check(v, path, problems) {
                if (!Array.isArray(v)) {
                    problems.push({ field: path, message: `expected a list, got ${describe(v)}` });
                    return INVALID;
                }
                const before = problems.length;
                const out = v.map((x, i) => item.check(x, `${path}[${i}]`, problems));
                return problems.length === before ? out.filter((x) => x !== INVALID) : INVALID;
            },
        };
    },
    /** An object used as a map: any keys, every value of `value`'s shape. */
    record(value) {
        return {
            check(v, path, problems) {
                if (!isRecord(v)) {
                    problems.push({ field: path, message: `expected an object, got ${describe(v)}` });
                    return INVALID;
                }
                const out = {};
                let ok = true;
                for (const [k, x] of Object.entries(v)) {
                    const r = value.check(x, join(path, k), problems);
                    if (r === INVALID)
                        ok = false;
                    else
                        out[k] = r;
                }
                return ok ? out : INVALID;
            },
        };
    },
    /** An object with these fields (others are dropped). */
    object(fields) {
        return {
            fields,
            check(v, path, problems) {
                if (!isRecord(v)) {
                    problems.push({ field: path, message: `expected an object, got ${describe(v)}` });
                    return INVALID;
                }
                const out = {};
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
                    if (r === INVALID)
                        ok = false;
                    else if (r !== undefined)
                        out[k] = r;
                }
                // `out` holds exactly the declared fields, each checked by its own shape.
                return ok ? out : INVALID;
            },
        };
    },
    /** A discriminated union: `key` names the variant, whose object shape checks the rest. */
    variant(key, variants) {
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
                    if (tag === undefined)
                        problems.push({ field, message: 'missing required field' });
                    else
                        problems.push({ field, message: `expected one of ${tags.map((t) => JSON.stringify(t)).join(', ')}, got ${describe(tag)}` });
                    return INVALID;
                }
                const r = s.check(v, path, problems);
                // The variant's own fields plus the tag that selected it.
                return r === INVALID ? INVALID : { [key]: tag, ...r };
            },
        };
    },
};
/**
 * `value` as the shape's type, or a ValidationError listing every problem
 * with its field path under `what` ("launch.spec.resources.memoryMb:
 * expected a number, got string "x"").
 */
export function parseShape(s, value, what) {
    const problems = [];
    const r = s.check(value, what, problems);
    if (r === INVALID || problems.length > 0)
        throw new ValidationError(problems);
    return r;
}
function join(path, key) {
    return path === '' ? key : `${path}.${key}`;
}
/** A value as error text, long strings cut (a bad message may be large). */
function describe(v) {
    if (v === undefined)
        return 'nothing';
    if (v === null)
        return 'null';
    if (Array.isArray(v))
        return 'a list';
    if (typeof v === 'object')
        return 'an object';
    if (typeof v === 'string')
        return `string ${JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v)}`;
    return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? `${typeof v} ${v}` : typeof v;
}
//# sourceMappingURL=shape.js.map