/**
 * Schemas for driver plugin config and task config {} blocks: a small typed
 * mirror of Nomad's hclspec, so one declaration serves validation at submit
 * time, typed decoding at task start, and (in plugin/) the hclspec sent to Nomad.
 *
 * Input is the JSON shape @cdktf/hcl2json produces: attributes are values,
 * blocks are arrays of objects.
 */
import { parseDuration } from './duration.js';
import { errorMessage } from './errors.js';
import { isRecord } from './shape.js';
function attr(type, opts = {}) {
    return { kind: 'attr', type, ...opts };
}
/** Shorthands used by the drivers' schema declarations; each result keeps its static type for {@link SpecValue}. */
export const spec = {
    object: (fields) => ({ kind: 'object', fields }),
    attr,
    block: (s, opts = {}) => ({ kind: 'block', spec: s, ...opts }),
    blockList: (s, opts = {}) => ({ kind: 'blockList', spec: s, ...opts }),
};
/**
 * The fields of `s` out of a decoded value of a schema that embeds them
 * (mock_driver's task config holds its command's fields at top level).
 */
export function pickSpec(s, v) {
    const out = {};
    for (const [k, x] of Object.entries(v))
        if (Object.hasOwn(s.fields, k))
            out[k] = x;
    // The keys of `s` with the values decoded for them: a SpecValue<S>.
    return out;
}
/**
 * A decoded value with camelCase keys, for drivers whose code uses
 * TypeScript names: the schema stays the one list of fields, and the
 * decoded config type is derived from it with {@link CamelCased}.
 */
export function camelCased(v, renames) {
    const names = new Map(Object.entries(renames ?? {}).filter((e) => typeof e[1] === 'string'));
    const out = {};
    for (const [k, x] of Object.entries(v))
        out[names.get(k) ?? k.replace(/_(\w)/g, (_m, c) => c.toUpperCase())] = x;
    // The keys are renamed exactly as CamelCased renames them in the type.
    return out;
}
const INTERPOLATION = /\$\{[^}]*\}/;
export function decodeSpec(s, raw, path, opts = {}) {
    const problems = [];
    const value = decodeObject(s, raw ?? {}, path, opts, problems);
    // decodeObject builds exactly the shape SpecValue describes from the same fields; the type cannot follow a loop over them.
    return { value: value, problems };
}
function decodeObject(s, raw, path, opts, problems) {
    const out = {};
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
                    if (field.required)
                        problems.push({ field: fieldPath, message: 'missing required attribute' });
                    else if (field.default !== undefined)
                        out[key] = decodeAttr(field, field.default, fieldPath, opts, problems);
                    continue;
                }
                out[key] = decodeAttr(field, input[key], fieldPath, opts, problems);
                break;
            case 'block': {
                const blocks = asBlocks(input[key]);
                if (blocks.length === 0) {
                    if (field.required)
                        problems.push({ field: fieldPath, message: 'missing required block' });
                    else
                        out[key] = decodeObject(field.spec, {}, fieldPath, opts, problems);
                    continue;
                }
                if (blocks.length > 1)
                    problems.push({ field: fieldPath, message: `only one "${key}" block is allowed` });
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
                const never = field;
                throw new Error(`unknown field spec ${String(never)}`);
            }
        }
    }
    return out;
}
function asBlocks(v) {
    if (v === undefined || v === null)
        return [];
    return Array.isArray(v) ? v : [v];
}
function decodeAttr(field, v, path, opts, problems) {
    const pending = opts.allowInterpolation === true && typeof v === 'string' && INTERPOLATION.test(v);
    const bad = (expected) => {
        problems.push({ field: path, message: `expected ${expected}, got ${describe(v)}` });
        return undefined;
    };
    switch (field.type) {
        case 'string':
            if (typeof v === 'number' || typeof v === 'boolean')
                return String(v); // HCL converts primitives to string
            if (typeof v !== 'string')
                return bad('a string');
            if (!pending && field.oneOf && !field.oneOf.includes(v)) {
                problems.push({ field: path, message: `must be one of ${field.oneOf.map((o) => `"${o}"`).join(', ')}, got "${v}"` });
            }
            return v;
        case 'number': {
            if (pending)
                return v;
            const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
            if (typeof n !== 'number' || !Number.isFinite(n))
                return bad('a number');
            if (field.min !== undefined && n < field.min)
                problems.push({ field: path, message: `must be at least ${field.min}, got ${n}` });
            return n;
        }
        case 'bool':
            if (pending)
                return v;
            if (v === 'true' || v === 'false')
                return v === 'true';
            if (typeof v !== 'boolean')
                return bad('a bool');
            return v;
        case 'duration':
            if (pending)
                return v;
            if (typeof v === 'number' && v === 0)
                return 0;
            if (typeof v !== 'string')
                return bad('a duration string such as "30s"');
            try {
                const ms = parseDuration(v);
                if (ms < 0)
                    problems.push({ field: path, message: `duration must not be negative, got "${v}"` });
                return ms;
            }
            catch (err) {
                problems.push({ field: path, message: errorMessage(err) });
                return undefined;
            }
        case 'list(string)':
            if (!Array.isArray(v))
                return bad('a list of strings');
            return v.map((item, i) => (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? String(item) : bad(`a string at [${i}]`)));
        case 'list(number)':
            if (!Array.isArray(v))
                return bad('a list of numbers');
            return v.map((item, i) => (typeof item === 'number' ? item : bad(`a number at [${i}]`)));
        case 'map(string)': {
            const obj = Array.isArray(v) && v.length === 1 ? v[0] : v; // `x { }` block syntax also decodes as a map
            if (!isRecord(obj))
                return bad('a map of strings');
            const out = {};
            for (const [k, item] of Object.entries(obj)) {
                if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
                    out[k] = String(item);
                else
                    bad(`a string for key "${k}"`);
            }
            return out;
        }
        case 'any':
            return v;
        default: {
            const never = field.type;
            throw new Error(`unknown attr type ${String(never)}`);
        }
    }
}
function describe(v) {
    if (v === null || v === undefined)
        return 'nothing';
    if (Array.isArray(v))
        return 'a list';
    if (typeof v === 'object')
        return 'a block or map';
    if (typeof v === 'string')
        return `string "${v}"`;
    return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? `${typeof v} ${v}` : typeof v;
}
function join(path, key) {
    return path === '' ? key : `${path}.${key}`;
}
/** ` (did you mean "x"?)` when a known name is one or two edits away. */
export function suggest(name, known) {
    let best;
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
function editDistance(a, b) {
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
//# sourceMappingURL=config-spec.js.map