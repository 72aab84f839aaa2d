/** Nomad's api.Evaluation and api.AllocationMetric JSON. */

export interface ApiAllocationMetric {
  NodesEvaluated: number;
  NodesFiltered: number;
  NodesInPool: number;
  NodePool: string;
  NodesAvailable: Record<string, number>;
  ClassFiltered: Record<string, number> | null;
  ConstraintFiltered: Record<string, number> | null;
  NodesExhausted: number;
  ClassExhausted: Record<string, number> | null;
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted: string[] | null;
  ResourcesExhausted: null;
  Scores: null;
  ScoreMetaData: null;
  AllocationTime: number;
  CoalescedFailures: number;
}

export interface ApiEvaluation {
  ID: string;
  Priority: number;
  Type: string;
  TriggeredBy: string;
  Namespace: string;
  JobID: string;
  JobModifyIndex: number;
  NodeID: string;
  NodeModifyIndex: number;
  DeploymentID: string;
  Status: string;
  StatusDescription: string;
  /** Nanoseconds. */
  Wait: number;
  /** RFC 3339; the zero time when unset, as Go encodes it. */
  WaitUntil: string;
  NextEval: string;
  PreviousEval: string;
  BlockedEval: string;
  RelatedEvals: null;
  FailedTGAllocs: Record<string, ApiAllocationMetric> | null;
  ClassEligibility: null;
  EscapedComputedClass: boolean;
  QuotaLimitReached: string;
  AnnotatePlan: boolean;
  QueuedAllocations: Record<string, number> | null;
  SnapshotIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
  /** Unix nanoseconds. */
  CreateTime: number;
  ModifyTime: number;
}

/** GET /v1/evaluations/count. */
export interface ApiEvalCountResponse {
  Count: number;
}
