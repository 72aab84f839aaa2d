/** Builds the event-stream events the agent publishes (payloads stay lazy until a subscriber reads them). */
import type { AllocRecord } from '../state/state-db.js';
import type { ServiceRecord } from '../state/service-store.js';
import { toApiAllocStub } from '../wire/alloc-to-api.js';
import { toApiServiceRegistration } from '../wire/service-to-api.js';
import { toApiJobWithStatus } from '../wire/job-status.js';
import type { Agent } from './agent.js';
import type { PendingEvent } from './event-broker.js';
import type { VariableMetaView } from './variables.js';
import { toApiVariableMetadata } from '../wire/variable-to-api.js';
import { MAX_RUN_DURATION_REASON } from '../../model/group-limits.js';
import { toApiEvaluation } from '../wire/eval-to-api.js';
import type { Evaluation } from '../../model/evaluation.js';

/** Nomad's Evaluation-topic event for each evaluation written, filterable by job (and deployment) id. */
export function evalEvent(e: Evaluation): PendingEvent {
  return {
    topic: 'Evaluation',
    type: 'EvaluationUpdated',
    key: e.id,
    namespace: e.namespace,
    filterKeys: [e.jobId, ...(e.deploymentId ? [e.deploymentId] : [])],
    payload: () => ({ Evaluation: toApiEvaluation(e) }),
  };
}

/** An Allocation-topic event keyed by alloc id, filterable by job id (as Nomad). */
export function allocEvent(agent: Agent, record: AllocRecord, type: string, _task?: string): PendingEvent {
  return {
    topic: 'Allocation',
    type,
    key: record.id,
    namespace: 'default',
    filterKeys: [record.jobId],
    payload: () => {
      const view = agent.alloc(record.id);
      const current = view?.record ?? record;
      // Nomad's AllocationEvent marks a max_run_duration stop.
      const timeout = current.clientStatus === 'complete' && current.clientDescription === MAX_RUN_DURATION_REASON ? { Timeout: true, TimeoutReason: MAX_RUN_DURATION_REASON } : {};
      return { Allocation: view ? toApiAllocStub(view, agent.node) : { ID: record.id, JobID: record.jobId }, ...timeout };
    },
  };
}

/** A Job-topic event; the payload is taken now because a purge may delete the job before anyone reads it. */
export function jobEvent(agent: Agent, jobId: string, type: 'JobRegistered' | 'JobDeregistered' | 'JobBatchDeregistered', deleted = false): PendingEvent {
  const job = agent.db.job(jobId);
  const allocs = agent.db.allocsByJob(jobId);
  return {
    topic: 'Job',
    type,
    key: jobId,
    namespace: job?.job.namespace ?? 'default',
    filterKeys: [],
    payload: () => ({ Job: job ? toApiJobWithStatus(job, allocs) : { ID: jobId }, ...(deleted ? { Deleted: true } : {}) }),
  };
}

/** Nomad's event types of the "Service" topic. */
export type ServiceEventType = 'ServiceRegistration' | 'ServiceDeregistration';

/** A Service-topic event as Nomad's state store emits it: keyed by registration id, filterable by job id and service name. */
export function serviceEvent(type: ServiceEventType, r: ServiceRecord): PendingEvent {
  return {
    topic: 'Service',
    type,
    key: r.id,
    namespace: r.namespace,
    filterKeys: [r.jobId, r.serviceName],
    payload: () => ({ Service: toApiServiceRegistration(r) }),
  };
}

/**
 * A Variable-topic event as Nomad's state store emits it for every variable
 * write ("VariableUpdated", keyed by path): metadata only, never the items,
 * and without a held lock's ID (the stream needs only a read token).
 */
export function variableEvent(meta: VariableMetaView, deleted: boolean): PendingEvent {
  return {
    topic: 'Variable',
    type: 'VariableUpdated',
    key: meta.path,
    namespace: meta.namespace,
    filterKeys: [],
    payload: () => ({ Metadata: toApiVariableMetadata(meta, false), Deleted: deleted }),
  };
}
