/**
 * The agent's HTTP API (Fastify) on Nomad's paths. Bodies are read as raw
 * bytes and parsed by the handlers, so any content type works (Nomad's
 * clients do not always send one) and JSON errors name what was wrong;
 * oversized bodies are refused with 413 before they are read in full.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import { rewriteJobUrl } from './job-path.js';
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { Agent } from '../core/agent.js';
import { AclService } from '../core/acl.js';
import { HttpError, toHttp } from './errors.js';
import { Metrics } from './metrics-registry.js';
import type { HttpContext, Method, RouteDef, WsLike } from './routes.js';
import { allRoutes } from './all-routes.js';
import { registerUi } from './ui.js';

export interface HttpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly eventHeartbeatMs?: number;
  readonly logHeartbeatMs?: number;
  /** false: no TCP listener, only the tasks' API sockets (drover run's embedded agent). */
  readonly listen?: boolean;
}

/** A listening API server. */
export interface HttpServer {
  /** "127.0.0.1:4646" */
  readonly address: string;
  readonly app: FastifyInstance;
  /** Every method and path the server answers, as Fastify registered them (the route tests walk it, so none escapes). */
  readonly routes: ReadonlyArray<{ readonly method: string; readonly url: string }>;
  close(): Promise<void>;
}

/** A module as Fastify itself would load it (its own dependencies, wherever npm put them). */
const requireFromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
type CompilerBuilder = (...args: unknown[]) => unknown;

/**
 * No route declares a JSON schema (handlers parse bodies themselves), yet Fastify
 * loads its schema compilers (ajv, fast-json-stringify: ~220 modules) when a
 * server is built. These builders load them only if a schema ever needs one.
 */
const LAZY_SCHEMA_COMPILERS = {
  buildValidator: (...args: unknown[]): unknown => (requireFromFastify('@fastify/ajv-compiler') as () => CompilerBuilder)()(...args),
  buildSerializer: (...args: unknown[]): unknown => (requireFromFastify('@fastify/fast-json-stringify-compiler') as () => CompilerBuilder)()(...args),
};

/** Starts the API for `agent`; resolves once it listens. */
export async function startHttpServer(agent: Agent, o: HttpServerOptions): Promise<HttpServer> {
  const app = Fastify({
    logger: false,
    bodyLimit: o.maxBodyBytes,
    forceCloseConnections: true,
    return503OnClosing: false,
    // Child job IDs hold "/": one escaped segment for the router, as Nomad accepts either form.
    rewriteUrl: (req) => rewriteJobUrl(req.url ?? '/'),
    // Nomad sets no length on job IDs, variable paths or service names: a path parameter may be as
    // long as the request line allows (Fastify's default of 100 answered a longer job ID with 414).
    routerOptions: { maxParamLength: MAX_HEADER_BYTES },
    clientErrorHandler,
    schemaController: { compilersFactory: LAZY_SCHEMA_COMPILERS as never },
  });
  const routes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });

  const closing = new AbortController();
  let address = '';
  const ctx: HttpContext = {
    agent,
    acl: new AclService(agent.db, agent.config.aclEnabled, agent.now, agent.identities),
    metrics: new Metrics(),
    address: () => address,
    eventHeartbeatMs: o.eventHeartbeatMs ?? 10_000,
    logHeartbeatMs: o.logHeartbeatMs ?? 1_000,
    closing: closing.signal,
  };

  // A declared length over the limit gets its 413 only after the body was drained: answering
  // mid-upload makes the server drop the connection and clients see a reset, not the 413.
  app.addHook('onRequest', (req, reply, done) => {
    const len = Number(req.headers['content-length'] ?? 0);
    if (len <= o.maxBodyBytes) return done();
    req.raw.resume();
    req.raw.once('end', () => void reply.code(413).header('Connection', 'close').type('text/plain; charset=utf-8').send('Request body is too large'));
  });
  app.setErrorHandler((err, req, reply) => {
    const { status, message } = toHttp(err);
    if (status >= 500) agent.logger.named('http').error('request failed', { method: req.method, url: req.url, code: status, error: message });
    void reply.code(status).type('text/plain; charset=utf-8').send(message);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).type('text/plain; charset=utf-8').send(`Invalid URL: ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  // What a client is shown must already be on disk: task states are written at the end of the
  // event loop's tick, and a reply written earlier in the same tick could outrun a SIGKILL.
  app.addHook('onSend', (_req, _reply, payload, done) => {
    agent.store.flush();
    done(null, payload);
  });
  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.inc('nomad.http.request', { method: req.method, route: req.routeOptions.url ?? 'unknown', code: String(reply.statusCode) });
  });

  for (const r of allRoutes(ctx)) register(app, ctx, r);
  await registerUi(app);

  if (o.listen === false) await app.ready();
  else await app.listen({ host: o.host, port: o.port });
  // Tasks' secrets/api.sock serve this same API once it listens (Nomad's builtin task API server).
  agent.taskApi.attach({
    authenticate: (headers) => ctx.acl.authenticateTaskApi(tokenFromHeaders(headers)),
    route: (req, res) => app.routing(req, res),
    upgrade: (req, socket, head) => app.server.emit('upgrade', req, socket, head),
  });
  const bound = o.listen === false ? null : app.server.address();
  address = typeof bound === 'object' && bound ? `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` : bound === null ? '' : String(bound);
  return {
    address,
    app,
    routes,
    close: async () => {
      closing.abort();
      agent.taskApi.attach(undefined);
      await app.close();
    },
  };
}

/** Node's default limit on a request's line and headers together. */
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Answers a request Node could not parse (headers over the limit, malformed HTTP) as the API
 * answers errors, in plain text, and says the connection closes: Fastify's default answer
 * omits `Connection: close`, so a keep-alive client reused the socket and its next request
 * failed with "socket hang up".
 */
function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request header fields too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timeout']
        : [400, 'Malformed HTTP request'];
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
  }
  socket.destroy(err);
}

/** The token from X-Nomad-Token or `Authorization: Bearer` (Nomad's parseToken). */
export function requestToken(req: FastifyRequest): string | undefined {
  return tokenFromHeaders(req.headers);
}

/** {@link requestToken} over raw headers (the task API checks them before Fastify sees the request). */
export function tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const h = headers['x-nomad-token'];
  const direct = Array.isArray(h) ? h[0] : h;
  if (direct && direct.trim() !== '') return direct.trim();
  const auth = headers.authorization;
  if (auth) {
    const [scheme, ...rest] = auth.split(' ');
    if (scheme?.toLowerCase() === 'bearer' && rest.length > 0) return rest.join(' ').trim().split(' ')[0];
  }
  return undefined;
}

function register(app: FastifyInstance, ctx: HttpContext, r: RouteDef): void {
  const preHandler = async (req: FastifyRequest): Promise<void> => {
    // A browser cannot set headers on a WebSocket: with ws_handshake=true the token comes in the first message.
    if (r.websocket && wantsWsHandshake(req)) return;
    ctx.acl.authorize(requestToken(req), r.acl);
  };
  const methods: Method[] = typeof r.method === 'string' ? [r.method] : [...r.method];
  if (r.websocket) {
    const ws = r.wsHandler as NonNullable<RouteDef['wsHandler']>;
    const handler = (socket: unknown, req: FastifyRequest): void => {
      if (!wantsWsHandshake(req)) return ws(socket as WsLike, req);
      readWsHandshake(ctx, socket as WsLike, req, r.acl, () => ws(socket as WsLike, req));
    };
    app.route({ method: 'GET', url: r.url, preHandler, websocket: true, handler });
    return;
  }
  app.route({
    method: methods,
    url: r.url,
    preHandler,
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const out = await r.handler(req, reply);
      if (reply.sent || out === undefined) return reply;
      void reply.header('X-Nomad-Index', String(ctx.agent.db.lastIndex)).header('X-Nomad-KnownLeader', 'true').header('X-Nomad-LastContact', '0');
      return out;
    },
  });
}

/** Whether a WebSocket request asks to send its token in a handshake message (Nomad's ws_handshake=true). */
function wantsWsHandshake(req: FastifyRequest): boolean {
  const v = (req.query as Record<string, unknown> | undefined)?.['ws_handshake'];
  return typeof v === 'string' && ['1', 't', 'true', 'TRUE', 'True'].includes(v);
}

/**
 * Nomad's readWsHandshake: the first message is `{"version":1,"auth_token":"…"}`; a token
 * also sent as a header must agree with it. The token is then checked as the route's ACL
 * would have checked the header, and only then does the route see the socket (and the
 * messages after the handshake). Any failure closes with 1008 and the reason.
 */
function readWsHandshake(ctx: HttpContext, socket: WsLike, req: FastifyRequest, need: RouteDef['acl'], start: () => void): void {
  let done = false;
  socket.on('message', (data) => {
    if (done) return;
    done = true;
    try {
      let msg: { version?: unknown; auth_token?: unknown };
      try {
        msg = JSON.parse(data.toString()) as typeof msg;
      } catch {
        throw new HttpError(400, 'malformed handshake: expected JSON');
      }
      // `null` is JSON too, and has no fields to read.
      if (typeof msg !== 'object' || msg === null) throw new HttpError(400, 'malformed handshake: expected a JSON object');
      const token = typeof msg.auth_token === 'string' ? msg.auth_token : '';
      const header = requestToken(req);
      if (header && header !== token) throw new HttpError(400, 'handshake auth token mismatched auth header token');
      if (msg.version !== 1) throw new HttpError(400, `unexpected handshake value: ${String(msg.version)}`);
      ctx.acl.authorize(token === '' ? undefined : token, need);
    } catch (err) {
      const { status, message } = toHttp(err);
      socket.close(status >= 500 ? 1011 : 1008, message.slice(0, 120));
      return;
    }
    start();
  });
}
