/** Deployment endpoints (Nomad's api.Deployments). */
import type { ApiAllocationListStub, ApiDeployment, ApiDeploymentUpdateResponse } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

export class Deployments {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/deployments (`prefix` filters by id prefix). */
  async list(opts: { prefix?: string } = {}): Promise<ApiDeployment[]> {
    return (await this.c.request<ApiDeployment[]>('GET', '/v1/deployments', { query: { prefix: opts.prefix } })).data;
  }

  /** GET /v1/deployment/:id (full id or unique prefix). */
  async info(id: string): Promise<ApiDeployment> {
    return (await this.c.request<ApiDeployment>('GET', `/v1/deployment/${encodeURIComponent(id)}`)).data;
  }

  /** GET /v1/deployment/allocations/:id */
  async allocations(id: string): Promise<ApiAllocationListStub[]> {
    return (await this.c.request<ApiAllocationListStub[]>('GET', `/v1/deployment/allocations/${encodeURIComponent(id)}`)).data;
  }

  /** POST /v1/deployment/promote/:id: every group's canaries, or those of `groups`. */
  async promote(id: string, groups: readonly string[] = []): Promise<ApiDeploymentUpdateResponse> {
    const body = groups.length === 0 ? { DeploymentID: id, All: true } : { DeploymentID: id, Groups: groups };
    return (await this.c.request<ApiDeploymentUpdateResponse>('POST', `/v1/deployment/promote/${encodeURIComponent(id)}`, { body })).data;
  }

  /** POST /v1/deployment/fail/:id */
  async fail(id: string): Promise<ApiDeploymentUpdateResponse> {
    return (await this.c.request<ApiDeploymentUpdateResponse>('POST', `/v1/deployment/fail/${encodeURIComponent(id)}`, { body: { DeploymentID: id } })).data;
  }

  /** POST /v1/deployment/pause/:id: pauses, or resumes with `pause` false. */
  async pause(id: string, pause: boolean): Promise<ApiDeploymentUpdateResponse> {
    return (await this.c.request<ApiDeploymentUpdateResponse>('POST', `/v1/deployment/pause/${encodeURIComponent(id)}`, { body: { DeploymentID: id, Pause: pause } })).data;
  }

  /** GET /v1/job/:id/deployments, newest first. */
  async forJob(jobId: string): Promise<ApiDeployment[]> {
    return (await this.c.request<ApiDeployment[]>('GET', `/v1/job/${encodeURIComponent(jobId)}/deployments`)).data;
  }

  /** GET /v1/job/:id/deployment: the newest, or null. */
  async latestForJob(jobId: string): Promise<ApiDeployment | null> {
    return (await this.c.request<ApiDeployment | null>('GET', `/v1/job/${encodeURIComponent(jobId)}/deployment`)).data;
  }
}
