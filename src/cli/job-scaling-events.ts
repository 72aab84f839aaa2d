/**
 * `drover job scaling-events [-verbose] <job>` (Nomad's `nomad job
 * scaling-events`): the job's scaling events across its groups, newest first.
 */
import type { ApiJobScaleStatus, ApiScalingEvent } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody } from './common.js';
import { findJobId } from './lookup.js';
import { formatList, formatTimeNs } from './tables.js';
import type { Io } from './io.js';

export const JOB_SCALING_EVENTS_USAGE = apiUsage(`Usage: drover job scaling-events [options] <job>

  List the scaling events for the specified job.

Scaling-Events Options:
  -verbose   Display full information.
`);

export async function jobScalingEventsCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, JOB_SCALING_EVENTS_USAGE, async () => {
    const ctx = commandContext(argv, { verbose: { type: 'boolean' } }, io, JOB_SCALING_EVENTS_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <job_id>\n\n${JOB_SCALING_EVENTS_USAGE}`);
    const id = await findJobId(ctx, (ctx.args[0] as string).trim());
    const status = await call(ctx, 'Error listing scaling events', ctx.client.jobs.scaleStatus(id));
    const events = sortedEvents(status);
    if (events.length === 0) {
      io.out('No events found');
      return 0;
    }
    io.out(scalingEventsTable(events, ctx.values.verbose === true));
    return 0;
  });
}

interface GroupEvent {
  readonly group: string;
  readonly event: ApiScalingEvent;
}

/** Every group's events, newest first. */
function sortedEvents(status: ApiJobScaleStatus): GroupEvent[] {
  const out = Object.entries(status.TaskGroups).flatMap(([group, g]) => (g.Events ?? []).map((event) => ({ group, event })));
  return out.sort((a, b) => b.event.Time - a.event.Time);
}

/** Nomad's formatScalingEventListOutput: an absent count or eval ID is an empty cell. */
export function scalingEventsTable(events: readonly GroupEvent[], verbose: boolean): string {
  const header = ['Task Group', 'Count', 'PrevCount', ...(verbose ? ['Error', 'Message', 'Eval ID'] : []), 'Date'];
  const rows = events.map(({ group, event: e }) => [
    group,
    e.Count === null ? '' : String(e.Count),
    String(e.PreviousCount),
    ...(verbose ? [String(e.Error), e.Message, e.EvalID ?? ''] : []),
    formatTimeNs(e.Time),
  ]);
  return formatList([header, ...rows]);
}
