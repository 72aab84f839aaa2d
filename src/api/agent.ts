/** Agent endpoints (Nomad's api.Agent) and metrics. */
import type { ApiAgentSelf, ApiMetricsSummary } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

export class AgentApi {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/agent/self */
  async self(): Promise<ApiAgentSelf> {
    return (await this.c.request<ApiAgentSelf>('GET', '/v1/agent/self')).data;
  }

  /** GET /v1/agent/health */
  async health(): Promise<{ client: { ok: boolean; message: string } }> {
    return (await this.c.request<{ client: { ok: boolean; message: string } }>('GET', '/v1/agent/health')).data;
  }

  /** GET /v1/metrics (JSON summary). */
  async metrics(): Promise<ApiMetricsSummary> {
    return (await this.c.request<ApiMetricsSummary>('GET', '/v1/metrics')).data;
  }

  /** GET /v1/metrics?format=prometheus (text exposition format). */
  prometheus(): Promise<string> {
    return this.c.text('GET', '/v1/metrics', { query: { format: 'prometheus' } });
  }
}
