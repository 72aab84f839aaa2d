/**
 * HCL variable type constraints (`type = list(string)`) and the value
 * conversions Nomad applies to defaults, -var, -var-file and NOMAD_VAR_ values.
 * object(...) and tuple(...) are accepted but not checked structurally.
 */
import { describe } from './expr.js';
/** Parses hcl2json's rendering of a type expression ("${list(string)}"); undefined when invalid. */
export function parseVarType(raw) {
    if (typeof raw !== 'string')
        return undefined;
    const text = raw.replace(/^\$\{/, '').replace(/\}$/, '').replace(/\s+/g, '');
    return parseType(text);
}
function parseType(t) {
    if (t === 'string' || t === 'number' || t === 'bool' || t === 'any')
        return { kind: t };
    const m = /^(list|set|map)\((.*)\)$/.exec(t);
    if (m) {
        const elem = parseType(m[2]);
        return elem ? { kind: m[1], elem } : undefined;
    }
    if (/^(object|tuple)\(.*\)$/.test(t))
        return { kind: 'any' };
    return undefined;
}
/** The type a default value implies when the variable declares none (Nomad infers it). */
export function inferVarType(v) {
    if (typeof v === 'string')
        return { kind: 'string' };
    if (typeof v === 'number')
        return { kind: 'number' };
    if (typeof v === 'boolean')
        return { kind: 'bool' };
    return { kind: 'any' };
}
/** Whether -var / NOMAD_VAR_ text is taken literally (primitive types) or parsed as an HCL expression. */
export function isLiteralType(t) {
    return t === undefined || t.kind === 'string' || t.kind === 'number';
}
/** Renders a type for messages, as HCL writes it. */
export function formatVarType(t) {
    return 'elem' in t ? `${t.kind}(${formatVarType(t.elem)})` : t.kind;
}
/** Converts a value to the type (HCL's safe conversions); throws an Error saying why not. */
export function convertValue(v, t) {
    switch (t.kind) {
        case 'any':
            return v;
        case 'string':
            if (typeof v === 'string')
                return v;
            if (typeof v === 'number' || typeof v === 'boolean')
                return String(v);
            throw new Error(`string required, got ${describe(v)}`);
        case 'number': {
            if (typeof v === 'number')
                return v;
            const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
            if (Number.isNaN(n))
                throw new Error(`a number is required, got ${typeof v === 'string' ? `"${v}"` : describe(v)}`);
            return n;
        }
        case 'bool':
            if (typeof v === 'boolean')
                return v;
            if (v === 'true' || v === 'false')
                return v === 'true';
            throw new Error(`a bool is required, got ${typeof v === 'string' ? `"${v}"` : describe(v)}`);
        case 'list':
        case 'set':
            if (!Array.isArray(v))
                throw new Error(`${t.kind} of ${formatVarType(t.elem)} required, got ${describe(v)}`);
            return v.map((x, i) => {
                try {
                    return convertValue(x, t.elem);
                }
                catch (err) {
                    throw new Error(`element ${i}: ${err.message}`);
                }
            });
        case 'map': {
            if (typeof v !== 'object' || v === null || Array.isArray(v))
                throw new Error(`map of ${formatVarType(t.elem)} required, got ${describe(v)}`);
            const out = {};
            for (const [k, x] of Object.entries(v)) {
                try {
                    out[k] = convertValue(x, t.elem);
                }
                catch (err) {
                    throw new Error(`element "${k}": ${err.message}`);
                }
            }
            return out;
        }
        default: {
            const never = t;
            throw new Error(`unknown type ${String(never)}`);
        }
    }
}
//# sourceMappingURL=var-types.js.map