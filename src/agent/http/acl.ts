/** /v1/acl/bootstrap and /v1/acl/token… (Nomad's acl_endpoint.go, tokens only: drover's policies are built in). */
import type { ApiAclToken } from '../../model/nomad-api/index.js';
import type { TokenRecord } from '../state/state-db.js';
import { goTime } from '../wire/task-state-to-api.js';
import { badRequest } from './errors.js';
import { NotFoundError, PermissionDeniedError } from '../core/errors.js';
import { bodyString, jsonBody, param } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';
import { requestToken } from './server.js';

/** A token as Nomad's api.ACLToken. */
export function toApiToken(t: TokenRecord): ApiAclToken {
  return {
    AccessorID: t.accessorId,
    SecretID: t.secretId,
    Name: t.name,
    Type: t.type,
    Policies: t.type === 'management' ? null : [...t.policies],
    Global: true,
    CreateTime: goTime(t.createTime),
    CreateIndex: t.createIndex,
    ModifyIndex: t.createIndex,
  };
}

export function aclRoutes(ctx: HttpContext): RouteDef[] {
  const { acl } = ctx;
  return [
    { method: ['PUT', 'POST'], url: '/v1/acl/bootstrap', acl: 'anonymous', handler: async () => toApiToken(acl.bootstrap()) },
    {
      method: 'GET',
      url: '/v1/acl/token/self',
      acl: 'token',
      handler: async (req) => {
        if (!acl.enabled) throw badRequest('ACL support disabled');
        const token = acl.authorize(requestToken(req), 'token');
        // A workload identity is not an ACL token: Nomad's aclTokenSelf answers 404 for it.
        if (!token) throw new NotFoundError('ACL token not found');
        return toApiToken(token);
      },
    },
    { method: 'GET', url: '/v1/acl/tokens', acl: 'management', handler: async () => acl.list().map((t) => ({ ...toApiToken(t), SecretID: '' })) },
    {
      method: ['PUT', 'POST'],
      url: '/v1/acl/token',
      acl: 'management',
      handler: async (req) => {
        const body = jsonBody(req);
        const type = bodyString(body, 'Type') ?? 'client';
        if (type !== 'client' && type !== 'management') throw badRequest(`Type: must be "client" or "management", got ${JSON.stringify(type)}`);
        const policies = body['Policies'] ?? [];
        if (!Array.isArray(policies) || !policies.every((p) => typeof p === 'string')) throw badRequest('Policies: expected a list of strings');
        return toApiToken(acl.create(bodyString(body, 'Name') ?? '', type, policies));
      },
    },
    {
      method: 'GET',
      url: '/v1/acl/token/:accessor',
      acl: 'token',
      handler: async (req) => {
        // Nomad's ACL.GetToken: management reads any token; any other token only itself (403, even for an unknown accessor).
        const caller = acl.authorize(requestToken(req), 'token');
        const accessor = param(req, 'accessor');
        if (acl.enabled && caller?.type !== 'management' && caller?.accessorId !== accessor) throw new PermissionDeniedError();
        return toApiToken(acl.get(accessor));
      },
    },
    {
      method: 'DELETE',
      url: '/v1/acl/token/:accessor',
      acl: 'management',
      handler: async (req) => {
        acl.delete(param(req, 'accessor'));
        return {};
      },
    },
  ];
}
