import { goTime } from '../wire/task-state-to-api.js';
import { badRequest } from './errors.js';
import { bodyString, jsonBody, param } from './request.js';
import { requestToken } from './server.js';
/** A token as Nomad's api.ACLToken. */
export function toApiToken(t) {
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
export function aclRoutes(ctx) {
    const { acl } = ctx;
    return [
        { method: ['PUT', 'POST'], url: '/v1/acl/bootstrap', acl: 'anonymous', handler: async () => toApiToken(acl.bootstrap()) },
        {
            method: 'GET',
            url: '/v1/acl/token/self',
            acl: 'token',
            handler: async (req) => {
                if (!acl.enabled)
                    throw badRequest('ACL support disabled');
                return toApiToken(acl.authorize(requestToken(req), 'token'));
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
                if (type !== 'client' && type !== 'management')
                    throw badRequest(`Type: must be "client" or "management", got ${JSON.stringify(type)}`);
                const policies = body['Policies'] ?? [];
                if (!Array.isArray(policies) || !policies.every((p) => typeof p === 'string'))
                    throw badRequest('Policies: expected a list of strings');
                return toApiToken(acl.create(bodyString(body, 'Name') ?? '', type, policies));
            },
        },
        { method: 'GET', url: '/v1/acl/token/:accessor', acl: 'management', handler: async (req) => toApiToken(acl.get(param(req, 'accessor'))) },
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
//# sourceMappingURL=acl.js.map