/**
 * Client endpoints of one allocation (Nomad's api.Allocations client calls
 * and api.AllocFS): stats, checks, signal, restart, the alloc dir's files,
 * logs and exec. Logs and file streams come as AsyncIterables of bytes.
 */
import type { ApiAllocCheckStatuses, ApiAllocFileInfo, ApiAllocResourceUsage, ApiStreamFrame } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';
import { ndjson } from './ndjson.js';
import { execSession, type ExecSession, type ExecOptions } from './exec.js';

export interface LogsOptions {
  readonly task: string;
  /** Default "stdout". */
  readonly type?: 'stdout' | 'stderr';
  readonly follow?: boolean;
  /** Count `offset` from the start (default) or the end of the logs. */
  readonly origin?: 'start' | 'end';
  readonly offset?: number;
  readonly signal?: AbortSignal;
}

/** One decoded log frame: data and where it came from. */
export interface LogFrame {
  readonly file: string;
  readonly offset: number;
  readonly data: Uint8Array;
}

export class ClientApi {
  constructor(private readonly c: ApiClient) {}

  private path(id: string, what: string): string {
    return `/v1/client/allocation/${encodeURIComponent(id)}/${what}`;
  }

  /** GET /v1/client/allocation/:id/stats */
  async stats(allocId: string, opts: { task?: string } = {}): Promise<ApiAllocResourceUsage> {
    return (await this.c.request<ApiAllocResourceUsage>('GET', this.path(allocId, 'stats'), { query: { task: opts.task } })).data;
  }

  /** GET /v1/client/allocation/:id/checks: the latest result of each Nomad service check, by check id. */
  async checks(allocId: string): Promise<ApiAllocCheckStatuses> {
    return (await this.c.request<ApiAllocCheckStatuses>('GET', this.path(allocId, 'checks'))).data;
  }

  /** POST /v1/client/allocation/:id/signal: one task, or every running task when `task` is omitted. */
  async signal(allocId: string, signal: string, opts: { task?: string } = {}): Promise<void> {
    await this.c.request('POST', this.path(allocId, 'signal'), { body: { Signal: signal, ...(opts.task ? { Task: opts.task } : {}) } });
  }

  /** POST /v1/client/allocation/:id/restart: one task, the running tasks, or with allTasks every task. */
  async restart(allocId: string, opts: { task?: string; allTasks?: boolean } = {}): Promise<void> {
    await this.c.request('POST', this.path(allocId, 'restart'), { body: { TaskName: opts.task ?? '', AllTasks: opts.allTasks ?? false } });
  }

  /** GET /v1/client/allocation/:id/gc: removes a terminal alloc's dir from this node (its record stays). */
  async garbageCollect(allocId: string): Promise<void> {
    await this.c.request('GET', this.path(allocId, 'gc'));
  }

  /** GET /v1/client/gc: removes the dirs of every terminal alloc on this node. */
  async garbageCollectAll(): Promise<void> {
    await this.c.request('GET', '/v1/client/gc');
  }

  /** GET /v1/client/fs/ls/:alloc */
  async ls(allocId: string, path = '/'): Promise<ApiAllocFileInfo[]> {
    return (await this.c.request<ApiAllocFileInfo[]>('GET', `/v1/client/fs/ls/${encodeURIComponent(allocId)}`, { query: { path } })).data;
  }

  /** GET /v1/client/fs/stat/:alloc */
  async stat(allocId: string, path: string): Promise<ApiAllocFileInfo> {
    return (await this.c.request<ApiAllocFileInfo>('GET', `/v1/client/fs/stat/${encodeURIComponent(allocId)}`, { query: { path } })).data;
  }

  /** GET /v1/client/fs/cat/:alloc: the whole file. */
  async cat(allocId: string, path: string): Promise<Buffer> {
    const res = await this.c.raw('GET', `/v1/client/fs/cat/${encodeURIComponent(allocId)}`, { query: { path } });
    return Buffer.from(await res.arrayBuffer());
  }

  /** GET /v1/client/fs/readat/:alloc: `limit` bytes (0: to the end) from `offset`. */
  async readAt(allocId: string, path: string, offset: number, limit = 0): Promise<Buffer> {
    const res = await this.c.raw('GET', `/v1/client/fs/readat/${encodeURIComponent(allocId)}`, { query: { path, offset, limit } });
    return Buffer.from(await res.arrayBuffer());
  }

  /** GET /v1/client/fs/logs/:alloc?plain=true: raw log bytes; with follow, until `signal` aborts. */
  async *logs(allocId: string, o: LogsOptions): AsyncGenerator<Uint8Array> {
    const res = await this.c.raw('GET', `/v1/client/fs/logs/${encodeURIComponent(allocId)}`, { query: { ...logQuery(o), plain: true }, signal: o.signal });
    yield* res.body;
  }

  /** GET /v1/client/fs/logs/:alloc in Nomad's framed form: decoded frames, heartbeats skipped. */
  async *logFrames(allocId: string, o: LogsOptions): AsyncGenerator<LogFrame> {
    const res = await this.c.raw('GET', `/v1/client/fs/logs/${encodeURIComponent(allocId)}`, { query: logQuery(o), signal: o.signal });
    for await (const f of ndjson<ApiStreamFrame>(res.body)) {
      if (f.Data === undefined && f.File === undefined) continue;
      yield { file: f.File ?? '', offset: f.Offset ?? 0, data: Buffer.from(f.Data ?? '', 'base64') };
    }
  }

  /** GET /v1/client/allocation/:id/exec over a WebSocket. */
  exec(allocId: string, o: ExecOptions): Promise<ExecSession> {
    return execSession(this.c, allocId, o);
  }
}

function logQuery(o: LogsOptions): Record<string, string | number | boolean | undefined> {
  return { task: o.task, type: o.type ?? 'stdout', follow: o.follow ?? false, origin: o.origin, offset: o.offset };
}
