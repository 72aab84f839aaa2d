/** Deployment-topic events of the event stream (Nomad's DeploymentStatusUpdate, DeploymentPromotion, DeploymentAllocHealth). */
import type { DeploymentRecord } from '../../state/deployment-store.js';
import { toApiDeployment } from '../../wire/deployment-to-api.js';
import type { PendingEvent } from '../event-broker.js';

export type DeploymentEventType = 'DeploymentStatusUpdate' | 'DeploymentPromotion' | 'DeploymentAllocHealth';

/** Keyed by deployment id, filterable by job id, the deployment as it was written. */
export function deploymentEvent(d: DeploymentRecord, type: DeploymentEventType): PendingEvent {
  return { topic: 'Deployment', type, key: d.id, namespace: 'default', filterKeys: [d.jobId], payload: () => ({ Deployment: toApiDeployment(d) }) };
}
