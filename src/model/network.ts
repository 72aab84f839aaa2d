/**
 * Nomad's network { } block (structs.NetworkResource) as a job asks for it,
 * and the ports an allocation was given (structs.AllocatedPortMapping).
 */

/** `host` (the node's stack), `bridge` (own namespace on the nomad bridge), `none` (own, empty), `cni/<name>`. */
export type NetworkMode = 'host' | 'bridge' | 'none' | `cni/${string}`;

/** port "label" { static to host_network }. */
export interface PortSpec {
  readonly label: string;
  /** `static`: the fixed host port; 0 when the port is dynamic. */
  readonly value: number;
  /** `to`: the port inside the allocation's namespace (or the driver's port_map); 0 = same as the host port, -1 = same (Nomad's alias). */
  readonly to: number;
  /** Name of the client's host_network to take the address from; "default" when unset. */
  readonly hostNetwork: string;
  /** ignore_collision: a static port other allocations may hold too (host mode only). */
  readonly ignoreCollision?: boolean;
}

export interface DnsConfig {
  readonly servers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
}

/** One network { } block (Nomad allows one per group). */
export interface NetworkSpec {
  readonly mode: NetworkMode;
  /** The allocation's hostname in bridge mode; "" when unset. */
  readonly hostname: string;
  /** Ports with `static` (Nomad's ReservedPorts). */
  readonly reservedPorts: readonly PortSpec[];
  /** Ports without (Nomad's DynamicPorts). */
  readonly dynamicPorts: readonly PortSpec[];
  readonly dns?: DnsConfig;
  /** cni { args }: passed to the CNI plugins as CNI_ARGS (cni/<name> mode). */
  readonly cniArgs?: Readonly<Record<string, string>>;
  /** Deprecated bandwidth ask; kept for round trips only. */
  readonly mbits: number;
}

/** A port the node gave an allocation (Nomad's AllocatedPortMapping). */
export interface AllocatedPort {
  readonly label: string;
  /** The host port. */
  readonly value: number;
  /** The port the task listens on inside its namespace; equals value when the job set no `to`. */
  readonly to: number;
  /** The host address the port is reachable on. */
  readonly hostIp: string;
}

/** What an allocation's network turned out to be: its ports, its mode and, in bridge mode, its own address. */
export interface AllocatedNetwork {
  readonly mode: NetworkMode;
  /** The host address ports are bound on (the node's default address). */
  readonly hostIp: string;
  readonly ports: readonly AllocatedPort[];
  /** The allocation's address inside its own namespace (bridge/cni); "" in host mode. */
  readonly allocIp?: string;
  /** The network namespace the tasks join (bridge/none/cni); absent in host mode. */
  readonly netnsPath?: string;
  /** The task-level (deprecated resources { network }) ports, by task. */
  readonly taskPorts?: Readonly<Record<string, readonly AllocatedPort[]>>;
}

/** Every port of a network block, reserved first as Nomad lists them. */
export function allPorts(n: NetworkSpec): PortSpec[] {
  return [...n.reservedPorts, ...n.dynamicPorts];
}
