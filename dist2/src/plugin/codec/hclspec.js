/**
 * drover's ObjectSpec ↔ Nomad's hclspec.Spec. Served drivers send their
 * schemas as hclspec (durations become "string" attributes: Nomad hands the
 * Go duration string through and the driver parses it); schemas read from
 * external plugins become ObjectSpecs for drover's submit-time validation,
 * with anything ObjectSpec cannot say widened to `any`.
 */
import { spec as s } from '../../model/config-spec.js';
import { formatDuration } from '../../model/duration.js';
import { formatHclLiteral, parseHclLiteral } from './hcl-literal.js';
const TYPE_EXPR = {
    string: 'string',
    number: 'number',
    bool: 'bool',
    duration: 'string',
    'list(string)': 'list(string)',
    'list(number)': 'list(number)',
    'map(string)': 'map(string)',
    any: 'any',
};
/** The hclspec for an ObjectSpec: attributes with defaults become Default(Attr, Literal). */
export function toHclSpec(o) {
    const attributes = {};
    for (const [name, field] of Object.entries(o.fields))
        attributes[name] = fieldToHcl(name, field);
    return { object: { attributes } };
}
function fieldToHcl(name, f) {
    switch (f.kind) {
        case 'attr': {
            // Default's primary gets no implied name from Nomad, so the name is always written out.
            const attr = { Attr: { name, type: TYPE_EXPR[f.type], required: f.required ?? false } };
            if (f.default === undefined || f.required)
                return attr;
            return { default: { primary: attr, default: { literal: { value: literalFor(f) } } } };
        }
        case 'block':
            return { block_value: { name, required: f.required ?? false, nested: toHclSpec(f.spec) } };
        case 'blockList':
            return { block_list: { name, min_items: f.min ?? 0, max_items: f.max ?? 0, nested: toHclSpec(f.spec) } };
    }
}
/** A default as an HCL literal of the attribute's wire type (durations as Go duration strings). */
function literalFor(f) {
    if (f.type === 'duration' && typeof f.default === 'number')
        return formatHclLiteral(formatDuration(f.default));
    return formatHclLiteral(f.default);
}
/** The cty type Nomad's hcldec implies for an ObjectSpec (what its msgpack configs are typed by). */
export function impliedType(o) {
    const attrs = {};
    for (const [name, f] of Object.entries(o.fields)) {
        if (f.kind === 'attr')
            attrs[name] = attrCtyType(f.type);
        else if (f.kind === 'block')
            attrs[name] = impliedType(f.spec);
        else
            attrs[name] = ['list', impliedType(f.spec)];
    }
    return ['object', attrs];
}
function attrCtyType(t) {
    switch (t) {
        case 'string':
        case 'duration':
            return 'string';
        case 'number':
            return 'number';
        case 'bool':
            return 'bool';
        case 'list(string)':
            return ['list', 'string'];
        case 'list(number)':
            return ['list', 'number'];
        case 'map(string)':
            return ['map', 'string'];
        case 'any':
            return 'dynamic';
    }
}
/** Spec's oneof `block` members: a renamed or removed member fails `satisfies`, an added one fails SpecKindsComplete. */
const SPEC_KINDS = ['object', 'array', 'Attr', 'block_value', 'block_attrs', 'block_list', 'block_set', 'block_map', 'default', 'literal'];
const _specKindsComplete = true;
const ATTR_TYPES = {
    string: 'string',
    number: 'number',
    bool: 'bool',
    'list(string)': 'list(string)',
    'list(number)': 'list(number)',
    'map(string)': 'map(string)',
};
/**
 * An ObjectSpec approximating a plugin's hclspec, for validation only (the
 * hclspec itself drives encoding). Attribute names are the input names.
 * Throws when the root is not an Object.
 */
export function fromHclSpec(root) {
    if (!root)
        return s.object({});
    const kind = specKind(root);
    if (kind !== undefined && kind !== 'object')
        throw new Error(`plugin schema root is ${kind}, not an object`);
    const fields = {};
    for (const [key, child] of Object.entries(root.object?.attributes ?? {})) {
        const f = fieldFromHcl(key, child);
        if (f)
            fields[f[0]] = f[1];
    }
    return s.object(fields);
}
function fieldFromHcl(key, n) {
    if (n.Attr)
        return [n.Attr.name || key, s.attr(ATTR_TYPES[n.Attr.type.replace(/\s+/g, '')] ?? 'any', n.Attr.required ? { required: true } : {})];
    if (n.default) {
        const primary = n.default.primary && fieldFromHcl(key, n.default.primary);
        if (!primary)
            return undefined;
        const [name, f] = primary;
        const lit = n.default.default?.literal?.value;
        if (f.kind !== 'attr' || lit === undefined)
            return primary;
        try {
            return [name, { ...f, default: parseHclLiteral(lit) }];
        }
        catch {
            return primary; // a non-constant default: the plugin applies it itself
        }
    }
    if (n.block_value) {
        const nested = n.block_value.nested;
        const name = n.block_value.name || key;
        if (nested?.object)
            return [name, s.block(fromHclSpec(nested), n.block_value.required ? { required: true } : {})];
        return [name, s.attr('any')];
    }
    const list = n.block_list ?? n.block_set;
    if (list) {
        const name = list.name || key;
        if (!list.nested?.object)
            return [name, s.attr('any')];
        const opts = {};
        if (list.min_items > 0)
            opts.min = list.min_items;
        if (list.max_items > 0)
            opts.max = list.max_items;
        return [name, s.blockList(fromHclSpec(list.nested), opts)];
    }
    if (n.block_attrs) {
        const type = n.block_attrs.type.replace(/\s+/g, '') === 'string' ? 'map(string)' : 'any';
        return [n.block_attrs.name || key, s.attr(type, n.block_attrs.required ? { required: true } : {})];
    }
    if (n.block_map)
        return [n.block_map.name || key, s.attr('any')];
    return undefined; // literal or array at object level: not user input
}
/** Which member of the Spec oneof is set, if any. */
export function specKind(n) {
    return SPEC_KINDS.find((k) => n[k] !== undefined);
}
//# sourceMappingURL=hclspec.js.map