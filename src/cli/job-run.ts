/**
 * `drover job run FILE`: submit a job to the agent (Nomad's `nomad job run`).
 * Like Nomad's CLI, the HCL is parsed here (so -var, -var-file and
 * NOMAD_VAR_* come from this shell and errors name file and line) and sent
 * as JSON. Without -detach it watches the allocations until each is running
 * or terminal, then prints them.
 */
import { readFile } from 'node:fs/promises';
import { ApiError, type ApiJob, type ApiJobSubmission, type JobFileParseResult } from '../api/index.js';
import { ValidationError } from '../model/errors.js';
import { apiFailure, apiUsage, call, CliError, commandContext, runCommandBody, toJson, type Ctx } from './common.js';
import { JOB_FILE_FLAGS, nomadVarEnv, parseJobInputs, readJobFileInputs } from './job-file.js';
import { allocListTable } from './listings.js';
import { jobAllocs, monitorInfo, monitorLine, statusCounts, watchVersion } from './monitor.js';
import { allocMetricLines, failedGroupHeader, failedGroups } from './eval-format.js';
import { limit, SHORT_ID } from './tables.js';
import { printWarnings } from './io.js';
import type { Io } from './io.js';

export const JOB_RUN_USAGE = apiUsage(`Usage: drover job run [options] <path>

  Submits the job file to the agent. Unless -detach is given, waits until
  every allocation of the new version is running or finished, then follows
  the version's deployment until it ends (and into an auto revert's), and
  prints the allocations. Exit code 2 means an allocation failed or could not
  be placed, 1 that the deployment did not succeed.

Run Options:
  -detach             Return after submitting, printing the evaluation ID.
  -json               The file is a JSON job ({"Job": {...}} or the job itself), as 'job inspect' prints it.
  -output             Print the JSON the file parses to instead of submitting it.
  -verbose            Full ids.
  -var name=value     Set an HCL2 input variable (repeatable).
  -var-file FILE      Read input variables from FILE (repeatable).
`);

export async function jobRunCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { ...JOB_FILE_FLAGS, detach: { type: 'boolean' }, json: { type: 'boolean' }, output: { type: 'boolean' }, verbose: { type: 'boolean' } } as const;
  return runCommandBody(io, JOB_RUN_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, JOB_RUN_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <path>\n\n${JOB_RUN_USAGE}`);
    const { job, submission } = ctx.values.json ? await readJsonJob(ctx.args[0] as string) : await readHclJob(ctx, ctx.args[0] as string);
    if (ctx.values.output) {
      io.out(toJson({ Job: job }));
      return 0;
    }
    const id = String(job.ID ?? '');
    // Monitoring needs the state before the write: which allocations are new, whether anything changed.
    const previous = ctx.values.detach ? undefined : await currentJob(ctx, id);
    const before = ctx.values.detach ? [] : await jobAllocs(ctx, id);
    const resp = await call(ctx, 'Error submitting job', ctx.client.jobs.register(job, { submission }));
    if (resp.Warnings) io.out(`Job Warnings:\n${resp.Warnings}\n`);
    // A periodic or parameterized job places nothing itself: nothing to watch (Nomad's job run returns too).
    const template = Boolean(job.Periodic) || Boolean(job.ParameterizedJob);
    if (ctx.values.detach || template) {
      io.out('Job registration successful');
      // Loaded only here: job status and the deployment monitor pull in the cron and Go-template modules,
      // ~30 of the ~95 a job run loads, which a detached run of a plain job never uses.
      const next = job.Periodic && !job.ParameterizedJob ? (await import('./job-status.js')).nextPeriodicLaunch({ ...job, Stop: false }, Date.now()) : undefined;
      if (next !== undefined) io.out(`Approximate next launch time: ${next}`);
      else if (!template) io.out(`Evaluation ID: ${resp.EvalID}`);
      return 0;
    }
    const info = await call(ctx, 'Error querying job', ctx.client.jobs.info(id));
    const version = info.Version ?? 0;
    const unchanged = previous !== undefined && previous.JobModifyIndex === resp.JobModifyIndex && !previous.Stop;
    monitorInfo(ctx, `Job ${JSON.stringify(id)} ${unchanged ? 'unchanged' : 'registered'} (version ${version})`);
    const placed = await watchVersion(ctx, { jobId: id, version, before });
    const failed = placed.filter((a) => a.ClientStatus === 'failed' || a.ClientStatus === 'lost');
    const unplaced = resp.EvalID ? await reportPlacementFailures(ctx, resp.EvalID) : false;
    monitorInfo(ctx, `Job ${JSON.stringify(id)} version ${version}: ${placed.length} allocation(s), ${statusCounts(placed)}`);
    // Nomad's job run then watches the version's deployment; one that does not succeed exits 1.
    // This version's own deployment: by now an auto revert may already have started a newer one.
    const deployment = unchanged ? undefined : (await call(ctx, 'Error querying job deployments', ctx.client.deployments.forJob(id))).find((d) => d.JobVersion === version);
    let deployed = 'successful';
    if (deployment) {
      const length = ctx.values.verbose ? 36 : 8;
      monitorInfo(ctx, `Monitoring deployment ${JSON.stringify(deployment.ID.slice(0, length))}`);
      deployed = await (await import('./deployment-monitor.js')).monitorDeployment(ctx, deployment.ID, length);
    }
    // After a deployment (maybe reverted) the job's wanted allocations are what it left running.
    const shown = deployment ? (await jobAllocs(ctx, id)).filter((a) => a.DesiredStatus === 'run') : placed;
    io.out('');
    io.out(allocListTable(shown, ctx.values.verbose ? { verbose: true } : {}));
    return failed.length > 0 || unplaced ? 2 : deployed === 'successful' ? 0 : 1;
  });
}

/**
 * Nomad's monitor lines for an evaluation that could not place everything
 * ("finished with status "complete" but failed to place all allocations");
 * true when it did not.
 */
export async function reportPlacementFailures(ctx: Ctx, evalId: string): Promise<boolean> {
  const e = await call(ctx, 'Error reading evaluation', ctx.client.evaluations.info(evalId));
  const failed = failedGroups(e);
  const len = ctx.values.verbose ? Infinity : SHORT_ID;
  if (failed.length === 0) return false;
  monitorInfo(ctx, `Evaluation ${JSON.stringify(limit(e.ID, len))} finished with status ${JSON.stringify(e.Status)} but failed to place all allocations:`);
  for (const [group, m] of failed) {
    monitorLine(ctx, failedGroupHeader(group, m));
    // Output lines of Nomad's monitor UI carry its 4-space prefix, metric lines included.
    for (const line of allocMetricLines(m, '  ')) ctx.io.out(`    ${line}`);
  }
  if (e.BlockedEval) monitorLine(ctx, `Evaluation ${JSON.stringify(limit(e.BlockedEval, len))} waiting for additional capacity to place remainder`);
  return true;
}

/**
 * Parses the HCL file, printing warnings; returns Nomad's JSON job. The agent
 * parses it (its parser is warm; loading one here costs ~0.7 s) and checks
 * driver names and config {} against the drivers it really has. The variables
 * still come from this shell: -var, -var-file and NOMAD_VAR_* are sent along.
 * An agent that cannot be reached (job run -output) leaves it to this process.
 */
async function readHclJob(ctx: Ctx, file: string): Promise<SubmittedJob> {
  const inputs = await readJobFileInputs(file, ctx.values);
  const { source, vars, varFiles } = inputs;
  // Nomad's CLI sends the source along (its JobSubmission): the web UI shows it and edits it.
  const submission: ApiJobSubmission = { Source: source, Format: 'hcl2', VariableFlags: vars, Variables: varFiles.map((f) => f.source.replace(/\n+$/, '')).join('\n\n') };
  let parsed: JobFileParseResult | undefined;
  try {
    parsed = await ctx.client.jobs.parseFile({ hcl: source, file, varFiles, vars, envVars: nomadVarEnv() });
  } catch (err) {
    if (err instanceof ApiError) throw apiFailure(ctx.client, 'Error parsing job file', err);
  }
  if (!parsed) {
    const [{ job, warnings }, { toApiJob }] = await Promise.all([parseJobInputs(file, inputs), import('../model/nomad-api/job-to-api.js')]);
    printWarnings(ctx.io, warnings);
    return { job: toApiJob(job), submission };
  }
  if (parsed.errors.length > 0 || !parsed.job) throw new ValidationError(parsed.errors);
  printWarnings(ctx.io, parsed.warnings);
  return { job: parsed.job, submission };
}

/** A job to register and the source it came from. */
interface SubmittedJob {
  readonly job: ApiJob;
  readonly submission: ApiJobSubmission;
}

/** Reads a JSON job file: `{"Job": {...}}` (job inspect's output) or the bare job. */
async function readJsonJob(file: string): Promise<SubmittedJob> {
  let parsed: unknown;
  let source: string;
  try {
    source = await readFile(file, 'utf8');
    parsed = JSON.parse(source);
  } catch (err) {
    throw new CliError(`Error getting job struct: Error reading job file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`Error getting job struct: ${file}: expected a JSON object`);
  const wrapped = (parsed as { Job?: unknown }).Job;
  return { job: (wrapped && typeof wrapped === 'object' ? wrapped : parsed) as ApiJob, submission: { Source: source, Format: 'json' } };
}

/** The registered job, or undefined when there is none yet. */
async function currentJob(ctx: Ctx, id: string): Promise<ApiJob | undefined> {
  try {
    return await ctx.client.jobs.info(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    return call(ctx, 'Error submitting job', Promise.reject(err));
  }
}
