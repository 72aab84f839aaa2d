/**
 * Nomad HCL2 job file → typed, defaulted, validated Job.
 *
 * Pipeline: locate (line of every field) → parse (hcl2json) → variables and
 * locals → substitute `${...}` (runtime references kept) → decode and check.
 * Every problem found is collected; any error throws one ValidationError.
 */
import { ValidationError, type DriverSchemas, type FieldProblem, type Job } from '../model/index.js';
import { readHcl, sortProblems } from '../hcl/index.js';
import { decodeJobFile } from './decode-job.js';
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
  const parsed = await readHcl(source, opts.file, 'job.nomad.hcl');
  const { report } = parsed;
  const scope = await resolveVariables(parsed.body, report, opts);
  const job = parsed.body['job'];
  const body = { ...parsed.body, job: substitute(job, scope, 'job', (field, message) => report.error(field, message)) };
  const decoded = decodeJobFile(report, body, opts.drivers);
  const errors = sortProblems(report.errors);
  if (errors.length > 0 || !decoded) throw new ValidationError(errors);
  return { job: decoded, warnings: sortProblems(report.warnings) };
}
