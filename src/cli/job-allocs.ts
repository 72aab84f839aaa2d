/** `drover job allocs [-verbose] [-json] JOB` (Nomad's `nomad job allocs`): the job's allocations. */
import { apiUsage, call, CliError, commandContext, runCommandBody, toJson } from './common.js';
import { allocListTable } from './listings.js';
import { findJobId } from './lookup.js';
import type { Io } from './io.js';

export const JOB_ALLOCS_USAGE = apiUsage(`Usage: drover job allocs [options] <job>

  Lists the job's allocations, newest first.

Allocs Options:
  -all       Accepted for Nomad compatibility: the agent keeps one instance of a job, so every allocation is listed anyway.
  -json      Print the allocations as JSON.
  -verbose   Full ids and absolute times.
`);

export async function jobAllocsCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { all: { type: 'boolean' }, json: { type: 'boolean' }, verbose: { type: 'boolean' } } as const;
  return runCommandBody(io, JOB_ALLOCS_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, JOB_ALLOCS_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <job>\n\n${JOB_ALLOCS_USAGE}`);
    const id = await findJobId(ctx, (ctx.args[0] as string).trim());
    const allocs = await call(ctx, 'Error retrieving allocations', ctx.client.jobs.allocations(id));
    io.out(ctx.values.json ? toJson(allocs) : allocListTable(allocs, ctx.values.verbose ? { verbose: true } : {}));
    return 0;
  });
}
