/** /v1/client/allocation/:id/{stats,signal,restart} (Nomad's client alloc endpoints). */
import type { ApiAllocResourceUsage, ApiResourceUsage, ApiTaskResourceUsage } from '../../model/nomad-api/index.js';
import type { TaskResourceUsage } from '../../model/task-result.js';
import { allocUsage, restartAlloc, signalAlloc } from '../core/alloc-ops.js';
import { allocFromRequest } from './allocations.js';
import { badRequest } from './errors.js';
import { bodyBool, bodyString, jsonBody, query } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';

const NS_PER_MS = 1_000_000;

export function clientAllocRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  return [
    {
      method: 'GET',
      url: '/v1/client/allocation/:id/stats',
      acl: 'read',
      handler: async (req): Promise<ApiAllocResourceUsage> => {
        const alloc = allocFromRequest(ctx, req);
        const usage = await allocUsage(agent, alloc.record.id, query(req, 'task'));
        const tasks: Record<string, ApiTaskResourceUsage> = {};
        for (const [name, u] of usage) tasks[name] = { ResourceUsage: toApiUsage(u), Timestamp: u.timestamp * NS_PER_MS, Pids: null };
        return { ResourceUsage: sumUsage([...usage.values()]), Tasks: tasks, Timestamp: agent.now() * NS_PER_MS };
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/client/allocation/:id/signal',
      acl: 'write',
      handler: async (req) => {
        const alloc = allocFromRequest(ctx, req);
        const body = jsonBody(req, false);
        const signal = bodyString(body, 'Signal') ?? 'SIGKILL';
        if (!/^SIG[A-Z0-9+-]+$/.test(signal)) throw badRequest(`Signal: invalid signal ${JSON.stringify(signal)}`);
        await signalAlloc(agent, alloc.record.id, bodyString(body, 'Task') || undefined, signal);
        return {};
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/client/allocation/:id/restart',
      acl: 'write',
      handler: async (req) => {
        const alloc = allocFromRequest(ctx, req);
        const body = jsonBody(req, false);
        const task = bodyString(body, 'TaskName') || undefined;
        const all = bodyBool(body, 'AllTasks') ?? false;
        if (task && all) throw badRequest('AllTasks: cannot restart one task and all tasks at once');
        await restartAlloc(agent, alloc.record.id, task, all);
        return {};
      },
    },
  ];
}

function toApiUsage(u: TaskResourceUsage): ApiResourceUsage {
  const m = u.memory;
  const c = u.cpu;
  return {
    MemoryStats: { RSS: m.rss, Cache: m.cache, Swap: m.swap, Usage: m.usage, MaxUsage: m.maxUsage, KernelUsage: m.kernelUsage, KernelMaxUsage: m.kernelMaxUsage, Measured: [...m.measured] },
    CpuStats: { SystemMode: c.systemMode, UserMode: c.userMode, TotalTicks: c.totalTicks, ThrottledPeriods: c.throttledPeriods, ThrottledTime: c.throttledTime, Percent: c.percent, Measured: [...c.measured] },
    DeviceStats: null,
  };
}

/** The alloc's usage: the sum of its tasks' (Nomad's AllocResourceUsage.ResourceUsage). */
function sumUsage(all: readonly TaskResourceUsage[]): ApiResourceUsage {
  const out = toApiUsage({
    memory: { rss: 0, cache: 0, swap: 0, usage: 0, maxUsage: 0, kernelUsage: 0, kernelMaxUsage: 0, measured: [] },
    cpu: { systemMode: 0, userMode: 0, totalTicks: 0, throttledPeriods: 0, throttledTime: 0, percent: 0, measured: [] },
    timestamp: 0,
  });
  const measuredMem = new Set<string>();
  const measuredCpu = new Set<string>();
  for (const u of all) {
    const t = toApiUsage(u);
    for (const k of ['RSS', 'Cache', 'Swap', 'Usage', 'MaxUsage', 'KernelUsage', 'KernelMaxUsage'] as const) out.MemoryStats[k] += t.MemoryStats[k];
    for (const k of ['SystemMode', 'UserMode', 'TotalTicks', 'ThrottledPeriods', 'ThrottledTime', 'Percent'] as const) out.CpuStats[k] += t.CpuStats[k];
    t.MemoryStats.Measured.forEach((m) => measuredMem.add(m));
    t.CpuStats.Measured.forEach((m) => measuredCpu.add(m));
  }
  out.MemoryStats.Measured = [...measuredMem];
  out.CpuStats.Measured = [...measuredCpu];
  return out;
}
