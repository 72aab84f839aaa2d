/** Allocation views → Nomad's api.Allocation and api.AllocationListStub JSON. */
import type {
  ApiAllocatedResources,
  ApiAllocatedTaskResources,
  ApiAllocation,
  ApiAllocationListStub,
  ApiNetworkResource,
  ApiPort,
  ApiPortMapping,
  ApiRescheduleTracker,
  ApiTaskState,
} from '../../model/nomad-api/index.js';
import type { RescheduleEvent } from '../../model/reschedule-tracker.js';
import type { TaskGroup } from '../../model/job.js';
import { DEFAULT_DISK_MB } from '../../model/job-rules.js';
import type { AllocatedNetwork, AllocatedPort, NetworkSpec, PortSpec } from '../../model/network.js';
import type { AllocView } from '../core/agent.js';
import type { NodeIdentity } from '../node.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { toApiTaskState } from './task-state-to-api.js';
import { toApiAllocDeployment } from './deployment-to-api.js';

const NS_PER_MS = 1_000_000;

function common(v: AllocView, node: NodeIdentity): Omit<ApiAllocationListStub, 'JobType' | 'JobVersion'> {
  const r = v.record;
  const TaskStates: Record<string, ApiTaskState> = {};
  for (const [name, s] of v.states) TaskStates[name] = toApiTaskState(s);
  return {
    ID: r.id,
    // drover has no evaluations; a stable stand-in keeps Nomad clients' parsing happy.
    EvalID: r.evalId ?? '',
    Name: r.name,
    Namespace: v.job.namespace,
    NodeID: node.id,
    NodeName: node.name,
    JobID: r.jobId,
    TaskGroup: r.group,
    DesiredStatus: r.desiredStatus,
    DesiredDescription: r.desiredDescription,
    ClientStatus: r.clientStatus,
    ClientDescription: r.clientDescription,
    TaskStates,
    FollowupEvalID: v.reschedule?.followupEvalId ?? '',
    RescheduleTracker: toApiRescheduleTracker(v.reschedule?.events ?? []),
    NextAllocation: r.nextAllocation ?? '',
    PreemptedAllocations: null,
    PreemptedByAllocation: '',
    CreateIndex: r.createIndex,
    ModifyIndex: r.modifyIndex,
    CreateTime: r.createTime * NS_PER_MS,
    ModifyTime: r.modifyTime * NS_PER_MS,
    ...toApiAllocDeployment(v.deployment),
  };
}

/** Nomad's RescheduleTracker (times and delays in ns); null for an alloc that was not a reschedule, as Nomad sends. */
function toApiRescheduleTracker(events: readonly RescheduleEvent[]): ApiRescheduleTracker | null {
  if (events.length === 0) return null;
  return {
    Events: events.map((e) => ({ RescheduleTime: e.rescheduleTime * NS_PER_MS, PrevAllocID: e.prevAllocId, PrevNodeID: e.prevNodeId, Delay: e.delayMs * NS_PER_MS })),
    LastReschedule: 'ok',
  };
}

export function toApiAllocStub(v: AllocView, node: NodeIdentity): ApiAllocationListStub {
  return { ...common(v, node), JobType: v.job.type, JobVersion: v.record.jobVersion };
}

export function toApiAllocation(v: AllocView, node: NodeIdentity): ApiAllocation {
  return {
    ...common(v, node),
    Job: toApiJob(v.job),
    AllocatedResources: allocatedResources(v),
    JobVersion: v.record.jobVersion,
    PreviousAllocation: v.record.previousAllocation ?? '',
    AllocModifyIndex: v.record.modifyIndex,
  };
}

/** Nomad's AllocatedResources: per-task cpu/memory (and task-level networks), the group's network and ports. */
function allocatedResources(v: AllocView): ApiAllocatedResources {
  const group = v.job.groups.find((g) => g.name === v.record.group);
  const n = v.record.network;
  const Tasks: Record<string, ApiAllocatedTaskResources> = {};
  for (const t of group?.tasks ?? []) {
    const own = n?.taskPorts?.[t.name];
    const spec = t.networks[0];
    Tasks[t.name] = {
      Cpu: { CpuShares: t.resources.cpu, ReservedCores: null },
      Memory: { MemoryMB: t.resources.memoryMb, MemoryMaxMB: t.resources.memoryMaxMb },
      Networks: own && spec && n ? [apiNetwork(spec, own, n.hostIp, 'host')] : null,
      Devices: null,
    };
  }
  const spec = group?.networks[0];
  return {
    Tasks,
    Shared: {
      DiskMB: group?.ephemeralDiskMb ?? DEFAULT_DISK_MB,
      Networks: n && spec ? [apiNetwork(spec, n.ports, n.hostIp, n.mode)] : null,
      Ports: n && spec && n.ports.length > 0 ? n.ports.map((p) => apiPortMapping(p, specOf(group, p.label))) : null,
    },
  };
}

function specOf(group: TaskGroup | undefined, label: string): PortSpec | undefined {
  const n = group?.networks[0];
  return n && [...n.reservedPorts, ...n.dynamicPorts].find((p) => p.label === label);
}

/** Nomad's To: 0 when the job set no `to` (the host port), the host port for `to = -1`. */
function apiTo(p: AllocatedPort, spec: PortSpec | undefined): number {
  if (!spec) return p.to === p.value ? 0 : p.to;
  return spec.to === -1 ? p.value : Math.max(0, spec.to);
}

function apiPortMapping(p: AllocatedPort, spec: PortSpec | undefined): ApiPortMapping {
  return { Label: p.label, Value: p.value, To: apiTo(p, spec), HostIP: p.hostIp };
}

/** The ask with its ports filled in from the allocation (Nomad's AllocatedPortsToNetworkResouce). */
function apiNetwork(spec: NetworkSpec, given: readonly AllocatedPort[], ip: string, mode: AllocatedNetwork['mode']): ApiNetworkResource {
  const port = (p: PortSpec): ApiPort => {
    const g = given.find((x) => x.label === p.label);
    return {
      Label: p.label,
      Value: g?.value ?? p.value,
      To: g ? apiTo(g, p) : p.to,
      HostNetwork: p.hostNetwork || 'default',
      ...(p.ignoreCollision ? { IgnoreCollision: true } : {}),
    };
  };
  const reserved = spec.reservedPorts.map(port);
  const dynamic = spec.dynamicPorts.map(port);
  return {
    Mode: mode,
    Device: '',
    CIDR: '',
    IP: ip,
    DNS: spec.dns ? { Servers: [...spec.dns.servers], Searches: [...spec.dns.searches], Options: [...spec.dns.options] } : null,
    CNI: spec.cniArgs ? { Args: { ...spec.cniArgs } } : null,
    ReservedPorts: reserved.length > 0 ? reserved : null,
    DynamicPorts: dynamic.length > 0 ? dynamic : null,
    Hostname: spec.hostname,
    MBits: spec.mbits,
  };
}
