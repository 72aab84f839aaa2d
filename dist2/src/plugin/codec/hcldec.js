/**
 * A small hcldec: decodes a config body in @cdktf/hcl2json's shape
 * (attributes as values, blocks as arrays of bodies) against a plugin's
 * hclspec, as Nomad does before msgpack-encoding a plugin or task config:
 * every attribute present (null when unset), defaults applied, values
 * converted to the declared types, unknown attributes and blocks rejected.
 */
import { ValidationError } from '../../model/errors.js';
import { isPlainObject, parseTypeExpr } from './cty-type.js';
import { parseHclLiteral } from './hcl-literal.js';
/** Decodes `body` against `spec`; throws ValidationError listing every problem. */
export function decodeHclBody(spec, body, path = 'config') {
    const problems = [];
    const d = new Decoder(problems);
    const input = body ?? {};
    let out = {};
    if (!isPlainObject(input))
        problems.push({ field: path, message: 'expected a block' });
    else if (spec) {
        out = d.body(spec, input, path);
    }
    else if (Object.keys(input).length > 0)
        problems.push({ field: path, message: 'the plugin takes no configuration' });
    if (problems.length > 0)
        throw new ValidationError(problems);
    return isPlainObject(out) ? out : {};
}
class Decoder {
    problems;
    constructor(problems) {
        this.problems = problems;
    }
    /** Decodes one body: the spec's value, after checking every key is used by it. */
    body(spec, body, path) {
        const known = new Set();
        this.names(spec, '', known);
        for (const key of Object.keys(body)) {
            if (!known.has(key))
                this.problem(join(path, key), `unknown attribute or block "${key}"`);
        }
        return this.value(spec, '', body, path);
    }
    /** The input names a spec reads from its body. */
    names(n, implied, out) {
        if (n.object)
            for (const [k, c] of Object.entries(n.object.attributes))
                this.names(c, k, out);
        else if (n.array)
            for (const c of n.array.values)
                this.names(c, '', out);
        else if (n.default) {
            if (n.default.primary)
                this.names(n.default.primary, implied, out);
            if (n.default.default)
                this.names(n.default.default, implied, out);
        }
        else {
            const named = n.Attr ?? n.block_value ?? n.block_attrs ?? n.block_list ?? n.block_set ?? n.block_map;
            const name = named?.name || implied;
            if (named && name)
                out.add(name);
        }
    }
    value(n, implied, body, path) {
        if (n.object) {
            const out = {};
            for (const [k, c] of Object.entries(n.object.attributes))
                out[k] = this.value(c, k, body, path);
            return out;
        }
        if (n.array)
            return n.array.values.map((c) => this.value(c, '', body, path));
        if (n.literal)
            return this.literal(n.literal.value, path);
        if (n.default) {
            const v = n.default.primary ? this.value(n.default.primary, implied, body, path) : null;
            return v !== null || !n.default.default ? v : this.value(n.default.default, implied, body, path);
        }
        if (n.Attr) {
            const name = n.Attr.name || implied;
            const at = join(path, name);
            const raw = body[name];
            if (raw === undefined || raw === null) {
                if (n.Attr.required)
                    this.problem(at, 'missing required attribute');
                return null;
            }
            const type = this.type(n.Attr.type, at);
            if (type === undefined)
                return null;
            // hcl2json writes `m { k = v }` (block syntax) as a one-element list; accept it for maps and objects.
            const blockSyntax = Array.isArray(raw) && raw.length === 1 && isPlainObject(raw[0]) && typeof type !== 'string' && (type[0] === 'map' || type[0] === 'object');
            return this.convert(blockSyntax ? raw[0] : raw, type, at);
        }
        if (n.block_value) {
            const name = n.block_value.name || implied;
            const blocks = this.blocks(body[name], join(path, name));
            if (blocks.length === 0) {
                if (n.block_value.required)
                    this.problem(join(path, name), 'missing required block');
                return null;
            }
            if (blocks.length > 1)
                this.problem(join(path, name), `only one "${name}" block is allowed`);
            return n.block_value.nested ? this.body(n.block_value.nested, blocks[0], join(path, name)) : null;
        }
        const list = n.block_list ?? n.block_set;
        if (list) {
            const name = list.name || implied;
            const blocks = this.blocks(body[name], join(path, name));
            if (list.min_items > 0 && blocks.length < list.min_items)
                this.problem(join(path, name), `at least ${list.min_items} "${name}" block(s) required`);
            if (list.max_items > 0 && blocks.length > list.max_items)
                this.problem(join(path, name), `at most ${list.max_items} "${name}" block(s) allowed`);
            const nested = list.nested;
            return nested ? blocks.map((b, i) => this.body(nested, b, `${join(path, name)}[${i}]`)) : [];
        }
        if (n.block_attrs) {
            const name = n.block_attrs.name || implied;
            const at = join(path, name);
            const blocks = this.blocks(body[name], at);
            if (blocks.length === 0) {
                if (n.block_attrs.required)
                    this.problem(at, 'missing required block');
                return null;
            }
            const type = this.type(n.block_attrs.type, at);
            const out = {};
            for (const [k, v] of Object.entries(blocks[0]))
                out[k] = type === undefined ? null : this.convert(v, type, join(at, k));
            return out;
        }
        if (n.block_map) {
            const name = n.block_map.name || implied;
            return this.blockMap(n.block_map.nested, n.block_map.labels.length, body[name], join(path, name));
        }
        this.problem(path, 'unsupported schema node');
        return null;
    }
    /** Labelled blocks: hcl2json nests one object level per label. */
    blockMap(nested, labels, raw, path) {
        if (raw === undefined || raw === null)
            return {};
        if (!isPlainObject(raw)) {
            this.problem(path, 'expected labelled blocks');
            return {};
        }
        const out = {};
        for (const [label, inner] of Object.entries(raw)) {
            if (labels > 1)
                out[label] = this.blockMap(nested, labels - 1, inner, join(path, label));
            else {
                const blocks = this.blocks(inner, join(path, label));
                if (blocks.length > 1)
                    this.problem(join(path, label), `duplicate block "${label}"`);
                out[label] = nested && blocks[0] ? this.body(nested, blocks[0], join(path, label)) : null;
            }
        }
        return out;
    }
    blocks(raw, path) {
        if (raw === undefined || raw === null)
            return [];
        const list = Array.isArray(raw) ? raw : [raw];
        return list.filter((b) => {
            if (isPlainObject(b))
                return true;
            this.problem(path, 'expected a block');
            return false;
        });
    }
    type(expr, path) {
        try {
            return parseTypeExpr(expr);
        }
        catch (err) {
            this.problem(path, `plugin schema: ${err.message}`);
            return undefined;
        }
    }
    literal(src, path) {
        try {
            return parseHclLiteral(src);
        }
        catch (err) {
            this.problem(path, `plugin schema: ${err.message}`);
            return null;
        }
    }
    /** cty's convert.Convert for the conversions HCL performs on attribute values. */
    convert(v, t, path) {
        if (v === null || v === undefined)
            return null;
        if (t === 'dynamic')
            return v;
        if (t === 'string') {
            if (typeof v === 'string')
                return v;
            if (typeof v === 'number' || typeof v === 'boolean')
                return String(v);
            return this.bad(path, 'a string', v);
        }
        if (t === 'number') {
            if (typeof v === 'number')
                return v;
            if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))
                return Number(v);
            return this.bad(path, 'a number', v);
        }
        if (t === 'bool') {
            if (typeof v === 'boolean')
                return v;
            if (v === 'true' || v === 'false')
                return v === 'true';
            return this.bad(path, 'a bool', v);
        }
        switch (t[0]) {
            case 'list':
            case 'set':
                if (!Array.isArray(v))
                    return this.bad(path, `a ${t[0]}`, v);
                return v.map((x, i) => this.convert(x, t[1], `${path}[${i}]`));
            case 'tuple':
                if (!Array.isArray(v) || v.length !== t[1].length)
                    return this.bad(path, `a tuple of ${t[1].length}`, v);
                return v.map((x, i) => this.convert(x, t[1][i], `${path}[${i}]`));
            case 'map': {
                if (!isPlainObject(v))
                    return this.bad(path, 'a map', v);
                const out = {};
                for (const [k, x] of Object.entries(v))
                    out[k] = this.convert(x, t[1], join(path, k));
                return out;
            }
            case 'object': {
                if (!isPlainObject(v))
                    return this.bad(path, 'an object', v);
                for (const k of Object.keys(v))
                    if (!(k in t[1]))
                        this.problem(join(path, k), `unexpected attribute "${k}"`);
                const out = {};
                for (const [k, at] of Object.entries(t[1]))
                    out[k] = this.convert(v[k], at, join(path, k));
                return out;
            }
        }
    }
    bad(path, expected, v) {
        const got = Array.isArray(v) ? 'a list' : isPlainObject(v) ? 'a block or map' : `${typeof v} ${JSON.stringify(v)}`;
        this.problem(path, `expected ${expected}, got ${got}`);
        return null;
    }
    problem(field, message) {
        this.problems.push({ field, message });
    }
}
function join(path, key) {
    return path === '' ? key : `${path}.${key}`;
}
//# sourceMappingURL=hcldec.js.map