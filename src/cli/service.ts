/**
 * `drover service list|info|delete` (Nomad's command/service_list.go,
 * service_info.go, service_delete.go): the registrations of Nomad's native
 * service provider, printed as Nomad prints them.
 */
import { isIP } from 'node:net';
import type { ApiServiceRegistration, ApiServiceRegistrationListStub, Services } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, toJson, type Ctx } from './common.js';
import { formatKV, formatList, limit, SHORT_ID } from './tables.js';
import { renderTemplate } from './go-template.js';
import type { Io } from './io.js';

export const SERVICE_USAGE = `Usage: drover service <subcommand> [options] [args]

  Interact with the services registered with the agent's native (Nomad)
  service provider.

Subcommands:
  list       Display all registered services
  info       Display the registrations of one service
  delete     Deregister one service registration

Run 'drover service <subcommand> -help' for a subcommand's options.`;

const NAMESPACE_HELP = `  -namespace NS   The namespace to read (default "default"; "*" for all).`;


export const SERVICE_LIST_USAGE = apiUsage(`Usage: drover service list [options]

  List is used to list the currently registered services.

Service List Options:
  -json    Output the services in JSON format.
  -t       Format and display the services using a Go template.
${NAMESPACE_HELP}
`);

export const SERVICE_INFO_USAGE = apiUsage(`Usage: drover service info [options] <service_name>

  Info is used to read the services registered to a single service name. A
  unique prefix of the name is enough.

Service Info Options:
  -verbose   Display full information.
  -json      Output the service in JSON format.
  -t         Format and display the service using a Go template.
${NAMESPACE_HELP}
`);

export const SERVICE_DELETE_USAGE = apiUsage(`Usage: drover service delete [options] <service_name> <service_id>

  Delete is used to deregister the specified service registration. It should
  be used with caution and can only remove a single registration, via the
  service name and service ID, at a time.

Service Delete Options:
  -namespace NS   The registration's namespace (default "default").
`);

/** Runs `drover service …`. */
export async function serviceCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return serviceListCommand(rest, io);
    case 'info':
      return serviceInfoCommand(rest, io);
    case 'delete':
      return serviceDeleteCommand(rest, io);
    case '-h':
    case '-help':
    case '--help':
      io.err(SERVICE_USAGE);
      return 0;
    default:
      io.err(sub === undefined ? SERVICE_USAGE : `Unknown command "service ${sub}"\n\n${SERVICE_USAGE}`);
      return 1;
  }
}

const READ_FLAGS = { json: { type: 'boolean' }, t: { type: 'string' }, namespace: { type: 'string' } } as const;

function namespaceFlag(ctx: Ctx): string | undefined {
  return typeof ctx.values.namespace === 'string' && ctx.values.namespace !== '' ? ctx.values.namespace : undefined;
}

export async function serviceListCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, SERVICE_LIST_USAGE, async () => {
    const ctx = commandContext(argv, READ_FLAGS, io, SERVICE_LIST_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length > 0) throw new CliError(`This command takes no arguments\n\n${SERVICE_LIST_USAGE}`);
    const namespace = namespaceFlag(ctx);
    const list = await call(ctx, 'Error listing service registrations', ctx.client.services.list({ namespace }));
    if (typeof ctx.values.t === 'string') {
      io.out(renderTemplate('format', ctx.values.t, list));
      return 0;
    }
    if (list.length === 0) {
      io.out('No service registrations found');
      return 0;
    }
    io.out(ctx.values.json ? toJson(list) : serviceListTable(list, namespace === '*'));
    return 0;
  });
}

/** Nomad's formatServiceListOutput: "Service Name  [Namespace]  Tags", sorted by namespace then name. */
export function serviceListTable(list: readonly ApiServiceRegistrationListStub[], allNamespaces: boolean): string {
  const rows: string[][] = [allNamespaces ? ['Service Name', 'Namespace', 'Tags'] : ['Service Name', 'Tags']];
  for (const ns of [...list].sort((a, b) => compare(a.Namespace, b.Namespace))) {
    for (const s of [...ns.Services].sort((a, b) => compare(a.ServiceName, b.ServiceName))) {
      const tags = `[${[...(s.Tags ?? [])].sort(compare).join(',')}]`;
      rows.push(allNamespaces ? [s.ServiceName, ns.Namespace, tags] : [s.ServiceName, tags]);
    }
  }
  return formatList(rows);
}

export async function serviceInfoCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { ...READ_FLAGS, verbose: { type: 'boolean' } } as const;
  return runCommandBody(io, SERVICE_INFO_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, SERVICE_INFO_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <service_name>\n\n${SERVICE_INFO_USAGE}`);
    const flagNs = namespaceFlag(ctx);
    const { namespace, name } = await findService(ctx, ctx.client.services, ctx.args[0] as string, flagNs);
    const regs = await call(ctx, 'Error listing service registrations', ctx.client.services.get(name, { namespace }));
    if (regs.length === 0) {
      io.out('No service registrations found');
      return 0;
    }
    if (typeof ctx.values.t === 'string') {
      io.out(renderTemplate('format', ctx.values.t, regs));
      return 0;
    }
    if (ctx.values.json) {
      io.out(toJson(regs));
      return 0;
    }
    // Several jobs may register one name: grouped by job id, jobs sorted (as Nomad).
    const byJob = new Map<string, ApiServiceRegistration[]>();
    for (const r of regs) byJob.set(r.JobID, [...(byJob.get(r.JobID) ?? []), r]);
    const ordered = [...byJob.keys()].sort(compare).flatMap((j) => byJob.get(j) ?? []);
    io.out(ctx.values.verbose ? ordered.map(verboseBlock).join('\n\n') : infoTable(ordered));
    return 0;
  });
}

/**
 * Nomad's getServiceByPrefix: one service whose name starts with `prefix`
 * (an exact name wins over longer ones), and the namespace it is in.
 */
async function findService(ctx: Ctx, services: Services, prefix: string, namespace: string | undefined): Promise<{ namespace: string; name: string }> {
  const what = 'Error listing service registrations';
  const possible = await call(ctx, what, services.list({ namespace, prefix }));
  const notFound = new CliError(`${what}: No service registrations with prefix ${JSON.stringify(prefix)} found`);
  const matches = possible.flatMap((ns) => ns.Services.map((s) => ({ namespace: ns.Namespace, name: s.ServiceName })));
  if (matches.length === 0) throw notFound;
  if (matches.length === 1) return matches[0] as { namespace: string; name: string };
  const exact = matches.filter((m) => m.name === prefix);
  if (exact.length === 1) return exact[0] as { namespace: string; name: string };
  throw new CliError(`Prefix matched multiple services\n\n${serviceListTable(possible, namespace === '*')}`);
}

/** "Job ID  Address  Tags  Node ID  Alloc ID" (Nomad's non-verbose service info). */
function infoTable(regs: readonly ApiServiceRegistration[]): string {
  const rows = regs.map((r) => [r.JobID, hostPort(r.Address, r.Port), `[${(r.Tags ?? []).join(',')}]`, limit(r.NodeID, SHORT_ID), limit(r.AllocID, SHORT_ID)]);
  return formatList([['Job ID', 'Address', 'Tags', 'Node ID', 'Alloc ID'], ...rows]);
}

/** One registration as Nomad's -verbose key/value block. */
function verboseBlock(r: ApiServiceRegistration): string {
  return formatKV([
    ['ID', r.ID],
    ['Service Name', r.ServiceName],
    ['Namespace', r.Namespace],
    ['Job ID', r.JobID],
    ['Alloc ID', r.AllocID],
    ['Node ID', r.NodeID],
    ['Datacenter', r.Datacenter],
    // Nomad prints "%s:%v" here, without IPv6 brackets.
    ['Address', `${r.Address}:${r.Port}`],
    ['Tags', `[${(r.Tags ?? []).join(',')}]`],
  ]);
}

/** Nomad's formatAddress: the address alone without a port, else net.JoinHostPort. */
function hostPort(address: string, port: number): string {
  if (port === 0) return address;
  return isIP(address) === 6 || address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export async function serviceDeleteCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { namespace: { type: 'string' } } as const;
  return runCommandBody(io, SERVICE_DELETE_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, SERVICE_DELETE_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 2) throw new CliError(`This command takes two arguments: <service_name> and <service_id>\n\n${SERVICE_DELETE_USAGE}`);
    const [name, id] = ctx.args as [string, string];
    await call(ctx, 'Error deleting service registration', ctx.client.services.delete(name, id, { namespace: namespaceFlag(ctx) }));
    io.out('Successfully deleted service registration');
    return 0;
  });
}

/** Go's sort.Strings order (bytewise), not the locale's. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
