/**
 * `drover job inspect JOB` and `drover job history JOB` (Nomad's): the
 * registered job as JSON, and the list of its stored versions.
 */
import type { ApiJob } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, toJson, type Ctx } from './common.js';
import { findJobId } from './lookup.js';
import { formatKV, formatTimeNs } from './tables.js';
import { FORMAT_FLAGS, printFormatted } from './go-template.js';
import type { Io } from './io.js';

export const JOB_INSPECT_USAGE = apiUsage(`Usage: drover job inspect [options] <job>

  Prints the registered job as JSON: {"Job": {...}}, which 'drover job run -json'
  accepts back.

Inspect Options:
  -json          Print the job object alone.
  -t TMPL        Format the job with a Go template.
  -version N     Inspect version N instead of the latest.
`);

export const JOB_HISTORY_USAGE = apiUsage(`Usage: drover job history [options] <job>

  Lists the job's versions, newest first.

History Options:
  -full          Print each version's job as JSON too.
  -version N     Show only version N.
  -json          Print the versions as JSON.
`);

export async function jobInspectCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { ...FORMAT_FLAGS, version: { type: 'string' } } as const;
  return runCommandBody(io, JOB_INSPECT_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, JOB_INSPECT_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <job>\n\n${JOB_INSPECT_USAGE}`);
    const id = await findJobId(ctx, (ctx.args[0] as string).trim());
    const version = parseVersion(ctx.values.version);
    const job = version === undefined ? await call(ctx, 'Error inspecting job', ctx.client.jobs.info(id)) : await jobVersion(ctx, id, version, 'Error inspecting job');
    // Nomad's job inspect prints {"Job": …} unless -json or -t asks for the job itself.
    if (!printFormatted(ctx.values, io.out, job)) io.out(toJson({ Job: job }));
    return 0;
  });
}

export async function jobHistoryCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { full: { type: 'boolean' }, json: { type: 'boolean' }, version: { type: 'string' } } as const;
  return runCommandBody(io, JOB_HISTORY_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, JOB_HISTORY_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <job>\n\n${JOB_HISTORY_USAGE}`);
    if (ctx.values.json && ctx.values.full) throw new CliError('-json is exclusive with -full');
    const id = await findJobId(ctx, (ctx.args[0] as string).trim());
    const version = parseVersion(ctx.values.version);
    const { Versions } = await call(ctx, 'Error retrieving job versions', ctx.client.jobs.versions(id));
    const shown = version === undefined ? Versions : Versions.filter((v) => v.Version === version);
    if (version !== undefined && shown.length === 0) throw new CliError(`Error: job ${JSON.stringify(id)} has no version ${version}`);
    if (ctx.values.json) {
      io.out(toJson(version === undefined ? shown : shown[0]));
      return 0;
    }
    io.out(shown.map((v) => formatVersion(v, ctx.values.full === true)).join('\n\n'));
    return 0;
  });
}

/** One version block (Nomad's formatJobVersion, without diffs). */
function formatVersion(job: ApiJob, full: boolean): string {
  const kv = formatKV([
    ['Version', job.Version ?? 0],
    ['Stable', job.Stable ?? false],
    ['Submit Date', formatTimeNs(job.SubmitTime ?? 0)],
  ]);
  return full ? `${kv}\nFull        = JSON Job:\n${toJson(job)}` : kv;
}

async function jobVersion(ctx: Ctx, id: string, version: number, what: string): Promise<ApiJob> {
  const { Versions } = await call(ctx, what, ctx.client.jobs.versions(id));
  const job = Versions.find((v) => v.Version === version);
  if (!job) throw new CliError(`${what}: job ${JSON.stringify(id)} has no version ${version}`);
  return job;
}

function parseVersion(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`Error parsing version value ${JSON.stringify(v)}: not a non-negative integer`);
  return n;
}
