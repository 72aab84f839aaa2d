/**
 * TaskConfig ↔ its proto. The driver config travels as cty msgpack bytes
 * (callers encode/decode those against the schema). Fields Nomad's wire
 * lacks are derived as Nomad derives them: the task directory layout from
 * alloc_dir and the task name; logRotation is absent, since a Nomad client
 * rotates logs itself (logmon) and hands the driver FIFOs.
 */
import * as path from 'node:path';
import type { TaskConfig, TaskDirPaths, TaskResources } from '../../drivers/types.js';
import type * as pb from '../wire/driver.js';
import { networkIsolationFromPb, networkIsolationToPb } from './network-isolation.js';

const MiB = 1024 * 1024;

/** drover → wire. */
export function taskConfigToPb(c: TaskConfig, msgpackDriverConfig: Uint8Array): pb.TaskConfig {
  return {
    id: c.id,
    name: c.name,
    msgpack_driver_config: Buffer.from(msgpackDriverConfig),
    env: { ...c.env },
    device_env: {},
    resources: resourcesToPb(c.resources),
    mounts: c.mounts.map((m) => ({ task_path: m.taskPath, host_path: m.hostPath, readonly: m.readonly, propagation_mode: m.propagationMode ?? '', selinux_label: m.selinuxLabel ?? '', request_name: '' })),
    devices: c.devices.map((d) => ({ task_path: d.taskPath, host_path: d.hostPath, cgroup_permissions: d.permissions })),
    user: c.user,
    alloc_dir: c.allocDir,
    stdout_path: c.stdoutPath,
    stderr_path: c.stderrPath,
    task_group_name: c.taskGroupName,
    job_name: c.jobName,
    alloc_id: c.allocId,
    network_isolation_spec: networkIsolationToPb(c.networkIsolation),
    dns: undefined,
    job_id: c.jobId,
    namespace: c.namespace,
    node_name: c.nodeName,
    node_id: c.nodeId,
    parent_job_id: '',
  };
}

/** wire → drover, with the already decoded driver config. */
export function taskConfigFromPb(m: pb.TaskConfig, driverConfig: Readonly<Record<string, unknown>>): TaskConfig {
  return {
    id: m.id,
    jobName: m.job_name,
    jobId: m.job_id,
    taskGroupName: m.task_group_name,
    name: m.name,
    namespace: m.namespace,
    nodeName: m.node_name,
    nodeId: m.node_id,
    allocId: m.alloc_id,
    env: { ...m.env },
    resources: resourcesFromPb(m.resources),
    user: m.user,
    allocDir: m.alloc_dir,
    taskDir: taskDirOf(m.alloc_dir, m.name),
    stdoutPath: m.stdout_path,
    stderrPath: m.stderr_path,
    mounts: m.mounts.map((x) => ({ taskPath: x.task_path, hostPath: x.host_path, readonly: x.readonly, ...(x.propagation_mode ? { propagationMode: x.propagation_mode } : {}), ...(x.selinux_label ? { selinuxLabel: x.selinux_label } : {}) })),
    devices: m.devices.map((d) => ({ taskPath: d.task_path, hostPath: d.host_path, permissions: d.cgroup_permissions })),
    driverConfig,
    ...networkIsolationOf(m),
  };
}

/** The spec Nomad sent (a group network's namespace), when it sent one. */
function networkIsolationOf(m: pb.TaskConfig): Pick<TaskConfig, 'networkIsolation'> {
  const spec = networkIsolationFromPb(m.network_isolation_spec);
  return spec ? { networkIsolation: spec } : {};
}

/** Nomad's TaskConfig.TaskDir(): the layout under the alloc dir. */
export function taskDirOf(allocDir: string, name: string): TaskDirPaths {
  const dir = path.join(allocDir, name);
  return {
    dir,
    sharedAllocDir: path.join(allocDir, 'alloc'),
    logDir: path.join(allocDir, 'alloc', 'logs'),
    localDir: path.join(dir, 'local'),
    secretsDir: path.join(dir, 'secrets'),
    tmpDir: path.join(dir, 'tmp'),
  };
}

function resourcesToPb(r: TaskResources): pb.Resources {
  return {
    allocated_resources: {
      cpu: { cpu_shares: r.cpuShares },
      memory: { memory_mb: r.memoryMb, memory_max_mb: r.memoryMaxMb },
      networks: (r.networks ?? []).map((n) => ({
        device: n.device,
        cidr: n.cidr,
        ip: n.ip,
        mbits: n.mbits,
        reserved_ports: n.reservedPorts.map((p) => ({ label: p.label, value: p.value })),
        dynamic_ports: n.dynamicPorts.map((p) => ({ label: p.label, value: p.value })),
      })),
    },
    linux_resources: {
      cpu_period: 0,
      cpu_quota: 0,
      cpu_shares: r.cpuShares,
      memory_limit_bytes: Math.max(r.memoryMb, r.memoryMaxMb) * MiB,
      oom_score_adj: 0,
      // drover reserves a count of cores, not particular ones: the first N stand for them.
      cpuset_cpus: r.cores > 0 ? (r.cores === 1 ? '0' : `0-${r.cores - 1}`) : '',
      cpuset_cgroup: '',
      PercentTicks: 0,
    },
    ports: (r.ports ?? []).map((p) => ({ label: p.label, value: p.value, to: p.to, host_ip: p.hostIp })),
  };
}

function resourcesFromPb(m: pb.Resources | undefined): TaskResources {
  const alloc = m?.allocated_resources;
  const linux = m?.linux_resources;
  const ports = m?.ports ?? [];
  const networks = alloc?.networks ?? [];
  return {
    cpuShares: alloc?.cpu?.cpu_shares || linux?.cpu_shares || 0,
    cores: countCpus(linux?.cpuset_cpus ?? ''),
    memoryMb: alloc?.memory?.memory_mb ?? 0,
    memoryMaxMb: alloc?.memory?.memory_max_mb ?? 0,
    // Nomad sends To = 0 for "same as the host port"; drover's AllocatedPort spells that out.
    ...(ports.length > 0 ? { ports: ports.map((p) => ({ label: p.label, value: p.value, to: p.to > 0 ? p.to : p.value, hostIp: p.host_ip })) } : {}),
    ...(networks.length > 0
      ? {
          networks: networks.map((n) => ({
            device: n.device,
            cidr: n.cidr,
            ip: n.ip,
            mbits: n.mbits,
            reservedPorts: n.reserved_ports.map((p) => ({ label: p.label, value: p.value })),
            dynamicPorts: n.dynamic_ports.map((p) => ({ label: p.label, value: p.value })),
          })),
        }
      : {}),
  };
}

/** Number of CPUs in a cpuset list such as "0-3,8". */
function countCpus(cpuset: string): number {
  let n = 0;
  for (const part of cpuset.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (m) n += m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1;
  }
  return n;
}
