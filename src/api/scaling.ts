/** Scaling policy endpoints (Nomad's api.Scaling). */
import type { ApiScalingPolicy, ApiScalingPolicyListStub } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

export class Scaling {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/scaling/policies, optionally of one job or type prefix. */
  async listPolicies(opts: { job?: string; type?: string } = {}): Promise<ApiScalingPolicyListStub[]> {
    return (await this.c.request<ApiScalingPolicyListStub[]>('GET', '/v1/scaling/policies', { query: { job: opts.job, type: opts.type } })).data;
  }

  /** GET /v1/scaling/policy/:id */
  async policy(id: string): Promise<ApiScalingPolicy> {
    return (await this.c.request<ApiScalingPolicy>('GET', `/v1/scaling/policy/${encodeURIComponent(id)}`)).data;
  }
}
