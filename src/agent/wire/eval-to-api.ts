/** Evaluations as Nomad's API shows them. */
import type { AllocMetric, Evaluation } from '../../model/evaluation.js';
import type { ApiAllocationMetric, ApiEvaluation } from '../../model/nomad-api/index.js';

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Go's encoding of an empty map field (nil). */
function mapOrNull<T>(m: Readonly<Record<string, T>>): Record<string, T> | null {
  return Object.keys(m).length === 0 ? null : { ...m };
}

export function toApiAllocMetric(m: AllocMetric): ApiAllocationMetric {
  return {
    NodesEvaluated: m.nodesEvaluated,
    NodesFiltered: m.nodesFiltered,
    NodesInPool: m.nodesInPool,
    NodePool: m.nodePool,
    NodesAvailable: { ...m.nodesAvailable },
    ClassFiltered: mapOrNull(m.classFiltered),
    ConstraintFiltered: mapOrNull(m.constraintFiltered),
    NodesExhausted: m.nodesExhausted,
    ClassExhausted: mapOrNull(m.classExhausted),
    DimensionExhausted: mapOrNull(m.dimensionExhausted),
    QuotaExhausted: m.quotaExhausted.length === 0 ? null : [...m.quotaExhausted],
    ResourcesExhausted: null,
    Scores: null,
    ScoreMetaData: null,
    AllocationTime: m.allocationTimeNs,
    CoalescedFailures: m.coalescedFailures,
  };
}

export function toApiEvaluation(e: Evaluation): ApiEvaluation {
  const failed = Object.entries(e.failedTGAllocs);
  return {
    ID: e.id,
    Priority: e.priority,
    Type: e.type,
    TriggeredBy: e.triggeredBy,
    Namespace: e.namespace,
    JobID: e.jobId,
    JobModifyIndex: e.jobModifyIndex,
    NodeID: e.nodeId,
    NodeModifyIndex: 0,
    DeploymentID: e.deploymentId,
    Status: e.status,
    StatusDescription: e.statusDescription,
    Wait: 0,
    WaitUntil: e.waitUntil > 0 ? new Date(e.waitUntil).toISOString() : GO_ZERO_TIME,
    NextEval: e.nextEval,
    PreviousEval: e.previousEval,
    BlockedEval: e.blockedEval,
    RelatedEvals: null,
    FailedTGAllocs: failed.length === 0 ? null : Object.fromEntries(failed.map(([g, m]) => [g, toApiAllocMetric(m)])),
    ClassEligibility: null,
    EscapedComputedClass: false,
    QuotaLimitReached: '',
    AnnotatePlan: false,
    QueuedAllocations: mapOrNull(e.queuedAllocations),
    SnapshotIndex: e.modifyIndex,
    CreateIndex: e.createIndex,
    ModifyIndex: e.modifyIndex,
    CreateTime: e.createTime * 1_000_000,
    ModifyTime: e.modifyTime * 1_000_000,
  };
}
