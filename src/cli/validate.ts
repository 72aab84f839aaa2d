/**
 * `drover validate JOB.hcl` (also `drover job validate`): check a job file without running it.
 * Like Nomad's `job validate`, the agent checks it when one answers (its HCL parser is warm and
 * it knows the drivers it really has: ~0.2 s instead of ~0.9 s with a parser loaded here), and
 * this process does when none does, against the built-in drivers' schemas.
 */
import { builtinDriverSchemas } from '../drivers/catalog.js';
import { ValidationError, type FieldProblem } from '../model/errors.js';
import { apiUsage, commandContext, runCommandBody, type Ctx } from './common.js';
import { JOB_FILE_FLAGS, nomadVarEnv, parseJobInputs, readJobFileInputs, type JobFileInputs } from './job-file.js';
import { printWarnings, type Io } from './io.js';

export const VALIDATE_USAGE = apiUsage(`Usage: drover validate [options] <job.hcl>

  Checks the job file's syntax, structure and driver config without running it.
  An agent that answers checks it against its drivers; without one it is checked
  here, against the built-in drivers.

Validate Options:
  -var name=value     Set an HCL2 input variable (repeatable).
  -var-file FILE      Read input variables from FILE (repeatable).
`);

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, VALIDATE_USAGE, async () => {
    const ctx = commandContext(argv, JOB_FILE_FLAGS, io, VALIDATE_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) {
      io.err(VALIDATE_USAGE);
      return 1;
    }
    const file = ctx.args[0] as string;
    const inputs = await readJobFileInputs(file, ctx.values);
    const warnings = (await checkOnAgent(ctx, file, inputs)) ?? (await parseJobInputs(file, inputs, builtinDriverSchemas)).warnings;
    printWarnings(io, warnings);
    io.out('Job validation successful');
    return 0;
  });
}

/** The agent's warnings, or undefined when no agent answered (or it refused: Nomad's CLI then validates locally too). */
async function checkOnAgent(ctx: Ctx, file: string, inputs: JobFileInputs): Promise<readonly FieldProblem[] | undefined> {
  let parsed;
  try {
    parsed = await ctx.client.jobs.parseFile({ hcl: inputs.source, file, varFiles: inputs.varFiles, vars: inputs.vars, envVars: nomadVarEnv() });
  } catch {
    return undefined;
  }
  if (parsed.errors.length > 0 || !parsed.job) throw new ValidationError(parsed.errors);
  return parsed.warnings;
}
