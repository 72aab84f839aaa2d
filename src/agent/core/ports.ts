/**
 * Host port allocation for one node (a one-node reduction of Nomad's
 * NetworkIndex, nomad/structs/network.go): static ports are taken as
 * written, dynamic ones drawn at random from the client's dynamic range,
 * never a port another live allocation holds or the client reserves.
 *
 * Nothing here is stored: the ports an allocation holds live in its record
 * (allocs.network), and the index is rebuilt from the live records for each
 * placement, so a port is free again as soon as its allocation is stopped or
 * purged, and an agent restart finds every port where it was.
 */
import type { TaskGroup } from '../../model/job.js';
import { DroverError, ErrorCode, ValidationError } from '../../model/errors.js';
import type { AllocatedNetwork, AllocatedPort, NetworkSpec, PortSpec } from '../../model/network.js';
import { MAX_VALID_PORT } from '../config/port-ranges.js';
import type { AllocRecord } from '../state/state-db.js';

/** Nomad's maxRandPortAttempts: random probes before the exhaustive search. */
const MAX_RANDOM_ATTEMPTS = 20;

/** The client settings that shape allocation. */
export interface PortConfig {
  readonly minDynamicPort: number;
  readonly maxDynamicPort: number;
  readonly reservedPorts: readonly number[];
}

/** Who holds a port: an allocation's port label, or the client's reserved_ports. */
export type PortHolder = { readonly kind: 'alloc'; readonly allocId: string; readonly allocName: string; readonly label: string } | { readonly kind: 'reserved' };

/** A port the registration cannot have (HTTP 409): the label and port asked for, and who has it. */
export class PortConflictError extends DroverError {
  constructor(
    message: string,
    readonly label: string,
    readonly port: number,
    readonly holder?: PortHolder,
  ) {
    super(ErrorCode.conflict, message);
  }
}

/** Checks the range the way Nomad's agent does at start (command/agent/command.go). */
export function validatePortConfig(c: PortConfig): void {
  const bad = (field: string, message: string) => new ValidationError([{ field, message }]);
  for (const [field, n] of [['client.min_dynamic_port', c.minDynamicPort], ['client.max_dynamic_port', c.maxDynamicPort]] as const) {
    if (!Number.isInteger(n) || n < 1 || n >= MAX_VALID_PORT) throw bad(field, `Invalid dynamic port range: ${field.slice(7)}=${n}`);
  }
  if (c.minDynamicPort > c.maxDynamicPort) {
    throw bad('client.min_dynamic_port', `Invalid dynamic port range: min_dynamic_port=${c.minDynamicPort} and max_dynamic_port=${c.maxDynamicPort}`);
  }
}

/** Whether an allocation still holds its ports (Nomad frees them once the alloc is terminal in either status). */
export function holdsPorts(a: AllocRecord): boolean {
  return a.network !== undefined && !a.terminal && a.desiredStatus === 'run';
}

/** Every host port of an allocated network: the group's and the task-level ones. */
export function hostPortsOf(n: AllocatedNetwork): AllocatedPort[] {
  return [...n.ports, ...Object.values(n.taskPorts ?? {}).flat()];
}

/**
 * The ports in use on this node and the choices made so far in one plan.
 * `assign` records what it hands out, so the placements of one registration
 * never collide with each other.
 */
/** Whether the group or one of its tasks has a network block (else it gets no ports and needs no index). */
export function asksForNetwork(group: TaskGroup): boolean {
  return group.networks.length > 0 || group.tasks.some((t) => t.networks.length > 0);
}

export class PortIndex {
  private readonly used = new Map<number, PortHolder>();

  constructor(
    private readonly config: PortConfig,
    private readonly hostIp: string,
    private readonly random: () => number,
    live: readonly AllocRecord[],
  ) {
    for (const p of config.reservedPorts) this.used.set(p, { kind: 'reserved' });
    for (const a of live) if (holdsPorts(a)) this.hold(a.id, a.name, a.network as AllocatedNetwork);
  }

  /** Who holds `port`, if anyone. */
  holder(port: number): PortHolder | undefined {
    return this.used.get(port);
  }

  /**
   * The network of a new allocation of `group` (undefined when neither the
   * group nor its tasks ask for one), with its ports now held by `allocId`.
   * Throws PortConflictError (and holds nothing) when a port cannot be had.
   */
  assign(group: TaskGroup, allocId: string, allocName: string): AllocatedNetwork | undefined {
    if (!asksForNetwork(group)) return undefined;
    const spec = group.networks[0];
    const tasks = group.tasks.filter((t) => t.networks.length > 0);
    const offered: number[] = [];
    const where = `task group "${group.name}"`;
    const ports = spec ? this.offer(spec, offered, where) : [];
    const taskPorts: Record<string, AllocatedPort[]> = {};
    for (const t of tasks) taskPorts[t.name] = this.offer(t.networks[0] as NetworkSpec, offered, `task "${t.name}"`);
    const network: AllocatedNetwork = {
      mode: spec?.mode ?? 'host',
      hostIp: this.hostIp,
      ports,
      ...(tasks.length > 0 ? { taskPorts } : {}),
    };
    this.hold(allocId, allocName, network);
    return network;
  }

  /** Marks the ports used; a port already used (shared through ignore_collision) keeps its first holder. */
  private hold(allocId: string, allocName: string, n: AllocatedNetwork): void {
    const mark = (port: number, label: string) => {
      if (!this.used.has(port)) this.used.set(port, { kind: 'alloc', allocId, allocName, label });
    };
    for (const p of n.ports) mark(p.value, p.label);
    for (const [task, ports] of Object.entries(n.taskPorts ?? {})) for (const p of ports) mark(p.value, `${task}.${p.label}`);
  }

  /** Nomad's AssignPorts for one network block: its static ports first, then its dynamic ones. */
  private offer(spec: NetworkSpec, offered: number[], where: string): AllocatedPort[] {
    const out: AllocatedPort[] = [];
    for (const p of spec.reservedPorts) {
      this.checkHostNetwork(p, where);
      if (p.value < 0 || p.value >= MAX_VALID_PORT) {
        throw new PortConflictError(`${where}: invalid port ${p.value} (out of range) for port "${p.label}"`, p.label, p.value);
      }
      const holder = this.used.get(p.value);
      // ignore_collision (host mode): the port may be shared; Nomad skips the check for it.
      if (!p.ignoreCollision && (holder || offered.includes(p.value))) {
        throw new PortConflictError(`${where}: reserved port collision ${p.label}=${p.value}: ${describeHolder(p.value, holder)}`, p.label, p.value, holder);
      }
      offered.push(p.value);
      out.push(this.mapping(p, p.value));
    }
    for (const p of spec.dynamicPorts) {
      this.checkHostNetwork(p, where);
      const value = this.pickDynamic(offered);
      if (value === undefined) {
        const { minDynamicPort: min, maxDynamicPort: max } = this.config;
        throw new PortConflictError(
          `${where}: dynamic port selection failed for port "${p.label}": every port of the dynamic range ${min}-${max} is held by an allocation or reserved`,
          p.label,
          0,
        );
      }
      offered.push(value);
      out.push(this.mapping(p, value));
    }
    return out;
  }

  private mapping(p: PortSpec, value: number): AllocatedPort {
    // to = -1 is Nomad's "same as the host port"; no `to` also means the host port (model/network.ts).
    return { label: p.label, value, to: p.to > 0 ? p.to : value, hostIp: this.hostIp };
  }

  private checkHostNetwork(p: PortSpec, where: string): void {
    if (p.hostNetwork !== '' && p.hostNetwork !== 'default') {
      throw new PortConflictError(`${where}: no addresses available for ${p.hostNetwork} network (port "${p.label}"; this client has no host_network blocks)`, p.label, p.value);
    }
  }

  /**
   * Nomad's two-step choice: a few random probes of [min, max) (its
   * getDynamicPortsStochastic), then a random pick among every free port
   * of [min, max] (getDynamicPortsPrecise) so a nearly full range still
   * finds its last ports.
   */
  private pickDynamic(offered: readonly number[]): number | undefined {
    const { minDynamicPort: min, maxDynamicPort: max } = this.config;
    const free = (p: number): boolean => !this.used.has(p) && !offered.includes(p);
    for (let i = 0; i < MAX_RANDOM_ATTEMPTS; i++) {
      const p = max > min ? min + Math.floor(this.random() * (max - min)) : min;
      if (free(p)) return p;
    }
    const available: number[] = [];
    for (let p = min; p <= max; p++) if (free(p)) available.push(p);
    if (available.length === 0) return undefined;
    return available[Math.min(available.length - 1, Math.floor(this.random() * available.length))];
  }
}

function describeHolder(port: number, holder: PortHolder | undefined): string {
  if (!holder) return `port ${port} is asked for twice by this allocation`;
  if (holder.kind === 'reserved') return `port ${port} is reserved by the client (client.reserved.reserved_ports)`;
  return `port ${port} is held by allocation ${holder.allocId.slice(0, 8)} (${holder.allocName}, port "${holder.label}")`;
}
