/**
 * Nomad's allocation JSON (api/allocations.go, api/tasks.go): allocations,
 * task states with events, resource usage, and the exec stream frames.
 * Times in TaskState are RFC 3339 strings (Go's time.Time); event times,
 * CreateTime and ModifyTime are Unix nanoseconds.
 */
import type { ApiAllocDeploymentStatus } from './deployments.js';
import type { ApiJob, ApiNetworkResource } from './jobs.js';

/** Nomad's api.TaskEvent: Details carries the per-type fields; the flat fields are Nomad's deprecated copies. */
export interface ApiTaskEvent {
  Type: string;
  /** Unix ns. */
  Time: number;
  DisplayMessage: string;
  Details: Record<string, string>;
  Message: string;
  FailsTask: boolean;
  RestartReason: string;
  SetupError: string;
  DriverError: string;
  DriverMessage: string;
  ExitCode: number;
  Signal: number;
  KillReason: string;
  /** ns */
  KillTimeout: number;
  KillError: string;
  /** ns */
  StartDelay: number;
  DownloadError: string;
  ValidationError: string;
  DiskLimit: number;
  DiskSize: number;
  FailedSibling: string;
  VaultError: string;
  TaskSignalReason: string;
  TaskSignal: string;
  GenericSource: string;
}

/** Nomad's api.TaskState. */
export interface ApiTaskState {
  State: 'pending' | 'running' | 'dead';
  Failed: boolean;
  Restarts: number;
  /** RFC 3339; Go's zero time "0001-01-01T00:00:00Z" when never. */
  LastRestart: string;
  StartedAt: string;
  FinishedAt: string;
  Events: ApiTaskEvent[];
}

export type ApiAllocClientStatus = 'pending' | 'running' | 'complete' | 'failed' | 'lost' | 'unknown';
export type ApiAllocDesiredStatus = 'run' | 'stop' | 'evict';

/** Nomad's api.RescheduleEvent: RescheduleTime in Unix ns, Delay in ns. */
export interface ApiRescheduleEvent {
  RescheduleTime: number;
  PrevAllocID: string;
  PrevNodeID: string;
  Delay: number;
}

/** Nomad's api.RescheduleTracker: the reschedules that led to an allocation. */
export interface ApiRescheduleTracker {
  Events: ApiRescheduleEvent[];
  LastReschedule?: string;
}

/** Fields shared by the full allocation and its list stub. */
interface AllocCommon {
  ID: string;
  /** The deployment it belongs to (absent when none). */
  DeploymentID?: string;
  DeploymentStatus?: ApiAllocDeploymentStatus;
  EvalID: string;
  Name: string;
  Namespace: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  TaskGroup: string;
  DesiredStatus: ApiAllocDesiredStatus;
  DesiredDescription: string;
  ClientStatus: ApiAllocClientStatus;
  ClientDescription: string;
  TaskStates: Record<string, ApiTaskState>;
  FollowupEvalID: string;
  RescheduleTracker: ApiRescheduleTracker | null;
  NextAllocation: string;
  PreemptedAllocations: string[] | null;
  PreemptedByAllocation: string;
  CreateIndex: number;
  ModifyIndex: number;
  /** Unix ns. */
  CreateTime: number;
  ModifyTime: number;
}

/** Nomad's api.PortMapping (AllocatedResources.Shared.Ports): host port, port inside (0: same), host address. */
export interface ApiPortMapping {
  Label: string;
  Value: number;
  To: number;
  HostIP: string;
}

/** Nomad's api.AllocatedTaskResources. */
export interface ApiAllocatedTaskResources {
  Cpu: { CpuShares: number; ReservedCores: number[] | null };
  Memory: { MemoryMB: number; MemoryMaxMB: number };
  /** The deprecated task-level network, with its ports. */
  Networks: ApiNetworkResource[] | null;
  Devices: unknown[] | null;
}

/** Nomad's api.AllocatedResources. */
export interface ApiAllocatedResources {
  Tasks: Record<string, ApiAllocatedTaskResources>;
  Shared: { DiskMB: number; Networks: ApiNetworkResource[] | null; Ports: ApiPortMapping[] | null };
}

/** Nomad's api.Allocation (GET /v1/allocation/:id). */
export interface ApiAllocation extends AllocCommon {
  Job: ApiJob;
  /** What the node gave the allocation: its tasks' resources, the group's network and host ports. */
  AllocatedResources?: ApiAllocatedResources | null;
  PreviousAllocation: string;
  AllocModifyIndex: number;
  /** drover: the job version this allocation runs (Nomad keeps it inside Job.Version). */
  JobVersion: number;
}

/** Nomad's api.AllocationListStub (GET /v1/allocations, /v1/job/:id/allocations). */
export interface ApiAllocationListStub extends AllocCommon {
  JobType: string;
  JobVersion: number;
}

/** Nomad's api.MemoryStats. */
export interface ApiMemoryStats {
  RSS: number;
  Cache: number;
  Swap: number;
  Usage: number;
  MaxUsage: number;
  KernelUsage: number;
  KernelMaxUsage: number;
  Measured: string[];
}

/** Nomad's api.CpuStats. */
export interface ApiCpuStats {
  SystemMode: number;
  UserMode: number;
  TotalTicks: number;
  ThrottledPeriods: number;
  ThrottledTime: number;
  Percent: number;
  Measured: string[];
}

/** Nomad's api.ResourceUsage. */
export interface ApiResourceUsage {
  MemoryStats: ApiMemoryStats;
  CpuStats: ApiCpuStats;
  DeviceStats: unknown[] | null;
}

/** Nomad's api.TaskResourceUsage. */
export interface ApiTaskResourceUsage {
  ResourceUsage: ApiResourceUsage;
  /** Unix ns. */
  Timestamp: number;
  Pids: Record<string, ApiResourceUsage> | null;
}

/** GET /v1/client/allocation/:id/stats (Nomad's api.AllocResourceUsage). */
export interface ApiAllocResourceUsage {
  ResourceUsage: ApiResourceUsage;
  Tasks: Record<string, ApiTaskResourceUsage>;
  Timestamp: number;
}

/** POST /v1/client/allocation/:id/signal body. */
export interface ApiAllocSignalRequest {
  Task?: string;
  Signal?: string;
}

/** POST /v1/client/allocation/:id/restart body. */
export interface ApiAllocRestartRequest {
  TaskName?: string;
  AllTasks?: boolean;
}

/** POST /v1/allocation/:id/stop response (Nomad's api.AllocStopResponse). */
export interface ApiAllocStopResponse {
  EvalID: string;
  Index: number;
}

/** One file or directory in an alloc dir (Nomad's api.AllocFileInfo). */
export interface ApiAllocFileInfo {
  Name: string;
  IsDir: boolean;
  Size: number;
  /** Go's os.FileMode string, e.g. "-rw-r--r--" or "drwxr-xr-x". */
  FileMode: string;
  /** RFC 3339. */
  ModTime: string;
  ContentType: string;
}

/** One frame of a streamed file or log (Nomad's api.StreamFrame); `{}` is a heartbeat. */
export interface ApiStreamFrame {
  Offset?: number;
  /** base64 */
  Data?: string;
  File?: string;
  FileEvent?: string;
}

/** Stdin/stdout/stderr data or close (Nomad's ExecStreamingIOOperation); data is base64. */
export interface ApiExecIOOperation {
  data?: string;
  close?: boolean;
}

/** Client → agent exec frame (Nomad's ExecStreamingInput); `{}` is a heartbeat. */
export interface ApiExecInput {
  stdin?: ApiExecIOOperation;
  tty_size?: { height?: number; width?: number };
}

/** Agent → client exec frame (Nomad's ExecStreamingOutput). */
export interface ApiExecOutput {
  stdout?: ApiExecIOOperation;
  stderr?: ApiExecIOOperation;
  exited?: boolean;
  result?: { exit_code: number };
}
