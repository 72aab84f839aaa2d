/**
 * `drover node status [-self | NODE] [-verbose]` (Nomad's `nomad node
 * status`): the node list, or one node with its drivers' health, its
 * allocations and, with -verbose, every driver and fingerprinted attribute.
 */
import type { ApiNode } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, type Ctx } from './common.js';
import { allocListTable } from './listings.js';
import { formatKV, formatList, formatTimeMs, limit, SHORT_ID } from './tables.js';
import { FORMAT_FLAGS, printFormatted } from './go-template.js';
import type { Io } from './io.js';

export const NODE_USAGE = `Usage: drover node status [options] [<node>]

Run 'drover node status -help' for its options.`;

export const NODE_STATUS_USAGE = apiUsage(`Usage: drover node status [options] [<node>]

  Lists the agent's node (drover runs one), or shows a node: drivers and
  their health, allocations and, with -verbose, its attributes.

Node Status Options:
  -self      Show the node of the agent queried.
  -verbose   Full ids; every driver with its health; attributes and meta.
  -json      Print the node(s) as JSON.
  -t TMPL    Format the node(s) with a Go template.
`);

/** Runs `drover node …` (only `status`). */
export async function nodeCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'status') return nodeStatusCommand(rest, io);
  if (sub === '-h' || sub === '-help' || sub === '--help') {
    io.err(NODE_USAGE);
    return 0;
  }
  io.err(sub === undefined ? NODE_USAGE : `Unknown command "node ${sub}"\n\n${NODE_USAGE}`);
  return 1;
}

async function nodeStatusCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { self: { type: 'boolean' }, verbose: { type: 'boolean' }, ...FORMAT_FLAGS } as const;
  return runCommandBody(io, NODE_STATUS_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, NODE_STATUS_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length > 1) throw new CliError(`This command takes either one or no arguments\n\n${NODE_STATUS_USAGE}`);
    const verbose = ctx.values.verbose === true;
    if (ctx.args.length === 0 && !ctx.values.self) return listNodes(ctx, verbose);
    const node = ctx.values.self ? await call(ctx, 'Error querying node info', ctx.client.nodes.info('self')) : await findNode(ctx, ctx.args[0] as string);
    if (printFormatted(ctx.values, io.out, node)) return 0;
    io.out(formatKV(nodeBasics(node, verbose)));
    if (verbose) {
      const volumes = hostVolumeTable(node);
      if (volumes !== undefined) io.out(`\nHost Volumes\n${volumes}`);
      io.out('\nDrivers');
      io.out(driverTable(node));
    }
    const allocs = await call(ctx, 'Error querying node allocations', ctx.client.nodes.allocations(node.ID));
    io.out('\nAllocations');
    io.out(allocListTable(allocs, verbose ? { verbose: true } : {}));
    if (verbose) {
      io.out('\nAttributes');
      io.out(formatKV(Object.keys(node.Attributes).sort().map((k) => [k, node.Attributes[k] ?? ''])));
      io.out('\nMeta');
      io.out(formatKV(Object.keys(node.Meta).sort().map((k) => [k, node.Meta[k] ?? ''])));
    }
    return 0;
  });
}

async function listNodes(ctx: Ctx, verbose: boolean): Promise<number> {
  const nodes = await call(ctx, 'Error querying node status', ctx.client.nodes.list());
  if (printFormatted(ctx.values, ctx.io.out, nodes)) return 0;
  if (nodes.length === 0) {
    ctx.io.out('No nodes registered');
    return 0;
  }
  const head = ['ID', 'Node Pool', 'DC', 'Name', 'Class', ...(verbose ? ['Address', 'Version'] : []), 'Drain', 'Eligibility', 'Status'];
  const rows = nodes.map((n) => [
    verbose ? n.ID : limit(n.ID, SHORT_ID),
    n.NodePool,
    n.Datacenter,
    n.Name,
    n.NodeClass,
    ...(verbose ? [n.Address, n.Version] : []),
    n.Drain,
    n.SchedulingEligibility,
    n.Status,
  ]);
  ctx.io.out(formatList([head, ...rows]));
  return 0;
}

/** The node a unique id prefix names. */
async function findNode(ctx: Ctx, prefix: string): Promise<ApiNode> {
  if (prefix.length === 1) throw new CliError('Identifier must contain at least two characters.');
  const nodes = await call(ctx, 'Error querying node info', ctx.client.nodes.list({ prefix }));
  if (nodes.length === 0) throw new CliError(`No node(s) with prefix ${JSON.stringify(prefix)} found`);
  if (nodes.length > 1) throw new CliError(`Prefix matched multiple nodes\n\n${formatList([['ID', 'Name'], ...nodes.map((n) => [n.ID, n.Name])])}`);
  return call(ctx, 'Error querying node info', ctx.client.nodes.info((nodes[0] as { ID: string }).ID));
}

/** Nomad's node detail block; "Driver Status" lists detected drivers, unhealthy ones marked. */
function nodeBasics(n: ApiNode, verbose: boolean): Array<[string, string | boolean]> {
  const rows: Array<[string, string | boolean]> = [
    ['ID', n.ID],
    ['Name', n.Name],
    ['Node Pool', n.NodePool],
    ['Class', n.NodeClass],
    ['DC', n.Datacenter],
    ['Drain', n.Drain],
    ['Eligibility', n.SchedulingEligibility],
    ['Status', n.Status],
  ];
  if (!verbose) {
    rows.push(['Host Volumes', Object.keys(n.HostVolumes ?? {}).sort().join(',')]);
    const drivers = Object.entries(n.Drivers)
      .filter(([, d]) => d.Detected)
      .map(([name, d]) => (d.Healthy ? name : `${name} (unhealthy)`))
      .sort();
    rows.push(['Driver Status', drivers.join(',')]);
  }
  return rows;
}

/** Nomad's "Name  ReadOnly  Source" table; undefined when the node has no host volumes (Nomad prints no section then). */
function hostVolumeTable(n: ApiNode): string | undefined {
  const names = Object.keys(n.HostVolumes ?? {}).sort();
  if (names.length === 0) return undefined;
  return formatList([['Name', 'ReadOnly', 'Source'], ...names.map((name) => [name, String(n.HostVolumes?.[name]?.ReadOnly ?? false), n.HostVolumes?.[name]?.Path ?? ''])]);
}

/** "Driver  Detected  Healthy  Message  Time" for every driver. */
function driverTable(n: ApiNode): string {
  const rows = Object.keys(n.Drivers)
    .sort()
    .map((name) => {
      const d = n.Drivers[name];
      return [name, d?.Detected ?? false, d?.Healthy ?? false, d?.HealthDescription ?? '', d ? formatTimeMs(Date.parse(d.UpdateTime)) : ''];
    });
  return formatList([['Driver', 'Detected', 'Healthy', 'Message', 'Time'], ...rows]);
}
