/**
 * Flag parsing the way Nomad's CLI reads flags: `-name value`, `-name=value`,
 * and `--name` accepted too; booleans take no value; repeatable flags collect.
 * (node's util.parseArgs only knows `--long`, which Nomad users do not type.)
 */
import { DroverError, ErrorCode } from '../model/errors.js';
/** Flags or arguments the command cannot take; printed with the command's usage. */
export class UsageError extends DroverError {
    constructor(message) {
        super(ErrorCode.validation, message);
    }
}
/** Parses `argv` against `spec`; with `stopAtPositional` (Go's flag package), everything from the first positional on is positional. */
export function parseFlags(argv, spec, opts = {}) {
    const values = {};
    const positionals = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--') {
            positionals.push(...argv.slice(i + 1));
            break;
        }
        if (!arg.startsWith('-') || arg === '-') {
            if (opts.stopAtPositional) {
                positionals.push(...argv.slice(i));
                break;
            }
            positionals.push(arg);
            continue;
        }
        const body = arg.replace(/^--?/, '');
        const eq = body.indexOf('=');
        const name = eq >= 0 ? body.slice(0, eq) : body;
        const def = spec[name];
        if (!def)
            throw new UsageError(`flag provided but not defined: -${name}`);
        if (def.type === 'boolean') {
            values[name] = eq >= 0 ? body.slice(eq + 1) !== 'false' : true;
            continue;
        }
        let value;
        if (eq >= 0)
            value = body.slice(eq + 1);
        else {
            const next = argv[i + 1];
            if (next === undefined)
                throw new UsageError(`flag needs an argument: -${name}`);
            value = next;
            i++;
        }
        if (def.multiple)
            values[name] = [...(values[name] ?? []), value];
        else
            values[name] = value;
    }
    return { values, positionals };
}
//# sourceMappingURL=flags.js.map