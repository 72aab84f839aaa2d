/** /v1/agent/self, /v1/agent/health and /v1/metrics (Nomad's agent and metrics endpoints). */
import type { ApiAgentSelf, ApiMetricsSummary } from '../../model/nomad-api/index.js';
import { availableParallelism } from 'node:os';
import { query } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';

/** The version drover reports where Nomad reports its own. */
export { DROVER_VERSION } from '../../model/version.js';
import { DROVER_VERSION } from '../../model/version.js';

export function agentRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  return [
    {
      method: 'GET',
      url: '/v1/agent/self',
      acl: 'read',
      handler: async (): Promise<ApiAgentSelf> => {
        const c = agent.config;
        const [host, port] = splitAddress(ctx.address());
        return {
          config: {
            Version: { Version: DROVER_VERSION, VersionPrerelease: '', VersionMetadata: 'drover' },
            Region: c.region,
            Datacenter: c.datacenter,
            NodeName: agent.node.name,
            DataDir: c.dataDir,
            PluginDir: c.pluginDir,
            BindAddr: c.bindAddr,
            Ports: { HTTP: port },
            ACL: { Enabled: c.aclEnabled },
            Client: { Enabled: true, NodeClass: c.client.nodeClass, NodePool: c.client.nodePool, Meta: { ...c.client.meta }, ChrootEnv: { ...c.client.chrootEnv } },
            Server: { Enabled: false },
            Plugins: Object.entries(c.plugins).map(([Name, Config]) => ({ Name, Config })),
          },
          member: { Name: agent.node.name, Addr: host, Port: port, Tags: { role: 'client', dc: c.datacenter, region: c.region, build: DROVER_VERSION }, Status: 'alive' },
          stats: {
            client: {
              node_id: agent.node.id,
              known_servers: '',
              num_allocations: String(agent.liveAllocs),
              last_heartbeat: '0',
              heartbeat_ttl: '0',
            },
            runtime: {
              arch: process.arch,
              version: process.version,
              max_procs: String(availableParallelism()),
              goroutines: '0',
              cpu_count: String(availableParallelism()),
            },
          },
        };
      },
    },
    { method: 'GET', url: '/v1/agent/health', acl: 'anonymous', handler: async () => ({ client: { ok: true, message: 'ok' } }) },
    {
      method: 'GET',
      url: '/v1/metrics',
      acl: 'read',
      handler: async (req, reply) => {
        const summary = metricsSummary(ctx);
        if (query(req, 'format') !== 'prometheus') return summary;
        void reply.type('text/plain; version=0.0.4; charset=utf-8');
        return prometheus(summary);
      },
    },
  ];
}

function splitAddress(a: string): [string, number] {
  const i = a.lastIndexOf(':');
  return [a.slice(0, i).replace(/^\[|\]$/g, ''), Number(a.slice(i + 1))];
}

/** Gauges read now, plus the HTTP counters (Nomad's MetricsSummary). */
export function metricsSummary(ctx: HttpContext): ApiMetricsSummary {
  const { agent } = ctx;
  const byStatus: Record<string, number> = { pending: 0, running: 0, complete: 0, failed: 0 };
  let tasksRunning = 0;
  for (const v of agent.allocs()) {
    byStatus[v.record.clientStatus] = (byStatus[v.record.clientStatus] ?? 0) + 1;
    for (const s of v.states.values()) if (s.state === 'running') tasksRunning++;
  }
  const mem = process.memoryUsage();
  const g = (Name: string, Value: number, Labels: Record<string, string> = {}) => ({ Name, Value, Labels });
  const host = { host: agent.node.name, node_id: agent.node.id };
  return {
    Timestamp: new Date().toISOString(),
    Gauges: [
      g('nomad.client.allocations.pending', byStatus['pending'] ?? 0, host),
      g('nomad.client.allocations.running', byStatus['running'] ?? 0, host),
      g('nomad.client.allocations.terminal', (byStatus['complete'] ?? 0) + (byStatus['failed'] ?? 0), host),
      g('nomad.client.allocations.live', agent.liveAllocs, host),
      g('drover.client.tasks.running', tasksRunning, host),
      g('nomad.runtime.alloc_bytes', mem.heapUsed),
      g('nomad.runtime.heap_objects', mem.heapTotal),
      g('drover.runtime.rss_bytes', mem.rss),
      g('drover.state.task_writes', agent.store.writes),
      g('drover.state.index', agent.db.lastIndex),
      g('nomad.agent.uptime_seconds', Math.floor((agent.now() - agent.startedAt) / 1000)),
    ],
    Counters: ctx.metrics.counters().map((c) => ({ Name: c.name, Count: c.count, Sum: c.count, Min: 1, Max: 1, Mean: 1, Stddev: 0, Labels: { ...c.labels } })),
    Samples: [],
  };
}

/** Prometheus text format 0.0.4 of a summary (names with dots become underscores). */
export function prometheus(s: ApiMetricsSummary): string {
  const lines: string[] = [];
  const name = (n: string): string => n.replace(/[^a-zA-Z0-9_:]/g, '_');
  const labels = (l: Record<string, string>): string => {
    const e = Object.entries(l);
    return e.length === 0 ? '' : `{${e.map(([k, v]) => `${name(k)}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
  };
  const typed = new Set<string>();
  for (const x of s.Gauges) {
    const n = name(x.Name);
    if (!typed.has(n)) lines.push(`# TYPE ${n} gauge`);
    typed.add(n);
    lines.push(`${n}${labels(x.Labels)} ${x.Value}`);
  }
  for (const x of s.Counters) {
    const n = `${name(x.Name)}_total`;
    if (!typed.has(n)) lines.push(`# TYPE ${n} counter`);
    typed.add(n);
    lines.push(`${n}${labels(x.Labels)} ${x.Count}`);
  }
  return `${lines.join('\n')}\n`;
}
