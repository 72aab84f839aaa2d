/**
 * GET /v1/evaluation/:id for the follow-up evaluations of delayed rescheduling
 * (Nomad's "created for delayed rescheduling", TriggeredBy alloc-reschedule,
 * WaitUntil the moment the failed alloc is replaced): what `alloc status`
 * reads for "Reschedule Eligibility". drover keeps no other evaluations yet.
 */
import { NotFoundError } from '../core/errors.js';
import type { HttpContext, RouteDef } from './routes.js';

/** Go's zero time.Time, as Nomad's JSON writes an unset WaitUntil. */
const ZERO_TIME = '0001-01-01T00:00:00Z';
const NS_PER_MS = 1_000_000;

export function followupEvalRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  return [
    {
      method: 'GET',
      url: '/v1/evaluation/:id',
      acl: 'read',
      handler: async (req) => {
        const { id } = req.params as { id: string };
        const rows = agent.reschedules.byFollowupEval(id);
        const first = rows[0];
        const alloc = first && agent.db.alloc(first.allocId);
        const job = alloc && agent.db.job(alloc.jobId);
        if (!first || !alloc || !job) throw new NotFoundError('eval not found');
        const pending = rows.some((r) => r.pending);
        return {
          ID: id,
          Priority: job.job.priority,
          Type: job.job.type,
          TriggeredBy: 'alloc-reschedule',
          Namespace: job.job.namespace,
          JobID: job.id,
          JobModifyIndex: job.jobModifyIndex,
          NodeID: '',
          NodeModifyIndex: 0,
          DeploymentID: '',
          Status: pending ? 'pending' : 'complete',
          StatusDescription: 'created for delayed rescheduling',
          Wait: 0,
          WaitUntil: first.rescheduleAt > 0 ? new Date(first.rescheduleAt).toISOString() : ZERO_TIME,
          NextEval: '',
          PreviousEval: '',
          BlockedEval: '',
          CreateIndex: alloc.createIndex,
          ModifyIndex: alloc.modifyIndex,
          CreateTime: alloc.modifyTime * NS_PER_MS,
          ModifyTime: alloc.modifyTime * NS_PER_MS,
        };
      },
    },
  ];
}
