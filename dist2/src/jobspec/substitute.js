/**
 * Resolves `${...}` in a JSON tree from hcl2json: every string is evaluated as
 * an HCL template against the variables scope, with problems reported under
 * the dotted field path the source locator understands.
 */
import { isObject } from '../hcl/index.js';
import { ExprError, NotReadyError, SilentError, evalTemplate, hasTemplate } from './expr.js';
/**
 * Returns a copy of `raw` with templates evaluated. Strings that fail are kept
 * as written and reported; NotReadyError propagates (locals ordering).
 */
export function substitute(raw, scope, path, onError) {
    if (typeof raw === 'string') {
        if (!hasTemplate(raw))
            return raw;
        try {
            return evalTemplate(raw, scope);
        }
        catch (err) {
            if (err instanceof NotReadyError)
                throw err;
            if (err instanceof SilentError)
                return raw;
            if (err instanceof ExprError) {
                onError(path, err.message);
                return raw;
            }
            throw err;
        }
    }
    if (Array.isArray(raw)) {
        return raw.map((item, i) => substitute(item, scope, raw.length > 1 ? `${path}[${i}]` : path, onError));
    }
    if (isObject(raw)) {
        // Labeled blocks (`{label: [...]}`) need no special case: `job` + `mock` is already `job.mock`.
        const out = {};
        for (const [k, v] of Object.entries(raw))
            out[k] = substitute(v, scope, path === '' ? k : `${path}.${k}`, onError);
        return out;
    }
    return raw;
}
//# sourceMappingURL=substitute.js.map