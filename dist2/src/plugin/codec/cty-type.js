/**
 * go-cty types, as far as configs need them: HCL type expressions
 * ("list(map(string))") and cty's JSON type encoding (used inside msgpack
 * for dynamically typed values).
 */
/** Parses an HCL type expression such as "list(string)" or "object({a = number})". */
export function parseTypeExpr(expr) {
    const p = new TypeExprParser(expr);
    const t = p.type();
    p.end();
    return t;
}
/** The HCL type expression for `t` (inverse of parseTypeExpr). */
export function formatTypeExpr(t) {
    if (t === 'dynamic')
        return 'any';
    if (typeof t === 'string')
        return t;
    switch (t[0]) {
        case 'list':
        case 'set':
        case 'map':
            return `${t[0]}(${formatTypeExpr(t[1])})`;
        case 'object':
            return `object({${Object.entries(t[1]).map(([k, v]) => `${k}=${formatTypeExpr(v)}`).join(',')}})`;
        case 'tuple':
            return `tuple([${t[1].map(formatTypeExpr).join(',')}])`;
    }
}
/** cty's JSON form of a type: "string", ["list","string"], ["object",{...}], ["tuple",[...]]. */
export function typeToJson(t) {
    if (typeof t === 'string')
        return t;
    switch (t[0]) {
        case 'list':
        case 'set':
        case 'map':
            return [t[0], typeToJson(t[1])];
        case 'object':
            return ['object', Object.fromEntries(sortedKeys(t[1]).map((k) => [k, typeToJson(t[1][k])]))];
        case 'tuple':
            return ['tuple', t[1].map(typeToJson)];
    }
}
/** Reads cty's JSON form of a type; throws on anything else. */
export function typeFromJson(j) {
    if (j === 'string' || j === 'number' || j === 'bool' || j === 'dynamic')
        return j;
    if (Array.isArray(j) && j.length >= 2) {
        const [kind, arg] = j;
        if (kind === 'list' || kind === 'set' || kind === 'map')
            return [kind, typeFromJson(arg)];
        if (kind === 'tuple' && Array.isArray(arg))
            return ['tuple', arg.map(typeFromJson)];
        if (kind === 'object' && isPlainObject(arg)) {
            return ['object', Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, typeFromJson(v)]))];
        }
    }
    throw new Error(`not a cty type: ${JSON.stringify(j)}`);
}
/**
 * The concrete cty type HCL gives a plain value: strings, numbers and bools
 * as themselves, arrays as tuples, objects as objects, null as dynamic.
 */
export function typeOfValue(v) {
    if (v === null || v === undefined)
        return 'dynamic';
    if (typeof v === 'string')
        return 'string';
    if (typeof v === 'number' || typeof v === 'bigint')
        return 'number';
    if (typeof v === 'boolean')
        return 'bool';
    if (Array.isArray(v))
        return ['tuple', v.map(typeOfValue)];
    if (isPlainObject(v))
        return ['object', Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeOfValue(x)]))];
    throw new Error(`no cty type for ${Object.prototype.toString.call(v)}`);
}
/** Keys in Go's sort.Strings order (bytewise UTF-8), which cty uses for objects and maps. */
export function sortedKeys(o) {
    return Object.keys(o).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
/** A non-null, non-array, non-binary object. */
export function isPlainObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}
class TypeExprParser {
    src;
    pos = 0;
    constructor(src) {
        this.src = src;
    }
    type() {
        const name = this.ident();
        switch (name) {
            case 'string':
            case 'number':
            case 'bool':
                return name;
            case 'any':
                return 'dynamic';
            case 'list':
            case 'set':
            case 'map': {
                this.expect('(');
                const el = this.type();
                this.expect(')');
                return [name, el];
            }
            case 'optional': {
                // optional(T) only matters to object conversion defaults; the type is T.
                this.expect('(');
                const el = this.type();
                this.expect(')');
                return el;
            }
            case 'object': {
                this.expect('(');
                this.expect('{');
                const attrs = {};
                while (!this.peek('}')) {
                    const key = this.peek('"') ? this.quoted() : this.ident();
                    if (this.peek('='))
                        this.expect('=');
                    else
                        this.expect(':');
                    attrs[key] = this.type();
                    if (!this.peek('}'))
                        this.expect(',');
                }
                this.expect('}');
                this.expect(')');
                return ['object', attrs];
            }
            case 'tuple': {
                this.expect('(');
                this.expect('[');
                const els = [];
                while (!this.peek(']')) {
                    els.push(this.type());
                    if (!this.peek(']'))
                        this.expect(',');
                }
                this.expect(']');
                this.expect(')');
                return ['tuple', els];
            }
            default:
                throw this.error(`unknown type "${name}"`);
        }
    }
    end() {
        this.skipSpace();
        if (this.pos !== this.src.length)
            throw this.error('unexpected text');
    }
    ident() {
        this.skipSpace();
        const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
        if (!m)
            throw this.error('expected a type name');
        this.pos += m[0].length;
        return m[0];
    }
    quoted() {
        this.skipSpace();
        const m = /^"(?:[^"\\]|\\.)*"/.exec(this.src.slice(this.pos));
        if (!m)
            throw this.error('expected a quoted name');
        this.pos += m[0].length;
        return JSON.parse(m[0]);
    }
    peek(ch) {
        this.skipSpace();
        return this.src[this.pos] === ch;
    }
    expect(ch) {
        if (!this.peek(ch))
            throw this.error(`expected "${ch}"`);
        this.pos++;
    }
    skipSpace() {
        while (this.pos < this.src.length && /\s/.test(this.src[this.pos]))
            this.pos++;
    }
    error(msg) {
        return new Error(`invalid type expression ${JSON.stringify(this.src)} at ${this.pos}: ${msg}`);
    }
}
//# sourceMappingURL=cty-type.js.map