/**
 * Nomad Variables API (command/agent/variable_endpoint.go):
 * GET /v1/vars, GET|PUT|POST|DELETE /v1/var/:path, with `?cas=N`
 * check-and-set and Nomad 1.7's `?lock-acquire`, `?lock-renew`,
 * `?lock-release`.
 *
 * ACL is checked here, per path (the routes are 'anonymous' to the server):
 * list results are filtered by the "list" capability, conflicts hide the
 * items from callers who may not read them (Nomad's "conflict-redacted"),
 * and locks are shown only to management tokens and to the lock's holder.
 * Blocking queries (`index`, `wait`) are not implemented: reads answer at
 * once, which Nomad's clients accept. `filter` and pagination are refused.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseDuration } from '../../model/duration.js';
import type { ApiVariableMetadata } from '../../model/nomad-api/index.js';
import { NotFoundError } from '../core/errors.js';
import { DEFAULT_NAMESPACE, type ApplyResult, type VariableInput } from '../core/variables.js';
import { toApiVariable, toApiVariableMetadata } from '../wire/variable-to-api.js';
import { badRequest } from './errors.js';
import { jsonBody, param, query } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';
import { requestToken } from './server.js';

const LOCK_OPS = ['lock-acquire', 'lock-renew', 'lock-release'] as const;
type LockOp = (typeof LOCK_OPS)[number];

export function variableRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  /** Whether the caller holds a management token (everyone does with ACLs off). */
  const isManagement = (req: FastifyRequest): boolean => {
    try {
      ctx.acl.authorize(requestToken(req), 'management');
      return true;
    } catch {
      return false;
    }
  };

  return [
    {
      method: 'GET',
      url: '/v1/vars',
      acl: 'anonymous',
      handler: async (req): Promise<ApiVariableMetadata[]> => {
        refuseUnsupported(req);
        const token = requestToken(req);
        const management = isManagement(req);
        return agent.variables
          .list(namespaceOf(req), query(req, 'prefix') ?? '')
          .filter((v) => ctx.acl.canVariable(token, v.path, 'list'))
          .map((v) => toApiVariableMetadata(v, management));
      },
    },
    {
      method: 'GET',
      url: '/v1/var/*',
      acl: 'anonymous',
      handler: async (req, reply) => {
        const path = pathOf(req);
        ctx.acl.authorizeVariable(requestToken(req), path, 'read');
        const v = agent.variables.get(namespaceOf(req), path);
        if (!v) throw new NotFoundError('variable not found');
        // Nomad answers a read with the variable's own modify index.
        return sendJson(reply, 200, v.modifyIndex, toApiVariable(v, isManagement(req)));
      },
    },
    {
      method: ['PUT', 'POST'],
      url: '/v1/var/*',
      acl: 'anonymous',
      handler: async (req, reply) => {
        const path = pathOf(req);
        const op = lockOperation(req);
        const cas = casOf(req);
        if (cas !== undefined && op !== undefined) throw badRequest("CAS can't be used with lock operations");
        const token = requestToken(req);
        ctx.acl.authorizeVariable(token, path, 'write');
        const body = decodeVariable(jsonBody(req, false));
        const input: VariableInput = { ...body, namespace: body.namespace ?? namespaceOf(req), path };
        if (op === 'lock-renew') {
          const meta = agent.variables.renew(input.namespace, path, input.lock?.id);
          return sendJson(reply, 200, meta.modifyIndex, toApiVariableMetadata(meta, true));
        }
        if (op === 'lock-release') {
          if (body.itemsGiven) throw badRequest("lock release operation doesn't take variable items");
          return answer(reply, req, agent.variables.release(input.namespace, path, input.lock?.id), input.lock?.id);
        }
        if (op === 'lock-acquire') return answer(reply, req, agent.variables.acquire(input), undefined, true);
        if (Object.keys(input.items).length === 0) throw badRequest('variable missing required Items object');
        return answer(reply, req, agent.variables.set(input, cas), input.lock?.id);
      },
    },
    {
      method: 'DELETE',
      url: '/v1/var/*',
      acl: 'anonymous',
      handler: async (req, reply) => {
        const path = pathOf(req);
        ctx.acl.authorizeVariable(requestToken(req), path, 'destroy');
        return answer(reply, req, agent.variables.delete(namespaceOf(req), path, casOf(req)), undefined);
      },
    },
  ];

  /**
   * A write's answer as Nomad's: the variable as written (200), or 409 with
   * the conflicting one, its items only for callers who may read them.
   */
  function answer(reply: FastifyReply, req: FastifyRequest, r: ApplyResult, lockId: string | undefined, acquired = false): undefined {
    const management = isManagement(req);
    if (r.kind === 'conflict') {
      const c = r.conflict;
      const canRead = ctx.acl.canVariable(requestToken(req), c.path, 'read');
      // A lock's ID is its holder's secret: conflicts show it to management only (the empty lock of a refused release is kept, as Nomad).
      return sendJson(reply, 409, c.modifyIndex, toApiVariable(canRead ? c : { ...c, items: {} }, management || c.lock?.id === ''));
    }
    const v = r.variable;
    // A delete that found nothing to delete (Nomad answers its 204 without a body either way).
    if (!v) return sendJson(reply, 204, r.index, undefined);
    return sendJson(reply, 200, r.index, toApiVariable(v, management || acquired || (lockId !== undefined && v.lock?.id === lockId)));
  }
}

/** Sends the answer with the index Nomad gives it (the server's default would be the latest index). */
function sendJson(reply: FastifyReply, status: number, index: number, body: unknown): undefined {
  void reply.code(status).header('X-Nomad-Index', String(index)).header('X-Nomad-KnownLeader', 'true').header('X-Nomad-LastContact', '0');
  void (body === undefined ? reply.send() : reply.send(body));
  return undefined;
}

/** The variable path: everything after /v1/var/. */
function pathOf(req: FastifyRequest): string {
  const path = param(req, '*');
  if (path === '') throw badRequest('missing variable path');
  return path;
}

/** The request's namespace: `namespace`, else "default"; "*" is kept for lists. */
function namespaceOf(req: FastifyRequest): string {
  const ns = query(req, 'namespace');
  return ns === undefined || ns === '' ? DEFAULT_NAMESPACE : ns;
}

/** `?cas=N` as a number, undefined without it. */
function casOf(req: FastifyRequest): number | undefined {
  const v = query(req, 'cas');
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`can not parse cas: strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Which lock operation the query names (Nomad's getLockOperation): at most one. */
function lockOperation(req: FastifyRequest): LockOp | undefined {
  const q = req.query as Record<string, unknown>;
  const asked = LOCK_OPS.filter((op) => Object.hasOwn(q, op));
  if (asked.length > 1) throw badRequest('multiple lock operations');
  return asked[0];
}

function refuseUnsupported(req: FastifyRequest): void {
  if (query(req, 'filter')) throw badRequest('filter: filter expressions are not supported by drover');
  if (query(req, 'per_page') || query(req, 'next_token')) throw badRequest('per_page, next_token: pagination is not supported by drover');
}

/** Decodes Nomad's Variable JSON body (what the API client sends), naming the field that is wrong. */
function decodeVariable(body: Record<string, unknown>): { namespace?: string; items: Record<string, string>; itemsGiven: boolean; lock?: VariableInput['lock'] } {
  const ns = body['Namespace'];
  if (ns !== undefined && ns !== null && typeof ns !== 'string') throw badRequest('Namespace: expected a string');
  const raw = body['Items'];
  const items: Record<string, string> = {};
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('Items: expected an object of strings');
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string') throw badRequest(`Items.${k}: expected a string`);
      items[k] = v;
    }
  }
  const out: ReturnType<typeof decodeVariable> = { items, itemsGiven: raw !== undefined && raw !== null };
  if (typeof ns === 'string' && ns !== '') out.namespace = ns;
  const lock = body['Lock'];
  if (lock !== undefined && lock !== null) {
    if (typeof lock !== 'object' || Array.isArray(lock)) throw badRequest('Lock: expected an object');
    const l = lock as Record<string, unknown>;
    if (l['ID'] !== undefined && l['ID'] !== null && typeof l['ID'] !== 'string') throw badRequest('Lock.ID: expected a string');
    out.lock = {
      ...(typeof l['ID'] === 'string' && l['ID'] !== '' ? { id: l['ID'] } : {}),
      ttlMs: lockDuration(l['TTL'], 'Lock.TTL'),
      lockDelayMs: lockDuration(l['LockDelay'], 'Lock.LockDelay'),
    };
  }
  return out;
}

/** Nomad's VariableLock.UnmarshalJSON: a Go duration string, or a number of nanoseconds; absent or "" is 0. */
function lockDuration(v: unknown, field: string): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number') return v / 1e6;
  if (typeof v !== 'string') throw badRequest(`${field}: expected a duration string such as "15s"`);
  try {
    return parseDuration(v);
  } catch (err) {
    throw badRequest(`${field}: ${(err as Error).message}`);
  }
}
