/**
 * What an allocation's network setup hands back, and how it is read from
 * the CNI result (Nomad's cniToAllocNet, client/allocrunner/networking_cni.go):
 * of the interfaces sorted by name, the first inside the namespace (sandbox
 * set) with an address gives the allocation's address and interface; failing
 * that, the first interface with an address; none is an error. DNS comes from
 * the result when a plugin set it.
 */
import { DroverError, ErrorCode } from '../../model/errors.js';
import type { CniDns, CniResult } from './cni-types.js';
import type { CniPortMapping } from './port-mappings.js';
import type { NetworkMode } from '../../model/network.js';

/** The group network modes that get a namespace (the model's NetworkMode less "host"). */
export type AllocNetworkMode = Exclude<NetworkMode, 'host'>;

/**
 * The allocation's network, to persist with the allocation (re-adoption
 * after a restart, teardown) and to show (Nomad's AllocNetworkStatus plus
 * the namespace and what the teardown needs).
 */
export interface AllocNetworkStatus {
  readonly allocId: string;
  readonly mode: AllocNetworkMode;
  /** The namespace every task of the allocation joins. */
  readonly netnsPath: string;
  /** The interface inside the namespace holding `address` ("eth0"; "lo" for none). */
  readonly interfaceName: string;
  /** The allocation's IP (no prefix length); absent for mode none. */
  readonly address?: string;
  /** The gateway the plugins set (the bridge's address in bridge mode). */
  readonly gateway?: string;
  readonly dns?: CniDns;
  /** Exactly what portmap was given. */
  readonly portMappings: readonly CniPortMapping[];
  /** Host-side interfaces the plugins reported (the bridge and the veth), for diagnostics. */
  readonly hostInterfaces: readonly string[];
  /** The raw CNI ADD result (the DEL's prevResult). */
  readonly cniResult?: Readonly<Record<string, unknown>>;
}

/** Address, interface, gateway and DNS picked from a CNI result, as Nomad picks them. */
export interface PickedAddress {
  readonly interfaceName: string;
  readonly address: string;
  readonly gateway?: string;
  readonly dns?: CniDns;
  readonly hostInterfaces: string[];
}

/** Reads the allocation's address from `result`; throws when there is none. */
export function pickAddress(result: CniResult): PickedAddress {
  if (result.interfaces.length === 0) throw new DroverError(ErrorCode.internal, 'failed to configure network: no interfaces found');
  const byIndex = result.interfaces.map((iface, i) => ({ iface, ips: result.ips.filter((ip) => ip.interface === i) }));
  const sorted = [...byIndex].sort((a, b) => (a.iface.name < b.iface.name ? -1 : a.iface.name > b.iface.name ? 1 : 0));
  const chosen = sorted.find((x) => x.iface.sandbox !== undefined && x.ips.length > 0) ?? sorted.find((x) => x.ips.length > 0);
  const ip = chosen?.ips[0];
  if (chosen === undefined || ip === undefined) throw new DroverError(ErrorCode.internal, 'failed to configure network: no interface with an address');
  return {
    interfaceName: chosen.iface.name,
    address: ip.address.replace(/\/\d+$/, ''),
    ...(ip.gateway ? { gateway: ip.gateway } : {}),
    ...(result.dns && (result.dns.nameservers?.length ?? 0) > 0 ? { dns: result.dns } : {}),
    hostInterfaces: result.interfaces.filter((i) => i.sandbox === undefined).map((i) => i.name),
  };
}
