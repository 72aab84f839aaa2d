/** Service registrations and check results as Nomad's API JSON (api/services.go, api/tasks.go). */
import type { ApiAllocCheckStatus, ApiServiceRegistration, ApiServiceRegistrationListStub } from '../../model/nomad-api/index.js';
import type { CheckResult } from '../../taskrunner/services/types.js';
import type { ServiceRecord } from '../state/service-store.js';

export function toApiServiceRegistration(r: ServiceRecord): ApiServiceRegistration {
  return {
    ID: r.id,
    ServiceName: r.serviceName,
    Namespace: r.namespace,
    NodeID: r.nodeId,
    Datacenter: r.datacenter,
    JobID: r.jobId,
    AllocID: r.allocId,
    Tags: [...r.tags],
    Address: r.address,
    Port: r.port,
    CreateIndex: r.createIndex,
    ModifyIndex: r.modifyIndex,
  };
}

/**
 * Nomad's ServiceRegistration.List reply: one stub per namespace, each
 * service once with the union of its instances' tags (de-duplicated, as
 * Nomad's tag set). Nomad builds these from maps, so its order is random;
 * here namespaces, names and tags come sorted.
 */
export function toApiServiceListStubs(records: readonly ServiceRecord[]): ApiServiceRegistrationListStub[] {
  const byNamespace = new Map<string, Map<string, Set<string>>>();
  for (const r of records) {
    let services = byNamespace.get(r.namespace);
    if (!services) byNamespace.set(r.namespace, (services = new Map<string, Set<string>>()));
    let tags = services.get(r.serviceName);
    if (!tags) services.set(r.serviceName, (tags = new Set<string>()));
    for (const t of r.tags) tags.add(t);
  }
  return [...byNamespace.keys()].sort().map((namespace) => {
    const services = byNamespace.get(namespace) as Map<string, Set<string>>;
    return {
      Namespace: namespace,
      Services: [...services.keys()].sort().map((name) => ({ ServiceName: name, Tags: [...(services.get(name) as Set<string>)].sort() })),
    };
  });
}

/** A check result as structs.CheckQueryResult encodes it: Task and StatusCode omitted when empty, Timestamp in Unix seconds. */
export function toApiCheckStatus(r: CheckResult): ApiAllocCheckStatus {
  return {
    ID: r.id,
    Check: r.check,
    Group: r.group,
    Mode: r.mode,
    Output: r.output,
    Service: r.service,
    ...(r.task !== '' ? { Task: r.task } : {}),
    Status: r.status,
    ...(r.statusCode !== 0 ? { StatusCode: r.statusCode } : {}),
    Timestamp: Math.floor(r.timestamp / 1000),
  };
}
