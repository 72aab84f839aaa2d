/**
 * HCL2 input variables and locals, resolved the way `nomad job run` does
 * before decoding: a declared variable takes, in rising precedence, its
 * default, NOMAD_VAR_<name>, each -var-file in order, then -var. Every
 * declared variable must end up with a value ("Unset variable"), and values
 * given for undeclared variables are errors (Nomad's strict mode).
 */
import { suggest } from '../model/index.js';
import { ExprError, NotReadyError, SilentError } from './expr.js';
import { isObject, locate, parseHcl, Report } from '../hcl/index.js';
import { substitute } from './substitute.js';
import { convertValue, inferVarType, isLiteralType, parseVarType } from './var-types.js';
const VAR_ENV_PREFIX = 'NOMAD_VAR_';
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const VARIABLE_KEYS = ['type', 'default', 'description', 'validation'];
/** A scope that refuses every reference (defaults and var files may not refer to anything). */
const NO_REFERENCES = {
    lookup(root) {
        throw new ExprError(`${root === 'var' ? 'variables' : 'locals'} are not allowed here`);
    },
};
/** Declares, assigns and checks variables, evaluates locals; returns the scope for the job body. */
export async function resolveVariables(body, report, inputs) {
    const vars = declareVariables(body, report);
    await assignFromEnv(vars, inputs.env ?? {}, report);
    for (const vf of inputs.varFileContents ?? [])
        await assignFromVarFile(vars, vf.file, vf.source, report);
    for (const [name, text] of Object.entries(inputs.vars ?? {})) {
        const v = vars.get(name);
        if (!v) {
            report.error(`var.${name}`, `Undefined -var variable: a "${name}" variable was passed in the command line but was not found in known variables; to declare it, place a variable "${name}" block in the job file${suggest(name, [...vars.keys()])}`);
            continue;
        }
        await assignText(v, text, `-var ${name}`, report, `var.${name}`);
    }
    for (const v of vars.values()) {
        if (!v.hasValue)
            report.error(v.field, `Unset variable "${v.name}": a used variable must be set or have a default value (-var, -var-file or ${VAR_ENV_PREFIX}${v.name})`);
    }
    return evaluateLocals(body, report, vars);
}
function lookupVar(vars, name) {
    const v = vars.get(name);
    if (!v)
        throw new ExprError(`reference to undeclared input variable "${name}"${suggest(name, [...vars.keys()])}`);
    if (!v.hasValue)
        throw new SilentError(`variable "${name}" is unset`);
    return v.value;
}
function declareVariables(body, report) {
    const vars = new Map();
    const blocks = body['variable'];
    if (blocks !== undefined && !isObject(blocks))
        report.error('variable', 'a variable block needs one label, its name: variable "name" { ... }');
    for (const [name, list] of Object.entries(isObject(blocks) ? blocks : {})) {
        const field = `variable.${name}`;
        const decls = Array.isArray(list) ? list : [];
        if (decls.length > 1)
            report.error(field, `Duplicate variable: duplicate ${name} variable definition found`, `${field}[1]`);
        if (!IDENT.test(name))
            report.error(field, `Invalid variable name "${name}": a name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes`);
        const decl = isObject(decls[0]) ? decls[0] : {};
        for (const key of Object.keys(decl)) {
            if (!VARIABLE_KEYS.includes(key))
                report.error(`${field}.${key}`, `unknown attribute or block "${key}" in variable${suggest(key, VARIABLE_KEYS)}`);
        }
        if ('validation' in decl)
            report.warn(`${field}.validation`, '"validation" is not supported by drover yet and is ignored');
        const v = { name, field, type: undefined, hasValue: false, value: undefined };
        if ('type' in decl) {
            v.type = parseVarType(decl['type']);
            if (!v.type)
                report.error(`${field}.type`, `Invalid type specification ${JSON.stringify(decl['type'])}: use string, number, bool, any, list(T), set(T), map(T), object({...}) or tuple([...])`);
        }
        if ('default' in decl && decl['default'] !== null) {
            let value = substitute(decl['default'], NO_REFERENCES, `${field}.default`, (f, m) => report.error(f, m));
            if (v.type) {
                try {
                    value = convertValue(value, v.type);
                }
                catch (err) {
                    report.error(`${field}.default`, `Invalid default value for variable: this default value is not compatible with the variable's type constraint: ${err.message}`);
                }
            }
            else {
                v.type = inferVarType(value);
            }
            v.hasValue = true;
            v.value = value;
        }
        vars.set(name, v);
    }
    // The older `variables { name = default }` form.
    for (const [i, block] of (Array.isArray(body['variables']) ? body['variables'] : []).entries()) {
        for (const [name, raw] of Object.entries(isObject(block) ? block : {})) {
            const field = `variables.${name}`;
            if (vars.has(name)) {
                report.error(field, `Duplicate variable: duplicate ${name} variable definition found`);
                continue;
            }
            const value = substitute(raw, NO_REFERENCES, i > 0 ? `variables[${i}].${name}` : field, (f, m) => report.error(f, m));
            vars.set(name, { name, field, type: inferVarType(value), hasValue: true, value });
        }
    }
    return vars;
}
async function assignFromEnv(vars, env, report) {
    for (const [key, text] of Object.entries(env)) {
        if (!key.startsWith(VAR_ENV_PREFIX) || text === undefined)
            continue;
        const v = vars.get(key.slice(VAR_ENV_PREFIX.length));
        // Nomad skips NOMAD_VAR_ values for variables the job does not declare.
        if (v)
            await assignText(v, text, key, report, v.field);
    }
}
/**
 * Assigns a -var / NOMAD_VAR_ string: taken literally for string, number and
 * untyped variables (as Nomad does), parsed as an HCL expression otherwise.
 */
async function assignText(v, text, source, report, field) {
    if (isLiteralType(v.type)) {
        assign(v, text, source, report, field);
        return;
    }
    const name = `<value for var.${v.name} from ${source}>`;
    const parsed = await parseHcl(name, `v = ${text}\n`, locate(''));
    if (!parsed.ok) {
        report.error(field, `Invalid value for ${source}: ${parsed.problems.map((p) => p.message).join('; ')}`);
        return;
    }
    const value = substitute(parsed.body['v'], NO_REFERENCES, field, (f, m) => report.error(f, m));
    assign(v, value, source, report, field);
}
function assign(v, value, source, report, field) {
    let converted = value;
    if (v.type) {
        try {
            converted = convertValue(value, v.type);
        }
        catch (err) {
            report.error(field, `Invalid value for variable from ${source}: the value for ${v.name} is not compatible with the variable's type constraint: ${err.message}`);
            return;
        }
    }
    v.hasValue = true;
    v.value = converted;
}
/** A -var-file: `name = value` lines, parsed with hcl2json and located in their own file. */
async function assignFromVarFile(vars, file, source, jobReport) {
    const locator = locate(source);
    const report = new Report(locator, file);
    const parsed = await parseHcl(file, source, locator);
    if (!parsed.ok) {
        report.addErrors(parsed.problems);
    }
    else {
        for (const [name, raw] of Object.entries(parsed.body)) {
            if (name === 'variable' && isObject(raw)) {
                for (const declared of Object.keys(raw)) {
                    report.error(`variable.${declared}`, `Variable declaration in a .var file: a var file assigns values to variables declared in the job file; to set "${declared}" here, write ${declared} = <value>`);
                }
                continue;
            }
            const v = vars.get(name);
            if (!v) {
                report.error(name, `Undefined variable: a "${name}" variable was set but was not found in known variables; to declare it, place a variable "${name}" block in the job file${suggest(name, [...vars.keys()])}`);
                continue;
            }
            assign(v, substitute(raw, NO_REFERENCES, name, (f, m) => report.error(f, m)), `var file ${file}`, report, name);
        }
    }
    jobReport.addErrors(report.errors);
}
/** Evaluates `locals { }` in dependency order (as Nomad retries until none is left). */
function evaluateLocals(body, report, vars) {
    const pending = new Map();
    const values = new Map();
    const failed = new Set();
    for (const [i, block] of (Array.isArray(body['locals']) ? body['locals'] : []).entries()) {
        for (const [name, raw] of Object.entries(isObject(block) ? block : {})) {
            const field = i > 0 ? `locals[${i}].${name}` : `locals.${name}`;
            if (pending.has(name)) {
                report.error(field, `Duplicate value in locals: duplicate ${name} definition found`);
                continue;
            }
            pending.set(name, { raw, field });
        }
    }
    const declared = [...pending.keys()];
    const scope = {
        lookup(root, name) {
            if (root === 'var')
                return lookupVar(vars, name);
            if (values.has(name))
                return values.get(name);
            if (failed.has(name))
                throw new SilentError(`local "${name}" failed`);
            if (pending.has(name))
                throw new NotReadyError(`local value "${name}" depends on itself (directly or through other locals)`);
            throw new ExprError(`reference to undeclared local value "${name}"${suggest(name, declared)}`);
        },
    };
    let progress = true;
    while (pending.size > 0 && progress) {
        progress = false;
        for (const [name, { raw, field }] of pending) {
            let ok = true;
            try {
                const value = substitute(raw, scope, field, (f, m) => {
                    ok = false;
                    report.error(f, m);
                });
                if (ok)
                    values.set(name, value);
                else
                    failed.add(name);
            }
            catch (err) {
                if (err instanceof NotReadyError)
                    continue;
                throw err;
            }
            pending.delete(name);
            progress = true;
        }
    }
    for (const [name, { field }] of pending) {
        report.error(field, `local value "${name}" depends on itself (directly or through other locals)`);
        failed.add(name);
    }
    return scope;
}
//# sourceMappingURL=variables.js.map