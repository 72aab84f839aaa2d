/** Nomad's api.Deployment, api.DeploymentState and api.AllocDeploymentStatus JSON. */

export interface ApiDeploymentState {
  AutoRevert: boolean;
  AutoPromote: boolean;
  /** ns */
  ProgressDeadline: number;
  /** RFC 3339; Go's zero time while unset. */
  RequireProgressBy: string;
  Promoted: boolean;
  PlacedCanaries: string[] | null;
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
}

export interface ApiDeployment {
  ID: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  JobSpecModifyIndex: number;
  JobCreateIndex: number;
  IsMultiregion: boolean;
  TaskGroups: Record<string, ApiDeploymentState>;
  Status: string;
  StatusDescription: string;
  EvalPriority: number;
  CreateIndex: number;
  ModifyIndex: number;
  /** ns */
  CreateTime: number;
  ModifyTime: number;
}

export interface ApiAllocDeploymentStatus {
  Healthy: boolean | null;
  Timestamp: string;
  Canary: boolean;
  ModifyIndex: number;
}

/** Nomad's DeploymentUpdateResponse. */
export interface ApiDeploymentUpdateResponse {
  EvalID: string;
  EvalCreateIndex: number;
  DeploymentModifyIndex: number;
  RevertedJobVersion?: number;
  Index: number;
}
