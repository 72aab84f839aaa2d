/** ACL token endpoints (Nomad's api.ACLTokens). */
import type { ApiAclToken, ApiAclTokenCreateRequest } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

export class Acl {
  constructor(private readonly c: ApiClient) {}

  /** POST /v1/acl/bootstrap: the first management token (once per agent). */
  async bootstrap(): Promise<ApiAclToken> {
    return (await this.c.request<ApiAclToken>('POST', '/v1/acl/bootstrap')).data;
  }

  /** GET /v1/acl/token/self */
  async self(): Promise<ApiAclToken> {
    return (await this.c.request<ApiAclToken>('GET', '/v1/acl/token/self')).data;
  }

  /** POST /v1/acl/token (management token required). */
  async create(req: ApiAclTokenCreateRequest): Promise<ApiAclToken> {
    return (await this.c.request<ApiAclToken>('POST', '/v1/acl/token', { body: req })).data;
  }

  /** GET /v1/acl/tokens (secrets blanked). */
  async list(): Promise<ApiAclToken[]> {
    return (await this.c.request<ApiAclToken[]>('GET', '/v1/acl/tokens')).data;
  }

  /** GET /v1/acl/token/:accessor */
  async info(accessorId: string): Promise<ApiAclToken> {
    return (await this.c.request<ApiAclToken>('GET', `/v1/acl/token/${encodeURIComponent(accessorId)}`)).data;
  }

  /** DELETE /v1/acl/token/:accessor */
  async delete(accessorId: string): Promise<void> {
    await this.c.request('DELETE', `/v1/acl/token/${encodeURIComponent(accessorId)}`);
  }
}
