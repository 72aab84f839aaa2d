/** Job endpoints (Nomad's api.Jobs). */
import type {
  ApiAllocationListStub,
  ApiJob,
  ApiJobDeregisterResponse,
  ApiJobListStub,
  ApiJobRegisterResponse,
  ApiJobSummary,
  ApiJobVersionsResponse,
  ApiJobsParseRequest,
  ApiJobScaleStatus,
  ApiJobSubmission,
  ApiScalingRequest,
} from '../model/nomad-api/index.js';
import { ApiError, type ApiClient } from './client.js';
import type { FieldProblem } from '../model/errors.js';

/** Nomad's JobValidateResponse. */
export interface JobValidateResponse {
  DriverConfigValidated: boolean;
  ValidationErrors: string[];
  Error: string;
  Warnings: string;
}

/** Nomad's JobDispatchResponse. */
export interface JobDispatchResponse {
  DispatchedJobID: string;
  EvalID: string;
  EvalCreateIndex: number;
  JobCreateIndex: number;
  Index: number;
}

export class Jobs {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/jobs */
  async list(opts: { prefix?: string } = {}): Promise<ApiJobListStub[]> {
    return (await this.c.request<ApiJobListStub[]>('GET', '/v1/jobs', { query: { prefix: opts.prefix } })).data;
  }

  /**
   * PUT /v1/jobs: registers (or updates) a job given as Nomad's JSON; `submission`
   * is the source it came from, stored with the version (GET …/submission).
   */
  async register(job: ApiJob, opts: { enforceIndex?: number; submission?: ApiJobSubmission } = {}): Promise<ApiJobRegisterResponse> {
    const body = {
      Job: job,
      ...(opts.enforceIndex !== undefined ? { EnforceIndex: true, JobModifyIndex: opts.enforceIndex } : {}),
      ...(opts.submission ? { Submission: canonicalSubmission(opts.submission) } : {}),
    };
    return (await this.c.request<ApiJobRegisterResponse>('PUT', '/v1/jobs', { body })).data;
  }

  /** POST /v1/jobs/parse: HCL (and var-file text) → JSON job, checked by the agent with its drivers' schemas. */
  async parse(hcl: string, opts: { variables?: string } = {}): Promise<ApiJob> {
    const body: ApiJobsParseRequest = { JobHCL: hcl, Canonicalize: true, ...(opts.variables ? { Variables: opts.variables } : {}) };
    return (await this.c.request<ApiJob>('POST', '/v1/jobs/parse', { body })).data;
  }

  /**
   * POST /v1/jobs/parse?diagnostics=true with drover's additions: what `job run`
   * would otherwise parse itself (file name, -var-file files, -var values,
   * NOMAD_VAR_* variables). Problems come back as data, each with file and line.
   */
  async parseFile(req: JobFileParseRequest): Promise<JobFileParseResult> {
    const body = {
      JobHCL: req.hcl,
      Canonicalize: true,
      Filename: req.file,
      VarFiles: req.varFiles.map((f) => ({ Name: f.file, Content: f.source })),
      Vars: req.vars,
      EnvVars: req.envVars,
    };
    try {
      const data = (await this.c.request<{ Job: ApiJob; Warnings?: FieldProblem[] }>('POST', '/v1/jobs/parse', { body, query: { diagnostics: true } })).data;
      return { job: data.Job, warnings: data.Warnings ?? [], errors: [] };
    } catch (err) {
      const errors = err instanceof ApiError && err.status === 400 ? problemsIn(err.body) : undefined;
      if (!errors) throw err;
      return { warnings: [], errors };
    }
  }

  /** POST /v1/validate/job */
  async validate(job: ApiJob): Promise<JobValidateResponse> {
    return (await this.c.request<JobValidateResponse>('POST', '/v1/validate/job', { body: { Job: job } })).data;
  }

  /** GET /v1/job/:id */
  async info(id: string): Promise<ApiJob> {
    return (await this.c.request<ApiJob>('GET', `/v1/job/${encodeURIComponent(id)}`)).data;
  }

  /**
   * PUT /v1/job/:id/dispatch (Nomad's Jobs.Dispatch): a child of a parameterized job with
   * meta and payload; the same idempotency token returns the existing child.
   */
  async dispatch(
    id: string,
    opts: { meta?: Record<string, string>; payload?: Uint8Array; idempotencyToken?: string; idPrefixTemplate?: string } = {},
  ): Promise<JobDispatchResponse> {
    const body = {
      JobID: id,
      Meta: opts.meta ?? {},
      Payload: opts.payload && opts.payload.length > 0 ? Buffer.from(opts.payload).toString('base64') : null,
      IdPrefixTemplate: opts.idPrefixTemplate ?? '',
    };
    const query = { idempotency_token: opts.idempotencyToken || undefined };
    return (await this.c.request<JobDispatchResponse>('PUT', `/v1/job/${encodeURIComponent(id)}/dispatch`, { body, query })).data;
  }

  /** PUT /v1/job/:id/periodic/force: launches a periodic job's child now. */
  async periodicForce(id: string): Promise<{ EvalID: string; EvalCreateIndex: number; Index: number }> {
    return (await this.c.request<{ EvalID: string; EvalCreateIndex: number; Index: number }>('PUT', `/v1/job/${encodeURIComponent(id)}/periodic/force`)).data;
  }

  /** DELETE /v1/job/:id: stops the job; with purge it is removed once stopped. */
  async deregister(id: string, opts: { purge?: boolean } = {}): Promise<ApiJobDeregisterResponse> {
    return (await this.c.request<ApiJobDeregisterResponse>('DELETE', `/v1/job/${encodeURIComponent(id)}`, { query: { purge: opts.purge ? true : undefined } })).data;
  }

  /** GET /v1/job/:id/allocations */
  async allocations(id: string): Promise<ApiAllocationListStub[]> {
    return (await this.c.request<ApiAllocationListStub[]>('GET', `/v1/job/${encodeURIComponent(id)}/allocations`)).data;
  }

  /**
   * PUT /v1/job/:id/revert (Nomad's Jobs.Revert): registers version `version` again as a new
   * version; with `enforcePriorVersion`, only while the job is still at that version.
   */
  async revert(id: string, version: number, opts: { enforcePriorVersion?: number } = {}): Promise<ApiJobRegisterResponse> {
    const body = { JobID: id, JobVersion: version, ...(opts.enforcePriorVersion !== undefined ? { EnforcePriorVersion: opts.enforcePriorVersion } : {}) };
    return (await this.c.request<ApiJobRegisterResponse>('PUT', `/v1/job/${encodeURIComponent(id)}/revert`, { body })).data;
  }

  /** GET /v1/job/:id/submission?version=N: the source version N was registered from (404 when none was sent). */
  async submission(id: string, version: number): Promise<ApiJobSubmission> {
    return (await this.c.request<ApiJobSubmission>('GET', `/v1/job/${encodeURIComponent(id)}/submission`, { query: { version } })).data;
  }

  /** GET /v1/job/:id/versions (newest first). */
  async versions(id: string): Promise<ApiJobVersionsResponse> {
    return (await this.c.request<ApiJobVersionsResponse>('GET', `/v1/job/${encodeURIComponent(id)}/versions`)).data;
  }

  /** PUT /v1/job/:id/scale: a scaling action (Nomad's ScaleWithRequest); Count absent records only an event. */
  async scale(id: string, req: ApiScalingRequest): Promise<ApiJobRegisterResponse> {
    return (await this.c.request<ApiJobRegisterResponse>('PUT', `/v1/job/${encodeURIComponent(id)}/scale`, { body: req })).data;
  }

  /** GET /v1/job/:id/scale: each group's desired and placed counts and its scaling events. */
  async scaleStatus(id: string): Promise<ApiJobScaleStatus> {
    return (await this.c.request<ApiJobScaleStatus>('GET', `/v1/job/${encodeURIComponent(id)}/scale`)).data;
  }

  /** GET /v1/job/:id/summary */
  async summary(id: string): Promise<ApiJobSummary> {
    return (await this.c.request<ApiJobSummary>('GET', `/v1/job/${encodeURIComponent(id)}/summary`)).data;
  }
}

/** A job file and its variables, as `job run` read them. */
export interface JobFileParseRequest {
  readonly hcl: string;
  readonly file: string;
  readonly varFiles: readonly { file: string; source: string }[];
  readonly vars: Record<string, string>;
  /** NOMAD_VAR_<name> entries of the caller's environment. */
  readonly envVars: Record<string, string>;
}

/** The JSON job, or the problems that stopped it (errors non-empty, job absent). */
export interface JobFileParseResult {
  readonly job?: ApiJob;
  readonly warnings: readonly FieldProblem[];
  readonly errors: readonly FieldProblem[];
}

/** The problem list of a diagnostics 400 ({"Errors": [...]}), or undefined for any other 400 (a plain-text message). */
function problemsIn(body: string): FieldProblem[] | undefined {
  try {
    const v = JSON.parse(body) as { Errors?: unknown };
    return Array.isArray(v.Errors) && v.Errors.length > 0 ? (v.Errors as FieldProblem[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Nomad's api.JobSubmission.Canonicalize: no empty VariableFlags, values query-escaped (multi-line values survive). */
function canonicalSubmission(s: ApiJobSubmission): ApiJobSubmission {
  const flags = Object.entries(s.VariableFlags ?? {});
  return { ...s, VariableFlags: flags.length === 0 ? null : Object.fromEntries(flags.map(([k, v]) => [k, encodeURIComponent(v).replace(/%20/g, '+')])) };
}
