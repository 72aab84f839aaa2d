/**
 * Nomad's evaluation endpoints: GET /v1/evaluations (?prefix, ?job, ?status),
 * /v1/evaluations/count, /v1/evaluation/:id (full ID, as Nomad's), its
 * /allocations, and /v1/job/:id/evaluations.
 */
import { toApiEvaluation } from '../wire/eval-to-api.js';
import { toApiAllocStub } from '../wire/alloc-to-api.js';
import { NotFoundError } from '../core/errors.js';
import type { Evaluation } from '../../model/evaluation.js';
import { param, query } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';

export function evaluationRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  const listed = (prefix: string, job: string | undefined, status: string | undefined): Evaluation[] =>
    agent.evaluations(job).filter((e) => e.id.startsWith(prefix) && (status === undefined || e.status === status));
  const byId = (id: string): Evaluation => {
    const e = agent.evals.get(id);
    if (!e) throw new NotFoundError('eval not found');
    return e;
  };
  return [
    {
      method: 'GET',
      url: '/v1/evaluations',
      acl: 'read',
      handler: async (req) => listed(query(req, 'prefix') ?? '', query(req, 'job') || undefined, query(req, 'status') || undefined).map(toApiEvaluation),
    },
    {
      method: 'GET',
      url: '/v1/evaluations/count',
      acl: 'read',
      handler: async () => ({ Count: agent.evaluations().length }),
    },
    { method: 'GET', url: '/v1/evaluation/:id', acl: 'read', handler: async (req) => toApiEvaluation(byId(param(req, 'id'))) },
    {
      method: 'GET',
      url: '/v1/evaluation/:id/allocations',
      acl: 'read',
      handler: async (req) => {
        const e = byId(param(req, 'id'));
        return agent
          .allocs(e.jobId)
          .filter((v) => v.record.evalId === e.id)
          .map((v) => toApiAllocStub(v, agent.node));
      },
    },
    {
      method: 'GET',
      url: '/v1/job/:id/evaluations',
      acl: 'read',
      handler: async (req) => {
        const id = param(req, 'id');
        if (!agent.job(id)) throw new NotFoundError('job not found');
        return agent.evaluations(id).map(toApiEvaluation);
      },
    },
  ];
}
