/**
 * The HCL front end shared by job files (jobspec) and agent config files
 * (agent/config): parse with hcl2json, locate every field's line, read typed
 * values, and report every problem with file, line and field path.
 */
import { ValidationError, type FieldProblem } from '../model/index.js';
import { locate } from './locate.js';
import { parseHcl, type HclBody } from './parse.js';
import { Report } from './report.js';

export { locate, SourceLocator, type EntryKind } from './locate.js';
export { MAX_NESTING, nestingProblem, parseHcl, syntaxProblems, type HclBody, type ParseOutcome } from './parse.js';
export { Report } from './report.js';
export { hclBackend, HclParserProcess, inProcessHcl, useHclBackend, type HclBackend } from './backend.js';
export { BodyReader, describeValue, isObject, type Labeled, type LevelNames } from './fields.js';

/** One parsed source text and the report its problems go to. */
export interface HclSource {
  readonly body: HclBody;
  readonly report: Report;
}

/**
 * Locates and parses one HCL text. Syntax errors throw one ValidationError
 * (each problem with its line and the block around it); `file` names the text
 * in messages, `fallbackName` stands in for hcl2json when there is no file.
 */
export async function readHcl(text: string, file: string | undefined, fallbackName: string): Promise<HclSource> {
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
export function sortProblems(problems: readonly FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  const sorted = [...problems].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
  return sorted.filter((p) => {
    const key = `${p.file ?? ''}|${p.line ?? ''}|${p.field}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
