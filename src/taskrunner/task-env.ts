/**
 * The task's environment (Nomad's taskenv.Builder): NOMAD_* variables, task
 * meta, the task's env {} block, hook-provided env, and runtime interpolation
 * of `${...}` in env values and driver config.
 */
import type { Job, Task, TaskGroup } from '../model/job.js';
import type { AllocatedNetwork, AllocatedPort } from '../model/network.js';

/** Node facts available to `${attr.*}`, `${node.*}` and `${meta.*}`. */
export interface NodeFacts {
  /** e.g. { "attr.kernel.name": "linux", "node.unique.name": "host", "meta.rack": "r1" } */
  readonly attributes: Readonly<Record<string, string>>;
  readonly datacenter: string;
}

export interface TaskEnvInput {
  readonly job: Job;
  readonly group: TaskGroup;
  readonly task: Task;
  readonly allocId: string;
  readonly allocIndex: number;
  /** Directories as the task sees them (host paths, or /alloc /local /secrets inside a chroot). */
  readonly dirs: { readonly alloc: string; readonly local: string; readonly secrets: string };
  readonly node: NodeFacts;
  /** Env set by prestart hooks, merged in hook order. */
  readonly hookEnv?: Readonly<Record<string, string>>;
  /** The agent's own environment, already filtered (see filterHostEnv); below everything else. */
  readonly hostEnv?: Readonly<Record<string, string>>;
  /** The allocation's ports and network, when it has any. */
  readonly network?: AllocatedNetwork;
}

/** Nomad's default client env.denylist: credentials tasks must not inherit from the agent. */
export const DEFAULT_ENV_DENYLIST: readonly string[] = [
  'CONSUL_TOKEN', 'CONSUL_HTTP_TOKEN', 'CONSUL_HTTP_TOKEN_FILE', 'NOMAD_TOKEN', 'VAULT_TOKEN',
  'CONSUL_LICENSE', 'NOMAD_LICENSE', 'VAULT_LICENSE',
  'CONSUL_LICENSE_PATH', 'NOMAD_LICENSE_PATH', 'VAULT_LICENSE_PATH',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_METADATA_URL',
  'GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_OAUTH_ACCESS_TOKEN',
];

/**
 * The host environment a task inherits (Nomad's SetHostEnvvars): everything
 * but the deny list. Nomad gives it to tasks of every driver without image
 * isolation, which is how raw_exec and exec tasks get PATH.
 */
export function filterHostEnv(env: Readonly<Record<string, string | undefined>>, denylist: readonly string[] = DEFAULT_ENV_DENYLIST): Record<string, string> {
  const deny = new Set(denylist);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !deny.has(k)) out[k] = v;
  return out;
}

/** Builds the env map a task starts with. */
export function buildTaskEnv(input: TaskEnvInput): Record<string, string> {
  const { job, group, task, allocId } = input;
  const env: Record<string, string> = {
    NOMAD_ALLOC_DIR: input.dirs.alloc,
    NOMAD_TASK_DIR: input.dirs.local,
    NOMAD_SECRETS_DIR: input.dirs.secrets,
    NOMAD_MEMORY_LIMIT: String(task.resources.memoryMb),
    NOMAD_CPU_LIMIT: String(task.resources.cpu),
    NOMAD_ALLOC_ID: allocId,
    NOMAD_SHORT_ALLOC_ID: allocId.slice(0, 8),
    NOMAD_ALLOC_NAME: `${job.id}.${group.name}[${input.allocIndex}]`,
    NOMAD_ALLOC_INDEX: String(input.allocIndex),
    NOMAD_GROUP_NAME: group.name,
    NOMAD_TASK_NAME: task.name,
    NOMAD_JOB_ID: job.id,
    NOMAD_JOB_NAME: job.name,
    NOMAD_DC: input.node.datacenter,
    NOMAD_NAMESPACE: job.namespace,
    NOMAD_REGION: job.region,
  };
  // A periodic or dispatched child's parent (Nomad sets it only when there is one).
  if (job.parentId) env.NOMAD_JOB_PARENT_ID = job.parentId;
  if (task.resources.memoryMaxMb > 0) env.NOMAD_MEMORY_MAX_LIMIT = String(task.resources.memoryMaxMb);
  if (input.network) Object.assign(env, networkEnv(input.network, task.name));
  // Meta: job < group < task, exposed both as written and upper-cased (as Nomad).
  for (const [k, v] of Object.entries({ ...job.meta, ...group.meta, ...task.meta })) {
    env[`NOMAD_META_${k.toUpperCase()}`] = v;
    env[`NOMAD_META_${k}`] = v;
  }
  Object.assign(env, input.hookEnv);
  // Host variables fill in only what Nomad's own variables and hooks did not set.
  for (const [k, v] of Object.entries(input.hostEnv ?? {})) if (!(k in env)) env[k] = v;
  // The task's own env {} may refer to everything above, and overrides it.
  const lookup = envLookup(env, input.node);
  for (const [k, v] of Object.entries(task.env)) env[k] = interpolate(v, lookup);
  return env;
}

/**
 * Nomad's port variables (client/taskenv/env.go), in Nomad's order so the
 * same name resolves the same way: the task's own task-level ports
 * (buildNetworkEnv), other tasks' task-level ports as
 * NOMAD_{ADDR,IP,PORT}_<task>_<label>, then the group's ports (addPorts),
 * which win, then in bridge mode the allocation's own address
 * (addNomadAllocNetwork). For a group port `label`:
 *
 *   NOMAD_HOST_PORT / NOMAD_IP / NOMAD_HOST_IP / NOMAD_ADDR / NOMAD_HOST_ADDR:
 *     the host side (the node's address and the host port);
 *   NOMAD_PORT / NOMAD_ALLOC_PORT: the port to listen on, `to` when the job set
 *     one (a bridge-mode task listens there), else the host port;
 *   NOMAD_ALLOC_IP / NOMAD_ALLOC_ADDR / NOMAD_ALLOC_INTERFACE: bridge mode only,
 *     the allocation's address in its namespace and `to` (or the host port).
 */
export function networkEnv(n: AllocatedNetwork, taskName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [task, ports] of Object.entries(n.taskPorts ?? {})) {
    for (const p of ports) {
      const ip = p.hostIp || n.hostIp;
      const value = String(p.value);
      if (task === taskName) {
        env[`NOMAD_IP_${p.label}`] = ip;
        env[`${ip.includes(':') ? 'NOMAD_IPv6_' : 'NOMAD_IPv4_'}${p.label}`] = ip;
        env[`NOMAD_HOST_PORT_${p.label}`] = value;
        env[`NOMAD_ADDR_${p.label}`] = joinHostPort(ip, value);
        env[`NOMAD_PORT_${p.label}`] = value;
      } else {
        env[`NOMAD_ADDR_${task}_${p.label}`] = joinHostPort(ip, value);
        env[`NOMAD_IP_${task}_${p.label}`] = ip;
        env[`NOMAD_PORT_${task}_${p.label}`] = value;
      }
    }
  }
  for (const p of n.ports) {
    const ip = p.hostIp || n.hostIp;
    const host = String(p.value);
    const inside = String(listenPort(p));
    env[`NOMAD_ADDR_${p.label}`] = joinHostPort(ip, host);
    env[`NOMAD_HOST_ADDR_${p.label}`] = joinHostPort(ip, host);
    env[`NOMAD_IP_${p.label}`] = ip;
    env[`NOMAD_HOST_IP_${p.label}`] = ip;
    env[`NOMAD_PORT_${p.label}`] = inside;
    env[`NOMAD_ALLOC_PORT_${p.label}`] = inside;
    env[`NOMAD_HOST_PORT_${p.label}`] = host;
    if (n.allocIp) {
      env[`NOMAD_ALLOC_INTERFACE_${p.label}`] = ALLOC_INTERFACE;
      env[`NOMAD_ALLOC_IP_${p.label}`] = n.allocIp;
      env[`NOMAD_ALLOC_ADDR_${p.label}`] = joinHostPort(n.allocIp, inside);
    }
  }
  return env;
}

/** The interface Nomad's bridge networking gives an allocation (its CNI ifName). */
const ALLOC_INTERFACE = 'eth0';

/** The port a task listens on for `p`: `to` when set, else the host port. */
function listenPort(p: AllocatedPort): number {
  return p.to > 0 ? p.to : p.value;
}

/** Go's net.JoinHostPort: "ip:port", IPv6 in brackets. */
export function joinHostPort(ip: string, port: string | number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** A resolver for `${name}`: env first, then node attributes; undefined leaves the text untouched. */
export type Lookup = (name: string) => string | undefined;

/** The lookup Nomad's ReplaceEnv uses: task env, then `attr.*`, `node.*`, `meta.*`, and `env["X"]`. */
export function envLookup(env: Readonly<Record<string, string>>, node: NodeFacts): Lookup {
  return (name) => {
    const envRef = /^env\[["']?([^"'\]]+)["']?\]$/.exec(name) ?? /^env\.(.+)$/.exec(name);
    if (envRef) return env[envRef[1] as string];
    return env[name] ?? node.attributes[name];
  };
}

const REF = /\$\{([A-Za-z0-9_.\-[\]"']+)\}/g;

/** Replaces every resolvable `${name}` in `text`; unknown names stay as written, as Nomad does. */
export function interpolate(text: string, lookup: Lookup): string {
  if (!text.includes('${')) return text;
  return text.replace(REF, (whole, name: string) => lookup(name) ?? whole);
}

/** Interpolates every string inside a decoded-HCL value (driver config). */
export function interpolateDeep(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') return interpolate(value, lookup);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, lookup));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = interpolateDeep(v, lookup);
    return out;
  }
  return value;
}
