/**
 * Nomad's OIDC handlers (command/agent/keyring_endpoint.go): the public keys
 * that verify workload identities, for third parties, at
 * /.well-known/jwks.json; and OIDC discovery, which Nomad serves only when a
 * server sets oidc_issuer (drover has no such setting yet: 404, as Nomad
 * answers without it).
 */
import { NotFoundError } from '../core/errors.js';
import type { HttpContext, RouteDef } from './routes.js';

export function workloadIdentityRoutes(ctx: HttpContext): RouteDef[] {
  // Read per request: the route table is also built over a stand-in context.
  const keyring = () => ctx.agent.identities.keyring;
  return [
    {
      method: 'GET',
      url: '/.well-known/jwks.json',
      acl: 'anonymous',
      handler: async (_req, reply) => {
        // Consumers cache until the newest key is due for rotation (Nomad's jwksMinMaxAge floor).
        void reply.header('Cache-Control', `max-age=${keyring().jwksMaxAgeS()}`);
        return keyring().jwks();
      },
    },
    {
      method: 'GET',
      url: '/.well-known/openid-configuration',
      acl: 'anonymous',
      handler: async () => {
        throw new NotFoundError('OIDC Discovery endpoint disabled');
      },
    },
  ];
}
