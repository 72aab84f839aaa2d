/**
 * Runtime interpolation of service and check blocks (Nomad's
 * taskenv.InterpolateService): the same fields Nomad replaces, against the
 * task's environment (task services) or the allocation's (group services).
 */
import type { CheckSpec, ServiceSpec } from '../../model/service.js';
import { interpolate, type Lookup } from '../task-env.js';

export function interpolateService(s: ServiceSpec, lookup: Lookup): ServiceSpec {
  const str = (v: string): string => interpolate(v, lookup);
  return {
    ...s,
    name: str(s.name),
    portLabel: str(s.portLabel),
    address: str(s.address),
    tags: s.tags.map(str),
    canaryTags: s.canaryTags.map(str),
    meta: mapEntries(s.meta, str),
    canaryMeta: mapEntries(s.canaryMeta, str),
    checks: s.checks.map((c) => interpolateCheck(c, lookup)),
  };
}

function interpolateCheck(c: CheckSpec, lookup: Lookup): CheckSpec {
  const str = (v: string): string => interpolate(v, lookup);
  const headers: Record<string, readonly string[]> = {};
  for (const [k, vs] of Object.entries(c.headers)) headers[str(k)] = vs.map(str);
  return {
    ...c,
    name: str(c.name),
    command: str(c.command),
    args: c.args.map(str),
    path: str(c.path),
    protocol: str(c.protocol),
    portLabel: str(c.portLabel),
    initialStatus: str(c.initialStatus),
    notes: str(c.notes),
    method: str(c.method),
    grpcService: str(c.grpcService),
    headers,
  };
}

function mapEntries(m: Readonly<Record<string, string>>, f: (v: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[f(k)] = f(v);
  return out;
}
