/**
 * Nomad's native service discovery JSON (api/services.go) and the client's
 * check results (api/tasks.go AllocCheckStatus, nomad/structs/checks.go).
 */

/** Nomad's api.ServiceRegistration: one registered instance of a service. */
export interface ApiServiceRegistration {
  ID: string;
  ServiceName: string;
  Namespace: string;
  NodeID: string;
  Datacenter: string;
  JobID: string;
  AllocID: string;
  Tags: string[];
  Address: string;
  Port: number;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Nomad's api.ServiceRegistrationStub: a service name and the union of its instances' tags. */
export interface ApiServiceRegistrationStub {
  ServiceName: string;
  Tags: string[];
}

/** Nomad's api.ServiceRegistrationListStub: the services of one namespace (GET /v1/services). */
export interface ApiServiceRegistrationListStub {
  Namespace: string;
  Services: ApiServiceRegistrationStub[];
}

/**
 * One check's latest result (GET /v1/client/allocation/:id/checks maps check
 * ID to these). As Nomad's structs.CheckQueryResult encodes it, StatusCode
 * and Task are left out when zero; Timestamp is Unix seconds.
 */
export interface ApiAllocCheckStatus {
  ID: string;
  Check: string;
  Group: string;
  /** "healthiness" or "readiness". */
  Mode: string;
  Output: string;
  Service: string;
  /** Absent for group-level services. */
  Task?: string;
  /** "success", "failure" or "pending". */
  Status: string;
  /** The HTTP status of an http check; absent otherwise. */
  StatusCode?: number;
  Timestamp: number;
}

/** Nomad's api.AllocCheckStatuses: check ID → its latest result. */
export type ApiAllocCheckStatuses = Record<string, ApiAllocCheckStatus>;
