export class Jobs {
    c;
    constructor(c) {
        this.c = c;
    }
    /** GET /v1/jobs */
    async list(opts = {}) {
        return (await this.c.request('GET', '/v1/jobs', { query: { prefix: opts.prefix } })).data;
    }
    /** PUT /v1/jobs: registers (or updates) a job given as Nomad's JSON. */
    async register(job, opts = {}) {
        const body = { Job: job, ...(opts.enforceIndex !== undefined ? { EnforceIndex: true, JobModifyIndex: opts.enforceIndex } : {}) };
        return (await this.c.request('PUT', '/v1/jobs', { body })).data;
    }
    /** POST /v1/jobs/parse: HCL (and var-file text) → JSON job, checked by the agent with its drivers' schemas. */
    async parse(hcl, opts = {}) {
        const body = { JobHCL: hcl, Canonicalize: true, ...(opts.variables ? { Variables: opts.variables } : {}) };
        return (await this.c.request('POST', '/v1/jobs/parse', { body })).data;
    }
    /** POST /v1/validate/job */
    async validate(job) {
        return (await this.c.request('POST', '/v1/validate/job', { body: { Job: job } })).data;
    }
    /** GET /v1/job/:id */
    async info(id) {
        return (await this.c.request('GET', `/v1/job/${encodeURIComponent(id)}`)).data;
    }
    /** DELETE /v1/job/:id: stops the job; with purge it is removed once stopped. */
    async deregister(id, opts = {}) {
        return (await this.c.request('DELETE', `/v1/job/${encodeURIComponent(id)}`, { query: { purge: opts.purge ? true : undefined } })).data;
    }
    /** GET /v1/job/:id/allocations */
    async allocations(id) {
        return (await this.c.request('GET', `/v1/job/${encodeURIComponent(id)}/allocations`)).data;
    }
    /** GET /v1/job/:id/versions (newest first). */
    async versions(id) {
        return (await this.c.request('GET', `/v1/job/${encodeURIComponent(id)}/versions`)).data;
    }
    /** GET /v1/job/:id/summary */
    async summary(id) {
        return (await this.c.request('GET', `/v1/job/${encodeURIComponent(id)}/summary`)).data;
    }
}
//# sourceMappingURL=jobs.js.map