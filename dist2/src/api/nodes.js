export class Nodes {
    c;
    constructor(c) {
        this.c = c;
    }
    /** GET /v1/nodes */
    async list(opts = {}) {
        return (await this.c.request('GET', '/v1/nodes', { query: { prefix: opts.prefix } })).data;
    }
    /** GET /v1/node/:id ("self" names the agent's own node). */
    async info(id) {
        return (await this.c.request('GET', `/v1/node/${encodeURIComponent(id)}`)).data;
    }
    /** GET /v1/node/:id/allocations */
    async allocations(id) {
        return (await this.c.request('GET', `/v1/node/${encodeURIComponent(id)}/allocations`)).data;
    }
}
//# sourceMappingURL=nodes.js.map