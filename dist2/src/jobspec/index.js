/**
 * Nomad HCL2 job file → typed, defaulted, validated Job.
 *
 * Pipeline: locate (line of every field) → parse (hcl2json) → variables and
 * locals → substitute `${...}` (runtime references kept) → decode and check.
 * Every problem found is collected; any error throws one ValidationError.
 */
import { ValidationError } from '../model/index.js';
import { readHcl, sortProblems } from '../hcl/index.js';
import { decodeJobFile } from './decode-job.js';
import { substitute } from './substitute.js';
import { resolveVariables } from './variables.js';
/** Parses, resolves and validates a job file; throws ValidationError listing every problem. */
export async function parseJob(source, opts) {
    const parsed = await readHcl(source, opts.file, 'job.nomad.hcl');
    const { report } = parsed;
    const scope = await resolveVariables(parsed.body, report, opts);
    const job = parsed.body['job'];
    const body = { ...parsed.body, job: substitute(job, scope, 'job', (field, message) => report.error(field, message)) };
    const decoded = decodeJobFile(report, body, opts.drivers);
    const errors = sortProblems(report.errors);
    if (errors.length > 0 || !decoded)
        throw new ValidationError(errors);
    return { job: decoded, warnings: sortProblems(report.warnings) };
}
//# sourceMappingURL=index.js.map