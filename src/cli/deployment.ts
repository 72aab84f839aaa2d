/**
 * `drover deployment list|status|promote|fail|pause|resume` (Nomad's
 * command/deployment_*.go): deployments printed as Nomad prints them.
 * drover has no evaluations to monitor: the write commands print what they did.
 */
import type { ApiDeployment, ApiDeploymentState } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, toJson, type Ctx } from './common.js';
import { formatKV, formatList, formatTaskTime, limit, SHORT_ID } from './tables.js';
import { renderTemplate } from './go-template.js';
import type { Io } from './io.js';

export const DEPLOYMENT_USAGE = `Usage: drover deployment <subcommand> [options] [args]

  Interact with deployments: the rollouts of job versions.

Subcommands:
  list       List all deployments
  status     Display the status of a deployment
  promote    Promote the canaries of a deployment
  fail       Manually fail a deployment
  pause      Pause a deployment
  resume     Resume a paused deployment

Run 'drover deployment <subcommand> -help' for a subcommand's options.`;

const LIST_USAGE = apiUsage(`Usage: drover deployment list [options]

  List is used to list the set of deployments tracked by the agent.

List Options:
  -json      Output the deployments in JSON format.
  -t         Format and display the deployments using a Go template.
  -verbose   Display full information.
`);

const STATUS_USAGE = apiUsage(`Usage: drover deployment status [options] <deployment id>

  Status is used to display the status of a deployment. A unique prefix of
  the id is enough.

Status Options:
  -json      Output the deployment in its JSON format.
  -t         Format and display the deployment using a Go template.
  -verbose   Display full information.
`);

const PROMOTE_USAGE = apiUsage(`Usage: drover deployment promote [options] <deployment id>

  Promote is used to promote task groups in a deployment. Promotion should
  occur when the deployment has placed canaries for a task group and those
  canaries have been deemed healthy. When a task group is promoted, the
  rolling upgrade of the remaining allocations is unblocked.

Promote Options:
  -group     A task group to promote (repeatable); default: every group.
  -verbose   Display full information.
`);

const ACTION_USAGE = (what: string, text: string): string =>
  apiUsage(`Usage: drover deployment ${what} [options] <deployment id>

  ${text}

Options:
  -verbose   Display full information.
`);

const FAIL_USAGE = ACTION_USAGE('fail', 'Fail is used to mark a deployment as failed. Failing a deployment will\n  stop the placement of new allocations as part of rolling deployment and\n  if the job is configured to auto revert, the job will attempt to roll back\n  to a stable version.');
const PAUSE_USAGE = ACTION_USAGE('pause', 'Pause is used to pause a deployment. Pausing a deployment will pause the\n  placement of new allocations as part of rolling deployment.');
const RESUME_USAGE = ACTION_USAGE('resume', 'Resume is used to unpause a paused deployment. Resuming a deployment will\n  resume the placement of new allocations as part of rolling deployment.');

export async function deploymentCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return listCommand(rest, io);
    case 'status':
      return statusCommand(rest, io);
    case 'promote':
      return promoteCommand(rest, io);
    case 'fail':
      return actionCommand(rest, io, 'fail');
    case 'pause':
      return actionCommand(rest, io, 'pause');
    case 'resume':
      return actionCommand(rest, io, 'resume');
    case '-h':
    case '-help':
    case '--help':
      io.err(DEPLOYMENT_USAGE);
      return 0;
    default:
      io.err(sub === undefined ? DEPLOYMENT_USAGE : `Unknown command "deployment ${sub}"\n\n${DEPLOYMENT_USAGE}`);
      return 1;
  }
}

const READ_FLAGS = { json: { type: 'boolean' }, t: { type: 'string' }, verbose: { type: 'boolean' } } as const;

const idLength = (ctx: Ctx): number => (ctx.values.verbose ? 36 : SHORT_ID);

async function listCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, LIST_USAGE, async () => {
    const ctx = commandContext(argv, READ_FLAGS, io, LIST_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length > 0) throw new CliError(`This command takes no arguments\n\n${LIST_USAGE}`);
    const list = await call(ctx, 'Error retrieving deployments', ctx.client.deployments.list());
    // Nomad lists the newest first.
    const sorted = [...list].sort((a, b) => b.CreateIndex - a.CreateIndex);
    if (typeof ctx.values.t === 'string') io.out(renderTemplate('format', ctx.values.t, sorted));
    else io.out(ctx.values.json ? toJson(sorted) : formatDeployments(sorted, idLength(ctx)));
    return 0;
  });
}

async function statusCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, STATUS_USAGE, async () => {
    const ctx = commandContext(argv, READ_FLAGS, io, STATUS_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <deployment id>\n\n${STATUS_USAGE}`);
    const d = await findDeployment(ctx, ctx.args[0] as string);
    if (typeof ctx.values.t === 'string') io.out(renderTemplate('format', ctx.values.t, d));
    else io.out(ctx.values.json ? toJson(d) : formatDeployment(d, idLength(ctx)));
    return 0;
  });
}

async function promoteCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { verbose: { type: 'boolean' }, group: { type: 'string', multiple: true } } as const;
  return runCommandBody(io, PROMOTE_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, PROMOTE_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <deployment id>\n\n${PROMOTE_USAGE}`);
    const d = await findDeployment(ctx, ctx.args[0] as string);
    const groups = Array.isArray(ctx.values.group) ? ctx.values.group.filter((g): g is string => typeof g === 'string') : [];
    await call(ctx, 'Error promoting deployment', ctx.client.deployments.promote(d.ID, groups));
    io.out(`Deployment ${JSON.stringify(d.ID)} promoted`);
    return 0;
  });
}

async function actionCommand(argv: readonly string[], io: Io, what: 'fail' | 'pause' | 'resume'): Promise<number> {
  const usage = what === 'fail' ? FAIL_USAGE : what === 'pause' ? PAUSE_USAGE : RESUME_USAGE;
  return runCommandBody(io, usage, async () => {
    const ctx = commandContext(argv, { verbose: { type: 'boolean' } }, io, usage);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <deployment id>\n\n${usage}`);
    const d = await findDeployment(ctx, ctx.args[0] as string);
    if (what === 'fail') {
      const u = await call(ctx, 'Error failing deployment', ctx.client.deployments.fail(d.ID));
      io.out(
        u.RevertedJobVersion === undefined
          ? `Deployment ${JSON.stringify(d.ID)} failed`
          : `Deployment ${JSON.stringify(d.ID)} failed. Auto-reverted to job version ${u.RevertedJobVersion}.`,
      );
    } else {
      const verb = what === 'pause' ? 'pausing' : 'resuming';
      await call(ctx, `Error ${verb} deployment`, ctx.client.deployments.pause(d.ID, what === 'pause'));
      io.out(`Deployment ${JSON.stringify(d.ID)} ${what === 'pause' ? 'paused' : 'resumed'}`);
    }
    return 0;
  });
}

/** The deployment by id or unique prefix; several matches are listed, as Nomad does. */
async function findDeployment(ctx: Ctx, id: string): Promise<ApiDeployment> {
  const matches = await call(ctx, 'Error retrieving deployment', ctx.client.deployments.list({ prefix: id }));
  const exact = matches.find((d) => d.ID === id);
  if (exact) return exact;
  if (matches.length === 0) throw new CliError(`Error retrieving deployment: no deployment with prefix or id ${JSON.stringify(id)} found`);
  if (matches.length > 1) throw new CliError(`Prefix matched multiple deployments\n\n${formatDeployments(matches, idLength(ctx))}`);
  return matches[0] as ApiDeployment;
}

/** Nomad's formatDeployments. */
export function formatDeployments(list: readonly ApiDeployment[], uuidLength: number): string {
  if (list.length === 0) return 'No deployments found';
  return formatList([
    ['ID', 'Job ID', 'Job Version', 'Status', 'Description'],
    ...list.map((d) => [limit(d.ID, uuidLength), d.JobID, d.JobVersion, d.Status, d.StatusDescription]),
  ]);
}

/** Nomad's formatDeployment: the deployment, then its groups under "Deployed". */
export function formatDeployment(d: ApiDeployment, uuidLength: number): string {
  const base = formatKV([
    ['ID', limit(d.ID, uuidLength)],
    ['Job ID', d.JobID],
    ['Job Version', d.JobVersion],
    ['Status', d.Status],
    ['Description', d.StatusDescription],
  ]);
  if (Object.keys(d.TaskGroups).length === 0) return base;
  return `${base}\n\nDeployed\n${formatDeploymentGroups(d.TaskGroups)}`;
}

/** Nomad's formatDeploymentGroups: Auto Revert, Promoted, Canaries and Progress Deadline columns only when some group has them. */
export function formatDeploymentGroups(groups: Readonly<Record<string, ApiDeploymentState>>): string {
  const names = Object.keys(groups).sort();
  const states = names.map((n) => groups[n] as ApiDeploymentState);
  const autoRevert = states.some((s) => s.AutoRevert);
  const canaries = states.some((s) => s.DesiredCanaries > 0);
  const deadline = states.some((s) => s.ProgressDeadline !== 0);
  const header = ['Task Group', ...(autoRevert ? ['Auto Revert'] : []), ...(canaries ? ['Promoted'] : []), 'Desired', ...(canaries ? ['Canaries'] : []), 'Placed', 'Healthy', 'Unhealthy', ...(deadline ? ['Progress Deadline'] : [])];
  const rows = names.map((name, i) => {
    const s = states[i] as ApiDeploymentState;
    return [
      name,
      ...(autoRevert ? [String(s.AutoRevert)] : []),
      ...(canaries ? [s.DesiredCanaries > 0 ? String(s.Promoted) : 'N/A'] : []),
      s.DesiredTotal,
      ...(canaries ? [s.DesiredCanaries] : []),
      s.PlacedAllocs,
      s.HealthyAllocs,
      s.UnhealthyAllocs,
      ...(deadline ? [formatTaskTime(s.RequireProgressBy)] : []),
    ];
  });
  return formatList([header, ...rows]);
}

/** Nomad's JobStatusCommand.formatDeployment: the "Latest Deployment" block of job status. */
export function latestDeploymentBlock(d: ApiDeployment, uuidLength: number): string {
  const base = formatKV([
    ['ID', limit(d.ID, uuidLength)],
    ['Status', d.Status],
    ['Description', d.StatusDescription],
  ]);
  if (Object.keys(d.TaskGroups).length === 0) return base;
  return `${base}\n\nDeployed\n${formatDeploymentGroups(d.TaskGroups)}`;
}
