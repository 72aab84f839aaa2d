/** Every API route, in one list: the server registers it and the ACL tests walk it. */
import { aclRoutes } from './acl.js';
import { agentRoutes } from './agent-self.js';
import { allocationRoutes } from './allocations.js';
import { clientAllocRoutes } from './client-allocs.js';
import { clientFsRoutes } from './client-fs.js';
import { eventRoutes } from './events.js';
import { evaluationRoutes } from './evaluations.js';
import { execRoutes } from './exec.js';
import { gcRoutes } from './gc.js';
import { jobRoutes } from './jobs.js';
import { nodeRoutes } from './nodes.js';
import { scaleRoutes } from './scale.js';
import { serviceRoutes } from './services.js';
import { variableRoutes } from './variables.js';
import { workloadIdentityRoutes } from './workload-identity.js';
import type { HttpContext, Method, RouteDef } from './routes.js';
import type { AclNeed } from '../core/acl.js';

export function allRoutes(ctx: HttpContext): RouteDef[] {
  return [
    ...jobRoutes(ctx),
    ...scaleRoutes(ctx),
    ...allocationRoutes(ctx),
    ...evaluationRoutes(ctx),
    ...clientAllocRoutes(ctx),
    ...clientFsRoutes(ctx),
    ...execRoutes(ctx),
    ...gcRoutes(ctx),
    ...eventRoutes(ctx),
    ...nodeRoutes(ctx),
    ...serviceRoutes(ctx),
    ...variableRoutes(ctx),
    ...agentRoutes(ctx),
    ...aclRoutes(ctx),
    ...workloadIdentityRoutes(ctx),
  ];
}

/** Method, path and ACL need of every route (handlers never run: built over a stand-in context). */
export function routeTable(): Array<{ method: Method; url: string; acl: AclNeed; websocket: boolean }> {
  const ctx = {} as HttpContext;
  return allRoutes(ctx).flatMap((r) =>
    (Array.isArray(r.method) ? r.method : [r.method]).map((method: Method) => ({ method, url: r.url, acl: r.acl, websocket: r.websocket === true })),
  );
}
