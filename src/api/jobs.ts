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
} from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

/** Nomad's JobValidateResponse. */
export interface JobValidateResponse {
  DriverConfigValidated: boolean;
  ValidationErrors: string[];
  Error: string;
  Warnings: string;
}

export class Jobs {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/jobs */
  async list(opts: { prefix?: string } = {}): Promise<ApiJobListStub[]> {
    return (await this.c.request<ApiJobListStub[]>('GET', '/v1/jobs', { query: { prefix: opts.prefix } })).data;
  }

  /** PUT /v1/jobs: registers (or updates) a job given as Nomad's JSON. */
  async register(job: ApiJob, opts: { enforceIndex?: number } = {}): Promise<ApiJobRegisterResponse> {
    const body = { Job: job, ...(opts.enforceIndex !== undefined ? { EnforceIndex: true, JobModifyIndex: opts.enforceIndex } : {}) };
    return (await this.c.request<ApiJobRegisterResponse>('PUT', '/v1/jobs', { body })).data;
  }

  /** POST /v1/jobs/parse: HCL (and var-file text) → JSON job, checked by the agent with its drivers' schemas. */
  async parse(hcl: string, opts: { variables?: string } = {}): Promise<ApiJob> {
    const body: ApiJobsParseRequest = { JobHCL: hcl, Canonicalize: true, ...(opts.variables ? { Variables: opts.variables } : {}) };
    return (await this.c.request<ApiJob>('POST', '/v1/jobs/parse', { body })).data;
  }

  /** POST /v1/validate/job */
  async validate(job: ApiJob): Promise<JobValidateResponse> {
    return (await this.c.request<JobValidateResponse>('POST', '/v1/validate/job', { body: { Job: job } })).data;
  }

  /** GET /v1/job/:id */
  async info(id: string): Promise<ApiJob> {
    return (await this.c.request<ApiJob>('GET', `/v1/job/${encodeURIComponent(id)}`)).data;
  }

  /** DELETE /v1/job/:id: stops the job; with purge it is removed once stopped. */
  async deregister(id: string, opts: { purge?: boolean } = {}): Promise<ApiJobDeregisterResponse> {
    return (await this.c.request<ApiJobDeregisterResponse>('DELETE', `/v1/job/${encodeURIComponent(id)}`, { query: { purge: opts.purge ? true : undefined } })).data;
  }

  /** GET /v1/job/:id/allocations */
  async allocations(id: string): Promise<ApiAllocationListStub[]> {
    return (await this.c.request<ApiAllocationListStub[]>('GET', `/v1/job/${encodeURIComponent(id)}/allocations`)).data;
  }

  /** GET /v1/job/:id/versions (newest first). */
  async versions(id: string): Promise<ApiJobVersionsResponse> {
    return (await this.c.request<ApiJobVersionsResponse>('GET', `/v1/job/${encodeURIComponent(id)}/versions`)).data;
  }

  /** GET /v1/job/:id/summary */
  async summary(id: string): Promise<ApiJobSummary> {
    return (await this.c.request<ApiJobSummary>('GET', `/v1/job/${encodeURIComponent(id)}/summary`)).data;
  }
}
