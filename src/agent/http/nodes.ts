/** /v1/nodes and /v1/node/:id (Nomad's node_endpoint.go): this one node's fingerprint and drivers. */
import { nodeResources } from '../core/placement/resources.js';
import type { ApiDriverInfo, ApiNode, ApiNodeListStub } from '../../model/nomad-api/index.js';
import type { Agent } from '../core/agent.js';
import { NotFoundError } from '../core/errors.js';
import { toApiAllocStub } from '../wire/alloc-to-api.js';
import { goTime } from '../wire/task-state-to-api.js';
import { param, query } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';
import { DROVER_VERSION } from '../../model/version.js';
import { nodeAttributes } from '../core/node-attributes.js';

function drivers(agent: Agent): Record<string, ApiDriverInfo> {
  const out: Record<string, ApiDriverInfo> = {};
  for (const name of agent.drivers.names()) {
    const s = agent.fingerprints.all().get(name);
    const fp = s?.fingerprint;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(fp?.attributes ?? {})) attrs[k] = v === true ? 'true' : v === false ? 'false' : String(v);
    out[name] = {
      Attributes: attrs,
      Detected: fp !== undefined && fp.health !== 'undetected',
      Healthy: fp?.health === 'healthy',
      HealthDescription: fp?.healthDescription ?? 'not fingerprinted yet',
      UpdateTime: goTime(s?.updatedAt ?? 0),
    };
  }
  return out;
}

function hostVolumes(agent: Agent): ApiNode['HostVolumes'] {
  const entries = Object.entries(agent.config.client.hostVolumes);
  return entries.length === 0 ? null : Object.fromEntries(entries.map(([name, v]) => [name, { Path: v.path, ReadOnly: v.readOnly }]));
}

/** The node as Nomad's api.Node. */
export function nodeJson(ctx: HttpContext): ApiNode {
  const { agent } = ctx;
  const attrs = nodeAttributes(agent);
  const c = agent.config.client;
  const total = nodeResources(agent.totals, c);
  return {
    ID: agent.node.id,
    Datacenter: agent.node.datacenter,
    Name: agent.node.name,
    HTTPAddr: ctx.address(),
    TLSEnabled: false,
    Attributes: attrs,
    NodeResources: {
      Cpu: { CpuShares: total.cpu, TotalCpuCores: agent.totals.cores, ReservableCpuCores: Array.from({ length: agent.totals.cores }, (_, i) => i) },
      Memory: { MemoryMB: total.memoryMb },
      Disk: { DiskMB: total.diskMb },
      Networks: null,
      Devices: null,
      MinDynamicPort: agent.config.client.minDynamicPort,
      MaxDynamicPort: agent.config.client.maxDynamicPort,
    },
    ReservedResources: {
      Cpu: { CpuShares: c.reservedCpu },
      Memory: { MemoryMB: c.reservedMemoryMb },
      Disk: { DiskMB: c.reservedDiskMb },
      Networks: { ReservedHostPorts: c.reservedPorts.join(',') },
    },
    Meta: { ...agent.config.client.meta },
    NodeClass: agent.config.client.nodeClass,
    NodePool: agent.config.client.nodePool,
    Drain: false,
    SchedulingEligibility: 'eligible',
    Status: 'ready',
    StatusDescription: '',
    StatusUpdatedAt: Math.floor(agent.startedAt / 1000),
    Drivers: drivers(agent),
    HostVolumes: hostVolumes(agent),
    CreateIndex: 1,
    ModifyIndex: 1,
  };
}

export function nodeRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  const check = (id: string): void => {
    if (id !== agent.node.id && id !== 'self' && !(id.length >= 4 && agent.node.id.startsWith(id))) throw new NotFoundError('node not found');
  };
  return [
    {
      method: 'GET',
      url: '/v1/nodes',
      acl: 'read',
      handler: async (req): Promise<ApiNodeListStub[]> => {
        const prefix = query(req, 'prefix') ?? '';
        if (!agent.node.id.startsWith(prefix)) return [];
        const n = nodeJson(ctx);
        return [
          {
            Address: ctx.address().replace(/:\d+$/, ''),
            ID: n.ID,
            Datacenter: n.Datacenter,
            Name: n.Name,
            NodeClass: n.NodeClass,
            NodePool: n.NodePool,
            Version: DROVER_VERSION,
            Drain: false,
            SchedulingEligibility: n.SchedulingEligibility,
            Status: n.Status,
            StatusDescription: '',
            Drivers: n.Drivers,
            NodeResources: n.NodeResources,
            CreateIndex: 1,
            ModifyIndex: 1,
          },
        ];
      },
    },
    { method: 'GET', url: '/v1/node/:id', acl: 'read', handler: async (req) => (check(param(req, 'id')), nodeJson(ctx)) },
    {
      method: 'GET',
      url: '/v1/node/:id/allocations',
      acl: 'read',
      handler: async (req) => {
        check(param(req, 'id'));
        return agent.allocs().map((v) => toApiAllocStub(v, agent.node));
      },
    },
  ];
}
