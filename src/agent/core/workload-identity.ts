/**
 * Workload identities on the agent side: signing them for tasks (the
 * taskrunner's WorkloadIdentitySigner, with Nomad's claims from
 * WorkloadIdentityClaimsBuilder) and resolving a presented token back to its
 * allocation (Nomad's Authenticator.VerifyClaim): a valid signature is not
 * enough, the allocation must still exist and not be terminal.
 */
import { randomUUID } from 'node:crypto';
import type { IdentityRequest, SignedIdentity, WorkloadIdentitySigner } from '../../taskrunner/hooks/identity-hook.js';
import type { AllocRecord, StateDB } from '../state/state-db.js';
import { InvalidIdentityError, type Keyring, type WorkloadClaims } from './keyring.js';

/** A verified workload identity and the allocation it belongs to. */
export interface WorkloadPrincipal {
  readonly claims: WorkloadClaims;
  readonly alloc: AllocRecord;
}

/** Nomad's ClientTerminalStatus. */
const TERMINAL = new Set(['complete', 'failed', 'lost']);

/** Looks like a JWT (three base64url segments), as opposed to an ACL token's UUID secret. */
export function isJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

export class WorkloadIdentities implements WorkloadIdentitySigner {
  constructor(
    readonly keyring: Keyring,
    private readonly db: StateDB,
    private readonly now: () => number,
    /** The "iss" claim (Nomad's server oidc_issuer); none when empty. */
    private readonly issuer = '',
  ) {}

  sign(req: IdentityRequest): SignedIdentity {
    const nowMs = this.now();
    const iat = Math.floor(nowMs / 1000);
    const wid = req.identity;
    const exp = wid.ttlMs > 0 ? Math.floor((nowMs + wid.ttlMs) / 1000) : undefined;
    const aud = wid.audience.length === 1 ? wid.audience[0] : wid.audience.length > 1 ? [...wid.audience] : undefined;
    const claims: WorkloadClaims = {
      nomad_namespace: req.namespace,
      nomad_job_id: req.jobId,
      nomad_allocation_id: req.allocId,
      nomad_task: req.task,
      ...(this.issuer !== '' ? { iss: this.issuer } : {}),
      // Nomad's setWorkloadSubject: region:namespace:job:group:task:identity.
      sub: [req.region, req.namespace, req.jobId, req.group, req.task, wid.name].join(':'),
      ...(aud === undefined ? {} : { aud }),
      ...(exp === undefined ? {} : { exp }),
      nbf: iat,
      iat,
      jti: randomUUID(),
    };
    return { jwt: this.keyring.sign(claims), ...(exp === undefined ? {} : { expiresAt: exp * 1000 }) };
  }

  /** Verifies `token` and finds its live allocation; throws InvalidIdentityError otherwise. */
  resolve(token: string): WorkloadPrincipal {
    const claims = this.keyring.verify(token);
    const alloc = this.db.alloc(claims.nomad_allocation_id);
    if (!alloc) throw new InvalidIdentityError('allocation does not exist');
    // Nomad treats the claims of terminal allocations as expired.
    if (TERMINAL.has(alloc.clientStatus)) throw new InvalidIdentityError('allocation is terminal');
    return { claims, alloc };
  }
}
