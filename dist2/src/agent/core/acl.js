/**
 * A minimal ACL model after Nomad's: bootstrap mints the one management
 * token; management tokens may create "client" tokens whose policies are
 * drover's two built-ins, "read" (every GET, logs and files included) and
 * "write" (everything but token management). Tokens live in state.db.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, PermissionDeniedError } from './errors.js';
import { DroverError } from '../../model/errors.js';
/** drover's built-in policies. */
export const POLICIES = ['read', 'write'];
export class AclService {
    db;
    enabled;
    now;
    constructor(db, enabled, now) {
        this.db = db;
        this.enabled = enabled;
        this.now = now;
    }
    /** Throws PermissionDeniedError unless `secret` grants `need` (everything is allowed when ACLs are off). */
    authorize(secret, need) {
        if (!this.enabled || need === 'anonymous')
            return undefined;
        if (!secret)
            throw new PermissionDeniedError();
        const token = this.db.tokenBySecret(secret);
        // Nomad answers an unknown secret with 403 "ACL token not found".
        if (!token)
            throw new PermissionDeniedError('ACL token not found');
        if (token.type === 'management' || need === 'token')
            return token;
        const has = (p) => token.policies.includes(p);
        if (need === 'read' && (has('read') || has('write')))
            return token;
        if (need === 'write' && has('write'))
            return token;
        throw new PermissionDeniedError();
    }
    /** Nomad's ACL bootstrap: once only, returns the management token. */
    bootstrap() {
        if (!this.enabled)
            throw new DroverError('not_supported', 'ACL support disabled');
        return this.db.durable(() => {
            const done = this.db.meta('acl_bootstrap_index');
            if (done)
                throw new DroverError('validation', `ACL bootstrap already done (reset index: ${done})`);
            const index = this.db.nextIndex();
            const token = this.mint('Bootstrap Token', 'management', [], index);
            this.db.setMeta('acl_bootstrap_index', String(index));
            return token;
        });
    }
    /** Creates a token (management callers only, checked by the route). */
    create(name, type, policies) {
        if (type === 'client') {
            if (policies.length === 0)
                throw new DroverError('validation', 'Policies: client tokens need at least one policy ("read" or "write")');
            const bad = policies.find((p) => !POLICIES.includes(p));
            if (bad)
                throw new DroverError('validation', `Policies: unknown policy "${bad}"; drover knows "read" and "write"`);
        }
        else if (policies.length > 0) {
            throw new DroverError('validation', 'Policies: management tokens take no policies');
        }
        return this.db.durable(() => this.mint(name, type, policies, this.db.nextIndex()));
    }
    /** Deletes a token by accessor id. */
    delete(accessor) {
        const gone = this.db.durable(() => this.db.deleteToken(accessor));
        if (!gone)
            throw new NotFoundError('ACL token not found');
    }
    get(accessor) {
        const t = this.db.tokenByAccessor(accessor);
        if (!t)
            throw new NotFoundError('ACL token not found');
        return t;
    }
    list() {
        return this.db.tokens();
    }
    mint(name, type, policies, index) {
        const token = { accessorId: randomUUID(), secretId: randomUUID(), name, type, policies, createTime: this.now(), createIndex: index };
        this.db.putToken(token);
        return token;
    }
}
//# sourceMappingURL=acl.js.map