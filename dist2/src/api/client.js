/**
 * The typed HTTP client for a drover agent (Nomad's api package in
 * TypeScript): one ApiClient per address and token, with a namespace per
 * resource — jobs, allocations, client (stats, signal, restart, fs, logs,
 * exec), nodes, agent, events, acl. Errors carry the status and Nomad's
 * plain-text message; streams are AsyncIterables that end on abort.
 */
import { Jobs } from './jobs.js';
import { Allocations } from './allocations.js';
import { ClientApi } from './client-api.js';
import { Nodes } from './nodes.js';
import { AgentApi } from './agent.js';
import { DroverError, codeForHttpStatus } from '../model/errors.js';
import { EventStream } from './events.js';
import { Acl } from './acl.js';
/** A non-2xx answer: `status` and the agent's message ("job not found"); its code is the one the status stands for. */
export class ApiError extends DroverError {
    status;
    body;
    method;
    path;
    constructor(status, body, method, path) {
        super(codeForHttpStatus(status), `Unexpected response code: ${status} (${body.trim()})`);
        this.status = status;
        this.body = body;
        this.method = method;
        this.path = path;
    }
}
/** The default agent address. */
export const DEFAULT_ADDRESS = 'http://127.0.0.1:4646';
export class ApiClient {
    address;
    token;
    timeoutMs;
    jobs;
    allocations;
    client;
    nodes;
    agent;
    events;
    acl;
    constructor(o = {}) {
        const addr = o.address ?? process.env.DROVER_ADDR ?? process.env.NOMAD_ADDR ?? DEFAULT_ADDRESS;
        this.address = (/^[a-z]+:\/\//i.test(addr) ? addr : `http://${addr}`).replace(/\/+$/, '');
        this.token = o.token ?? process.env.DROVER_TOKEN ?? process.env.NOMAD_TOKEN ?? undefined;
        this.timeoutMs = o.timeoutMs ?? 60_000;
        this.jobs = new Jobs(this);
        this.allocations = new Allocations(this);
        this.client = new ClientApi(this);
        this.nodes = new Nodes(this);
        this.agent = new AgentApi(this);
        this.events = new EventStream(this);
        this.acl = new Acl(this);
    }
    /** The full URL of `path` with `query`. */
    url(path, query = {}) {
        const u = new URL(this.address + path);
        for (const [k, v] of Object.entries(query)) {
            if (v === undefined)
                continue;
            if (Array.isArray(v))
                for (const item of v)
                    u.searchParams.append(k, String(item));
            else
                u.searchParams.set(k, String(v));
        }
        return u.toString();
    }
    /** Headers every request carries (the token). */
    headers() {
        return this.token ? { 'X-Nomad-Token': this.token } : {};
    }
    /** A JSON request; throws ApiError on a non-2xx status. */
    async request(method, path, o = {}) {
        const res = await this.raw(method, path, { ...o, signal: o.signal ?? AbortSignal.timeout(this.timeoutMs) });
        const text = await res.text();
        return { data: (text === '' ? undefined : JSON.parse(text)), index: Number(res.headers.get('x-nomad-index') ?? 0) };
    }
    /** A text request (file contents, Prometheus metrics). */
    async text(method, path, o = {}) {
        const res = await this.raw(method, path, { ...o, signal: o.signal ?? AbortSignal.timeout(this.timeoutMs) });
        return res.text();
    }
    /** The raw response for streaming; throws ApiError on a non-2xx status. */
    async raw(method, path, o = {}) {
        const init = { method, headers: { ...this.headers() }, ...(o.signal ? { signal: o.signal } : {}) };
        if (o.body !== undefined) {
            init.body = JSON.stringify(o.body);
            init.headers['Content-Type'] = 'application/json';
        }
        const res = await fetch(this.url(path, o.query), init);
        if (!res.ok)
            throw new ApiError(res.status, await res.text(), method, path);
        return res;
    }
}
//# sourceMappingURL=client.js.map