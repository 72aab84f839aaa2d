/**
 * /v1/job/:id/scale (Nomad's jobScale: GET the scale status, PUT/POST a
 * ScalingRequest) and /v1/scaling/policies, /v1/scaling/policy/:id.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiJobRegisterResponse, ApiJobScaleStatus, ApiScalingEvent, ApiScalingPolicy, ApiScalingPolicyListStub } from '../../model/nomad-api/index.js';
import type { ScalingEventRecord } from '../state/scaling-event-store.js';
import type { JobScaleStatus, ScaleRequest } from '../core/job-scale.js';
import { scalingPolicies, type ScalingPolicyView } from '../core/scaling-policies.js';
import { NotFoundError } from '../core/errors.js';
import { badRequest } from './errors.js';
import { bodyBool, bodyString, jsonBody, param, query } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';

export function scaleRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  return [
    { method: 'GET', url: '/v1/job/:id/scale', acl: 'read', handler: async (req) => toApiScaleStatus(agent.scaler.status(param(req, 'id'))) },
    {
      method: ['PUT', 'POST'],
      url: '/v1/job/:id/scale',
      acl: 'write',
      handler: async (req): Promise<ApiJobRegisterResponse> => {
        const r = await agent.scaler.scale(scaleRequest(req, param(req, 'id')));
        return { EvalID: r.evalId, EvalCreateIndex: r.evalCreateIndex, JobModifyIndex: r.jobModifyIndex, Warnings: '', Index: r.index };
      },
    },
    {
      method: 'GET',
      url: '/v1/scaling/policies',
      acl: 'read',
      handler: async (req): Promise<ApiScalingPolicyListStub[]> => {
        const job = query(req, 'job');
        const type = query(req, 'type');
        return scalingPolicies(agent.jobs())
          .filter((p) => (job === undefined || p.jobId === job) && (type === undefined || 'horizontal'.startsWith(type)))
          .map((p) => ({ ID: p.id, Enabled: p.enabled, Type: 'horizontal', Target: target(p), CreateIndex: p.createIndex, ModifyIndex: p.modifyIndex }));
      },
    },
    {
      method: 'GET',
      url: '/v1/scaling/policy/:id',
      acl: 'read',
      handler: async (req): Promise<ApiScalingPolicy> => {
        const p = scalingPolicies(agent.jobs()).find((x) => x.id === param(req, 'id'));
        if (!p) throw new NotFoundError('policy not found');
        return {
          ID: p.id,
          Namespace: p.namespace,
          Type: 'horizontal',
          Target: target(p),
          Policy: p.scaling.policy ? { ...p.scaling.policy } : null,
          Min: p.scaling.min,
          Max: p.scaling.max,
          Enabled: p.enabled,
          CreateIndex: p.createIndex,
          ModifyIndex: p.modifyIndex,
        };
      },
    },
  ];
}

function target(p: ScalingPolicyView): Record<string, string> {
  return { Namespace: p.namespace, Job: p.jobId, Group: p.group };
}

/** Nomad's api.ScalingRequest body, checked as its HTTP handler and JobScaleRequest.Validate do. */
function scaleRequest(req: FastifyRequest, jobId: string): ScaleRequest {
  const body = jsonBody(req);
  const rawTarget = body['Target'];
  if (rawTarget !== undefined && rawTarget !== null && (typeof rawTarget !== 'object' || Array.isArray(rawTarget))) throw badRequest('Target: expected an object');
  const t = (rawTarget ?? {}) as Record<string, unknown>;
  const str = (k: string): string => (typeof t[k] === 'string' ? t[k] : '');
  if (str('Job') !== '' && str('Job') !== jobId) throw badRequest('job ID in payload did not match URL');
  const namespace = query(req, 'namespace') ?? 'default';
  if (str('Namespace') !== '' && str('Namespace') !== namespace) throw badRequest('namespace in payload did not match header');
  const count = body['Count'];
  if (count !== undefined && count !== null && (typeof count !== 'number' || !Number.isInteger(count))) throw badRequest('Count: expected a whole number');
  const meta = body['Meta'];
  if (meta !== undefined && meta !== null && (typeof meta !== 'object' || Array.isArray(meta))) throw badRequest('Meta: expected an object');
  const index = body['JobModifyIndex'];
  if (index !== undefined && index !== null && (typeof index !== 'number' || !Number.isInteger(index) || index < 0)) throw badRequest('JobModifyIndex: expected a whole number');
  return {
    jobId,
    group: str('Group'),
    ...(typeof count === 'number' ? { count } : {}),
    message: bodyString(body, 'Message') ?? '',
    error: bodyBool(body, 'Error') ?? false,
    meta: (meta ?? null) as Record<string, unknown> | null,
    jobModifyIndex: typeof index === 'number' ? index : 0,
  };
}

function toApiScaleStatus(s: JobScaleStatus): ApiJobScaleStatus {
  return {
    JobID: s.job.id,
    Namespace: s.job.job.namespace,
    JobCreateIndex: s.job.createIndex,
    JobModifyIndex: s.job.modifyIndex,
    JobStopped: s.job.stop,
    TaskGroups: Object.fromEntries(
      [...s.groups].map(([name, g]) => [
        name,
        { Desired: g.desired, Placed: g.placed, Running: g.running, Healthy: g.healthy, Unhealthy: g.unhealthy, Events: g.events.length === 0 ? null : g.events.map(toApiScalingEvent) },
      ]),
    ),
  };
}

function toApiScalingEvent(e: ScalingEventRecord): ApiScalingEvent {
  return { Count: e.count, PreviousCount: e.previousCount, Error: e.error, Message: e.message, Meta: e.meta ? { ...e.meta } : null, EvalID: e.evalId, Time: e.time, CreateIndex: e.createIndex };
}
