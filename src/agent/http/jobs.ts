/**
 * /v1/jobs, /v1/job/:id… and /v1/jobs/parse (Nomad's job_endpoint.go):
 * register takes Nomad's JSON job; parse turns HCL into that JSON.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { formatProblem, ValidationError, type FieldProblem } from '../../model/errors.js';
import type { ApiJobRegisterResponse, ApiJobSubmission, ApiJobVersionsResponse } from '../../model/nomad-api/index.js';
import { parseJob } from '../../jobspec/index.js';
import { fromApiJob } from '../wire/api-to-job.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { jobSummary, toApiJobStub, toApiJobWithStatus } from '../wire/job-status.js';
import { toApiAllocStub } from '../wire/alloc-to-api.js';
import { NotFoundError } from '../core/errors.js';
import { childrenOf } from '../core/child-jobs.js';
import { isParentJob } from '../../model/job.js';
import type { JobRecord } from '../state/state-db.js';
import { badRequest } from './errors.js';
import { bodyBool, bodyString, bodyStringMap, jsonBody, param, query, queryBool } from './request.js';
import type { JobSubmissionSource } from '../core/agent.js';
import type { HttpContext, RouteDef } from './routes.js';

export function jobRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  const getJob = (req: FastifyRequest): JobRecord => {
    const job = agent.job(param(req, 'id'));
    if (!job) throw new NotFoundError('job not found');
    return job;
  };
  const register = async (req: FastifyRequest, pathId?: string): Promise<ApiJobRegisterResponse> => {
    const body = jsonBody(req);
    if (body['Job'] === undefined || body['Job'] === null) throw badRequest('Job: missing job in request body');
    const { job, warnings } = fromApiJob(body['Job'], agent.drivers);
    if (pathId !== undefined && job.id !== pathId) throw badRequest(`Job ID does not match name: ${JSON.stringify(job.id)} in body, ${JSON.stringify(pathId)} in URL`);
    if (bodyBool(body, 'EnforceIndex')) {
      const want = typeof body['JobModifyIndex'] === 'number' ? body['JobModifyIndex'] : 0;
      const have = agent.job(job.id)?.jobModifyIndex ?? 0;
      if (want !== have) {
        throw badRequest(
          have === 0
            ? `Enforcing job modify index ${want}: job does not exist`
            : `Enforcing job modify index ${want}: job exists with conflicting job modify index: ${have}`,
        );
      }
    }
    const r = await agent.register(job, 'job-register', bodySubmission(body));
    return { EvalID: r.evalId, EvalCreateIndex: r.index, JobModifyIndex: r.jobModifyIndex, Warnings: warningText(warnings), Index: r.index };
  };

  return [
    {
      method: 'GET',
      url: '/v1/jobs',
      acl: 'read',
      handler: async (req) => {
        const prefix = query(req, 'prefix') ?? '';
        return agent
          .jobs()
          .filter((j) => j.id.startsWith(prefix))
          .map((j) => toApiJobStub(j, agent.db.allocsByJob(j.id), agent.evals.blockedOf(j.id)?.queuedAllocations, agent.evals.hasOpen(j.id)));
      },
    },
    { method: ['PUT', 'POST'], url: '/v1/jobs', acl: 'write', handler: (req) => register(req) },
    { method: ['PUT', 'POST'], url: '/v1/job/:id', acl: 'write', handler: (req) => register(req, param(req, 'id')) },
    {
      method: ['PUT', 'POST'],
      url: '/v1/jobs/parse',
      acl: 'read',
      handler: async (req, reply) => {
        const body = jsonBody(req);
        const hcl = bodyString(body, 'JobHCL');
        if (hcl === undefined || hcl.trim() === '') throw badRequest('JobHCL: job HCL is required');
        if (bodyBool(body, 'HCLv1')) throw badRequest('HCLv1: HCL version 1 is not supported; send HCL2');
        const variables = bodyString(body, 'Variables');
        // drover's CLI sends what `nomad job run` would parse itself: the file's name, its -var-file
        // files, -var values and NOMAD_VAR_* variables; with ?diagnostics it gets problems as data.
        const varFiles = [...(variables ? [{ file: 'variables.hcl', source: variables }] : []), ...bodyVarFiles(body)];
        const opts = {
          file: bodyString(body, 'Filename') ?? 'input.hcl',
          varFileContents: varFiles,
          vars: bodyStringMap(body, 'Vars'),
          env: prefixed(bodyStringMap(body, 'EnvVars'), 'NOMAD_VAR_'),
          drivers: agent.drivers,
        };
        const diagnostics = queryBool(req, 'diagnostics', false);
        try {
          const { job, warnings } = await parseJob(hcl, opts);
          return diagnostics ? { Job: toApiJob(job), Warnings: warnings } : toApiJob(job);
        } catch (err) {
          if (!diagnostics || !(err instanceof ValidationError)) throw err;
          return reply.code(400).send({ Errors: err.problems, Warnings: [] });
        }
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/validate/job',
      acl: 'read',
      handler: async (req) => {
        // Nomad's JobValidateResponse: problems are data here, not an error status.
        try {
          const { warnings } = fromApiJob(jsonBody(req)['Job'], agent.drivers);
          return { DriverConfigValidated: true, ValidationErrors: [], Error: '', Warnings: warningText(warnings) };
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          return { DriverConfigValidated: false, ValidationErrors: err.problems.map(formatProblem), Error: err.message, Warnings: '' };
        }
      },
    },
    { method: 'GET', url: '/v1/job/:id', acl: 'read', handler: async (req) => {
      const job = getJob(req);
      return { ...toApiJobWithStatus(job, agent.db.allocsByJob(job.id), agent.evals.hasOpen(job.id)), Stable: agent.deployments.store.stableVersions(job.id).includes(job.version) };
    } },
    {
      method: 'DELETE',
      url: '/v1/job/:id',
      acl: 'write',
      handler: async (req) => {
        const r = agent.deregister(getJob(req).id, queryBool(req, 'purge', false));
        return { EvalID: r.evalId, EvalCreateIndex: r.index, JobModifyIndex: r.jobModifyIndex, Index: r.index };
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/job/:id/dispatch',
      acl: 'write',
      handler: async (req) => {
        const body = jsonBody(req);
        const bodyId = bodyString(body, 'JobID') ?? '';
        if (bodyId !== '' && bodyId !== param(req, 'id')) throw badRequest('Job ID does not match');
        const payload = bodyString(body, 'Payload') ?? '';
        if (payload !== '' && !/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw badRequest('Payload: expected base64');
        const r = await agent.childJobs.dispatch(param(req, 'id'), {
          payload: Buffer.from(payload, 'base64'),
          meta: bodyStringMap(body, 'Meta'),
          idempotencyToken: query(req, 'idempotency_token') ?? '',
          idPrefixTemplate: bodyString(body, 'IdPrefixTemplate') ?? '',
        });
        return { DispatchedJobID: r.dispatchedJobId, EvalID: r.evalId, EvalCreateIndex: r.evalCreateIndex, JobCreateIndex: r.jobCreateIndex, Index: r.index };
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/job/:id/periodic/force',
      acl: 'write',
      handler: async (req) => {
        const job = getJob(req);
        if (!job.job.periodic) throw badRequest(`Job "${job.id}" is not periodic`);
        const childId = await agent.periodic.force(job.id);
        const child = agent.job(childId);
        return { EvalID: randomUUID(), EvalCreateIndex: child?.createIndex ?? 0, Index: child?.modifyIndex ?? agent.db.lastIndex };
      },
    },
    { method: 'GET', url: '/v1/job/:id/allocations', acl: 'read', handler: async (req) => agent.allocs(getJob(req).id).map((v) => toApiAllocStub(v, agent.node)) },
    {
      method: 'GET',
      url: '/v1/job/:id/versions',
      acl: 'read',
      handler: async (req): Promise<ApiJobVersionsResponse> => {
        const current = getJob(req);
        const allocs = agent.db.allocsByJob(current.id);
        const stable = new Set(agent.deployments.store.stableVersions(current.id));
        const versions = agent.db.jobVersions(current.id).map((v) =>
          v.version === current.version
            ? { ...toApiJobWithStatus(current, allocs), Stable: stable.has(v.version) }
            : toApiJob(v.job, {
                Stable: stable.has(v.version),
                Stop: false,
                Status: 'dead',
                Version: v.version,
                submitTimeMs: v.submitTime,
                CreateIndex: current.createIndex,
                ModifyIndex: current.modifyIndex,
                JobModifyIndex: current.jobModifyIndex,
              }),
        );
        return { Versions: versions, Diffs: null, Index: agent.db.lastIndex };
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/job/:id/revert',
      acl: 'write',
      handler: async (req): Promise<ApiJobRegisterResponse> => {
        // Nomad's Job.Revert: the stored version registered again (a new version), optionally only while
        // the job is still at EnforcePriorVersion. drover also carries that version's source along.
        const body = jsonBody(req);
        const current = getJob(req);
        const bodyId = bodyString(body, 'JobID') ?? '';
        if (bodyId !== '' && bodyId !== current.id) throw badRequest('Job ID does not match');
        const version = body['JobVersion'];
        if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) throw badRequest('JobVersion: expected a job version number');
        if (version === current.version) throw badRequest("can't revert to current version");
        const prior = body['EnforcePriorVersion'];
        if (prior !== undefined && prior !== null) {
          if (typeof prior !== 'number') throw badRequest('EnforcePriorVersion: expected a job version number');
          if (prior !== current.version) throw badRequest(`Current job has version ${current.version}; enforcing version ${prior}`);
        }
        const target = agent.db.jobVersion(current.id, version);
        if (!target) throw new NotFoundError(`job ${JSON.stringify(current.id)} in namespace "default" at version ${version} not found`);
        const sub = agent.db.jobSubmission(current.id, version);
        const source = sub ? { source: sub.source, format: sub.format, variableFlags: sub.variableFlags, variables: sub.variables } : undefined;
        const r = await agent.register(target.job, 'job-register', source);
        return { EvalID: r.evalId, EvalCreateIndex: r.index, JobModifyIndex: r.jobModifyIndex, Warnings: '', Index: r.index };
      },
    },
    {
      method: 'GET',
      url: '/v1/job/:id/submission',
      acl: 'read',
      handler: async (req): Promise<ApiJobSubmission> => {
        // Nomad's jobSubmissionCRUD: the version is required; a version registered without its source is a 404.
        const v = query(req, 'version') ?? '';
        if (!/^\d+$/.test(v)) throw badRequest('Unable to parse job submission version parameter');
        const job = getJob(req);
        const sub = agent.db.jobSubmission(job.id, Number(v));
        if (!sub) throw new NotFoundError('job source not found');
        const flags = Object.fromEntries(Object.entries(sub.variableFlags).map(([k, x]) => [k, queryUnescape(x)]));
        return {
          Source: sub.source,
          Format: sub.format,
          VariableFlags: Object.keys(flags).length > 0 ? flags : null,
          Variables: sub.variables,
          Namespace: 'default',
          JobID: sub.jobId,
          Version: sub.version,
          JobModifyIndex: sub.jobModifyIndex,
        };
      },
    },
    { method: 'GET', url: '/v1/job/:id/summary', acl: 'read', handler: async (req) => {
      const job = getJob(req);
      const children = isParentJob(job.job) ? childrenOf(agent.jobs(), job.id).map((c) => ({ job: c, allocs: agent.db.allocsByJob(c.id) })) : undefined;
      return jobSummary(job, agent.db.allocsByJob(job.id), children, agent.evals.blockedOf(job.id)?.queuedAllocations);
    } },
  ];
}

/**
 * A register request's Submission (Nomad's api.JobSubmission): absent or null
 * stores nothing. VariableFlags arrive query-escaped, as Nomad's api client
 * canonicalizes them, and are unescaped when read back.
 */
function bodySubmission(body: Record<string, unknown>): JobSubmissionSource | undefined {
  const v = body['Submission'];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest('Submission: expected an object');
  const sub = v as Record<string, unknown>;
  const source = bodyString(sub, 'Source') ?? '';
  if (source === '') return undefined;
  return { source, format: bodyString(sub, 'Format') || 'hcl2', variableFlags: bodyStringMap(sub, 'VariableFlags'), variables: bodyString(sub, 'Variables') ?? '' };
}

/** Go's url.QueryUnescape ("+" is a space); text that is not valid escaping is returned as is. */
function queryUnescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Nomad's Warnings text: one "* problem" line per warning. */
function warningText(warnings: readonly FieldProblem[]): string {
  if (warnings.length === 0) return '';
  return `${warnings.length} warning(s):\n\n${warnings.map((w) => `* ${formatProblem(w)}`).join('\n')}`;
}

/** The drover CLI's -var-file contents: [{Name, Content}]. */
function bodyVarFiles(body: Record<string, unknown>): { file: string; source: string }[] {
  const v = body['VarFiles'];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw badRequest('VarFiles: expected a list of {Name, Content}');
  return v.map((f: unknown, i) => {
    const o = (f ?? {}) as Record<string, unknown>;
    if (typeof o['Name'] !== 'string' || typeof o['Content'] !== 'string') throw badRequest(`VarFiles[${i}]: expected {Name, Content} strings`);
    return { file: o['Name'], source: o['Content'] };
  });
}

/** Only the entries whose names start with `prefix` (NOMAD_VAR_*): nothing else of a caller's environment reaches the job. */
function prefixed(env: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith(prefix)));
}
