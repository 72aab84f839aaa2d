/**
 * network { } → NetworkSpec (group level, and the deprecated task-level
 * resources { network { } }), with Nomad's port rules (validateNetworks).
 */
import {
  canonicalNetwork,
  hostnameProblem,
  networkCountProblem,
  networkModeProblem,
  portProblems,
  type NetworkSpec,
  type PortInput,
} from '../model/index.js';
import { BodyReader, type Report } from '../hcl/index.js';
import { DNS_NAMES, NETWORK_NAMES, PORT_NAMES } from './names.js';

/** Port labels and static ports a group has handed out so far, and to whom (Nomad's "taskgroup network", "<task>:<label>"). */
export interface PortLedger {
  readonly labels: Map<string, string>;
  readonly statics: Map<string, string>;
}

export function newPortLedger(): PortLedger {
  return { labels: new Map(), statics: new Map() };
}

/** Decodes the network blocks under `r` (a group, or a task's resources); `owner` names them in collision messages. */
export function decodeNetworks(r: BodyReader, ledger: PortLedger, owner: string): NetworkSpec[] {
  const blocks = r.blocks('network');
  const countProblem = networkCountProblem(blocks.length);
  if (countProblem) r.report.error(r.field('network'), countProblem, `${r.field('network')}[1]`);
  return blocks.map((b) => decodeNetwork(r.report, b.path, b.body, ledger, owner));
}

function decodeNetwork(report: Report, path: string, raw: Record<string, unknown>, ledger: PortLedger, owner: string): NetworkSpec {
  const r = new BodyReader(report, path, raw, NETWORK_NAMES, 'network');
  const mode = r.string('mode') ?? 'host';
  const modeProblem = networkModeProblem(mode);
  if (modeProblem) report.error(r.field('mode'), modeProblem);
  const hostname = r.string('hostname') ?? '';
  const hostProblem = hostnameProblem(hostname);
  if (hostProblem) report.error(r.field('hostname'), hostProblem);

  // `reserved_ports "x" { }` is the pre-0.12 spelling of a port with `static`.
  const labeled = [...r.labeled('port', 'port'), ...r.labeled('reserved_ports', 'port')];
  const ports: PortInput[] = labeled.map((l) => {
    const p = new BodyReader(report, l.path, l.body, PORT_NAMES, 'port');
    return {
      label: l.label,
      static: p.int('static'),
      to: p.int('to'),
      hostNetwork: p.string('host_network'),
      ignoreCollision: p.bool('ignore_collision'),
    };
  });
  for (const p of portProblems(ports, owner, ledger)) {
    const l = labeled[p.port];
    if (!l) continue;
    const field = p.field === 'static' || p.field === 'to' ? `${l.path}.${p.field}` : l.path;
    report.error(field, p.message, p.field === 'static' || p.field === 'to' ? `${l.linePath}.${p.field}` : l.linePath);
  }
  if (ports.some((p) => p.ignoreCollision) && mode !== 'host') {
    const l = labeled[ports.findIndex((p) => p.ignoreCollision)];
    if (l) report.error(`${l.path}.ignore_collision`, `Port "${l.label}" collision may not be ignored on non-host network mode "${mode}"`);
  }

  const dnsRaw = r.block('dns');
  const dns = dnsRaw && new BodyReader(report, r.field('dns'), dnsRaw, DNS_NAMES, 'dns');
  const cniRaw = r.block('cni');
  const cniArgs = cniRaw ? new BodyReader(report, r.field('cni'), cniRaw, { decoded: ['args'], ignored: [] }, 'cni').stringMap('args') : undefined;
  return canonicalNetwork({
    mode,
    hostname,
    ports,
    ...(dns ? { dns: { servers: dns.stringList('servers') ?? [], searches: dns.stringList('searches') ?? [], options: dns.stringList('options') ?? [] } } : {}),
    ...(cniArgs ? { cniArgs } : {}),
    mbits: r.int('mbits'),
  });
}
