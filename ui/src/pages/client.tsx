/**
 * Clients (Nomad UI's /ui/clients and /ui/clients/:id): the node with its
 * status, drivers and their health, resources (total, reserved, what the
 * running allocations use), host volumes, attributes and meta, its
 * allocations (live), and the agent's own version, config and metrics.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiAgentSelf, ApiAllocation, ApiAllocationListStub, ApiDriverInfo, ApiMetricsSummary, ApiNode, ApiNodeListStub } from '../../../src/model/nomad-api/index';
import { api, seg } from '../api';
import { ErrorMessage, Loading, PageHeader, Status, Time, shortId } from '../components/common';
import { KeyValueTable } from '../components/kv-table';
import { useApi, type StreamEvent } from '../live';

export function ClientsPage(): JSX.Element {
  const nodes = useApi<ApiNodeListStub[]>('/v1/nodes', { live: ['Node'] });
  return (
    <section>
      <PageHeader title="Clients" />
      {nodes.error ? <ErrorMessage error={nodes.error} what="listing clients" /> : null}
      {nodes.data === undefined && !nodes.error ? <Loading what="clients" /> : null}
      {nodes.data?.length === 0 ? <p class="empty">No client has registered.</p> : null}
      {nodes.data && nodes.data.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Status</th>
                <th scope="col">Eligibility</th>
                <th scope="col">Datacenter</th>
                <th scope="col">Address</th>
                <th scope="col">Version</th>
                <th scope="col">Drivers</th>
              </tr>
            </thead>
            <tbody>
              {nodes.data.map((n) => (
                <tr key={n.ID} data-node={n.ID}>
                  <td>
                    <a href={`/ui/clients/${seg(n.ID)}`}>{n.Name}</a>
                  </td>
                  <td class="mono" title={n.ID}>
                    {shortId(n.ID)}
                  </td>
                  <td>
                    <Status value={n.Status} />
                  </td>
                  <td>{n.Drain ? 'draining' : n.SchedulingEligibility}</td>
                  <td>{n.Datacenter}</td>
                  <td class="mono">{n.Address}</td>
                  <td>{n.Version}</td>
                  <td>
                    {Object.entries(n.Drivers ?? {})
                      .filter(([, d]) => d.Detected)
                      .map(([name, d]) => (
                        <span class={`tag driver-tag ${d.Healthy ? 'ok' : 'bad'}`}>{name}</span>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

const onNode = (id: string) => (e: StreamEvent) => {
  const a = e.Payload['Allocation'] as { NodeID?: string } | undefined;
  return !a?.NodeID || a.NodeID === id;
};

export function ClientPage(props: { id: string }): JSX.Element {
  const node = useApi<ApiNode>(`/v1/node/${seg(props.id)}`, { live: ['Node'] });
  const allocs = useApi<ApiAllocationListStub[]>(`/v1/node/${seg(props.id)}/allocations`, { live: ['Allocation'], when: onNode(props.id) });
  const n = node.data;
  return (
    <section class="client">
      <PageHeader
        title={
          <>
            Client {n?.Name ?? shortId(props.id)} {n ? <Status value={n.Status} /> : null}
          </>
        }
      />
      {node.error ? <ErrorMessage error={node.error} what="reading the client" /> : null}
      {n === undefined && !node.error ? <Loading what="the client" /> : null}
      {n ? (
        <>
          <dl class="facts client-facts">
            <dt>ID</dt>
            <dd class="mono">{n.ID}</dd>
            <dt>Status</dt>
            <dd>
              {n.Status}
              {n.StatusDescription ? <span class="muted"> ({n.StatusDescription})</span> : null}
              {n.StatusUpdatedAt ? (
                <>
                  {' '}
                  <Time ns={n.StatusUpdatedAt * 1e9} />
                </>
              ) : null}
            </dd>
            <dt>Eligibility</dt>
            <dd>
              {n.SchedulingEligibility}
              {n.Drain ? ' (draining)' : ''}
            </dd>
            <dt>Datacenter</dt>
            <dd>{n.Datacenter}</dd>
            <dt>Node pool</dt>
            <dd>{n.NodePool || 'default'}</dd>
            {n.NodeClass ? (
              <>
                <dt>Class</dt>
                <dd>{n.NodeClass}</dd>
              </>
            ) : null}
            <dt>Address</dt>
            <dd class="mono">{n.HTTPAddr}</dd>
          </dl>
          <Resources node={n} allocs={allocs.data} />
          <h2>Allocations</h2>
          <NodeAllocations state={allocs} />
          <h2>Drivers</h2>
          <Drivers drivers={n.Drivers} />
          <h2>Host volumes</h2>
          <HostVolumes volumes={n.HostVolumes} />
          <h2>Attributes</h2>
          <KeyValueTable label="Node attributes" data={n.Attributes} />
          <h2>Meta</h2>
          {Object.keys(n.Meta ?? {}).length === 0 ? <p class="empty">No meta.</p> : <KeyValueTable label="Node meta" data={n.Meta} />}
        </>
      ) : null}
      <h2>Agent</h2>
      <AgentSelf />
      <h2>Metrics</h2>
      <Metrics />
    </section>
  );
}

/** The allocations' full records (for their resources), fetched once per alloc. */
const allocCache = new Map<string, Promise<ApiAllocation | undefined>>();
function fullAlloc(id: string): Promise<ApiAllocation | undefined> {
  let p = allocCache.get(id);
  if (!p) {
    p = api<ApiAllocation>(`/v1/allocation/${seg(id)}`).catch(() => {
      allocCache.delete(id);
      return undefined;
    });
    allocCache.set(id, p);
  }
  return p;
}

interface Usage {
  cpu: number;
  memory: number;
  disk: number;
}

function useAllocatedUsage(allocs: ApiAllocationListStub[] | undefined): Usage | undefined {
  const [usage, setUsage] = useState<Usage | undefined>(undefined);
  const running = useMemo(() => (allocs ?? []).filter((a) => a.ClientStatus === 'running' || (a.ClientStatus === 'pending' && a.DesiredStatus === 'run')), [allocs]);
  const key = running.map((a) => a.ID).join(',');
  useEffect(() => {
    if (allocs === undefined) return;
    let live = true;
    // Only the running set's records are kept.
    const keep = new Set(running.map((a) => a.ID));
    for (const id of allocCache.keys()) if (!keep.has(id)) allocCache.delete(id);
    void Promise.all(running.map((a) => fullAlloc(a.ID))).then((full) => {
      if (!live) return;
      const u: Usage = { cpu: 0, memory: 0, disk: 0 };
      for (const a of full) {
        const r = a?.AllocatedResources;
        if (!r) continue;
        u.disk += r.Shared?.DiskMB ?? 0;
        for (const t of Object.values(r.Tasks ?? {})) {
          u.cpu += t.Cpu?.CpuShares ?? 0;
          u.memory += t.Memory?.MemoryMB ?? 0;
        }
      }
      setUsage(u);
    });
    return () => {
      live = false;
    };
    // The running set decides it.
  }, [key, allocs === undefined]);
  return usage;
}

function Resources(props: { node: ApiNode; allocs: ApiAllocationListStub[] | undefined }): JSX.Element {
  const r = props.node.NodeResources;
  const res = props.node.ReservedResources;
  const used = useAllocatedUsage(props.allocs);
  const rows: { name: string; unit: string; total: number; reserved: number; used: number | undefined }[] = [
    { name: 'CPU', unit: 'MHz', total: r?.Cpu?.CpuShares ?? 0, reserved: res?.Cpu?.CpuShares ?? 0, used: used?.cpu },
    { name: 'Memory', unit: 'MiB', total: r?.Memory?.MemoryMB ?? 0, reserved: res?.Memory?.MemoryMB ?? 0, used: used?.memory },
    { name: 'Disk', unit: 'MiB', total: r?.Disk?.DiskMB ?? 0, reserved: res?.Disk?.DiskMB ?? 0, used: used?.disk },
  ];
  return (
    <>
      <h2>Resources</h2>
      <div class="table-wrap">
        <table class="resources">
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Total</th>
              <th scope="col">Reserved</th>
              <th scope="col">Allocated (running allocations)</th>
              <th scope="col">Available</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => {
              const avail = x.total - x.reserved;
              const pct = used && avail > 0 ? Math.min(100, Math.round(((x.used ?? 0) / avail) * 100)) : 0;
              return (
                <tr key={x.name}>
                  <th scope="row">{x.name}</th>
                  <td>
                    {x.total} {x.unit}
                  </td>
                  <td>
                    {x.reserved} {x.unit}
                  </td>
                  <td>
                    {x.used === undefined ? (
                      '…'
                    ) : (
                      <span class="usage">
                        <span>
                          {x.used} {x.unit} ({pct}%)
                        </span>
                        <span class="meter" role="meter" aria-label={`${x.name} allocated`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                          <span style={{ width: `${pct}%` }} />
                        </span>
                      </span>
                    )}
                  </td>
                  <td>
                    {x.used === undefined ? '…' : avail - x.used} {x.unit}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {r?.Cpu?.TotalCpuCores ? (
        <p class="muted">
          {r.Cpu.TotalCpuCores} cores; dynamic ports {r.MinDynamicPort}–{r.MaxDynamicPort}
          {res?.Networks?.ReservedHostPorts ? `; reserved host ports ${res.Networks.ReservedHostPorts}` : ''}
        </p>
      ) : null}
    </>
  );
}

function NodeAllocations(props: { state: ReturnType<typeof useApi<ApiAllocationListStub[]>> }): JSX.Element {
  const { data, error } = props.state;
  const sorted = useMemo(() => [...(data ?? [])].sort((a, b) => b.CreateIndex - a.CreateIndex), [data]);
  if (error) return <ErrorMessage error={error} what="listing the client's allocations" />;
  if (data === undefined) return <Loading what="allocations" />;
  if (sorted.length === 0) return <p class="empty">No allocations on this client.</p>;
  return (
    <div class="table-wrap">
      <table class="node-allocs">
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Name</th>
            <th scope="col">Job</th>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Modified</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((a) => (
            <tr key={a.ID} data-alloc={a.ID}>
              <td class="mono">
                <a href={`/ui/allocations/${seg(a.ID)}`} aria-label={`${shortId(a.ID)}: allocation ${a.Name}`}>
                  {shortId(a.ID)}
                </a>
              </td>
              <td>{a.Name}</td>
              <td>
                <a href={`/ui/jobs/${seg(a.JobID)}`}>{a.JobID}</a>
              </td>
              <td>{a.JobVersion}</td>
              <td>
                <Status value={a.ClientStatus} />
                {a.DesiredStatus !== 'run' ? <span class="tag">{a.DesiredStatus}</span> : null}
              </td>
              <td>
                <Time ns={a.CreateTime} />
              </td>
              <td>
                <Time ns={a.ModifyTime} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Drivers(props: { drivers: Record<string, ApiDriverInfo> | undefined }): JSX.Element {
  const entries = Object.entries(props.drivers ?? {}).sort(([a, x], [b, y]) => Number(y.Detected) - Number(x.Detected) || a.localeCompare(b));
  if (entries.length === 0) return <p class="empty">No drivers.</p>;
  return (
    <ul class="drivers">
      {entries.map(([name, d]) => {
        const health = !d.Detected ? 'undetected' : d.Healthy ? 'healthy' : 'unhealthy';
        return (
          <li class="driver" data-driver={name} key={name}>
            <div class="driver-head">
              <strong>{name}</strong> <Status value={health} />
              <span class="muted">
                {' '}
                {d.Detected ? 'detected' : 'not detected'} · updated <Time iso={d.UpdateTime} />
              </span>
            </div>
            {d.HealthDescription ? <p class="driver-desc">{d.HealthDescription}</p> : null}
            {Object.keys(d.Attributes ?? {}).length > 0 ? (
              <details>
                <summary>Attributes ({Object.keys(d.Attributes).length})</summary>
                <KeyValueTable label={`${name} attributes`} data={d.Attributes} />
              </details>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function HostVolumes(props: { volumes: ApiNode['HostVolumes'] }): JSX.Element {
  const entries = Object.entries(props.volumes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p class="empty">No host volumes (client &#123; host_volume "name" &#123; … &#125; &#125; in the agent config).</p>;
  return (
    <div class="table-wrap">
      <table class="host-volumes">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Path</th>
            <th scope="col">Read only</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([name, v]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td class="mono">{v.Path}</td>
              <td>{v.ReadOnly ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AgentSelf(): JSX.Element {
  const self = useApi<ApiAgentSelf>('/v1/agent/self');
  if (self.error) return <ErrorMessage error={self.error} what="reading the agent" />;
  const s = self.data;
  if (!s) return <Loading what="the agent" />;
  const c = s.config;
  const version = c['Version'] as { Version?: string; VersionMetadata?: string } | undefined;
  const plugins = (c['Plugins'] as { Name: string }[] | undefined) ?? [];
  return (
    <dl class="facts">
      <dt>Version</dt>
      <dd>
        {version?.Version ?? '–'}
        {version?.VersionMetadata ? ` (${version.VersionMetadata})` : ''}
      </dd>
      <dt>Region</dt>
      <dd>{str(c['Region'])}</dd>
      <dt>Member</dt>
      <dd class="mono">
        {s.member.Name} {s.member.Addr}:{s.member.Port} ({s.member.Status})
      </dd>
      <dt>Data dir</dt>
      <dd class="mono">{str(c['DataDir'])}</dd>
      <dt>ACL</dt>
      <dd>{(c['ACL'] as { Enabled?: boolean } | undefined)?.Enabled ? 'enabled' : 'disabled'}</dd>
      <dt>Plugins</dt>
      <dd>{plugins.length ? plugins.map((p) => p.Name).join(', ') : 'none configured'}</dd>
      {s.stats['runtime'] ? (
        <>
          <dt>Runtime</dt>
          <dd>
            Node.js {s.stats['runtime']['version']} on {s.stats['runtime']['arch']}, {s.stats['runtime']['cpu_count']} CPUs
          </dd>
        </>
      ) : null}
    </dl>
  );
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '–');

const labelText = (l: Record<string, string> | undefined): string =>
  Object.entries(l ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

function metricValue(name: string, v: number): string {
  if (/bytes$/.test(name)) {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let x = v;
    let i = 0;
    while (x >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return i === 0 ? `${x} B` : `${x.toFixed(1)} ${units[i]}`;
  }
  if (/seconds$/.test(name)) return `${v} s`;
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function Metrics(): JSX.Element {
  const m = useApi<ApiMetricsSummary>('/v1/metrics', { pollMs: 5000 });
  const [search, setSearch] = useState('');
  const rows = useMemo(() => {
    const d = m.data;
    if (!d) return [];
    const all = [
      ...(d.Gauges ?? []).map((g) => ({ kind: 'gauge', name: g.Name, labels: labelText(g.Labels), value: metricValue(g.Name, g.Value) })),
      ...(d.Counters ?? []).map((c) => ({ kind: 'counter', name: c.Name, labels: labelText(c.Labels), value: String(c.Count) })),
      ...(d.Samples ?? []).map((c) => ({ kind: 'sample', name: c.Name, labels: labelText(c.Labels), value: `${c.Count} × mean ${c.Mean.toFixed(2)}` })),
    ];
    const needle = search.toLowerCase();
    return all.filter((r) => needle === '' || r.name.toLowerCase().includes(needle) || r.labels.toLowerCase().includes(needle)).sort((a, b) => a.name.localeCompare(b.name) || a.labels.localeCompare(b.labels));
  }, [m.data, search]);
  if (m.error && !m.data) return <ErrorMessage error={m.error} what="reading the metrics" />;
  if (!m.data) return <Loading what="metrics" />;
  return (
    <>
      <div class="filters">
        <label>
          Filter metrics
          <input type="search" value={search} placeholder="name or label" onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        </label>
        <span class="muted metrics-time">
          as of <Time iso={m.data.Timestamp} />
        </span>
      </div>
      {rows.length === 0 ? (
        <p class="empty">No metric matches.</p>
      ) : (
        <div class="table-wrap">
          <table class="metrics">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Kind</th>
                <th scope="col">Labels</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td class="mono">{r.name}</td>
                  <td>{r.kind}</td>
                  <td class="mono labels">{r.labels}</td>
                  <td class="num">{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
