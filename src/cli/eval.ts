/**
 * `drover eval status|list` (Nomad's command/eval_status.go, eval_list.go):
 * the scheduler's evaluations, and for one that could not place everything,
 * which filter or resource refused each group.
 */
import type { ApiEvaluation } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, type Ctx } from './common.js';
import { FORMAT_FLAGS, printFormatted } from './go-template.js';
import type { Io } from './io.js';
import { allocListTable } from './listings.js';
import { allocMetricLines, evalFailureStatus, failedGroupHeader, failedGroups } from './eval-format.js';
import { formatKV, formatList, formatTimeNs, limit, prettyTimeDiff, SHORT_ID } from './tables.js';

export const EVAL_USAGE = `Usage: drover eval <subcommand> [options] [args]

  This command groups subcommands for interacting with evaluations: what the
  scheduler did for each job registration, stop or freed capacity, and why
  an allocation could not be placed.

Subcommands:
  list      List the evaluations
  status    Display the status of an evaluation

Run 'drover eval <subcommand> -help' for a subcommand's options.`;

export const EVAL_STATUS_USAGE = apiUsage(`Usage: drover eval status [options] <evaluation>

  Display information about an evaluation: its status, what triggered it, the
  allocations it placed and, for groups it could not place, why.

Eval Status Options:
  -json        Output the evaluation in its JSON format.
  -t           Format and display the evaluation using a Go template.
  -verbose     Show full information (full ids, exact times).
`);

export const EVAL_LIST_USAGE = apiUsage(`Usage: drover eval list [options]

  List the evaluations, newest first.

Eval List Options:
  -job         Only show evaluations for this job ID.
  -status      Only show evaluations with this status.
  -json        Output the evaluations in their JSON format.
  -t           Format and display the evaluations using a Go template.
  -verbose     Show full ids.
`);

export async function evalCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'status':
      return evalStatusCommand(rest, io);
    case 'list':
      return evalListCommand(rest, io);
    case '-h':
    case '-help':
    case '--help':
      io.err(EVAL_USAGE);
      return 0;
    default:
      io.err(sub === undefined ? EVAL_USAGE : `Unknown command "eval ${sub}"\n\n${EVAL_USAGE}`);
      return 1;
  }
}

async function evalListCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { job: { type: 'string' }, status: { type: 'string' }, verbose: { type: 'boolean' }, ...FORMAT_FLAGS } as const;
  return runCommandBody(io, EVAL_LIST_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, EVAL_LIST_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length > 0) throw new CliError(`This command takes no arguments\n\n${EVAL_LIST_USAGE}`);
    const filter = {
      ...(typeof ctx.values.job === 'string' ? { job: ctx.values.job } : {}),
      ...(typeof ctx.values.status === 'string' ? { status: ctx.values.status } : {}),
    };
    const evals = await call(ctx, 'Error querying evaluations', ctx.client.evaluations.list(filter));
    if (printFormatted(ctx.values, io.out, evals)) return 0;
    if (evals.length === 0) {
      io.out('No evals found');
      return 0;
    }
    const len = ctx.values.verbose ? Infinity : SHORT_ID;
    io.out(
      formatList([
        ['ID', 'Priority', 'Triggered By', 'Job ID', 'Namespace', 'Node ID', 'Status', 'Placement Failures'],
        ...evals.map((e) => [limit(e.ID, len), e.Priority, e.TriggeredBy, e.JobID, e.Namespace, limit(e.NodeID, len), e.Status, evalFailureStatus(e)]),
      ]),
    );
    return 0;
  });
}

async function evalStatusCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { verbose: { type: 'boolean' }, ...FORMAT_FLAGS } as const;
  return runCommandBody(io, EVAL_STATUS_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, EVAL_STATUS_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument\n\n${EVAL_STATUS_USAGE}`);
    const e = await findEval(ctx, ctx.args[0] as string);
    if (printFormatted(ctx.values, io.out, e)) return 0;
    const verbose = ctx.values.verbose === true;
    const len = verbose ? Infinity : SHORT_ID;
    const time = (ns: number) => (verbose ? formatTimeNs(ns) : prettyTimeDiff(ns));
    io.out(
      formatKV([
        ['ID', limit(e.ID, len)],
        ['Create Time', time(e.CreateTime)],
        ['Modify Time', time(e.ModifyTime)],
        ['Status', e.Status],
        ['Status Description', e.StatusDescription || e.Status],
        ['Type', e.Type],
        ['TriggeredBy', e.TriggeredBy],
        ['Job ID', e.JobID],
        ['Namespace', e.Namespace],
        ...(e.TriggeredBy === 'node-update' ? [['Node ID', e.NodeID] as const] : []),
        ['Priority', e.Priority],
        ['Placement Failures', evalFailureStatus(e)],
        ['Previous Eval', limit(e.PreviousEval, len)],
        ['Next Eval', limit(e.NextEval, len)],
        ['Blocked Eval', limit(e.BlockedEval, len)],
      ]),
    );
    const placed = await call(ctx, 'Error querying eval allocations', ctx.client.evaluations.allocations(e.ID));
    if (placed.length > 0) {
      io.out('\nPlaced Allocations');
      io.out(allocListTable(placed, verbose ? { verbose: true } : {}));
    }
    const failed = failedGroups(e);
    if (failed.length > 0) {
      io.out('\nFailed Placements');
      for (const [group, m] of failed) {
        io.out(failedGroupHeader(group, m));
        io.out(allocMetricLines(m, '  ').join('\n'));
      }
      if (e.BlockedEval) io.out(`\nEvaluation ${JSON.stringify(limit(e.BlockedEval, len))} waiting for additional capacity to place remainder`);
    }
    return 0;
  });
}

/** The evaluation by full ID or unique prefix (Nomad's eval status resolves prefixes through the list). */
async function findEval(ctx: Ctx, idOrPrefix: string): Promise<ApiEvaluation> {
  const matches = await call(ctx, 'Error querying evaluation', ctx.client.evaluations.list({ prefix: idOrPrefix }));
  const exact = matches.find((e) => e.ID === idOrPrefix);
  if (exact) return exact;
  if (matches.length === 0) throw new CliError(`No evaluation(s) with prefix or id ${JSON.stringify(idOrPrefix)} found`);
  if (matches.length > 1) {
    const rows = matches.map((e) => [limit(e.ID, SHORT_ID), e.Priority, e.TriggeredBy, e.JobID, e.Status, evalFailureStatus(e)]);
    throw new CliError(`Prefix matched multiple evaluations\n\n${formatList([['ID', 'Priority', 'Triggered By', 'Job ID', 'Status', 'Placement Failures'], ...rows])}`);
  }
  return matches[0] as ApiEvaluation;
}
