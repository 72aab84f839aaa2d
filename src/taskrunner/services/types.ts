/**
 * What the task and alloc runners hand to the service provider, and what
 * checks report: Nomad's serviceregistration.Handler narrowed to its native
 * ("nomad") provider, and structs.CheckQueryResult. The agent implements the
 * handler over its state database; the runners only call it.
 */

/** One registered service instance (Nomad's structs.ServiceRegistration). */
export interface ServiceRegistration {
  /** Nomad's MakeAllocServiceID: "_nomad-task-<alloc>-<task or group-<group>>-<service>-<port label>". */
  readonly id: string;
  readonly serviceName: string;
  readonly namespace: string;
  readonly nodeId: string;
  readonly datacenter: string;
  readonly jobId: string;
  readonly allocId: string;
  readonly tags: readonly string[];
  readonly address: string;
  readonly port: number;
}

/**
 * Where registrations go. A workload is what registers together: an
 * allocation's group services ("group-<name>") or one task's services.
 */
export interface ServiceRegistrationHandler {
  /** Adds the workload's registrations, replacing any it had. */
  registerWorkload(allocId: string, workload: string, registrations: readonly ServiceRegistration[]): void;
  /** Removes the workload's registrations (nothing when it has none). */
  removeWorkload(allocId: string, workload: string): void;
}

/** A check's latest outcome as Nomad's native checks report it. */
export type CheckStatus = 'success' | 'failure' | 'pending';

/** healthiness checks gate health and check_restart; readiness ones (on_update = "ignore") only report. */
export type CheckMode = 'healthiness' | 'readiness';

/** One check's latest result (Nomad's structs.CheckQueryResult). */
export interface CheckResult {
  /** Stable per alloc, check and service (Nomad's structs.NomadCheckID). */
  readonly id: string;
  readonly mode: CheckMode;
  readonly status: CheckStatus;
  /** http: the response status; 0 otherwise. */
  readonly statusCode: number;
  readonly output: string;
  /** Unix ms. */
  readonly timestamp: number;
  readonly allocId: string;
  readonly group: string;
  /** The task of a task-level service; "" for group services. */
  readonly task: string;
  readonly service: string;
  readonly check: string;
}

/** Where check results go (the agent keeps the latest per check for the API). */
export interface CheckResultSink {
  put(result: CheckResult): void;
  /** Forgets every result of an allocation. */
  purge(allocId: string): void;
}
