/**
 * Nomad HCL2 job file → typed, defaulted, validated Job.
 *
 * Pipeline: locate (line of every field) → parse (hcl2json) → variables and
 * locals → substitute `${...}` (runtime references kept) → decode and check.
 * Every problem found is collected; any error throws one ValidationError.
 */
import { ValidationError, type DriverSchemas, type FieldProblem, type Job } from '../model/index.js';
import { decodeJobFile } from './decode-job.js';
import { locate } from './locate.js';
import { parseHcl } from './parse.js';
import { Report } from './report.js';
import { substitute } from './substitute.js';
import { resolveVariables } from './variables.js';

/** Inputs besides the job text. */
export interface ParseJobOptions {
  /** Used in error messages ("mock.nomad.hcl:12: ..."). */
  file?: string;
  /** -var name=value (string values; converted by the variable's declared type). */
  vars?: Record<string, string>;
  /** -var-file contents (HCL `name = value` files). */
  varFileContents?: { file: string; source: string }[];
  /** Environment for NOMAD_VAR_<name> variables (default: none). */
  env?: Record<string, string | undefined>;
  /**
   * The drivers to check `driver` and `config {}` against. Absent, both are
   * left to the agent, which knows its external plugins too (as Nomad's
   * CLI leaves them to the servers).
   */
  drivers?: DriverSchemas;
}

/** A decoded job and the warnings (ignored stanzas) found on the way. */
export interface ParsedJob {
  job: Job;
  warnings: FieldProblem[];
}

/** Parses, resolves and validates a job file; throws ValidationError listing every problem. */
export async function parseJob(source: string, opts: ParseJobOptions): Promise<ParsedJob> {
  const locator = locate(source);
  const report = new Report(locator, opts.file);
  const parsed = await parseHcl(opts.file ?? 'job.nomad.hcl', source, locator);
  if (!parsed.ok) {
    report.addErrors(parsed.problems);
    throw new ValidationError(report.errors);
  }
  const scope = await resolveVariables(parsed.body, report, opts);
  const job = parsed.body['job'];
  const body = { ...parsed.body, job: substitute(job, scope, 'job', (field, message) => report.error(field, message)) };
  const decoded = decodeJobFile(report, body, opts.drivers);
  const errors = dedupe(report.errors);
  if (errors.length > 0 || !decoded) throw new ValidationError(errors);
  return { job: decoded, warnings: dedupe(report.warnings) };
}

/** Drops repeats and orders by file and line (decoding visits keys in hcl2json's sorted order, not the file's). */
function dedupe(problems: readonly FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  const sorted = [...problems].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
  return sorted.filter((p) => {
    const key = `${p.file ?? ''}|${p.line ?? ''}|${p.field}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
