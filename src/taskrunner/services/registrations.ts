/**
 * Turns a workload's service blocks into the registrations the native
 * provider stores (Nomad's nsd generateNomadServiceRegistration): the id from
 * MakeAllocServiceID, the address and port from address_mode, the tags.
 * Services for Consul are not drover's to register and are left out here.
 */
import type { ServiceSpec } from '../../model/service.js';
import type { AllocatedNetwork, AllocatedPort } from '../../model/network.js';
import type { DriverNetwork } from '../../drivers/types.js';
import { DroverError, ErrorCode, errorMessage } from '../../model/errors.js';
import type { ServiceRegistration } from './types.js';
import { resolveAddress } from './address.js';

/** Where a workload's services live and who registers them. */
export interface WorkloadInfo {
  readonly allocId: string;
  readonly jobId: string;
  readonly namespace: string;
  readonly nodeId: string;
  readonly datacenter: string;
  /** The task's name, or "group-<group>" for group services (Nomad's WorkloadServices.Name). */
  readonly workload: string;
  readonly network?: AllocatedNetwork;
  readonly taskPorts?: readonly AllocatedPort[];
  readonly driverNetwork?: DriverNetwork;
}

/** The services drover registers: those whose provider is "nomad". */
export function nomadServices(services: readonly ServiceSpec[]): ServiceSpec[] {
  return services.filter((s) => s.provider === 'nomad');
}

/** Nomad's MakeAllocServiceID: "_nomad-task-<alloc>-<workload>-<service>-<port label>". */
export function allocServiceId(allocId: string, workload: string, s: Pick<ServiceSpec, 'name' | 'portLabel'>): string {
  return `_nomad-task-${allocId}-${workload}-${s.name}-${s.portLabel}`;
}

/** The workload name of an allocation's group services. */
export function groupWorkload(group: string): string {
  return `group-${group}`;
}

/**
 * One registration per (already interpolated) nomad service. All or nothing,
 * as Nomad: one service whose address cannot be resolved fails the workload,
 * with every problem in the message.
 */
export function buildRegistrations(services: readonly ServiceSpec[], w: WorkloadInfo): ServiceRegistration[] {
  const problems: string[] = [];
  const out: ServiceRegistration[] = [];
  for (const s of services) {
    try {
      const { address, port } = resolveAddress({
        custom: s.address,
        mode: s.addressMode,
        portLabel: s.portLabel,
        network: w.network,
        taskPorts: w.taskPorts,
        driverNetwork: w.driverNetwork,
      });
      out.push({
        id: allocServiceId(w.allocId, w.workload, s),
        serviceName: s.name,
        namespace: w.namespace,
        nodeId: w.nodeId,
        datacenter: w.datacenter,
        jobId: w.jobId,
        allocId: w.allocId,
        // Canary tags only apply to canaries of a deployment, which drover does not run.
        tags: [...s.tags],
        address,
        port,
      });
    } catch (err) {
      problems.push(`unable to get address for service ${JSON.stringify(s.name)}: ${errorMessage(err)}`);
    }
  }
  if (problems.length > 0) throw new DroverError(ErrorCode.validation, problems.join('; '));
  return out;
}
