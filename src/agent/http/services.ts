/**
 * Nomad's native service discovery API (command/agent/service_registration_endpoint.go):
 * GET /v1/services, GET /v1/service/:name, DELETE /v1/service/:name/:id; and
 * the client's GET /v1/client/allocation/:id/checks (alloc_endpoint.go allocChecks).
 *
 * `namespace` defaults to "default"; "*" lists every namespace. `filter`
 * (go-bexpr) and pagination are not implemented: a filter is refused with a
 * 400 rather than ignored.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiAllocCheckStatuses, ApiServiceRegistration, ApiServiceRegistrationListStub } from '../../model/nomad-api/index.js';
import { chooseServices } from '../core/service-registry.js';
import { toApiCheckStatus, toApiServiceListStubs, toApiServiceRegistration } from '../wire/service-to-api.js';
import { allocFromRequest } from './allocations.js';
import { badRequest } from './errors.js';
import { param, query } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';
import { requestToken } from './server.js';

/** The request's namespace (Nomad's parseNamespace): the `namespace` parameter, else "default". */
function namespaceOf(req: FastifyRequest): string {
  const ns = query(req, 'namespace');
  return ns === undefined || ns === '' ? 'default' : ns;
}

function refuseFilter(req: FastifyRequest): void {
  if (query(req, 'filter')) throw badRequest('filter: filter expressions are not supported by drover');
}

export function serviceRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  return [
    {
      method: 'GET',
      url: '/v1/services',
      // Nomad lets every workload identity read service registrations.
      acl: 'read-or-workload',
      handler: async (req): Promise<ApiServiceRegistrationListStub[]> => {
        refuseFilter(req);
        // Across namespaces Nomad lists only those the caller may read-job in: none for a workload.
        if (namespaceOf(req) === '*' && ctx.acl.isWorkload(requestToken(req))) return [];
        // Nomad's CLI sends the service name it looks for as `prefix`.
        const prefix = query(req, 'prefix') ?? '';
        return toApiServiceListStubs(agent.services.list(namespaceOf(req)).filter((r) => r.serviceName.startsWith(prefix)));
      },
    },
    {
      method: 'GET',
      url: '/v1/service/:name',
      acl: 'read-or-workload',
      handler: async (req): Promise<ApiServiceRegistration[]> => {
        refuseFilter(req);
        const name = param(req, 'name');
        if (name === '') throw badRequest('missing service name');
        let found = agent.services.byName(namespaceOf(req), name);
        const choose = query(req, 'choose');
        if (choose) {
          const chosen = chooseServices(found, choose);
          if (typeof chosen === 'string') throw badRequest(`failed to choose services: ${chosen}`);
          found = chosen;
        }
        return found.map(toApiServiceRegistration);
      },
    },
    {
      method: 'DELETE',
      url: '/v1/service/:name/:id',
      acl: 'write',
      handler: async (req) => {
        // As Nomad, the registration is found by namespace and id; the name only completes the path.
        const id = param(req, 'id');
        if (id === '') throw badRequest('missing service id');
        agent.services.deleteById(namespaceOf(req), id);
        return {};
      },
    },
    {
      method: 'GET',
      url: '/v1/client/allocation/:id/checks',
      acl: 'read',
      handler: async (req): Promise<ApiAllocCheckStatuses> => {
        const alloc = allocFromRequest(ctx, req);
        const out: ApiAllocCheckStatuses = {};
        for (const [id, r] of agent.checks.list(alloc.record.id)) out[id] = toApiCheckStatus(r);
        return out;
      },
    },
  ];
}
