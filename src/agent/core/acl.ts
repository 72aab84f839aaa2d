/**
 * A minimal ACL model after Nomad's: bootstrap mints the one management
 * token; management tokens may create "client" tokens whose policies are
 * drover's two built-ins, "read" (every GET, logs and files included) and
 * "write" (everything but token management). Tokens live in state.db.
 */
import { randomUUID } from 'node:crypto';
import type { StateDB, TokenRecord } from '../state/state-db.js';
import { NotFoundError, PermissionDeniedError } from './errors.js';
import { DroverError } from '../../model/errors.js';

/** What a route needs: nothing, any valid token, read, write, or a management token. */
export type AclNeed = 'anonymous' | 'token' | 'read' | 'write' | 'management';

/** drover's built-in policies. */
export const POLICIES = ['read', 'write'] as const;

/** What a request wants to do with a Nomad Variable (Nomad's variable capabilities). */
export type VariableOp = 'read' | 'list' | 'write' | 'destroy';

export class AclService {
  constructor(
    private readonly db: StateDB,
    readonly enabled: boolean,
    private readonly now: () => number,
  ) {}

  /** Throws PermissionDeniedError unless `secret` grants `need` (everything is allowed when ACLs are off). */
  authorize(secret: string | undefined, need: AclNeed): TokenRecord | undefined {
    if (!this.enabled || need === 'anonymous') return undefined;
    if (!secret) throw new PermissionDeniedError();
    const token = this.db.tokenBySecret(secret);
    // Nomad answers an unknown secret with 403 "ACL token not found".
    if (!token) throw new PermissionDeniedError('ACL token not found');
    if (token.type === 'management' || need === 'token') return token;
    const has = (p: string): boolean => token.policies.includes(p);
    if (need === 'read' && (has('read') || has('write'))) return token;
    if (need === 'write' && has('write')) return token;
    throw new PermissionDeniedError();
  }

  /**
   * Throws PermissionDeniedError unless `secret` may do `op` on the variable
   * at `path`: management and "write" tokens may do everything, "read" tokens
   * read and list. (Workload identities get Nomad's implicit policy: see the
   * identity work.)
   */
  authorizeVariable(secret: string | undefined, path: string, op: VariableOp): void {
    if (!this.canVariable(secret, path, op)) throw new PermissionDeniedError();
  }

  /** {@link authorizeVariable} as a test, for filtering list results. */
  canVariable(secret: string | undefined, _path: string, op: VariableOp): boolean {
    if (!this.enabled) return true;
    if (!secret) return false;
    const token = this.db.tokenBySecret(secret);
    if (!token) throw new PermissionDeniedError('ACL token not found');
    if (token.type === 'management' || token.policies.includes('write')) return true;
    return token.policies.includes('read') && (op === 'read' || op === 'list');
  }

  /** Nomad's ACL bootstrap: once only, returns the management token. */
  bootstrap(): TokenRecord {
    if (!this.enabled) throw new DroverError('not_supported', 'ACL support disabled');
    return this.db.durable(() => {
      const done = this.db.meta('acl_bootstrap_index');
      if (done) throw new DroverError('validation', `ACL bootstrap already done (reset index: ${done})`);
      const index = this.db.nextIndex();
      const token = this.mint('Bootstrap Token', 'management', [], index);
      this.db.setMeta('acl_bootstrap_index', String(index));
      return token;
    });
  }

  /** Creates a token (management callers only, checked by the route). */
  create(name: string, type: 'management' | 'client', policies: readonly string[]): TokenRecord {
    if (type === 'client') {
      if (policies.length === 0) throw new DroverError('validation', 'Policies: client tokens need at least one policy ("read" or "write")');
      const bad = policies.find((p) => !(POLICIES as readonly string[]).includes(p));
      if (bad) throw new DroverError('validation', `Policies: unknown policy "${bad}"; drover knows "read" and "write"`);
    } else if (policies.length > 0) {
      throw new DroverError('validation', 'Policies: management tokens take no policies');
    }
    return this.db.durable(() => this.mint(name, type, policies, this.db.nextIndex()));
  }

  /** Deletes a token by accessor id. */
  delete(accessor: string): void {
    const gone = this.db.durable(() => this.db.deleteToken(accessor));
    if (!gone) throw new NotFoundError('ACL token not found');
  }

  get(accessor: string): TokenRecord {
    const t = this.db.tokenByAccessor(accessor);
    if (!t) throw new NotFoundError('ACL token not found');
    return t;
  }

  list(): TokenRecord[] {
    return this.db.tokens();
  }

  private mint(name: string, type: 'management' | 'client', policies: readonly string[], index: number): TokenRecord {
    const token: TokenRecord = { accessorId: randomUUID(), secretId: randomUUID(), name, type, policies, createTime: this.now(), createIndex: index };
    this.db.putToken(token);
    return token;
  }
}
