/** Driver service messages as @grpc/proto-loader presents them (see proto/load.ts). */
import type { PbSpec } from './hclspec.js';

export interface PbTimestamp {
  seconds: number;
  nanos: number;
}

export type PbDuration = PbTimestamp;

/** driver.proto TaskState values. */
export const PbTaskState = { UNKNOWN: 0, RUNNING: 1, EXITED: 2 } as const;

export interface PbResources {
  allocated_resources: {
    cpu: { cpu_shares: number } | null;
    memory: { memory_mb: number; memory_max_mb: number } | null;
    networks: unknown[];
  } | null;
  linux_resources: {
    cpu_period: number;
    cpu_quota: number;
    cpu_shares: number;
    memory_limit_bytes: number;
    oom_score_adj: number;
    cpuset_cpus: string;
    cpuset_cgroup: string;
    PercentTicks: number;
  } | null;
  ports: unknown[];
}

export interface PbMount {
  task_path: string;
  host_path: string;
  readonly: boolean;
  propagation_mode: string;
  selinux_label: string;
  request_name: string;
}

export interface PbDevice {
  task_path: string;
  host_path: string;
  cgroup_permissions: string;
}

export interface PbTaskConfig {
  id: string;
  name: string;
  msgpack_driver_config: Buffer;
  env: Record<string, string>;
  device_env: Record<string, string>;
  resources: PbResources | null;
  mounts: PbMount[];
  devices: PbDevice[];
  user: string;
  alloc_dir: string;
  stdout_path: string;
  stderr_path: string;
  task_group_name: string;
  job_name: string;
  alloc_id: string;
  network_isolation_spec: unknown;
  dns: unknown;
  job_id: string;
  namespace: string;
  node_name: string;
  node_id: string;
  parent_job_id: string;
}

export interface PbTaskHandle {
  version: number;
  config: PbTaskConfig | null;
  state: number;
  driver_state: Buffer;
}

export interface PbNetworkOverride {
  port_map: Record<string, number>;
  addr: string;
  auto_advertise: boolean;
}

export interface PbExitResult {
  exit_code: number;
  signal: number;
  oom_killed: boolean;
}

export interface PbTaskStatus {
  id: string;
  name: string;
  state: number;
  started_at: PbTimestamp | null;
  completed_at: PbTimestamp | null;
  result: PbExitResult | null;
}

export interface PbInspectTaskResponse {
  task: PbTaskStatus | null;
  driver: { attributes: Record<string, string> } | null;
  network_override: PbNetworkOverride | null;
}

export interface PbCpuUsage {
  system_mode: number;
  user_mode: number;
  total_ticks: number;
  throttled_periods: number;
  throttled_time: number;
  percent: number;
  measured_fields: number[];
}

export interface PbMemoryUsage {
  rss: number;
  cache: number;
  max_usage: number;
  kernel_usage: number;
  kernel_max_usage: number;
  usage: number;
  swap: number;
  measured_fields: number[];
}

export interface PbTaskResourceUsage {
  cpu: PbCpuUsage | null;
  memory: PbMemoryUsage | null;
}

export interface PbTaskStats {
  id: string;
  timestamp: PbTimestamp | null;
  agg_resource_usage: PbTaskResourceUsage | null;
  resource_usage_by_pid: Record<string, PbTaskResourceUsage>;
}

export interface PbAttribute {
  value?: 'float_val' | 'int_val' | 'string_val' | 'bool_val';
  float_val?: number;
  int_val?: number;
  string_val?: string;
  bool_val?: boolean;
  unit: string;
}

export interface PbFingerprintResponse {
  attributes: Record<string, PbAttribute>;
  health: number;
  health_description: string;
  err: string;
}

export interface PbDriverCapabilities {
  send_signals: boolean;
  exec: boolean;
  fs_isolation: number;
  network_isolation_modes: number[];
  must_create_network: boolean;
  mount_configs: number;
  disable_log_collection: boolean;
  dynamic_workload_users: boolean;
}

export interface PbDriverTaskEvent {
  task_id: string;
  alloc_id: string;
  task_name: string;
  timestamp: PbTimestamp | null;
  message: string;
  annotations: Record<string, string>;
}

export interface PbExecIo {
  data: Buffer;
  close: boolean;
}

export interface PbExecStreamingRequest {
  setup: { task_id: string; command: string[]; tty: boolean } | null;
  tty_size: { height: number; width: number } | null;
  stdin: PbExecIo | null;
}

export interface PbExecStreamingResponse {
  stdout: PbExecIo | null;
  stderr: PbExecIo | null;
  exited: boolean;
  result: PbExitResult | null;
}

export type { PbSpec };
