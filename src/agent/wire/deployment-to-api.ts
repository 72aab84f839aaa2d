/** Deployments and alloc deployment status as Nomad's API shows them (api/deployments.go; times RFC 3339 or ns). */
import type { AllocDeploymentRecord, DeploymentGroupState, DeploymentRecord } from '../state/deployment-store.js';

const NS_PER_MS = 1_000_000;
/** Go's zero time.Time in JSON. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

const rfc3339 = (ms: number): string => (ms === 0 ? ZERO_TIME : new Date(ms).toISOString());

export function toApiDeploymentState(g: DeploymentGroupState): Record<string, unknown> {
  return {
    AutoRevert: g.autoRevert,
    AutoPromote: g.autoPromote,
    ProgressDeadline: g.progressDeadlineMs * NS_PER_MS,
    RequireProgressBy: rfc3339(g.requireProgressBy),
    Promoted: g.promoted,
    PlacedCanaries: g.placedCanaries.length === 0 ? null : [...g.placedCanaries],
    DesiredCanaries: g.desiredCanaries,
    DesiredTotal: g.desiredTotal,
    PlacedAllocs: g.placedAllocs,
    HealthyAllocs: g.healthyAllocs,
    UnhealthyAllocs: g.unhealthyAllocs,
  };
}

export function toApiDeployment(d: DeploymentRecord, namespace = 'default'): Record<string, unknown> {
  return {
    ID: d.id,
    Namespace: namespace,
    JobID: d.jobId,
    JobVersion: d.jobVersion,
    JobModifyIndex: d.jobModifyIndex,
    JobSpecModifyIndex: d.jobModifyIndex,
    JobCreateIndex: d.jobCreateIndex,
    IsMultiregion: false,
    TaskGroups: Object.fromEntries(Object.entries(d.groups).map(([name, g]) => [name, toApiDeploymentState(g)])),
    Status: d.status,
    StatusDescription: d.statusDescription,
    EvalPriority: 50,
    CreateIndex: d.createIndex,
    ModifyIndex: d.modifyIndex,
    CreateTime: d.createTime * NS_PER_MS,
    ModifyTime: d.modifyTime * NS_PER_MS,
  };
}

/** The DeploymentID and DeploymentStatus fields of an allocation (absent when it belongs to no deployment). */
export function toApiAllocDeployment(a: AllocDeploymentRecord | undefined): Record<string, unknown> {
  if (!a) return {};
  return {
    DeploymentID: a.deploymentId,
    DeploymentStatus: { Healthy: a.healthy ?? null, Timestamp: rfc3339(a.timestamp), Canary: a.canary, ModifyIndex: a.modifyIndex },
  };
}
