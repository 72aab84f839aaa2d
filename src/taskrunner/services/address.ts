/**
 * Which address and port a service advertises or a check dials (Nomad's
 * serviceregistration.GetAddress): by address_mode, from the allocation's
 * ports, the driver's network or the allocation's own address. A port label
 * names an allocated port; a number is taken as a literal port.
 */
import { DroverError, ErrorCode } from '../../model/errors.js';
import type { AllocatedNetwork, AllocatedPort } from '../../model/network.js';
import type { DriverNetwork } from '../../drivers/types.js';

export interface AddressInputs {
  /** The service's `address`: advertised instead of the node's or the alloc's ("" when unset). */
  readonly custom: string;
  /** "auto", "host", "driver" or "alloc". */
  readonly mode: string;
  /** A port label, a literal port, or "". */
  readonly portLabel: string;
  readonly network?: AllocatedNetwork;
  /** The task's own ports (the deprecated task-level network), looked up after the group's. */
  readonly taskPorts?: readonly AllocatedPort[];
  /** The network the driver reported when the task started; group services have none. */
  readonly driverNetwork?: DriverNetwork;
}

export interface ResolvedAddress {
  readonly address: string;
  /** 0 when no port was asked for. */
  readonly port: number;
}

/** Resolves per Nomad's rules; throws a validation error that names the problem as Nomad does. */
export function resolveAddress(i: AddressInputs): ResolvedAddress {
  const mapped = i.network?.ports.find((p) => p.label === i.portLabel);
  switch (i.mode) {
    case 'auto':
      if (i.custom !== '') {
        if (i.portLabel === '') return { address: i.custom, port: 0 };
        // The routing from a custom address to the host port is the operator's business (as Nomad says).
        if (mapped) return { address: i.custom, port: mapped.value };
        const port = Number(i.portLabel);
        if (!Number.isInteger(port)) throw invalid(`invalid port: "${i.portLabel}": not a valid port mapping or numeric port`);
        return { address: i.custom, port };
      }
      return resolveAddress({ ...i, mode: i.driverNetwork?.autoAdvertise ? 'driver' : 'host' });
    case 'host': {
      if (i.custom !== '') throw invalid('cannot use custom advertise address with "host" address mode');
      const hostIp = i.network?.hostIp ?? '';
      if (i.portLabel === '') return { address: hostIp, port: 0 };
      const port = mapped ?? i.taskPorts?.find((p) => p.label === i.portLabel);
      if (port) return { address: port.hostIp || hostIp, port: port.value };
      // Nomad leaves the address empty here for Consul to fill in with its agent's; drover has no agent to ask, so the host address stands in.
      return { address: hostIp, port: literalPort(i.portLabel, `invalid port "${i.portLabel}": port label not found`) };
    }
    case 'driver': {
      if (i.custom !== '') throw invalid('cannot use custom advertise address with "driver" address mode');
      const d = i.driverNetwork;
      if (!d) throw invalid('cannot use address_mode="driver": no driver network exists');
      if (i.portLabel === '') return { address: d.ip, port: 0 };
      if (mapped) return { address: d.ip, port: mapped.to };
      const fromMap = d.portMap[i.portLabel];
      if (fromMap !== undefined) return { address: d.ip, port: fromMap };
      return {
        address: d.ip,
        port: literalPort(i.portLabel, `invalid port label "${i.portLabel}": port labels in driver address_mode must be numeric or in the driver's port map`),
      };
    }
    case 'alloc': {
      if (i.custom !== '') throw invalid('cannot use custom advertise address with "alloc" address mode');
      const allocIp = i.network?.allocIp;
      if (!allocIp) throw invalid('cannot use address_mode="alloc": no allocation network status reported');
      if (i.portLabel === '') return { address: allocIp, port: 0 };
      if (mapped) return { address: allocIp, port: mapped.to > 0 ? mapped.to : mapped.value };
      return { address: allocIp, port: literalPort(i.portLabel, `invalid port "${i.portLabel}": port label not found or is not numeric`) };
    }
    default:
      throw invalid(`invalid address mode "${i.mode}"`);
  }
}

/** "host:port" as Go's net.JoinHostPort writes it. */
export function joinHostPort(address: string, port: number): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return port > 0 ? `${host}:${port}` : host;
}

function literalPort(label: string, notFound: string): number {
  if (!/^-?\d+$/.test(label)) throw invalid(notFound);
  const port = Number(label);
  if (port <= 0) throw invalid(`invalid port: "${label}": port must be >0`);
  return port;
}

function invalid(message: string): DroverError {
  return new DroverError(ErrorCode.validation, message);
}
