export class Allocations {
    c;
    constructor(c) {
        this.c = c;
    }
    /** GET /v1/allocations (`prefix` filters by id prefix). */
    async list(opts = {}) {
        const query = { prefix: opts.prefix, task_states: opts.taskStates === false ? false : undefined };
        return (await this.c.request('GET', '/v1/allocations', { query })).data;
    }
    /** GET /v1/allocation/:id (full id or unique prefix). */
    async info(id) {
        return (await this.c.request('GET', `/v1/allocation/${encodeURIComponent(id)}`)).data;
    }
    /** POST /v1/allocation/:id/stop: stops it; a replacement is placed unless the job is stopped. */
    async stop(id) {
        return (await this.c.request('POST', `/v1/allocation/${encodeURIComponent(id)}/stop`)).data;
    }
}
//# sourceMappingURL=allocations.js.map