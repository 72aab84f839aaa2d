/** GET /v1/event/stream (Nomad's event_endpoint.go): NDJSON batches, `{}` heartbeats, topic filters. */
import { EventsDroppedError, parseTopics } from '../core/event-broker.js';
import { badRequest } from './errors.js';
import { queryAll, queryInt } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';
import { clientGone, pipeStream } from './stream.js';

export function eventRoutes(ctx: HttpContext): RouteDef[] {
  return [
    {
      method: 'GET',
      url: '/v1/event/stream',
      acl: 'read',
      handler: async (req, reply) => {
        const index = queryInt(req, 'index', 0);
        const topics = parseTopics(queryAll(req, 'topic'));
        if (typeof topics === 'string') throw badRequest(`Invalid topic query: ${topics}`);
        const ctrl = clientGone(req, ctx.closing);
        const events = ctx.agent.events.subscribe(topics, index, ctrl.signal, ctx.eventHeartbeatMs);
        async function* lines(): AsyncGenerator<string> {
          // An immediate heartbeat tells the client the subscription is live.
          yield '{}\n';
          try {
            for await (const batch of events) {
              // As for replies (server.ts): an event shown is an event stored.
              ctx.agent.store.flush();
              yield `${JSON.stringify(batch)}\n`;
            }
          } catch (err) {
            // A subscriber too slow for the buffer: the stream ends saying so (Nomad ends it
            // with "event dropped from buffer"), so the client knows to resubscribe.
            if (!(err instanceof EventsDroppedError)) throw err;
            yield `${JSON.stringify({ Error: err.message, Code: 500 })}\n`;
          }
        }
        await pipeStream(reply, { 'Content-Type': 'application/json' }, lines(), ctrl);
        return undefined;
      },
    },
  ];
}
