/**
 * A plugin's logger: hclog JSON lines on stderr, the format go-plugin hosts
 * parse and re-log under the plugin's name (Nomad's plugins log this way).
 */
import { sinkLogger } from '../model/logger.js';
/** One hclog JSON line. */
export function hclogLine(level, module, msg, fields = {}) {
    const entry = { '@level': level, '@message': msg, '@module': module, '@timestamp': new Date().toISOString() };
    for (const [k, v] of Object.entries(fields))
        entry[k] = v instanceof Error ? v.message : v;
    return `${JSON.stringify(entry)}\n`;
}
/** A Logger writing hclog JSON through `write` (the real stderr, kept before stdio capture); `named()` extends `module`. */
export function hclogLogger(module, write) {
    return sinkLogger((r) => write(hclogLine(r.level, r.module, r.message, r.fields)), module);
}
/** Parses an hclog JSON line from a plugin's stderr; undefined for plain text. */
export function parseHclogLine(line) {
    if (!line.startsWith('{'))
        return undefined;
    try {
        const entry = JSON.parse(line);
        const { '@level': level, '@message': message, '@timestamp': _ts, '@module': _mod, ...fields } = entry;
        if (typeof message !== 'string')
            return undefined;
        return { level: typeof level === 'string' ? level : 'info', message, fields };
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=logger.js.map