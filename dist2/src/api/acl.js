export class Acl {
    c;
    constructor(c) {
        this.c = c;
    }
    /** POST /v1/acl/bootstrap: the first management token (once per agent). */
    async bootstrap() {
        return (await this.c.request('POST', '/v1/acl/bootstrap')).data;
    }
    /** GET /v1/acl/token/self */
    async self() {
        return (await this.c.request('GET', '/v1/acl/token/self')).data;
    }
    /** POST /v1/acl/token (management token required). */
    async create(req) {
        return (await this.c.request('POST', '/v1/acl/token', { body: req })).data;
    }
    /** GET /v1/acl/tokens (secrets blanked). */
    async list() {
        return (await this.c.request('GET', '/v1/acl/tokens')).data;
    }
    /** GET /v1/acl/token/:accessor */
    async info(accessorId) {
        return (await this.c.request('GET', `/v1/acl/token/${encodeURIComponent(accessorId)}`)).data;
    }
    /** DELETE /v1/acl/token/:accessor */
    async delete(accessorId) {
        await this.c.request('DELETE', `/v1/acl/token/${encodeURIComponent(accessorId)}`);
    }
}
//# sourceMappingURL=acl.js.map