/**
 * The typed HTTP client for a drover agent (Nomad's api package in
 * TypeScript): one ApiClient per address and token, with a namespace per
 * resource — jobs, allocations, client (stats, signal, restart, checks, fs,
 * logs, exec, gc), nodes, agent, events, acl, services, variables, system. Errors carry the status and Nomad's
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
import { Services } from './services.js';
import { Variables } from './variables.js';
import { SystemApi } from './system.js';
import { Evaluations } from './evaluations.js';
import { Scaling } from './scaling.js';
import { httpRequest, type HttpResponse } from './http.js';

/** Where and as whom to talk to the agent. */
export interface ApiClientOptions {
  /**
   * "http://127.0.0.1:4646" (a bare "host:port" works too), or "unix:///path/api.sock" (a task's
   * NOMAD_UNIX_ADDR, as Nomad's api client takes it); default: $DROVER_ADDR, $NOMAD_ADDR, then that.
   */
  readonly address?: string;
  /** ACL secret sent as X-Nomad-Token; default: $DROVER_TOKEN, then $NOMAD_TOKEN. */
  readonly token?: string;
  /** Per-request timeout for non-streaming calls, ms (default 60 s). */
  readonly timeoutMs?: number;
}

/** A non-2xx answer: `status` and the agent's message ("job not found"); its code is the one the status stands for. */
export class ApiError extends DroverError {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(codeForHttpStatus(status), `Unexpected response code: ${status} (${body.trim()})`);
  }
}

/** Query parameters; arrays repeat the key, undefined values are left out. */
export type QueryParams = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestOptions {
  readonly query?: QueryParams;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/** A response with Nomad's X-Nomad-Index. */
export interface ApiResponse<T> {
  readonly data: T;
  readonly index: number;
}

/** The default agent address. */
export const DEFAULT_ADDRESS = 'http://127.0.0.1:4646';

export class ApiClient {
  readonly address: string;
  /** The unix socket requests go through, for a unix:// address. */
  readonly socketPath: string | undefined;
  readonly token: string | undefined;
  private readonly timeoutMs: number;
  readonly jobs: Jobs;
  readonly allocations: Allocations;
  readonly client: ClientApi;
  readonly nodes: Nodes;
  readonly agent: AgentApi;
  readonly events: EventStream;
  readonly acl: Acl;
  readonly services: Services;
  readonly variables: Variables;
  readonly system: SystemApi;
  readonly evaluations: Evaluations;
  readonly scaling: Scaling;

  constructor(o: ApiClientOptions = {}) {
    const addr = o.address ?? process.env.DROVER_ADDR ?? process.env.NOMAD_ADDR ?? DEFAULT_ADDRESS;
    // A unix socket: requests go through it with Host "localhost" (Nomad's api.Config for unix://).
    this.socketPath = addr.startsWith('unix://') ? addr.slice('unix://'.length) : undefined;
    this.address = this.socketPath !== undefined ? 'http://localhost' : (/^[a-z]+:\/\//i.test(addr) ? addr : `http://${addr}`).replace(/\/+$/, '');
    this.token = o.token ?? process.env.DROVER_TOKEN ?? process.env.NOMAD_TOKEN ?? undefined;
    this.timeoutMs = o.timeoutMs ?? 60_000;
    this.jobs = new Jobs(this);
    this.allocations = new Allocations(this);
    this.client = new ClientApi(this);
    this.nodes = new Nodes(this);
    this.agent = new AgentApi(this);
    this.events = new EventStream(this);
    this.acl = new Acl(this);
    this.services = new Services(this);
    this.variables = new Variables(this);
    this.system = new SystemApi(this);
    this.evaluations = new Evaluations(this);
    this.scaling = new Scaling(this);
  }

  /** The full URL of `path` with `query`. */
  url(path: string, query: QueryParams = {}): string {
    const u = new URL(this.address + path);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, String(item));
      else u.searchParams.set(k, String(v));
    }
    return u.toString();
  }

  /** Headers every request carries (the token). */
  headers(): Record<string, string> {
    return this.token ? { 'X-Nomad-Token': this.token } : {};
  }

  /** A JSON request; throws ApiError on a non-2xx status. */
  async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<ApiResponse<T>> {
    const res = await this.raw(method, path, { ...o, signal: o.signal ?? AbortSignal.timeout(this.timeoutMs) });
    const text = await res.text();
    return { data: (text === '' ? undefined : JSON.parse(text)) as T, index: Number(res.header('x-nomad-index') ?? 0) };
  }

  /** A text request (file contents, Prometheus metrics). */
  async text(method: string, path: string, o: RequestOptions = {}): Promise<string> {
    const res = await this.raw(method, path, { ...o, signal: o.signal ?? AbortSignal.timeout(this.timeoutMs) });
    return res.text();
  }

  /** The raw response for streaming; throws ApiError on a non-2xx status. */
  async raw(method: string, path: string, o: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...this.headers() };
    let body: string | undefined;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['Content-Type'] = 'application/json';
    }
    const res = await httpRequest(this.url(path, o.query), { method, headers, body, signal: o.signal, socketPath: this.socketPath });
    if (!res.ok) throw new ApiError(res.status, await res.text(), method, path);
    return res;
  }
}
