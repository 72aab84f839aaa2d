/**
 * Watching a deployment until it ends (Nomad's DeploymentStatusCommand
 * defaultMonitor, as `job run` uses it without a terminal): the deployment
 * block is printed whenever it changed; a failed deployment that auto
 * reverted is followed into the rollback's deployment.
 */
import type { ApiDeployment } from '../api/index.js';
import { call, type Ctx } from './common.js';
import { formatDeployment } from './deployment.js';
import { formatTimeMs } from './tables.js';

const POLL_MS = 250;
/** How long a failed deployment's rollback may take to appear (Nomad waits a second). */
const ROLLBACK_WAIT_MS = 2_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Prints the deployment as it changes until it is terminal; returns its (or its rollback's) final status. */
export async function monitorDeployment(ctx: Ctx, id: string, uuidLength: number): Promise<string> {
  let printed = -1;
  for (;;) {
    const d = await call(ctx, 'Error fetching deployment', ctx.client.deployments.info(id));
    if (d.ModifyIndex !== printed) {
      printed = d.ModifyIndex;
      ctx.io.out(`\n${formatTimeMs(Date.now())}\n${formatDeployment(d, uuidLength)}`);
    }
    if (d.Status === 'failed' && Object.values(d.TaskGroups).some((g) => g.AutoRevert)) {
      const rollback = await rollbackOf(ctx, d);
      ctx.io.out('');
      return rollback ? monitorDeployment(ctx, rollback.ID, uuidLength) : d.Status;
    }
    if (d.Status === 'successful' || d.Status === 'failed' || d.Status === 'cancelled') return d.Status;
    await sleep(POLL_MS);
  }
}

/** The deployment of the version a failed deployment reverted to, once it exists. */
async function rollbackOf(ctx: Ctx, failed: ApiDeployment): Promise<ApiDeployment | undefined> {
  if (!/ - rolling back to job version \d+$/.test(failed.StatusDescription)) return undefined;
  const end = Date.now() + ROLLBACK_WAIT_MS;
  while (Date.now() < end) {
    const latest = await call(ctx, 'Error fetching deployment of previous job version', ctx.client.deployments.latestForJob(failed.JobID));
    if (latest && latest.ID !== failed.ID && latest.CreateIndex > failed.CreateIndex) return latest;
    await sleep(POLL_MS);
  }
  return undefined;
}
