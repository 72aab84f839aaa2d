/** Errors and warnings of one decode. */
export class JsonProblems {
    errors = [];
    warnings = [];
    error(field, message) {
        this.errors.push({ field, message });
    }
    warn(field, message) {
        this.warnings.push({ field, message });
    }
}
/** A plain JSON object (not a list, not null). */
export function isJsonObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Unset in Nomad's JSON: null, or the zero value canonical JSON writes for an unused stanza ([], {}, false, 0, ""). */
export function isZero(v) {
    if (v === null || v === undefined || v === false || v === 0 || v === '')
        return true;
    if (Array.isArray(v))
        return v.length === 0;
    return isJsonObject(v) && Object.values(v).every(isZero);
}
/** Reads the fields of one JSON object; checks its field names on construction. */
export class JsonReader {
    problems;
    path;
    raw;
    constructor(problems, path, raw, fields) {
        this.problems = problems;
        this.path = path;
        this.raw = raw;
        for (const [key, value] of Object.entries(raw)) {
            if (fields.decoded.includes(key) || fields.server?.includes(key))
                continue;
            if (fields.ignored?.includes(key)) {
                if (!isZero(value))
                    problems.warn(this.field(key), `"${key}" is not supported by drover yet and is ignored`);
                continue;
            }
            problems.error(this.field(key), `unknown field "${key}"`);
        }
    }
    /** `path.key`. */
    field(key) {
        return `${this.path}.${key}`;
    }
    /** Whether the field carries a value (not absent, not null). */
    has(key) {
        return this.raw[key] !== undefined && this.raw[key] !== null;
    }
    bad(key, expected) {
        this.problems.error(this.field(key), `expected ${expected}, got ${describeJson(this.raw[key])}`);
        return undefined;
    }
    string(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        return typeof v === 'string' ? v : this.bad(key, 'a string');
    }
    bool(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        return typeof v === 'boolean' ? v : this.bad(key, 'a bool');
    }
    /** A whole number. */
    int(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        if (typeof v !== 'number' || !Number.isFinite(v))
            return this.bad(key, 'a number');
        return Number.isInteger(v) ? v : this.bad(key, 'a whole number');
    }
    /** A Go time.Duration (integer nanoseconds) in ms; negative values are errors. */
    durationNs(key) {
        const ns = this.int(key);
        if (ns === undefined)
            return undefined;
        if (ns < 0) {
            this.problems.error(this.field(key), `duration must not be negative, got ${ns}`);
            return undefined;
        }
        return ns / 1e6;
    }
    stringList(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        if (!Array.isArray(v))
            return this.bad(key, 'a list of strings');
        const out = [];
        v.forEach((item, i) => {
            if (typeof item === 'string')
                out.push(item);
            else
                this.problems.error(`${this.field(key)}[${i}]`, `expected a string, got ${describeJson(item)}`);
        });
        return out;
    }
    stringMap(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        if (!isJsonObject(v))
            return this.bad(key, 'an object of strings');
        const out = {};
        for (const [k, item] of Object.entries(v)) {
            if (typeof item === 'string')
                out[k] = item;
            else
                this.problems.error(`${this.field(key)}.${k}`, `expected a string, got ${describeJson(item)}`);
        }
        return out;
    }
    /** A nested object as raw JSON (e.g. a driver's Config), or undefined when unset. */
    object(key) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return undefined;
        return isJsonObject(v) ? v : this.bad(key, 'an object');
    }
    /** A nested object read with its own fields, or undefined when unset. */
    nested(key, fields) {
        const obj = this.object(key);
        return obj && new JsonReader(this.problems, this.field(key), obj, fields);
    }
    /** A list of objects, each read with its own fields at `path.key[i]`. */
    list(key, fields) {
        const v = this.raw[key];
        if (v === undefined || v === null)
            return [];
        if (!Array.isArray(v))
            return this.bad(key, 'a list') ?? [];
        const out = [];
        v.forEach((item, i) => {
            const path = `${this.field(key)}[${i}]`;
            if (isJsonObject(item))
                out.push(new JsonReader(this.problems, path, item, fields));
            else
                this.problems.error(path, `expected an object, got ${describeJson(item)}`);
        });
        return out;
    }
}
/** Describes a JSON value for a type-mismatch message. */
export function describeJson(v) {
    if (v === null || v === undefined)
        return 'nothing';
    if (Array.isArray(v))
        return 'a list';
    if (typeof v === 'object')
        return 'an object';
    return `${typeof v} ${JSON.stringify(v)}`;
}
//# sourceMappingURL=json-reader.js.map