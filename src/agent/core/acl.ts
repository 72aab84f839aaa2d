/**
 * A minimal ACL model after Nomad's: bootstrap mints the one management
 * token; management tokens may create "client" tokens whose policies are
 * drover's two built-ins, "read" (every GET, logs and files included) and
 * "write" (everything but token management). Tokens live in state.db.
 *
 * A workload identity (a JWT the agent signed for a task of a live
 * allocation) is also a principal, with Nomad's implicit workload policy
 * only: read and list the variables at nomad/jobs, nomad/jobs/<job>,
 * nomad/jobs/<job>/<group> and nomad/jobs/<job>/<group>/<task> (exact paths,
 * acl.go matchingVariablesCapabilitySet), and read service registrations
 * (AllowServiceRegistrationReadList lets every workload read them).
 */
import { randomUUID } from 'node:crypto';
import type { StateDB, TokenRecord } from '../state/state-db.js';
import { NotFoundError, PermissionDeniedError } from './errors.js';
import { DroverError } from '../../model/errors.js';
import { isJwt, type WorkloadIdentities, type WorkloadPrincipal } from './workload-identity.js';

/** How the task API answers a request's credentials (Nomad's authMiddleware): pass, 401 without a token, 403 with a bad one. */
export type TaskApiAuth = 'ok' | 'unauthorized' | 'forbidden';

/**
 * What a route needs: nothing; any valid token or workload identity (the handler
 * decides further); read; read, or any workload identity (service registrations);
 * write; or a management token.
 */
export type AclNeed = 'anonymous' | 'token' | 'read' | 'read-or-workload' | 'write' | 'management';

/** drover's built-in policies. */
export const POLICIES = ['read', 'write'] as const;

/** What a request wants to do with a Nomad Variable (Nomad's variable capabilities). */
export type VariableOp = 'read' | 'list' | 'write' | 'destroy';

export class AclService {
  constructor(
    private readonly db: StateDB,
    readonly enabled: boolean,
    private readonly now: () => number,
    /** Verifies workload identity tokens; without it a JWT is just an unknown token. */
    private readonly workloads?: WorkloadIdentities,
  ) {}

  /**
   * Throws PermissionDeniedError unless `secret` grants `need` (everything is allowed when
   * ACLs are off). Returns the ACL token; undefined for a workload identity or when ACLs are off.
   */
  authorize(secret: string | undefined, need: AclNeed): TokenRecord | undefined {
    if (!this.enabled || need === 'anonymous') return undefined;
    if (!secret) throw new PermissionDeniedError();
    if (this.workloads && isJwt(secret)) {
      this.workload(secret);
      if (need === 'token' || need === 'read-or-workload') return undefined;
      // A workload has no policy beyond the implicit one (Nomad resolves its job's policies: drover has none).
      throw new PermissionDeniedError();
    }
    const token = this.db.tokenBySecret(secret);
    // Nomad answers an unknown secret with 403 "ACL token not found".
    if (!token) throw new PermissionDeniedError('ACL token not found');
    if (token.type === 'management' || need === 'token') return token;
    const has = (p: string): boolean => token.policies.includes(p);
    if ((need === 'read' || need === 'read-or-workload') && (has('read') || has('write'))) return token;
    if (need === 'write' && has('write')) return token;
    throw new PermissionDeniedError();
  }

  /** The verified workload identity `secret` is (PermissionDeniedError when it is not a valid one for a live alloc). */
  workload(secret: string): WorkloadPrincipal {
    if (!this.workloads) throw new PermissionDeniedError();
    try {
      return this.workloads.resolve(secret);
    } catch {
      // Nomad returns ErrPermissionDenied whatever was wrong with the claim.
      throw new PermissionDeniedError();
    }
  }

  /** Whether `secret` is a workload identity (ACLs on); handlers use it to scope answers. */
  isWorkload(secret: string | undefined): boolean {
    return this.enabled && this.workloads !== undefined && secret !== undefined && isJwt(secret);
  }

  /**
   * The task API's own check, made even with ACLs off (Nomad's authMiddleware over ACL.WhoAmI):
   * a request needs a token; with ACLs on it must be a known ACL token or a valid workload identity.
   */
  authenticateTaskApi(secret: string | undefined): TaskApiAuth {
    if (!secret) return 'unauthorized';
    if (!this.enabled) return 'ok';
    if (this.workloads && isJwt(secret)) {
      try {
        this.workloads.resolve(secret);
        return 'ok';
      } catch {
        return 'forbidden';
      }
    }
    return this.db.tokenBySecret(secret) ? 'ok' : 'forbidden';
  }

  /**
   * Throws PermissionDeniedError unless `secret` may do `op` on the variable
   * at `path` in `namespace`: management and "write" tokens may do everything,
   * "read" tokens read and list, workload identities read and list their own
   * job's paths (Nomad's implicit workload policy).
   */
  authorizeVariable(secret: string | undefined, path: string, op: VariableOp, namespace = 'default'): void {
    if (!this.canVariable(secret, path, op, namespace)) throw new PermissionDeniedError();
  }

  /** {@link authorizeVariable} as a test, for filtering list results. */
  canVariable(secret: string | undefined, path: string, op: VariableOp, namespace = 'default'): boolean {
    if (!this.enabled) return true;
    if (!secret) return false;
    if (this.workloads && isJwt(secret)) {
      const { claims, alloc } = this.workload(secret);
      const workload = { namespace: claims.nomad_namespace, jobId: claims.nomad_job_id, group: alloc.group, task: claims.nomad_task ?? '' };
      return workloadMayUseVariable(workload, path, op, namespace);
    }
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

/** A task as Nomad's implicit workload policy sees it. */
export interface Workload {
  readonly namespace: string;
  readonly jobId: string;
  readonly group: string;
  readonly task: string;
}

/**
 * Nomad's implicit workload policy for variables: read and list of exactly
 * nomad/jobs, nomad/jobs/<job>, nomad/jobs/<job>/<group> and
 * nomad/jobs/<job>/<group>/<task> in the task's own namespace.
 */
export function workloadMayUseVariable(w: Workload, path: string, op: VariableOp, namespace: string): boolean {
  if (op !== 'read' && op !== 'list') return false;
  if (namespace !== w.namespace) return false;
  return path === 'nomad/jobs' || path === `nomad/jobs/${w.jobId}` || path === `nomad/jobs/${w.jobId}/${w.group}` || path === `nomad/jobs/${w.jobId}/${w.group}/${w.task}`;
}
