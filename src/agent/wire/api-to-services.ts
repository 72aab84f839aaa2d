/**
 * Nomad's api.NetworkResource and api.Service JSON → drover's NetworkSpec and
 * ServiceSpec, with the same shared rules the HCL jobspec applies
 * (model/network-rules.ts, model/service-rules.ts); problems name the JSON path.
 */
import {
  canonicalNetwork,
  canonicalService,
  groupServiceProblems,
  hostnameProblem,
  networkCountProblem,
  networkModeProblem,
  portProblems,
  taskServiceProblems,
  uniqueServiceProblem,
  type CheckInput,
  type CheckRestartInput,
  type NetworkSpec,
  type PortInput,
  type ServiceProblem,
  type ServiceScope,
  type ServiceSpec,
  type Task,
} from '../../model/index.js';
import type { JsonFields, JsonReader } from './json-reader.js';

const NETWORK: JsonFields = {
  decoded: ['Mode', 'Hostname', 'ReservedPorts', 'DynamicPorts', 'DNS', 'CNI', 'MBits'],
  // Scheduler-set on allocations; a job from `nomad job inspect` may carry them empty.
  server: ['Device', 'CIDR', 'IP'],
};
const PORT: JsonFields = { decoded: ['Label', 'Value', 'To', 'HostNetwork', 'IgnoreCollision'] };
const DNS: JsonFields = { decoded: ['Servers', 'Searches', 'Options'] };
const CNI: JsonFields = { decoded: ['Args'] };
const SERVICE: JsonFields = {
  decoded: [
    'Name', 'Tags', 'CanaryTags', 'EnableTagOverride', 'PortLabel', 'AddressMode', 'Address', 'Checks', 'CheckRestart', 'Connect',
    'Meta', 'CanaryMeta', 'TaskName', 'OnUpdate', 'Provider',
  ],
  ignored: ['TaggedAddresses', 'Identity', 'Weights', 'Cluster', 'Kind'],
  server: ['Namespace'],
};
const CHECK: JsonFields = {
  decoded: [
    'Name', 'Type', 'Command', 'Args', 'Path', 'Protocol', 'PortLabel', 'Expose', 'AddressMode', 'Interval', 'Timeout',
    'InitialStatus', 'Notes', 'TLSServerName', 'TLSSkipVerify', 'Header', 'Method', 'CheckRestart', 'GRPCService', 'GRPCUseTLS',
    'TaskName', 'SuccessBeforePassing', 'FailuresBeforeCritical', 'FailuresBeforeWarning', 'Body', 'OnUpdate',
  ],
  ignored: ['Advertise'],
  server: ['Id'],
};
const CHECK_RESTART: JsonFields = { decoded: ['Limit', 'Grace', 'IgnoreWarnings'] };

/** JSON names of the input fields problems name. */
const JSON_FIELDS: Readonly<Record<string, string>> = {
  name: 'Name', portLabel: 'PortLabel', tags: 'Tags', canaryTags: 'CanaryTags', meta: 'Meta', canaryMeta: 'CanaryMeta',
  addressMode: 'AddressMode', address: 'Address', provider: 'Provider', taskName: 'TaskName', enableTagOverride: 'EnableTagOverride',
  onUpdate: 'OnUpdate', connect: 'Connect', checkRestart: 'CheckRestart', type: 'Type', path: 'Path', method: 'Method',
  headers: 'Header', body: 'Body', protocol: 'Protocol', intervalMs: 'Interval', timeoutMs: 'Timeout', initialStatus: 'InitialStatus',
  successBeforePassing: 'SuccessBeforePassing', failuresBeforeCritical: 'FailuresBeforeCritical', failuresBeforeWarning: 'FailuresBeforeWarning',
  command: 'Command', args: 'Args', grpcService: 'GRPCService', grpcUseTls: 'GRPCUseTLS', tlsSkipVerify: 'TLSSkipVerify',
  tlsServerName: 'TLSServerName', expose: 'Expose', notes: 'Notes',
};

/** Static ports and labels handed out so far in a group (group network first, then tasks). */
export interface JsonPortLedger {
  readonly labels: Map<string, string>;
  readonly statics: Map<string, string>;
}

/** Networks under `r` (a group, or a task's Resources). */
export function decodeApiNetworks(r: JsonReader, ledger: JsonPortLedger, owner: string): NetworkSpec[] {
  const readers = r.list('Networks', NETWORK);
  const countProblem = networkCountProblem(readers.length);
  if (countProblem) r.problems.error(r.field('Networks'), countProblem);
  return readers.map((n) => decodeNetwork(n, ledger, owner));
}

function decodeNetwork(n: JsonReader, ledger: JsonPortLedger, owner: string): NetworkSpec {
  const mode = n.string('Mode') || 'host';
  const modeProblem = networkModeProblem(mode);
  if (modeProblem) n.problems.error(n.field('Mode'), modeProblem);
  const hostname = n.string('Hostname') ?? '';
  const hostProblem = hostnameProblem(hostname);
  if (hostProblem) n.problems.error(n.field('Hostname'), hostProblem);
  const readers = [...n.list('ReservedPorts', PORT), ...n.list('DynamicPorts', PORT)];
  const ports: PortInput[] = readers.map((p) => ({
    label: p.string('Label') ?? '',
    static: p.int('Value'),
    to: p.int('To'),
    hostNetwork: p.string('HostNetwork'),
    ignoreCollision: p.bool('IgnoreCollision'),
  }));
  readers.forEach((p, i) => {
    if (ports[i]?.label === '') p.problems.error(p.field('Label'), 'missing port label');
  });
  for (const p of portProblems(ports, owner, ledger)) {
    const reader = readers[p.port];
    if (!reader) continue;
    const key = p.field === 'static' ? 'Value' : p.field === 'to' ? 'To' : 'Label';
    n.problems.error(reader.field(key), p.message);
  }
  const dns = n.nested('DNS', DNS);
  const cni = n.nested('CNI', CNI);
  const cniArgs = cni?.stringMap('Args');
  return canonicalNetwork({
    mode,
    hostname,
    ports,
    ...(dns ? { dns: { servers: dns.stringList('Servers') ?? [], searches: dns.stringList('Searches') ?? [], options: dns.stringList('Options') ?? [] } } : {}),
    ...(cniArgs ? { cniArgs } : {}),
    mbits: n.int('MBits'),
  });
}

interface DecodedService {
  readonly service: ServiceSpec;
  readonly reader: JsonReader;
  readonly checks: readonly JsonReader[];
}

/** A task's Services, checked with Nomad's task rules against the ports it may name. */
export function decodeApiTaskServices(t: JsonReader, scope: ServiceScope & { task: string }, portLabels: ReadonlySet<string>): ServiceSpec[] {
  const decoded = t.list('Services', SERVICE).map((s) => decodeService(s, scope));
  for (const p of taskServiceProblems(decoded.map((d) => d.service), scope.task, portLabels)) {
    const d = decoded[p.service];
    if (d) reportProblems(d, [p]);
  }
  return decoded.map((d) => d.service);
}

/** A group's Services, checked with Nomad's group rules, uniqueness and a single provider. */
export function decodeApiGroupServices(g: JsonReader, scope: ServiceScope, tasks: readonly Task[], portLabels: ReadonlySet<string>): ServiceSpec[] {
  const decoded = g.list('Services', SERVICE).map((s) => decodeService(s, scope));
  const services = decoded.map((d) => d.service);
  for (const p of groupServiceProblems(services, { group: scope.group, taskNames: tasks.map((t) => t.name), portLabels })) {
    const d = decoded[p.service];
    if (d) reportProblems(d, [p]);
  }
  const all = [...services.map((service) => ({ service, task: 'group' })), ...tasks.flatMap((t) => t.services.map((service) => ({ service, task: t.name })))];
  const unique = uniqueServiceProblem(all);
  if (unique) g.problems.error(g.field('Services'), unique);
  return services;
}

function decodeService(s: JsonReader, scope: ServiceScope): DecodedService {
  const checks = s.list('Checks', CHECK);
  const { service, problems } = canonicalService(
    {
      name: s.string('Name'),
      portLabel: s.string('PortLabel'),
      tags: s.stringList('Tags'),
      canaryTags: s.stringList('CanaryTags'),
      meta: s.stringMap('Meta'),
      canaryMeta: s.stringMap('CanaryMeta'),
      addressMode: s.string('AddressMode'),
      address: s.string('Address'),
      provider: s.string('Provider'),
      taskName: s.string('TaskName'),
      enableTagOverride: s.bool('EnableTagOverride'),
      onUpdate: s.string('OnUpdate'),
      // drover's own JSON writes {} for "a connect block was written"; null or absent means none.
      connect: s.has('Connect'),
      checks: checks.map(decodeCheck),
      checkRestart: decodeCheckRestart(s),
    },
    scope,
  );
  const d = { service, reader: s, checks };
  reportProblems(d, problems);
  return d;
}

function reportProblems(d: DecodedService, problems: readonly ServiceProblem[]): void {
  for (const p of problems) {
    const reader = p.check === undefined ? d.reader : (d.checks[p.check] ?? d.reader);
    const at = p.field === '' ? reader.path : reader.field(JSON_FIELDS[p.field] ?? p.field);
    if (p.warning) reader.problems.warn(at, p.message);
    else reader.problems.error(at, p.message);
  }
}

function decodeCheck(c: JsonReader): CheckInput {
  return {
    name: c.string('Name'),
    type: c.string('Type'),
    path: c.string('Path'),
    method: c.string('Method'),
    headers: decodeHeader(c),
    body: c.string('Body'),
    protocol: c.string('Protocol'),
    portLabel: c.string('PortLabel'),
    addressMode: c.string('AddressMode'),
    intervalMs: c.durationNs('Interval'),
    timeoutMs: c.durationNs('Timeout'),
    initialStatus: c.string('InitialStatus'),
    successBeforePassing: c.int('SuccessBeforePassing'),
    failuresBeforeCritical: c.int('FailuresBeforeCritical'),
    failuresBeforeWarning: c.int('FailuresBeforeWarning'),
    command: c.string('Command'),
    args: c.stringList('Args'),
    taskName: c.string('TaskName'),
    grpcService: c.string('GRPCService'),
    grpcUseTls: c.bool('GRPCUseTLS'),
    tlsSkipVerify: c.bool('TLSSkipVerify'),
    tlsServerName: c.string('TLSServerName'),
    expose: c.bool('Expose'),
    notes: c.string('Notes'),
    onUpdate: c.string('OnUpdate'),
    checkRestart: decodeCheckRestart(c),
  };
}

function decodeCheckRestart(parent: JsonReader): CheckRestartInput | undefined {
  const r = parent.nested('CheckRestart', CHECK_RESTART);
  if (!r) return undefined;
  return { limit: r.int('Limit'), graceMs: r.durationNs('Grace'), ignoreWarnings: r.bool('IgnoreWarnings') };
}

function decodeHeader(c: JsonReader): Record<string, string[]> | undefined {
  const raw = c.object('Header');
  if (!raw) return undefined;
  const out: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[name] = v;
    else if (v === null) out[name] = [];
    else c.problems.error(`${c.field('Header')}.${name}`, 'expected a list of strings');
  }
  return out;
}

