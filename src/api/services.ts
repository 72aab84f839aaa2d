/** Nomad's native service discovery endpoints (api/services.go). */
import type { ApiServiceRegistration, ApiServiceRegistrationListStub } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

/** Which namespace to read or write: a name, "*" for all (reads), default "default". */
export interface NamespaceOptions {
  readonly namespace?: string;
}

export class Services {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/services: service names and their tags, grouped by namespace; `prefix` keeps names starting with it. */
  async list(opts: NamespaceOptions & { prefix?: string } = {}): Promise<ApiServiceRegistrationListStub[]> {
    return (await this.c.request<ApiServiceRegistrationListStub[]>('GET', '/v1/services', { query: { namespace: opts.namespace, prefix: opts.prefix } })).data;
  }

  /** GET /v1/service/:name: every registered instance; `choose` ("<n>|<key>") picks n of them stably for the key. */
  async get(name: string, opts: NamespaceOptions & { choose?: string } = {}): Promise<ApiServiceRegistration[]> {
    const query = { namespace: opts.namespace, choose: opts.choose };
    return (await this.c.request<ApiServiceRegistration[]>('GET', `/v1/service/${encodeURIComponent(name)}`, { query })).data;
  }

  /** DELETE /v1/service/:name/:id: removes one registration (found by namespace and id). */
  async delete(name: string, id: string, opts: NamespaceOptions = {}): Promise<void> {
    await this.c.request('DELETE', `/v1/service/${encodeURIComponent(name)}/${encodeURIComponent(id)}`, { query: { namespace: opts.namespace } });
  }
}
