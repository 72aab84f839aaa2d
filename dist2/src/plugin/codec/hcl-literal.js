/**
 * HCL literal expressions as they appear in hclspec Literal nodes: the
 * defaults of plugin schemas ("\"none\"", "5", "true", "[]", "{}").
 * Only constant expressions are supported; functions and references are not.
 */
import { isPlainObject } from './cty-type.js';
/** Formats a plain value as an HCL expression. */
export function formatHclLiteral(v) {
    if (v === null || v === undefined)
        return 'null';
    if (typeof v === 'string')
        return quoteHcl(v);
    if (typeof v === 'number') {
        if (!Number.isFinite(v))
            throw new Error(`cannot write ${v} as an HCL literal`);
        return String(v);
    }
    if (typeof v === 'boolean')
        return String(v);
    if (Array.isArray(v))
        return `[${v.map(formatHclLiteral).join(', ')}]`;
    if (isPlainObject(v))
        return `{${Object.entries(v).map(([k, x]) => `${quoteHcl(k)} = ${formatHclLiteral(x)}`).join(', ')}}`;
    throw new Error(`cannot write ${typeof v} as an HCL literal`);
}
/** A quoted HCL string: JSON escapes, plus "$${" and "%%{" so no template sequence starts. */
export function quoteHcl(s) {
    return JSON.stringify(s)
        .replace(/\$\{/g, () => '$${')
        .replace(/%\{/g, () => '%%{');
}
/** Parses a constant HCL expression; throws on anything else. */
export function parseHclLiteral(src) {
    const p = new LiteralParser(src);
    const v = p.value();
    p.end();
    return v;
}
class LiteralParser {
    src;
    pos = 0;
    constructor(src) {
        this.src = src;
    }
    value() {
        this.space();
        const ch = this.src[this.pos];
        if (ch === '"')
            return this.string();
        if (ch === '[')
            return this.list();
        if (ch === '{')
            return this.object();
        const word = /^(?:true|false|null)\b/.exec(this.rest());
        if (word) {
            this.pos += word[0].length;
            return word[0] === 'null' ? null : word[0] === 'true';
        }
        const num = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.rest());
        if (num) {
            this.pos += num[0].length;
            return Number(num[0]);
        }
        throw this.error('expected a constant value');
    }
    end() {
        this.space();
        if (this.pos !== this.src.length)
            throw this.error('unexpected text');
    }
    string() {
        this.pos++; // opening quote
        let out = '';
        for (;;) {
            const ch = this.src[this.pos];
            if (ch === undefined)
                throw this.error('unterminated string');
            if (ch === '"') {
                this.pos++;
                return out;
            }
            if (this.src.startsWith('$${', this.pos) || this.src.startsWith('%%{', this.pos)) {
                out += `${ch}{`;
                this.pos += 3;
                continue;
            }
            if (this.src.startsWith('${', this.pos) || this.src.startsWith('%{', this.pos))
                throw this.error('templates are not constant');
            if (ch === '\\') {
                const esc = this.src[this.pos + 1];
                const simple = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
                if (esc !== undefined && esc in simple) {
                    out += simple[esc];
                    this.pos += 2;
                    continue;
                }
                const u = /^\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(this.rest());
                if (!u)
                    throw this.error('bad escape');
                out += String.fromCodePoint(parseInt((u[1] ?? u[2]), 16));
                this.pos += u[0].length;
                continue;
            }
            out += ch;
            this.pos++;
        }
    }
    list() {
        this.pos++;
        const out = [];
        for (;;) {
            this.space();
            if (this.src[this.pos] === ']') {
                this.pos++;
                return out;
            }
            out.push(this.value());
            this.space();
            if (this.src[this.pos] === ',')
                this.pos++;
        }
    }
    object() {
        this.pos++;
        const out = {};
        for (;;) {
            this.space();
            if (this.src[this.pos] === '}') {
                this.pos++;
                return out;
            }
            let key;
            if (this.src[this.pos] === '"')
                key = this.string();
            else {
                const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.rest());
                if (!m)
                    throw this.error('expected an object key');
                key = m[0];
                this.pos += key.length;
            }
            this.space();
            const sep = this.src[this.pos];
            if (sep !== '=' && sep !== ':')
                throw this.error('expected "=" or ":"');
            this.pos++;
            out[key] = this.value();
            this.space();
            if (this.src[this.pos] === ',')
                this.pos++;
        }
    }
    rest() {
        return this.src.slice(this.pos);
    }
    space() {
        while (this.pos < this.src.length && /\s/.test(this.src[this.pos]))
            this.pos++;
    }
    error(msg) {
        return new Error(`invalid HCL literal ${JSON.stringify(this.src)} at ${this.pos}: ${msg}`);
    }
}
//# sourceMappingURL=hcl-literal.js.map