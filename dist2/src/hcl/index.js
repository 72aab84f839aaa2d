/**
 * The HCL front end shared by job files (jobspec) and agent config files
 * (agent/config): parse with hcl2json, locate every field's line, read typed
 * values, and report every problem with file, line and field path.
 */
import { ValidationError } from '../model/index.js';
import { locate } from './locate.js';
import { parseHcl } from './parse.js';
import { Report } from './report.js';
export { locate, SourceLocator } from './locate.js';
export { parseHcl, syntaxProblems } from './parse.js';
export { Report } from './report.js';
export { BodyReader, describeValue, isObject } from './fields.js';
/**
 * Locates and parses one HCL text. Syntax errors throw one ValidationError
 * (each problem with its line and the block around it); `file` names the text
 * in messages, `fallbackName` stands in for hcl2json when there is no file.
 */
export async function readHcl(text, file, fallbackName) {
    const locator = locate(text);
    const report = new Report(locator, file);
    const parsed = await parseHcl(file ?? fallbackName, text, locator);
    if (!parsed.ok) {
        report.addErrors(parsed.problems);
        throw new ValidationError(report.errors);
    }
    return { body: parsed.body, report };
}
/** Drops repeated problems and orders them by file and line (hcl2json sorts keys, so decoding does not visit them in file order). */
export function sortProblems(problems) {
    const seen = new Set();
    const sorted = [...problems].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
    return sorted.filter((p) => {
        const key = `${p.file ?? ''}|${p.line ?? ''}|${p.field}|${p.message}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
//# sourceMappingURL=index.js.map