/** Nomad's DeploymentStatusDescription* texts (nomad/structs/deployment.go). */
export const DEPLOYMENT_DESCRIPTIONS = {
  running: 'Deployment is running',
  runningNeedsPromotion: 'Deployment is running but requires manual promotion',
  runningAutoPromotion: 'Deployment is running pending automatic promotion',
  paused: 'Deployment is paused',
  successful: 'Deployment completed successfully',
  stoppedJob: 'Cancelled because job is stopped',
  newerJob: 'Cancelled due to newer version of job',
  failedAllocations: 'Failed due to unhealthy allocations',
  progressDeadline: 'Failed due to progress deadline',
  failedByUser: 'Deployment marked as failed',
} as const;

export const rollbackDescription = (base: string, version: number): string => `${base} - rolling back to job version ${version}`;
export const rollbackNoopDescription = (base: string, version: number): string =>
  `${base} - not rolling back to stable job version ${version} as current job has same specification`;
export const noRollbackTargetDescription = (base: string): string => `${base} - no stable job version to auto revert to`;
