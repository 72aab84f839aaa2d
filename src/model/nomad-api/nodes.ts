/**
 * Nomad's node and agent JSON (api/nodes.go, api/agent.go): the client's
 * fingerprint with its drivers, and the agent's own description.
 */

/** Nomad's api.DriverInfo. */
export interface ApiDriverInfo {
  Attributes: Record<string, string>;
  Detected: boolean;
  Healthy: boolean;
  HealthDescription: string;
  /** RFC 3339. */
  UpdateTime: string;
}

/** Nomad's api.NodeResources (the parts drover fingerprints). */
export interface ApiNodeResources {
  Cpu: { CpuShares: number; TotalCpuCores: number; ReservableCpuCores: number[] };
  Memory: { MemoryMB: number };
  Disk: { DiskMB: number };
  Networks: unknown[] | null;
  Devices: unknown[] | null;
  MinDynamicPort: number;
  MaxDynamicPort: number;
}

/** Nomad's api.Node (GET /v1/node/:id). */
export interface ApiNode {
  ID: string;
  Datacenter: string;
  Name: string;
  HTTPAddr: string;
  TLSEnabled: boolean;
  Attributes: Record<string, string>;
  NodeResources: ApiNodeResources;
  /** What the client keeps back from allocations (client { reserved }). */
  ReservedResources: { Cpu: { CpuShares: number }; Memory: { MemoryMB: number }; Disk: { DiskMB: number }; Networks: { ReservedHostPorts: string } };
  Meta: Record<string, string>;
  NodeClass: string;
  NodePool: string;
  Drain: boolean;
  SchedulingEligibility: 'eligible' | 'ineligible';
  Status: 'initializing' | 'ready' | 'down' | 'disconnected';
  StatusDescription: string;
  /** Unix seconds. */
  StatusUpdatedAt: number;
  Drivers: Record<string, ApiDriverInfo>;
  /** client host_volume blocks by name (Nomad's api.HostVolumeInfo); null when none, as Go's nil map. */
  HostVolumes: Record<string, { Path: string; ReadOnly: boolean }> | null;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Nomad's api.NodeListStub (GET /v1/nodes). */
export interface ApiNodeListStub {
  Address: string;
  ID: string;
  Attributes?: Record<string, string>;
  Datacenter: string;
  Name: string;
  NodeClass: string;
  NodePool: string;
  Version: string;
  Drain: boolean;
  SchedulingEligibility: string;
  Status: string;
  StatusDescription: string;
  Drivers: Record<string, ApiDriverInfo>;
  NodeResources?: ApiNodeResources;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Nomad's api.AgentMember. */
export interface ApiAgentMember {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string>;
  Status: string;
}

/** GET /v1/agent/self (Nomad's api.AgentSelf; Config holds the parts of the agent config drover has). */
export interface ApiAgentSelf {
  config: Record<string, unknown>;
  member: ApiAgentMember;
  stats: Record<string, Record<string, string>>;
}

/** GET /v1/metrics (Nomad's api.MetricsSummary). */
export interface ApiMetricsSummary {
  Timestamp: string;
  Gauges: Array<{ Name: string; Value: number; Labels: Record<string, string> }>;
  Counters: Array<{ Name: string; Count: number; Sum: number; Min: number; Max: number; Mean: number; Stddev: number; Labels: Record<string, string> }>;
  Samples: Array<{ Name: string; Count: number; Sum: number; Min: number; Max: number; Mean: number; Stddev: number; Labels: Record<string, string> }>;
}
