import { bytes, ndjson } from './ndjson.js';
import { execSession } from './exec.js';
export class ClientApi {
    c;
    constructor(c) {
        this.c = c;
    }
    path(id, what) {
        return `/v1/client/allocation/${encodeURIComponent(id)}/${what}`;
    }
    /** GET /v1/client/allocation/:id/stats */
    async stats(allocId, opts = {}) {
        return (await this.c.request('GET', this.path(allocId, 'stats'), { query: { task: opts.task } })).data;
    }
    /** POST /v1/client/allocation/:id/signal: one task, or every running task when `task` is omitted. */
    async signal(allocId, signal, opts = {}) {
        await this.c.request('POST', this.path(allocId, 'signal'), { body: { Signal: signal, ...(opts.task ? { Task: opts.task } : {}) } });
    }
    /** POST /v1/client/allocation/:id/restart: one task, the running tasks, or with allTasks every task. */
    async restart(allocId, opts = {}) {
        await this.c.request('POST', this.path(allocId, 'restart'), { body: { TaskName: opts.task ?? '', AllTasks: opts.allTasks ?? false } });
    }
    /** GET /v1/client/fs/ls/:alloc */
    async ls(allocId, path = '/') {
        return (await this.c.request('GET', `/v1/client/fs/ls/${encodeURIComponent(allocId)}`, { query: { path } })).data;
    }
    /** GET /v1/client/fs/stat/:alloc */
    async stat(allocId, path) {
        return (await this.c.request('GET', `/v1/client/fs/stat/${encodeURIComponent(allocId)}`, { query: { path } })).data;
    }
    /** GET /v1/client/fs/cat/:alloc: the whole file. */
    async cat(allocId, path) {
        const res = await this.c.raw('GET', `/v1/client/fs/cat/${encodeURIComponent(allocId)}`, { query: { path } });
        return Buffer.from(await res.arrayBuffer());
    }
    /** GET /v1/client/fs/readat/:alloc: `limit` bytes (0: to the end) from `offset`. */
    async readAt(allocId, path, offset, limit = 0) {
        const res = await this.c.raw('GET', `/v1/client/fs/readat/${encodeURIComponent(allocId)}`, { query: { path, offset, limit } });
        return Buffer.from(await res.arrayBuffer());
    }
    /** GET /v1/client/fs/logs/:alloc?plain=true: raw log bytes; with follow, until `signal` aborts. */
    async *logs(allocId, o) {
        const res = await this.c.raw('GET', `/v1/client/fs/logs/${encodeURIComponent(allocId)}`, { query: { ...logQuery(o), plain: true }, signal: o.signal });
        yield* bytes(res.body, o.signal);
    }
    /** GET /v1/client/fs/logs/:alloc in Nomad's framed form: decoded frames, heartbeats skipped. */
    async *logFrames(allocId, o) {
        const res = await this.c.raw('GET', `/v1/client/fs/logs/${encodeURIComponent(allocId)}`, { query: logQuery(o), signal: o.signal });
        for await (const f of ndjson(res.body, o.signal)) {
            if (f.Data === undefined && f.File === undefined)
                continue;
            yield { file: f.File ?? '', offset: f.Offset ?? 0, data: Buffer.from(f.Data ?? '', 'base64') };
        }
    }
    /** GET /v1/client/allocation/:id/exec over a WebSocket. */
    exec(allocId, o) {
        return execSession(this.c, allocId, o);
    }
}
function logQuery(o) {
    return { task: o.task, type: o.type ?? 'stdout', follow: o.follow ?? false, origin: o.origin, offset: o.offset };
}
//# sourceMappingURL=client-api.js.map