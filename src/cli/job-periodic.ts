/** `drover job periodic force JOB` (Nomad's `nomad job periodic force`): launches a periodic job's child now. */
import { apiUsage, call, CliError, commandContext, runCommandBody } from './common.js';
import { findJobId } from './lookup.js';
import type { Io } from './io.js';

export const JOB_PERIODIC_USAGE = apiUsage(`Usage: drover job periodic force [options] <job>

  Launches a child of the periodic job now, regardless of its schedule and of prohibit_overlap.

Periodic Force Options:
  -detach    Accepted for Nomad compatibility (there is no evaluation to monitor).
`);

export async function jobPeriodicCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'force') {
    io.err(sub === undefined || sub.startsWith('-') ? JOB_PERIODIC_USAGE : `Unknown command "job periodic ${sub}"\n\n${JOB_PERIODIC_USAGE}`);
    return sub === '-help' || sub === '-h' || sub === '--help' ? 0 : 1;
  }
  const spec = { detach: { type: 'boolean' }, verbose: { type: 'boolean' } } as const;
  return runCommandBody(io, JOB_PERIODIC_USAGE, async () => {
    const ctx = commandContext(rest, spec, io, JOB_PERIODIC_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <job>\n\n${JOB_PERIODIC_USAGE}`);
    const prefix = (ctx.args[0] as string).trim();
    // Only periodic jobs are candidates (Nomad's filter): "nightly" is not ambiguous with its own children.
    const id = await findJobId(ctx, prefix, { filter: (j) => j.Periodic, none: `No periodic job(s) with prefix or ID ${JSON.stringify(prefix)} found` });
    const resp = await call(ctx, `Error forcing periodic job ${JSON.stringify(id)}`, ctx.client.jobs.periodicForce(id));
    io.out(`Force periodic successful\nEvaluation ID: ${resp.EvalID}`);
    return 0;
  });
}
