/** Nomad's scaling JSON (api/scaling.go): policies, requests, events and a job's scale status. */

/** api.ScalingPolicy; ID, Namespace and indexes are set by the server. */
export interface ApiScalingPolicy {
  Min?: number | null;
  Max?: number | null;
  Policy?: Record<string, unknown> | null;
  Enabled?: boolean | null;
  Type?: string | null;
  ID?: string;
  Namespace?: string;
  Target?: Record<string, string> | null;
  CreateIndex?: number;
  ModifyIndex?: number;
}

/** api.ScalingPolicyListStub (GET /v1/scaling/policies). */
export interface ApiScalingPolicyListStub {
  ID: string;
  Enabled: boolean;
  Type: string;
  Target: Record<string, string>;
  CreateIndex: number;
  ModifyIndex: number;
}

/** api.ScalingRequest (POST /v1/job/:id/scale). */
export interface ApiScalingRequest {
  Count?: number | null;
  Target?: Record<string, string> | null;
  Message?: string;
  Error?: boolean;
  Meta?: Record<string, unknown> | null;
  PolicyOverride?: boolean;
  JobModifyIndex?: number;
  Namespace?: string;
  Region?: string;
  SecretID?: string;
}

/** api.ScalingEvent; Time is unix ns. */
export interface ApiScalingEvent {
  Count: number | null;
  PreviousCount: number;
  Error: boolean;
  Message: string;
  Meta: Record<string, unknown> | null;
  EvalID: string | null;
  Time: number;
  CreateIndex: number;
}

/** api.TaskGroupScaleStatus. */
export interface ApiTaskGroupScaleStatus {
  Desired: number;
  Placed: number;
  Running: number;
  Healthy: number;
  Unhealthy: number;
  Events: ApiScalingEvent[] | null;
}

/** api.JobScaleStatusResponse (GET /v1/job/:id/scale). */
export interface ApiJobScaleStatus {
  JobID: string;
  Namespace: string;
  JobCreateIndex: number;
  JobModifyIndex: number;
  JobStopped: boolean;
  TaskGroups: Record<string, ApiTaskGroupScaleStatus>;
}
