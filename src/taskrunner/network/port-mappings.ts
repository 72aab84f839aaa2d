/**
 * An allocation's ports as the portmap plugin's `portMappings` capability
 * (Nomad's getPortMapping in client/allocrunner/networking_cni.go): each
 * port maps its allocated host port to `to`, or to the host port itself when
 * `to` is 0 or -1 (unset), once for tcp and once for udp; the host IP is
 * passed on unless the client binds mapped ports on every address
 * (`bind_wildcard_default_host_network` with no host networks).
 */
import type { AllocatedPort } from '../../model/network.js';

/**
 * One allocated port of the group's network block: the model's
 * AllocatedPort (Nomad's AllocatedPortMapping); `value` is the host port,
 * `to` the port inside the namespace (0 or -1: the host port), `hostIp` the
 * host address to bind ("" or absent: every address).
 */
export type AllocPort = Pick<AllocatedPort, 'label' | 'value' | 'to'> & Partial<Pick<AllocatedPort, 'hostIp'>>;

/** One entry of the portMappings capability, with the field names portmap reads. */
export interface CniPortMapping {
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
  readonly hostIP?: string;
}

/** The portMappings for `ports`; `ignoreHostIp` drops each port's host IP. */
export function portMappings(ports: readonly AllocPort[], ignoreHostIp = false): CniPortMapping[] {
  const out: CniPortMapping[] = [];
  for (const p of ports) {
    const containerPort = p.to < 1 ? p.value : p.to;
    for (const protocol of ['tcp', 'udp'] as const) {
      out.push({ hostPort: p.value, containerPort, protocol, ...(!ignoreHostIp && p.hostIp ? { hostIP: p.hostIp } : {}) });
    }
  }
  return out;
}
