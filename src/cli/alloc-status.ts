/**
 * `drover alloc status ALLOC` (Nomad's `nomad alloc status`): the
 * allocation's details, its Nomad service checks when it has any, then per
 * task its state, Task Resources (with live usage while running), Task
 * Events and the Recent Events table, newest first.
 */
import type { ApiAllocation, ApiAllocCheckStatuses, ApiAllocResourceUsage, ApiTaskLifecycle, ApiTaskState } from '../api/index.js';
import { apiUsage, call, CliError, commandContext, runCommandBody, type Ctx } from './common.js';
import { findAlloc } from './lookup.js';
import { formatKV, formatList, formatTaskTime, formatTimeNs, iBytes, limit, prettyTimeDiff, SHORT_ID } from './tables.js';
import { FORMAT_FLAGS, printFormatted } from './go-template.js';
import type { Io } from './io.js';
import { rescheduleRows } from './alloc-reschedule.js';

export const ALLOC_STATUS_USAGE = apiUsage(`Usage: drover alloc status [options] <allocation>

  Shows an allocation's status and its tasks' recent events. A unique id
  prefix is enough.

Alloc Status Options:
  -short     Show a task summary instead of each task's events.
  -verbose   Full ids and absolute times.
  -json      Print the allocation as JSON (all allocations without an id).
  -t TMPL    Format the allocation (or all of them) with a Go template.
`);

const MIB = 1024 * 1024;

export async function allocStatusCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { short: { type: 'boolean' }, verbose: { type: 'boolean' }, ...FORMAT_FLAGS } as const;
  return runCommandBody(io, ALLOC_STATUS_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, ALLOC_STATUS_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length === 0 && (ctx.values.json || ctx.values.t !== undefined)) {
      printFormatted(ctx.values, io.out, await call(ctx, 'Error querying allocations', ctx.client.allocations.list()));
      return 0;
    }
    if (ctx.args.length !== 1) throw new CliError(`This command takes one of the following argument conditions:\n * A single <allocation>\n * No arguments, with output format specified\n\n${ALLOC_STATUS_USAGE}`);
    const verbose = ctx.values.verbose === true;
    const alloc = await findAlloc(ctx, ctx.args[0] as string, { multipleOk: true, verbose });
    if (printFormatted(ctx.values, io.out, alloc)) return 0;
    if (ctx.values.short) {
      io.out(formatKV([['ID', alloc.ID], ['Name', alloc.Name], ['Created', prettyTimeDiff(alloc.CreateTime)], ['Modified', prettyTimeDiff(alloc.ModifyTime)]]));
      io.out('\nTasks');
      io.out(taskSummary(alloc));
      return 0;
    }
    io.out(allocBasics(alloc, verbose, await rescheduleRows(ctx, alloc, verbose ? Infinity : SHORT_ID)));
    const addresses = allocAddresses(alloc);
    if (addresses) io.out(`\n${addresses}`);
    const checks = await serviceChecks(ctx, alloc.ID);
    if (checks !== '') io.out(`\n${checks}`);
    const stats = await liveStats(ctx, alloc);
    for (const task of sortedTasks(alloc)) {
      const state = alloc.TaskStates[task];
      if (!state) continue;
      const lc = lifecycleOf(alloc, task);
      io.out(`\nTask ${JSON.stringify(task)}${lc ? ` (${lc})` : ''} is ${JSON.stringify(state.State)}`);
      io.out('Task Resources:');
      io.out(taskResources(alloc, task, stats));
      io.out('');
      io.out(taskEvents(state));
    }
    return 0;
  });
}

/** Nomad's formatAllocBasicInfo. */
function allocBasics(a: ApiAllocation, verbose: boolean, reschedule: ReadonlyArray<[string, string]>): string {
  const len = verbose ? Infinity : SHORT_ID;
  const time = (ns: number): string => (verbose ? formatTimeNs(ns) : prettyTimeDiff(ns));
  const rows: Array<[string, string | number]> = [
    ['ID', a.ID],
    ['Eval ID', limit(a.EvalID, len)],
    ['Name', a.Name],
    ['Node ID', limit(a.NodeID, len)],
    ['Node Name', a.NodeName],
    ['Job ID', a.JobID],
    ['Job Version', a.JobVersion ?? a.Job.Version ?? 0],
    ['Client Status', a.ClientStatus],
    ['Client Description', a.ClientDescription],
    ['Desired Status', a.DesiredStatus],
    ['Desired Description', a.DesiredDescription],
    ['Created', time(a.CreateTime)],
    ['Modified', time(a.ModifyTime)],
  ];
  rows.push(...reschedule);
  return formatKV(rows);
}

/**
 * Nomad's formatAllocNetworkInfo: "Allocation Addresses (mode = "host"):" and a
 * Label / Dynamic / Address table, each row "*label | yes | ip:port[ -> to]";
 * undefined when the group's network has no ports.
 */
function allocAddresses(a: ApiAllocation): string | undefined {
  const shared = a.AllocatedResources?.Shared;
  const nw = shared?.Networks?.[0];
  if (!shared || !nw || ((nw.ReservedPorts?.length ?? 0) === 0 && (nw.DynamicPorts?.length ?? 0) === 0)) return undefined;
  const row = (label: string, value: number, to: number, ip: string): string[] => [label, 'yes', `${ip}:${value}${to > 0 ? ` -> ${to}` : ''}`];
  const rows: string[][] = [['Label', 'Dynamic', 'Address']];
  if (shared.Ports && shared.Ports.length > 0) {
    for (const p of shared.Ports) rows.push(row(`*${p.Label}`, p.Value, p.To, p.HostIP));
  } else {
    for (const p of [...(nw.DynamicPorts ?? []), ...(nw.ReservedPorts ?? [])]) rows.push(row(p.Label ?? '', p.Value ?? 0, p.To ?? 0, nw.IP ?? ''));
  }
  const mode = nw.Mode ? ` (mode = ${JSON.stringify(nw.Mode)})` : '';
  return `Allocation Addresses${mode}:\n${formatList(rows)}`;
}

/**
 * Nomad's formatAllocNomadServiceChecks: "Nomad Service Checks:" and one
 * sorted row per check; "" when there are none or they cannot be read
 * (as Nomad, the section is left out rather than failing the command).
 */
async function serviceChecks(ctx: Ctx, allocId: string): Promise<string> {
  let statuses: ApiAllocCheckStatuses;
  try {
    statuses = await ctx.client.client.checks(allocId);
  } catch {
    return '';
  }
  const rows = Object.values(statuses ?? {}).map((s) => [s.Service, s.Task || '(group)', s.Check, s.Mode, s.Status]);
  if (rows.length === 0) return '';
  // Nomad sorts the rows as "|"-joined strings.
  rows.sort((a, b) => {
    const x = a.join('|');
    const y = b.join('|');
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return `Nomad Service Checks:\n${formatList([['Service', 'Task', 'Name', 'Mode', 'Status'], ...rows])}`;
}

/** Usage of a running allocation; stats of a finished one are not asked for. */
async function liveStats(ctx: Ctx, a: ApiAllocation): Promise<ApiAllocResourceUsage | undefined> {
  if (a.ClientStatus !== 'running') return undefined;
  try {
    return await ctx.client.client.stats(a.ID);
  } catch (err) {
    ctx.io.out('');
    ctx.io.err(`Couldn't retrieve stats: ${(err as Error).message}`);
    return undefined;
  }
}

/** "CPU  Memory  Disk  Addresses" with "used/reserved" while running. */
function taskResources(a: ApiAllocation, task: string, stats: ApiAllocResourceUsage | undefined): string {
  const group = a.Job.TaskGroups?.find((g) => g.Name === a.TaskGroup);
  const res = group?.Tasks?.find((t) => t.Name === task)?.Resources ?? {};
  const cpu = res.CPU ?? 100;
  const memMb = res.MemoryMB ?? 300;
  const diskMb = group?.EphemeralDisk?.SizeMB ?? 300;
  let cpuText = String(cpu);
  let memText = iBytes(memMb * MIB);
  const usage = stats?.Tasks[task]?.ResourceUsage;
  if (usage) {
    cpuText = `${Math.floor(usage.CpuStats.TotalTicks)}/${cpu}`;
    const m = usage.MemoryStats;
    const used = m.RSS === 0 && !m.Measured.includes('RSS') ? m.Usage : m.RSS;
    memText = `${iBytes(used)}/${memText}`;
  }
  const header = res.Cores ? `CPU (${res.Cores} cores)` : 'CPU';
  // The task's own (deprecated task-level) network ports, "label: ip:port", one per row as Nomad lists them.
  const addrs = (a.AllocatedResources?.Tasks[task]?.Networks ?? []).flatMap((nw) => [...(nw.DynamicPorts ?? []), ...(nw.ReservedPorts ?? [])].map((p) => `${p.Label ?? ''}: ${nw.IP ?? ''}:${p.Value ?? 0}`));
  const rows: string[][] = [[header, 'Memory', 'Disk', 'Addresses'], [`${cpuText} MHz`, memText, iBytes(diskMb * MIB), addrs[0] ?? '']];
  const memMax = res.MemoryMaxMB && res.MemoryMaxMB !== memMb ? `Max: ${iBytes(res.MemoryMaxMB * MIB)}` : '';
  if (memMax || addrs[1]) rows.push(['', memMax, '', addrs[1] ?? '']);
  for (const extra of addrs.slice(2)) rows.push(['', '', '', extra]);
  return formatList(rows, { empty: '' });
}

/** "Task Events:" block and the "Recent Events:" table, newest first. */
function taskEvents(s: ApiTaskState): string {
  const basics = formatKV([
    ['Started At', formatTaskTime(s.StartedAt)],
    ['Finished At', formatTaskTime(s.FinishedAt)],
    ['Total Restarts', s.Restarts],
    ['Last Restart', formatTaskTime(s.LastRestart)],
  ]);
  const events = [...s.Events].reverse().map((e) => [formatTimeNs(e.Time), e.Type, e.DisplayMessage || e.Message]);
  return `Task Events:\n${basics}\n\nRecent Events:\n${formatList([['Time', 'Type', 'Description'], ...events])}`;
}

/** "Name  State  Last Event  Time  Lifecycle" (Nomad's -short task table). */
function taskSummary(a: ApiAllocation): string {
  const rows = sortedTasks(a).map((t) => {
    const s = a.TaskStates[t];
    const last = s?.Events[s.Events.length - 1];
    return [t, s?.State ?? 'pending', last?.Type ?? '', last ? formatTimeNs(last.Time) : '', lifecycleOf(a, t) || 'main'];
  });
  return formatList([['Name', 'State', 'Last Event', 'Time', 'Lifecycle'], ...rows]);
}

function lifecycle(a: ApiAllocation, task: string): ApiTaskLifecycle | null | undefined {
  return a.Job.TaskGroups?.find((g) => g.Name === a.TaskGroup)?.Tasks?.find((t) => t.Name === task)?.Lifecycle;
}

/** "prestart", "poststart sidecar"…; "" for a main task. */
function lifecycleOf(a: ApiAllocation, task: string): string {
  const lc = lifecycle(a, task);
  return lc?.Hook ? `${lc.Hook}${lc.Sidecar ? ' sidecar' : ''}` : '';
}

/** Task names sorted, lifecycle tasks first and non-sidecars before sidecars (Nomad's sortedTaskStateIterator). */
function sortedTasks(a: ApiAllocation): string[] {
  const rank = (t: string): number => {
    const lc = lifecycle(a, t);
    return !lc?.Hook ? 2 : lc.Sidecar ? 1 : 0;
  };
  return Object.keys(a.TaskStates)
    .sort()
    .sort((x, y) => rank(x) - rank(y));
}
