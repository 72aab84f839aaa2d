/**
 * Nomad's evaluations and placement metrics, as drover's one-node scheduler
 * records them: every write that can change what runs (register, deregister,
 * alloc stop, capacity freed) is an evaluation, and a group it could not
 * place carries an AllocMetric saying which filter or resource refused it.
 */

/** Nomad's EvalStatus* values ("canceled" is Nomad's spelling). */
export type EvalStatus = 'pending' | 'complete' | 'failed' | 'blocked' | 'canceled';

/** Nomad's EvalTrigger* values that drover produces. */
export type EvalTrigger =
  | 'job-register'
  | 'job-deregister'
  | 'alloc-stop'
  | 'alloc-failure'
  | 'alloc-reschedule'
  | 'periodic-job'
  | 'job-scaling'
  | 'queued-allocs'
  | 'deployment-watcher'
  | 'rolling-update'
  | 'node-update'
  | 'failed-follow-up';

/** Why the scheduler could not place a group (Nomad's AllocMetric, one node's worth). */
export interface AllocMetric {
  nodesEvaluated: number;
  nodesFiltered: number;
  nodesInPool: number;
  nodePool: string;
  /** Datacenter → nodes available in it. */
  nodesAvailable: Record<string, number>;
  classFiltered: Record<string, number>;
  /** Constraint text → nodes it filtered, e.g. `${attr.kernel.name} = windows`. */
  constraintFiltered: Record<string, number>;
  nodesExhausted: number;
  classExhausted: Record<string, number>;
  /** Dimension → nodes exhausted on it: "cpu", "memory", "disk", "network: ...". */
  dimensionExhausted: Record<string, number>;
  quotaExhausted: string[];
  /** Further failures of the same group folded into this one. */
  coalescedFailures: number;
  /** Nanoseconds spent placing. */
  allocationTimeNs: number;
}

export interface Evaluation {
  readonly id: string;
  readonly namespace: string;
  readonly priority: number;
  readonly type: string;
  readonly triggeredBy: EvalTrigger;
  readonly jobId: string;
  readonly jobModifyIndex: number;
  readonly nodeId: string;
  readonly deploymentId: string;
  readonly status: EvalStatus;
  readonly statusDescription: string;
  /** Unix ms before which a delayed evaluation is not processed (0: none). */
  readonly waitUntil: number;
  readonly nextEval: string;
  readonly previousEval: string;
  /** The blocked evaluation created to place what this one could not. */
  readonly blockedEval: string;
  readonly failedTGAllocs: Readonly<Record<string, AllocMetric>>;
  /** Group → allocations still to place. */
  readonly queuedAllocations: Readonly<Record<string, number>>;
  readonly createIndex: number;
  readonly modifyIndex: number;
  /** Unix ms. */
  readonly createTime: number;
  readonly modifyTime: number;
}

/** A metric for one group on one node, before any filter ran. */
export function newAllocMetric(nodePool: string, datacenter: string): AllocMetric {
  return {
    nodesEvaluated: 0,
    nodesFiltered: 0,
    nodesInPool: 1,
    nodePool,
    nodesAvailable: { [datacenter]: 1 },
    classFiltered: {},
    constraintFiltered: {},
    nodesExhausted: 0,
    classExhausted: {},
    dimensionExhausted: {},
    quotaExhausted: [],
    coalescedFailures: 0,
    allocationTimeNs: 0,
  };
}
