/**
 * Nomad's garbage collection endpoints: PUT /v1/system/gc (the server's forced
 * GC of every finished job and alloc, whatever its age), /v1/client/gc (the
 * client's: dirs of every terminal alloc) and /v1/client/allocation/:id/gc
 * (one terminal alloc's dir). Each answers 200 with an empty body, as Nomad's do.
 */
import type { FastifyReply } from 'fastify';
import { DroverError } from '../../model/errors.js';
import { allocFromRequest } from './allocations.js';
import type { HttpContext, RouteDef } from './routes.js';

export function gcRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  const empty = (reply: FastifyReply): undefined => {
    void reply.header('X-Nomad-Index', String(agent.db.lastIndex)).send();
    return undefined;
  };
  return [
    {
      method: 'PUT',
      url: '/v1/system/gc',
      acl: 'management',
      handler: async (_req, reply) => {
        await agent.gc.force();
        return empty(reply);
      },
    },
    {
      method: ['GET', 'PUT'],
      url: '/v1/client/gc',
      acl: 'write',
      handler: async (_req, reply) => {
        await agent.gc.forceClient();
        return empty(reply);
      },
    },
    {
      method: ['GET', 'PUT'],
      url: '/v1/client/allocation/:id/gc',
      acl: 'write',
      handler: async (req, reply) => {
        const alloc = allocFromRequest(ctx, req);
        const { allocDirs } = await agent.gc.forceClient(alloc.record.id);
        // Nomad's client GC holds only terminal allocs whose dirs it still has.
        if (allocDirs.length === 0) throw new DroverError('validation', 'No such allocation on client, or allocation not eligible for GC');
        return empty(reply);
      },
    },
  ];
}
