/** Evaluation endpoints (Nomad's api.Evaluations). */
import type { ApiAllocationListStub, ApiEvaluation } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

export class Evaluations {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/evaluations, filtered by ID prefix, job and status. */
  async list(o: { prefix?: string; job?: string; status?: string } = {}): Promise<ApiEvaluation[]> {
    return (await this.c.request<ApiEvaluation[]>('GET', '/v1/evaluations', { query: { prefix: o.prefix, job: o.job, status: o.status } })).data;
  }

  /** GET /v1/evaluation/:id (the full ID). */
  async info(id: string): Promise<ApiEvaluation> {
    return (await this.c.request<ApiEvaluation>('GET', `/v1/evaluation/${encodeURIComponent(id)}`)).data;
  }

  /** GET /v1/evaluation/:id/allocations: the allocations it placed. */
  async allocations(id: string): Promise<ApiAllocationListStub[]> {
    return (await this.c.request<ApiAllocationListStub[]>('GET', `/v1/evaluation/${encodeURIComponent(id)}/allocations`)).data;
  }

  /** GET /v1/job/:id/evaluations, newest first. */
  async ofJob(jobId: string): Promise<ApiEvaluation[]> {
    return (await this.c.request<ApiEvaluation[]>('GET', `/v1/job/${encodeURIComponent(jobId)}/evaluations`)).data;
  }
}
