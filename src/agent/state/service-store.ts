/**
 * Rows of the service_registrations and check_results tables (migration 2).
 * Plain reads and writes: the caller (core/service-registry.ts,
 * core/check-store.ts) owns transactions, indexes and events.
 */
import type Database from 'better-sqlite3';
import type { CheckResult, ServiceRegistration } from '../../taskrunner/services/types.js';

/** A stored registration: Nomad's ServiceRegistration plus the workload that registered it. */
export interface ServiceRecord extends ServiceRegistration {
  /** "group-<group>" or the task's name (see ServiceRegistrationHandler). */
  readonly workload: string;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

interface ServiceRow {
  namespace: string;
  id: string;
  service_name: string;
  node_id: string;
  datacenter: string;
  job_id: string;
  alloc_id: string;
  workload: string;
  tags: string;
  address: string;
  port: number;
  create_index: number;
  modify_index: number;
}

export class ServiceStore {
  private readonly q;

  constructor(db: Database.Database) {
    const prep = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.q = {
      all: prep<ServiceRow>('SELECT * FROM service_registrations ORDER BY namespace, service_name, id'),
      byNamespace: prep<ServiceRow>('SELECT * FROM service_registrations WHERE namespace = ? ORDER BY service_name, id'),
      byName: prep<ServiceRow>('SELECT * FROM service_registrations WHERE namespace = ? AND service_name = ? ORDER BY id'),
      byNameAnyNamespace: prep<ServiceRow>('SELECT * FROM service_registrations WHERE service_name = ? ORDER BY namespace, id'),
      get: prep<ServiceRow>('SELECT * FROM service_registrations WHERE namespace = ? AND id = ?'),
      byAlloc: prep<ServiceRow>('SELECT * FROM service_registrations WHERE alloc_id = ? ORDER BY namespace, id'),
      byWorkload: prep<ServiceRow>('SELECT * FROM service_registrations WHERE alloc_id = ? AND workload = ? ORDER BY namespace, id'),
      put: prep(
        `INSERT OR REPLACE INTO service_registrations (namespace, id, service_name, node_id, datacenter, job_id, alloc_id, workload,
           tags, address, port, create_index, modify_index)
         VALUES (@namespace, @id, @serviceName, @nodeId, @datacenter, @jobId, @allocId, @workload, @tags, @address, @port, @createIndex, @modifyIndex)`,
      ),
      delete: prep('DELETE FROM service_registrations WHERE namespace = ? AND id = ?'),
      allocIds: prep<{ alloc_id: string }>('SELECT DISTINCT alloc_id FROM service_registrations'),
      checks: prep<{ alloc_id: string; result: string }>('SELECT alloc_id, result FROM check_results'),
      putCheck: prep('INSERT OR REPLACE INTO check_results (alloc_id, check_id, result) VALUES (?, ?, ?)'),
      deleteChecks: prep('DELETE FROM check_results WHERE alloc_id = ?'),
    };
  }

  // ---- registrations -----------------------------------------------------

  /** Every registration, by namespace, service name and id. */
  all(): ServiceRecord[] {
    return this.q.all.all().map(fromRow);
  }

  byNamespace(namespace: string): ServiceRecord[] {
    return this.q.byNamespace.all(namespace).map(fromRow);
  }

  /** Registrations of one service name; namespace "*" means every namespace. */
  byName(namespace: string, name: string): ServiceRecord[] {
    return (namespace === '*' ? this.q.byNameAnyNamespace.all(name) : this.q.byName.all(namespace, name)).map(fromRow);
  }

  get(namespace: string, id: string): ServiceRecord | undefined {
    const row = this.q.get.get(namespace, id);
    return row && fromRow(row);
  }

  byAlloc(allocId: string): ServiceRecord[] {
    return this.q.byAlloc.all(allocId).map(fromRow);
  }

  byWorkload(allocId: string, workload: string): ServiceRecord[] {
    return this.q.byWorkload.all(allocId, workload).map(fromRow);
  }

  /** The allocs that hold at least one registration. */
  allocIds(): string[] {
    return this.q.allocIds.all().map((r) => r.alloc_id);
  }

  put(r: ServiceRecord): void {
    this.q.put.run({
      namespace: r.namespace,
      id: r.id,
      serviceName: r.serviceName,
      nodeId: r.nodeId,
      datacenter: r.datacenter,
      jobId: r.jobId,
      allocId: r.allocId,
      workload: r.workload,
      tags: JSON.stringify(r.tags),
      address: r.address,
      port: r.port,
      createIndex: r.createIndex,
      modifyIndex: r.modifyIndex,
    });
  }

  delete(namespace: string, id: string): boolean {
    return this.q.delete.run(namespace, id).changes > 0;
  }

  // ---- check results -----------------------------------------------------

  /** Every stored check result. */
  checkResults(): CheckResult[] {
    return this.q.checks.all().map((r) => JSON.parse(r.result) as CheckResult);
  }

  putCheckResult(r: CheckResult): void {
    this.q.putCheck.run(r.allocId, r.id, JSON.stringify(r));
  }

  deleteCheckResults(allocId: string): void {
    this.q.deleteChecks.run(allocId);
  }
}

function fromRow(r: ServiceRow): ServiceRecord {
  return {
    id: r.id,
    serviceName: r.service_name,
    namespace: r.namespace,
    nodeId: r.node_id,
    datacenter: r.datacenter,
    jobId: r.job_id,
    allocId: r.alloc_id,
    workload: r.workload,
    tags: JSON.parse(r.tags) as string[],
    address: r.address,
    port: r.port,
    createIndex: r.create_index,
    modifyIndex: r.modify_index,
  };
}
