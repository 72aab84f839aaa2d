export class AgentApi {
    c;
    constructor(c) {
        this.c = c;
    }
    /** GET /v1/agent/self */
    async self() {
        return (await this.c.request('GET', '/v1/agent/self')).data;
    }
    /** GET /v1/agent/health */
    async health() {
        return (await this.c.request('GET', '/v1/agent/health')).data;
    }
    /** GET /v1/metrics (JSON summary). */
    async metrics() {
        return (await this.c.request('GET', '/v1/metrics')).data;
    }
    /** GET /v1/metrics?format=prometheus (text exposition format). */
    prometheus() {
        return this.c.text('GET', '/v1/metrics', { query: { format: 'prometheus' } });
    }
}
//# sourceMappingURL=agent.js.map