/**
 * /v1/deployments, /v1/deployment/… and /v1/job/:id/deployment(s) (Nomad's
 * deployment_endpoint.go): read deployments and their allocations; promote,
 * fail, pause and resume a running one.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../core/errors.js';
import type { DeploymentRecord } from '../state/deployment-store.js';
import { toApiDeployment } from '../wire/deployment-to-api.js';
import { toApiAllocStub } from '../wire/alloc-to-api.js';
import { bodyBool, jsonBody, param, query } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';

export function deploymentRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  const deployment = (req: FastifyRequest): DeploymentRecord => {
    const d = agent.deployments.store.byIdOrPrefix(param(req, 'id'));
    if (!d) throw new NotFoundError('deployment not found');
    return d;
  };
  /** Nomad's DeploymentUpdateResponse. */
  const updated = (d: DeploymentRecord) => ({ EvalID: randomUUID(), EvalCreateIndex: d.modifyIndex, DeploymentModifyIndex: d.modifyIndex, Index: d.modifyIndex });
  const job = (req: FastifyRequest) => {
    const j = agent.job(param(req, 'id'));
    if (!j) throw new NotFoundError('job not found');
    return j;
  };
  return [
    {
      method: 'GET',
      url: '/v1/deployments',
      acl: 'read',
      handler: async (req) => {
        const prefix = query(req, 'prefix') ?? '';
        return agent.deployments.store.all().filter((d) => d.id.startsWith(prefix)).map((d) => toApiDeployment(d));
      },
    },
    { method: 'GET', url: '/v1/deployment/:id', acl: 'read', handler: async (req) => toApiDeployment(deployment(req)) },
    {
      method: 'GET',
      url: '/v1/deployment/allocations/:id',
      acl: 'read',
      handler: async (req) => {
        const d = deployment(req);
        return agent.deployments.store.allocs(d.id).flatMap((a) => {
          const v = agent.alloc(a.allocId);
          return v ? [toApiAllocStub(v, agent.node)] : [];
        });
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/deployment/promote/:id',
      acl: 'write',
      handler: async (req) => {
        const body = jsonBody(req, false);
        const groups = Array.isArray(body['Groups']) ? body['Groups'].filter((g): g is string => typeof g === 'string') : [];
        return updated(agent.deployments.promote(deployment(req).id, bodyBool(body, 'All') ? [] : groups));
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/deployment/fail/:id',
      acl: 'write',
      handler: async (req) => {
        const { deployment: d, revertedTo } = agent.deployments.fail(deployment(req).id);
        return { ...updated(d), ...(revertedTo !== undefined ? { RevertedJobVersion: revertedTo } : {}) };
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/deployment/pause/:id',
      acl: 'write',
      handler: async (req) => updated(agent.deployments.pause(deployment(req).id, bodyBool(jsonBody(req, false), 'Pause') ?? false)),
    },
    {
      method: 'GET',
      url: '/v1/job/:id/deployments',
      acl: 'read',
      handler: async (req) => agent.deployments.store.byJob(job(req).id).map((d) => toApiDeployment(d)),
    },
    {
      method: 'GET',
      url: '/v1/job/:id/deployment',
      acl: 'read',
      handler: async (req) => {
        const d = agent.deployments.latestFor(job(req).id);
        return d ? toApiDeployment(d) : null;
      },
    },
  ];
}
