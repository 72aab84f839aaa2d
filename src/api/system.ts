/** System endpoints (Nomad's api.System). */
import type { ApiClient } from './client.js';

export class SystemApi {
  constructor(private readonly c: ApiClient) {}

  /** PUT /v1/system/gc: collects every finished job and alloc now, whatever its age (management token). */
  async garbageCollect(): Promise<void> {
    await this.c.request('PUT', '/v1/system/gc');
  }
}
