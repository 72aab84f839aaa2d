/** Allocation endpoints (Nomad's api.Allocations, server side). */
import type { ApiAllocation, ApiAllocationListStub, ApiAllocStopResponse } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

export class Allocations {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/allocations (`prefix` filters by id prefix). */
  async list(opts: { prefix?: string; taskStates?: boolean } = {}): Promise<ApiAllocationListStub[]> {
    const query = { prefix: opts.prefix, task_states: opts.taskStates === false ? false : undefined };
    return (await this.c.request<ApiAllocationListStub[]>('GET', '/v1/allocations', { query })).data;
  }

  /** GET /v1/allocation/:id (full id or unique prefix). */
  async info(id: string): Promise<ApiAllocation> {
    return (await this.c.request<ApiAllocation>('GET', `/v1/allocation/${encodeURIComponent(id)}`)).data;
  }

  /** POST /v1/allocation/:id/stop: stops it; a replacement is placed unless the job is stopped. */
  async stop(id: string): Promise<ApiAllocStopResponse> {
    return (await this.c.request<ApiAllocStopResponse>('POST', `/v1/allocation/${encodeURIComponent(id)}/stop`)).data;
  }
}
