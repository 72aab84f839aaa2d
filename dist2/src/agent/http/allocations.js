import { toApiAllocation, toApiAllocStub } from '../wire/alloc-to-api.js';
import { NotFoundError } from '../core/errors.js';
import { param, query, queryBool } from './request.js';
/** The alloc named by the `:id` route parameter (full id or unique prefix), else 404. */
export function allocFromRequest(ctx, req) {
    const v = ctx.agent.alloc(param(req, 'id'));
    if (!v)
        throw new NotFoundError('alloc not found');
    return v;
}
export function allocationRoutes(ctx) {
    const { agent } = ctx;
    return [
        {
            method: 'GET',
            url: '/v1/allocations',
            acl: 'read',
            handler: async (req) => {
                const prefix = query(req, 'prefix') ?? '';
                const withStates = queryBool(req, 'task_states', true);
                return agent
                    .allocs()
                    .filter((v) => v.record.id.startsWith(prefix))
                    .map((v) => {
                    const stub = toApiAllocStub(v, agent.node);
                    return withStates ? stub : { ...stub, TaskStates: null };
                });
            },
        },
        { method: 'GET', url: '/v1/allocation/:id', acl: 'read', handler: async (req) => toApiAllocation(allocFromRequest(ctx, req), agent.node) },
        {
            method: ['PUT', 'POST'],
            url: '/v1/allocation/:id/stop',
            acl: 'write',
            handler: async (req) => {
                const r = agent.stopAlloc(allocFromRequest(ctx, req).record.id);
                return { EvalID: r.evalId, Index: r.index };
            },
        },
    ];
}
//# sourceMappingURL=allocations.js.map