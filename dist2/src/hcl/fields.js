/**
 * Typed reads from one hcl2json block body, with HCL's primitive conversions
 * ("3" → 3, 3 → "3") and every problem reported at `path.key` with its line.
 */
import { parseDuration, suggest } from '../model/index.js';
/** A plain JSON object (not a list, not null). */
export function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Reads attributes and blocks of one body; checks its names on construction. */
export class BodyReader {
    report;
    path;
    raw;
    constructor(report, path, raw, names, what) {
        this.report = report;
        this.path = path;
        this.raw = raw;
        checkNames(report, path, raw, names, what);
    }
    /** Whether the key was written (and is not null). */
    has(key) {
        return this.raw[key] !== undefined && this.raw[key] !== null;
    }
    /** `path.key`. */
    field(key) {
        return this.path === '' ? key : `${this.path}.${key}`;
    }
    bad(key, expected) {
        this.report.error(this.field(key), `expected ${expected}, got ${describeValue(this.raw[key])}`);
        return undefined;
    }
    /** A string attribute (numbers and bools convert, as in HCL). */
    string(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        if (typeof v === 'string')
            return v;
        if (typeof v === 'number' || typeof v === 'boolean')
            return String(v);
        return this.bad(key, 'a string');
    }
    /** A whole-number attribute. */
    int(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isFinite(n))
            return this.bad(key, 'a number');
        if (!Number.isInteger(n))
            return this.bad(key, 'a whole number');
        return n;
    }
    /** A bool attribute ("true"/"false" strings convert). */
    bool(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        if (v === 'true' || v === 'false')
            return v === 'true';
        if (typeof v !== 'boolean')
            return this.bad(key, 'a bool');
        return v;
    }
    /** A Go duration ("30s"; a number is nanoseconds, as in Nomad) in ms; negative values are errors. */
    duration(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        let ms;
        if (typeof v === 'number')
            ms = v / 1e6;
        else if (typeof v === 'string') {
            try {
                ms = parseDuration(v);
            }
            catch (err) {
                this.report.error(this.field(key), err.message);
                return undefined;
            }
        }
        else
            return this.bad(key, 'a duration string such as "30s"');
        if (ms < 0) {
            this.report.error(this.field(key), `duration must not be negative, got ${JSON.stringify(v)}`);
            return undefined;
        }
        return ms;
    }
    /** A list of strings. */
    stringList(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        if (!Array.isArray(v))
            return this.bad(key, 'a list of strings');
        const out = [];
        for (const item of v) {
            if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
                out.push(String(item));
            else
                return this.bad(key, 'a list of strings');
        }
        return out;
    }
    /** A map of strings, written as `key { a = "b" }` or `key = { a = "b" }`. */
    stringMap(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        const maps = Array.isArray(v) ? v : [v];
        const out = {};
        for (const m of maps) {
            if (!isObject(m))
                return this.bad(key, 'a map of strings');
            for (const [k, item] of Object.entries(m)) {
                if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
                    out[k] = String(item);
                else
                    this.report.error(`${this.field(key)}.${k}`, `expected a string, got ${describeValue(item)}`);
            }
        }
        return out;
    }
    /** All unlabeled blocks of a type (`artifact { }` ...), each with its path. */
    blocks(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return [];
        if (!Array.isArray(v) || !v.every(isObject)) {
            this.report.error(this.field(key), `"${key}" must be a block: ${key} { ... }`);
            return [];
        }
        return v.map((body, i) => ({ path: v.length > 1 ? `${this.field(key)}[${i}]` : this.field(key), body }));
    }
    /** At most one unlabeled block of a type; undefined when absent. */
    block(key) {
        const all = this.blocks(key);
        if (all.length > 1)
            this.report.error(this.field(key), `only one "${key}" block is allowed`, `${this.field(key)}[1]`);
        return all[0]?.body;
    }
    /** Labeled blocks of a type in source order, duplicates included (flagged by `occurrence`). */
    labeled(key, what) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return [];
        if (!isObject(v)) {
            this.report.error(this.field(key), `a ${what} block needs one label, its name: ${key} "name" { ... }`);
            return [];
        }
        const out = [];
        for (const [label, list] of Object.entries(v)) {
            const path = `${this.field(key)}.${label}`;
            if (!Array.isArray(list) || !list.every(isObject)) {
                this.report.error(path, `a ${what} block takes exactly one label`);
                continue;
            }
            list.forEach((body, occurrence) => out.push({ label, path, linePath: `${path}[${occurrence}]`, occurrence, body }));
        }
        // hcl2json sorts keys; the locator knows the order they were written in.
        const line = (l) => this.report.locator.line(l.linePath) ?? 0;
        return out.sort((a, b) => line(a) - line(b));
    }
}
/** Reports unknown names (errors, with a suggestion) and ignored ones (warnings). */
function checkNames(report, path, raw, names, what) {
    for (const [key, value] of Object.entries(raw)) {
        if (names.decoded.includes(key))
            continue;
        const field = path === '' ? key : `${path}.${key}`;
        if (names.ignored.includes(key)) {
            report.warn(field, `"${key}" is not supported by drover yet and is ignored`);
            continue;
        }
        if (key === 'dynamic') {
            report.error(field, 'dynamic blocks are not supported by drover');
            continue;
        }
        const kind = report.locator.kind(field) ?? (Array.isArray(value) && value.every(isObject) ? 'block' : 'attribute');
        report.error(field, `unknown ${kind} "${key}" in ${what}${suggest(key, [...names.decoded, ...names.ignored])}`);
    }
}
/** Describes a JSON value for a type-mismatch message. */
export function describeValue(v) {
    if (v === null || v === undefined)
        return 'nothing';
    if (Array.isArray(v))
        return v.length > 0 && v.every(isObject) ? 'a block' : 'a list';
    if (typeof v === 'object')
        return 'a map';
    if (typeof v === 'string')
        return `string ${JSON.stringify(v)}`;
    return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? `${typeof v} ${v}` : typeof v;
}
//# sourceMappingURL=fields.js.map