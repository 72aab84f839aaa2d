/**
 * `drover job scale [options] <job> [<group>] <count>` (Nomad's `nomad job
 * scale`): changes one group's count through the agent's scale endpoint;
 * the group may be left out when the job has one. Unless -detach, watches
 * the job's allocations until the new version's are placed.
 */
import type { ApiAllocationListStub, ApiJobScaleStatus } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, type Ctx } from './common.js';
import { findJobId } from './lookup.js';
import { jobAllocs, monitorInfo, statusCounts, watchVersion } from './monitor.js';
import { allocListTable } from './listings.js';
import { nextPeriodicLaunch } from './job-status.js';
import { reportPlacementFailures } from './job-run.js';
import type { Io } from './io.js';

export const JOB_SCALE_USAGE = apiUsage(`Usage: drover job scale [options] <job> [<group>] <count>

  Perform a scaling action by altering the count within a job group. The
  group may be omitted when the job has only one. Unless -detach is given,
  watches the job's allocations until the new count is placed.

Scale Options:
  -check-index INDEX
    Scale only if the job's modify index is INDEX (ignored when 0), so the
    job is changed from a known state.
  -detach    Return at once, printing the evaluation ID.
  -verbose   Full ids.

  Exit code 2 means an allocation failed or could not be placed.
`);

export async function jobScaleCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { 'check-index': { type: 'string' }, detach: { type: 'boolean' }, verbose: { type: 'boolean' } } as const;
  return runCommandBody(io, JOB_SCALE_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, JOB_SCALE_USAGE);
    if (!ctx) return 0;
    const args = ctx.args;
    if (args.length < 2 || args.length > 3) throw new CliError(`Command requires at least two arguments and no more than three\n\n${JOB_SCALE_USAGE}`);
    const countText = (args.length === 3 ? args[2] : args[1]) as string;
    if (!/^[+-]?\d+$/.test(countText)) throw new CliError(`Failed to convert count string to int: strconv.Atoi: parsing ${JSON.stringify(countText)}: invalid syntax`);
    const count = Number(countText);
    const checkIndex = parseCheckIndex(ctx.values['check-index']);
    const id = await findJobId(ctx, (args[0] as string).trim());
    const status = await call(ctx, 'Error querying job', ctx.client.jobs.scaleStatus(id));
    const group = groupOf(status, args.length === 3 ? (args[1] as string) : '');

    const before = ctx.values.detach ? [] : await jobAllocs(ctx, id);
    const resp = await call(
      ctx,
      'Error submitting scaling request',
      ctx.client.jobs.scale(id, { Count: count, Target: { Job: id, Group: group }, Message: 'submitted using the Nomad CLI', PolicyOverride: false, JobModifyIndex: checkIndex }),
    );
    if (resp.Warnings) io.out(`Job Warnings:\n${resp.Warnings}\n`);
    const job = await call(ctx, 'Error looking up job', ctx.client.jobs.info(id));
    const periodic = Boolean(job.Periodic);
    const parameterized = Boolean(job.ParameterizedJob);
    if (ctx.values.detach || periodic || parameterized) {
      io.out('Job scale successful');
      if (periodic && !parameterized) {
        const next = nextPeriodicLaunch({ ...job, Stop: false }, Date.now());
        if (next !== undefined) io.out(`Approximate next launch time: ${next}`);
      } else if (!parameterized) io.out(`Evaluation ID: ${resp.EvalID}`);
      return 0;
    }
    return monitor(ctx, { id, group, version: job.Version ?? 0, evalId: resp.EvalID, stopped: job.Stop === true }, before);
  });
}

interface Scaled {
  readonly id: string;
  readonly group: string;
  readonly version: number;
  readonly evalId: string;
  readonly stopped: boolean;
}

/** Watches until every allocation the new version wants in the group is past pending; 2 when one failed or could not be placed (as job run). */
async function monitor(ctx: Ctx, { id, group, version, evalId, stopped }: Scaled, before: readonly ApiAllocationListStub[]): Promise<number> {
  monitorInfo(ctx, `Job ${JSON.stringify(id)} group ${JSON.stringify(group)} scaled (version ${version})`);
  if (stopped) {
    monitorInfo(ctx, `Job ${JSON.stringify(id)} is stopped: nothing is placed`);
    return 0;
  }
  const placed = await watchVersion(ctx, { jobId: id, version, group, before });
  const unplaced = evalId ? await reportPlacementFailures(ctx, evalId) : false;
  monitorInfo(ctx, `Job ${JSON.stringify(id)} group ${JSON.stringify(group)}: ${placed.length} allocation(s), ${statusCounts(placed)}`);
  if (placed.length > 0) {
    ctx.io.out('');
    ctx.io.out(allocListTable(placed, ctx.values.verbose ? { verbose: true } : {}));
  }
  return unplaced || placed.some((a) => a.ClientStatus === 'failed' || a.ClientStatus === 'lost') ? 2 : 0;
}

function parseCheckIndex(v: unknown): number {
  if (typeof v !== 'string') return 0;
  const s = v;
  if (!/^\d+$/.test(s)) throw new CliError(`invalid value ${JSON.stringify(s)} for flag -check-index: parse error`);
  return Number(s);
}

/** Nomad's performGroupCheck: the named group, or the job's only one. */
function groupOf(status: ApiJobScaleStatus, group: string): string {
  const names = Object.keys(status.TaskGroups);
  if (names.length > 1 && group === '') throw new CliError('Group name required');
  if (group === '' && names.length === 1) return names[0] as string;
  if (names.includes(group)) return group;
  throw new CliError(`Group ${group} not found within job`);
}
