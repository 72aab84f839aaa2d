import { badRequest } from './errors.js';
/** The first value of a query parameter. */
export function query(req, name) {
    const v = req.query[name];
    return Array.isArray(v) ? v[0] : v;
}
/** Every value of a repeated query parameter. */
export function queryAll(req, name) {
    const v = req.query[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
/** A boolean parameter as Go's strconv.ParseBool reads it. */
export function queryBool(req, name, dflt) {
    const v = query(req, name);
    if (v === undefined || v === '')
        return dflt;
    if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v))
        return true;
    if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v))
        return false;
    throw badRequest(`${name}: invalid boolean ${JSON.stringify(v)}`);
}
/** A whole-number parameter. */
export function queryInt(req, name, dflt) {
    const v = query(req, name);
    if (v === undefined || v === '')
        return dflt;
    if (!/^-?\d+$/.test(v))
        throw badRequest(`${name}: invalid integer ${JSON.stringify(v)}`);
    return Number(v);
}
/** A route parameter. */
export function param(req, name) {
    return req.params[name] ?? '';
}
/** The JSON body as an object; empty bodies are `{}` unless `required`. */
export function jsonBody(req, required = true) {
    const raw = req.body;
    const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
    if (text.trim() === '') {
        if (required)
            throw badRequest('Request body is empty: expected a JSON object');
        return {};
    }
    let v;
    try {
        v = JSON.parse(text);
    }
    catch (err) {
        throw badRequest(`Failed to parse JSON body: ${err.message}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw badRequest('Request body must be a JSON object');
    return v;
}
/** An optional string field of a body. */
export function bodyString(body, field) {
    const v = body[field];
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'string')
        throw badRequest(`${field}: expected a string`);
    return v;
}
/** An optional boolean field of a body. */
export function bodyBool(body, field) {
    const v = body[field];
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'boolean')
        throw badRequest(`${field}: expected a boolean`);
    return v;
}
//# sourceMappingURL=request.js.map