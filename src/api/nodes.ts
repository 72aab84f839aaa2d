/** Node endpoints (Nomad's api.Nodes): drover's agent is its one node. */
import type { ApiAllocationListStub, ApiNode, ApiNodeListStub } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

export class Nodes {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/nodes */
  async list(opts: { prefix?: string } = {}): Promise<ApiNodeListStub[]> {
    return (await this.c.request<ApiNodeListStub[]>('GET', '/v1/nodes', { query: { prefix: opts.prefix } })).data;
  }

  /** GET /v1/node/:id ("self" names the agent's own node). */
  async info(id: string): Promise<ApiNode> {
    return (await this.c.request<ApiNode>('GET', `/v1/node/${encodeURIComponent(id)}`)).data;
  }

  /** GET /v1/node/:id/allocations */
  async allocations(id: string): Promise<ApiAllocationListStub[]> {
    return (await this.c.request<ApiAllocationListStub[]>('GET', `/v1/node/${encodeURIComponent(id)}/allocations`)).data;
  }
}
