/**
 * Nomad's rules for network { } blocks (TaskGroup.validateNetworks and the
 * jobspec's port normalisation), over model values, so the HCL jobspec and
 * the JSON decoder apply the same ones. Problems name the model field.
 */
import type { RuleProblem } from './job-rules.js';
import type { DnsConfig, NetworkMode, NetworkSpec, PortSpec } from './network.js';

const MAX_PORT = 65_535;

/** One port as written: static 0 or unset means dynamic. */
export interface PortInput {
  readonly label: string;
  readonly static?: number;
  readonly to?: number;
  readonly hostNetwork?: string;
  readonly ignoreCollision?: boolean;
}

export interface NetworkInput {
  readonly mode?: string;
  readonly hostname?: string;
  readonly ports: readonly PortInput[];
  readonly dns?: DnsConfig;
  readonly cniArgs?: Readonly<Record<string, string>>;
  readonly mbits?: number;
}

/** "host", "bridge", "none" or "cni/<name>", lower-case (the form the client acts on). */
export function isNetworkMode(mode: string): mode is NetworkMode {
  return mode === 'host' || mode === 'bridge' || mode === 'none' || (mode.startsWith('cni/') && mode.length > 4);
}

/** A mode as written, in the form the client acts on: Nomad's client lower-cases it, CNI network name included. */
export function normalNetworkMode(mode: string | undefined): string {
  return mode === undefined || mode === '' ? 'host' : mode.toLowerCase();
}

/** The problem with a mode, or undefined. */
export function networkModeProblem(mode: string): string | undefined {
  if (isNetworkMode(normalNetworkMode(mode))) return undefined;
  return `invalid network mode ${JSON.stringify(mode)}: must be "host", "bridge", "none" or "cni/<network name>"`;
}

/** Defaults and Nomad's split of ports into reserved (static) and dynamic. */
export function canonicalNetwork(n: NetworkInput): NetworkSpec {
  const mode = normalNetworkMode(n.mode);
  const reservedPorts: PortSpec[] = [];
  const dynamicPorts: PortSpec[] = [];
  for (const p of n.ports) {
    const port: PortSpec = {
      label: p.label,
      value: p.static ?? 0,
      to: p.to ?? 0,
      hostNetwork: p.hostNetwork || 'default',
      ...(p.ignoreCollision ? { ignoreCollision: true } : {}),
    };
    (port.value > 0 ? reservedPorts : dynamicPorts).push(port);
  }
  return {
    mode: isNetworkMode(mode) ? mode : 'host',
    hostname: n.hostname ?? '',
    reservedPorts,
    dynamicPorts,
    ...(n.dns ? { dns: n.dns } : {}),
    ...(n.cniArgs && Object.keys(n.cniArgs).length > 0 ? { cniArgs: n.cniArgs } : {}),
    mbits: n.mbits ?? 0,
  };
}

/** A problem of one port, by its index in the written order. */
export interface PortProblem extends RuleProblem<'static' | 'to' | 'label' | ''> {
  readonly port: number;
}

/**
 * Nomad's validateNetworks for one network's written ports, given the labels
 * and static ports already taken (by other networks of the group, then tasks).
 */
export function portProblems(
  ports: readonly PortInput[],
  owner: string,
  taken: { labels: Map<string, string>; statics: Map<string, string> },
): PortProblem[] {
  const out: PortProblem[] = [];
  ports.forEach((p, i) => {
    const other = taken.labels.get(p.label);
    if (other !== undefined) out.push({ port: i, field: 'label', message: `Port label ${p.label} already in use by ${other}` });
    else taken.labels.set(p.label, owner);
    const value = p.static ?? 0;
    if (value < 0) out.push({ port: i, field: 'static', message: `Port ${p.label} (${value}) cannot be negative` });
    else if (value > MAX_PORT) out.push({ port: i, field: 'static', message: `Port ${p.label} (${value}) cannot be greater than ${MAX_PORT}` });
    else if (value > 0) {
      const key = `${p.hostNetwork || 'default'}:${value}`;
      const holder = taken.statics.get(key);
      if (holder !== undefined && !p.ignoreCollision) out.push({ port: i, field: 'static', message: `Static port ${value} already reserved by ${holder}` });
      else taken.statics.set(key, `${owner}:${p.label}`);
    }
    const to = p.to ?? 0;
    if (to < -1) out.push({ port: i, field: 'to', message: `Port "${p.label}" cannot be mapped to negative value ${to}` });
    else if (to > MAX_PORT) out.push({ port: i, field: 'to', message: `Port "${p.label}" cannot be mapped to a port (${to}) greater than ${MAX_PORT}` });
  });
  return out;
}

/** Nomad allows one network per group; more is its "Only one network resource is allowed" error. */
export function networkCountProblem(count: number): string | undefined {
  return count > 1 ? 'Only one network resource is allowed in a group' : undefined;
}

/** Checks a hostname as Nomad does (skipped when it interpolates). */
export function hostnameProblem(hostname: string): string | undefined {
  if (hostname === '' || hostname.includes('${')) return undefined;
  const ok = hostname.length <= 253 && hostname.split('.').every((l) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l));
  return ok ? undefined : 'Hostname is not a valid DNS name';
}

/** Every port label of a group's networks and its tasks' deprecated networks. */
export function portLabels(networks: readonly NetworkSpec[]): Set<string> {
  const out = new Set<string>();
  for (const n of networks) for (const p of [...n.reservedPorts, ...n.dynamicPorts]) out.add(p.label);
  return out;
}
