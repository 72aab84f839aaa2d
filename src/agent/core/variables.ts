/**
 * Nomad Variables on the agent (nomad/variables_endpoint.go, the state
 * store's Var* transactions and nomad/locks.go in one place): encrypted
 * items in state.db, check-and-set, locks with TTL timers, the "Variable"
 * event topic, and the read/watch side the template hook renders from
 * (TemplateSources' variable and listVariables, plus watch).
 *
 * Every write takes a new modify index in one durable transaction; only
 * after the commit are events published and watchers told.
 *
 * Locks as Nomad's servers keep them: a lock's TTL timer runs for twice its
 * TTL (the holder's grace), each renew restarts it; when it fires, the lock
 * stays for its LockDelay (nobody may take it) and is then removed. Timers
 * live in memory and are rebuilt from the stored locks at start, as Nomad's
 * new leader rebuilds them.
 */
import { randomUUID } from 'node:crypto';
import { DroverError, ErrorCode, errorMessage } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { SourceChange, TemplateSources, VariableData, VariableMeta } from '../../template/sources.js';
import type { StateDB } from '../state/state-db.js';
import { VariableStore, type VariableLockRecord, type VariableRecord } from '../state/variable-store.js';
import type { EventBroker } from './event-broker.js';
import { NotFoundError } from './errors.js';
import { variableEvent } from './publish.js';
import { VariableKeyring } from './variable-keyring.js';

/** Nomad's namespace wildcard. */
export const ALL_NAMESPACES = '*';
/** The only namespace drover has. */
export const DEFAULT_NAMESPACE = 'default';

/** Nomad's maxVariableSize: keys plus values, in bytes. */
export const MAX_VARIABLE_SIZE = 65536;
/** Nomad's validVariablePath. */
const VALID_PATH = /^[a-zA-Z0-9\-_~/]{1,128}$/;

/** Nomad's lock TTL bounds and defaults (from Consul's). */
export const MIN_LOCK_TTL_MS = 10_000;
export const MAX_LOCK_TTL_MS = 24 * 3_600_000;
export const DEFAULT_LOCK_TTL_MS = 15_000;
export const DEFAULT_LOCK_DELAY_MS = 15_000;

/** A variable's metadata and the lock it holds, if any. Times are Unix ns, as VariableMeta's. */
export interface VariableMetaView extends VariableMeta {
  readonly lock?: VariableLockRecord;
}

/** A variable with its items; items are absent in a conflict's stand-in for a variable that is not there (or is locked). */
export interface VariableView extends VariableMetaView {
  readonly items?: Readonly<Record<string, string>>;
}

/** What a write asks for. */
export interface VariableInput {
  readonly namespace: string;
  readonly path: string;
  readonly items: Readonly<Record<string, string>>;
  /** The lock the caller holds (its ID proves it) or, for acquire, the lock wanted. */
  readonly lock?: { readonly id?: string; readonly ttlMs?: number; readonly lockDelayMs?: number };
}

/** The outcome of a write: done (the variable as written; none for deletes), or a conflict with what is there. */
export type ApplyResult =
  | { readonly kind: 'ok'; readonly index: number; readonly variable?: VariableView }
  | { readonly kind: 'conflict'; readonly index: number; readonly conflict: VariableView };

/** Cancels a scheduled call. */
export type Cancel = () => void;

export interface VariablesOptions {
  readonly db: StateDB;
  readonly dataDir: string;
  readonly events: EventBroker;
  readonly logger: Logger;
  /** Unix ms. */
  readonly now: () => number;
  /** Runs `fn` after `ms` (injectable so lock expiry is tested without waiting). */
  readonly schedule?: (ms: number, fn: () => void) => Cancel;
}

const NS_PER_MS = 1_000_000;

/** The variable half of the template hook's WatchableSources (variable, listVariables, watch); ACL checks are the caller's. */
export class Variables implements Pick<TemplateSources, 'variable' | 'listVariables'> {
  private readonly db: StateDB;
  private readonly store: VariableStore;
  readonly keyring: VariableKeyring;
  private readonly events: EventBroker;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly schedule: (ms: number, fn: () => void) => Cancel;
  private readonly listeners = new Set<(change: SourceChange) => void>();
  /** Lock id → its running TTL timer (renewable); a lock in its delay has none. */
  private readonly ttlTimers = new Map<string, Cancel>();
  /** Lock id → its pending delay-then-release. */
  private readonly delayTimers = new Map<string, Cancel>();
  private closed = false;

  constructor(o: VariablesOptions) {
    this.db = o.db;
    this.store = new VariableStore(o.db.db);
    this.keyring = new VariableKeyring(o.dataDir, () => this.store.keyIds());
    this.events = o.events;
    this.logger = o.logger;
    this.now = o.now;
    this.schedule =
      o.schedule ??
      ((ms, fn) => {
        const t = setTimeout(fn, ms);
        t.unref();
        return () => clearTimeout(t);
      });
  }

  /** Checks the key and restarts the TTL timers of held locks; a key problem is logged, not thrown (everything else must still run). */
  start(): void {
    const problem = this.keyring.problem();
    if (problem) this.logger.error('variables cannot be read or written until the key is restored', { error: problem });
    for (const r of this.store.locked()) if (r.lock) this.startTtl(r.namespace, r.path, r.lock);
  }

  /** Stops every timer (agent shutdown). */
  close(): void {
    this.closed = true;
    for (const c of [...this.ttlTimers.values(), ...this.delayTimers.values()]) c();
    this.ttlTimers.clear();
    this.delayTimers.clear();
    this.listeners.clear();
  }

  // ---- reads ---------------------------------------------------------------

  /** The variable with its decrypted items, or undefined. Throws VariableKeyError when the key is missing or wrong. */
  get(namespace: string, path: string): VariableView | undefined {
    const r = this.store.get(namespace, path);
    return r && this.decrypt(r);
  }

  /** Metadata of the variables whose path starts with `prefix`, by namespace and path ("*": every namespace). Needs no key. */
  list(namespace: string, prefix: string): VariableMetaView[] {
    const rows = namespace === ALL_NAMESPACES ? this.store.allByPrefix(prefix) : this.store.byPrefix(namespace, prefix);
    return rows.map(metaOf);
  }

  /** TemplateSources.variable. */
  variable(namespace: string, path: string): VariableData | undefined {
    const v = this.get(namespace, path);
    return v && { ...plainMeta(v), items: { ...(v.items ?? {}) } };
  }

  /** TemplateSources.listVariables. */
  listVariables(namespace: string, prefix: string): VariableMeta[] {
    return this.list(namespace, prefix).map(plainMeta);
  }

  /** Calls `listener` after each committed change of a variable; returns the unsubscribe function. */
  watch(listener: (change: SourceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- writes --------------------------------------------------------------

  /**
   * Nomad's VarOpSet, or VarOpCAS when `cas` is given (0: only if absent).
   * A locked variable is written only with its lock's ID.
   */
  set(input: VariableInput, cas?: number): ApplyResult {
    validateNamespace(input.namespace, input.path);
    // Nomad refuses a lock that would never be released (no timer runs for it).
    if (input.lock && ((input.lock.ttlMs ?? 0) !== 0 || (input.lock.lockDelayMs ?? 0) !== 0)) {
      throw new DroverError(ErrorCode.validation, 'variable should not contain lock definition');
    }
    validateItems(input.items, false);
    validatePath(input.path);
    const sealed = this.seal(input);
    return this.write(input, (existing) => {
      if (cas !== undefined) {
        const c = casConflict(input, existing, cas);
        if (c) return c;
      }
      if (existing?.lock && existing.lock.id !== input.lock?.id) return { conflict: zeroValue(input) };
      // The holder's write keeps the lock as it is; a lock ID sent for an unlocked variable is ignored.
      return { put: { sealed, lock: existing?.lock } };
    });
  }

  /** Nomad's VarOpDelete, or VarOpDeleteCAS when `cas` is given (0: only if absent). A locked variable cannot be deleted. */
  delete(namespace: string, path: string, cas?: number): ApplyResult {
    if (path === '') throw new DroverError(ErrorCode.validation, 'delete requires a Path');
    const input: VariableInput = { namespace, path, items: {} };
    return this.write(input, (existing) => {
      if (cas !== undefined) {
        if (cas === 0 && !existing) return { noop: true };
        const c = casConflict(input, existing, cas);
        if (c) return c;
      }
      if (!existing) return { noop: true };
      if (existing.lock) return { conflict: zeroValue(input) };
      return { remove: true };
    });
  }

  /**
   * Nomad's VarOpLockAcquire: takes the lock (creating the variable if need
   * be) and writes the request's items, as Nomad does; the same lock ID may
   * take it again. Conflicts while another lock is held, even in its delay.
   */
  acquire(input: VariableInput): ApplyResult {
    validateNamespace(input.namespace, input.path);
    const lock: VariableLockRecord = {
      id: input.lock?.id || randomUUID(),
      ttlMs: input.lock?.ttlMs || DEFAULT_LOCK_TTL_MS,
      lockDelayMs: input.lock?.lockDelayMs || DEFAULT_LOCK_DELAY_MS,
    };
    validateItems(input.items, true);
    validatePath(input.path);
    if (lock.ttlMs < 0 || lock.lockDelayMs < 0) throw new DroverError(ErrorCode.validation, 'Lock delay and TTL must be positive');
    if (lock.ttlMs < MIN_LOCK_TTL_MS || lock.ttlMs > MAX_LOCK_TTL_MS) throw new DroverError(ErrorCode.validation, 'TTL must be between 10 seconds and 24 hours');
    const sealed = this.seal(input);
    const result = this.write(input, (existing) => {
      if (existing?.lock && existing.lock.id !== lock.id) return { conflict: zeroValue(input) };
      return { put: { sealed, lock } };
    });
    if (result.kind === 'ok') {
      this.stopTimers(lock.id);
      this.startTtl(input.namespace, input.path, lock);
    }
    return result;
  }

  /** Nomad's VarOpLockRelease: removes the lock, keeping the items (and the modify time). */
  release(namespace: string, path: string, lockId: string | undefined): ApplyResult {
    if (!lockId) throw new DroverError(ErrorCode.validation, 'missing lock information');
    validatePath(path);
    const input: VariableInput = { namespace, path, items: {}, lock: { id: lockId } };
    const result = this.write(input, (existing) => {
      if (!existing) throw new NotFoundError("variable doesn't exist");
      if (!existing.lock) throw new DroverError(ErrorCode.conflict, "variable doesn't hold a lock");
      if (existing.lock.id !== lockId) return { conflict: { ...zeroValue(input), lock: { id: '', ttlMs: 0, lockDelayMs: 0 } } };
      return { unlock: true };
    });
    if (result.kind === 'ok') this.stopTimers(lockId);
    return result;
  }

  /**
   * Nomad's Variables.RenewLock: restarts the lock's TTL timer. Refused once
   * the TTL ran out (the lock is in its delay and will be removed). Returns
   * the variable's metadata.
   */
  renew(namespace: string, path: string, lockId: string | undefined): VariableMetaView {
    const missing = [...(path === '' ? ['missing path'] : []), ...(lockId ? [] : ['missing lock ID'])];
    if (missing.length > 0) throw new DroverError(ErrorCode.validation, missing.join('; '));
    const r = this.store.get(namespace, path);
    if (!r) throw new NotFoundError("variable doesn't exist");
    if (!r.lock) throw new DroverError(ErrorCode.conflict, "variable doesn't hold a lock");
    if (r.lock.id !== lockId || !this.ttlTimers.has(r.lock.id)) throw new DroverError(ErrorCode.conflict, 'attempting to modify locked variable');
    this.startTtl(namespace, path, r.lock);
    return metaOf(r);
  }

  // ---- internals -----------------------------------------------------------

  private seal(input: VariableInput): { keyId: string; data: Buffer } {
    return this.keyring.seal(input.namespace, input.path, Buffer.from(JSON.stringify(input.items), 'utf8'));
  }

  private decrypt(r: VariableRecord): VariableView {
    const plain = this.keyring.open(r.namespace, r.path, r.keyId, r.data);
    return { ...metaOf(r), items: JSON.parse(plain.toString('utf8')) as Record<string, string> };
  }

  /**
   * One write transaction: `decide` sees the stored row and says what to do.
   * Conflicts carry the stored variable decrypted (or a stand-in), as Nomad's 409 bodies.
   */
  private write(input: VariableInput, decide: (existing: VariableRecord | undefined) => Decision): ApplyResult {
    type Outcome = { kind: 'ok'; index: number; after?: VariableRecord; deleted?: VariableRecord } | { kind: 'conflict'; index: number; conflict: VariableRecord | VariableView };
    const outcome = this.db.durable((): Outcome => {
      const existing = this.store.get(input.namespace, input.path);
      const d = decide(existing);
      if ('conflict' in d) return { kind: 'conflict', index: this.db.lastIndex, conflict: d.conflict };
      if ('noop' in d) return { kind: 'ok', index: this.db.lastIndex };
      const index = this.db.nextIndex();
      if ('remove' in d) {
        this.store.delete(input.namespace, input.path);
        return { kind: 'ok', index, ...(existing ? { deleted: existing } : {}) };
      }
      const now = this.now();
      const after: VariableRecord =
        'unlock' in d && existing
          ? { ...withoutLock(existing), modifyIndex: index }
          : {
              namespace: input.namespace,
              path: input.path,
              keyId: (d as PutDecision).put.sealed.keyId,
              data: (d as PutDecision).put.sealed.data,
              ...((d as PutDecision).put.lock ? { lock: (d as PutDecision).put.lock } : {}),
              createIndex: existing?.createIndex ?? index,
              modifyIndex: index,
              createTime: existing?.createTime ?? now,
              modifyTime: now,
            };
      this.store.put(after);
      return { kind: 'ok', index, after };
    });
    if (outcome.kind === 'conflict') {
      const c = outcome.conflict;
      return { kind: 'conflict', index: outcome.index, conflict: 'data' in c ? this.decrypt(c) : c };
    }
    const changed = outcome.after ?? outcome.deleted;
    if (!changed) return { kind: 'ok', index: outcome.index };
    this.changed(changed, outcome.after === undefined);
    if (!outcome.after) return { kind: 'ok', index: outcome.index };
    // The writer reads its own write: the items it sent (none for a release, as Nomad).
    return { kind: 'ok', index: outcome.index, variable: { ...metaOf(outcome.after), items: { ...input.items } } };
  }

  /** Publishes the change and tells the watchers (after the commit). */
  private changed(r: VariableRecord, deleted: boolean): void {
    if (this.closed) return;
    this.events.publish([variableEvent(metaOf(r), deleted)]);
    const change: SourceChange = { kind: 'variable', namespace: r.namespace, path: r.path };
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.logger.error('variable watcher failed', { path: r.path, error: errorMessage(err) });
      }
    }
  }

  /** (Re)starts a lock's TTL timer: twice the TTL, then the delay, then the lock goes. */
  private startTtl(namespace: string, path: string, lock: VariableLockRecord): void {
    if (this.closed) return;
    this.ttlTimers.get(lock.id)?.();
    this.ttlTimers.set(
      lock.id,
      this.schedule(lock.ttlMs * 2, () => {
        this.ttlTimers.delete(lock.id);
        this.logger.debug('lock TTL expired, starting delay', { namespace, path, ttl_ms: lock.ttlMs });
        this.delayTimers.set(
          lock.id,
          this.schedule(lock.lockDelayMs, () => {
            this.delayTimers.delete(lock.id);
            this.expire(namespace, path, lock.id);
          }),
        );
      }),
    );
  }

  private stopTimers(lockId: string): void {
    this.ttlTimers.get(lockId)?.();
    this.ttlTimers.delete(lockId);
    this.delayTimers.get(lockId)?.();
    this.delayTimers.delete(lockId);
  }

  /** Removes an expired lock (if it is still the one held). */
  private expire(namespace: string, path: string, lockId: string): void {
    if (this.closed) return;
    try {
      const r = this.release(namespace, path, lockId);
      if (r.kind === 'ok') this.logger.info('variable lock expired and was released', { namespace, path });
    } catch (err) {
      // Gone or released meanwhile: nothing to expire.
      if (!(err instanceof DroverError) || (err.code !== ErrorCode.notFound && err.code !== ErrorCode.conflict)) {
        this.logger.error('releasing an expired variable lock failed', { namespace, path, error: errorMessage(err) });
      }
    }
  }
}

type PutDecision = { readonly put: { readonly sealed: { keyId: string; data: Buffer }; readonly lock: VariableLockRecord | undefined } };
type Decision =
  | PutDecision
  | { readonly conflict: VariableRecord | VariableView }
  | { readonly noop: true }
  | { readonly remove: true }
  | { readonly unlock: true };

/** Nomad's check-and-set rules (varSetCASTxn, svDeleteCASTxn): a conflict, or undefined to go on. */
function casConflict(input: VariableInput, existing: VariableRecord | undefined, cas: number): Decision | undefined {
  if (cas === 0 && existing) return { conflict: existing };
  if (cas !== 0 && !existing) return { conflict: zeroValue(input) };
  if (existing && existing.modifyIndex !== cas) return { conflict: existing };
  return undefined;
}

/** The stand-in Nomad answers a conflict with when there is nothing it may show: namespace and path only. */
function zeroValue(input: Pick<VariableInput, 'namespace' | 'path'>): VariableView {
  return { namespace: input.namespace, path: input.path, createIndex: 0, modifyIndex: 0, createTime: 0, modifyTime: 0 };
}

function metaOf(r: VariableRecord): VariableMetaView {
  return {
    namespace: r.namespace,
    path: r.path,
    ...(r.lock ? { lock: r.lock } : {}),
    createIndex: r.createIndex,
    modifyIndex: r.modifyIndex,
    createTime: r.createTime * NS_PER_MS,
    modifyTime: r.modifyTime * NS_PER_MS,
  };
}

function plainMeta(v: VariableMetaView): VariableMeta {
  return { namespace: v.namespace, path: v.path, createIndex: v.createIndex, modifyIndex: v.modifyIndex, createTime: v.createTime, modifyTime: v.modifyTime };
}

function withoutLock(r: VariableRecord): VariableRecord {
  const { lock: _lock, ...rest } = r;
  return rest;
}

/** Writes go only to the default namespace: drover has no other; "*" is Nomad's wildcard, never a target. */
function validateNamespace(namespace: string, path: string): void {
  if (namespace === ALL_NAMESPACES) throw new DroverError(ErrorCode.validation, 'can not target wildcard ("*")namespace');
  if (namespace !== DEFAULT_NAMESPACE) {
    throw new DroverError(ErrorCode.validation, `variable ${JSON.stringify(path)} is in nonexistent namespace ${JSON.stringify(namespace)} (drover has only "default")`);
  }
}

/** Nomad's VariableDecrypted.Validate for items (a lock's variable may have none). */
function validateItems(items: Readonly<Record<string, string>>, forLock: boolean): void {
  const keys = Object.keys(items);
  if (!forLock && keys.length === 0) throw new DroverError(ErrorCode.validation, 'empty variables are invalid');
  let size = 0;
  for (const k of keys) size += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(items[k] ?? '', 'utf8');
  if (size > MAX_VARIABLE_SIZE) throw new DroverError(ErrorCode.validation, 'variables are limited to 64KiB in total size');
}

/** Nomad's structs.ValidatePath, with its messages. */
export function validatePath(path: string): void {
  const bad = (message: string): never => {
    throw new DroverError(ErrorCode.validation, message);
  };
  if (path.length === 0) bad('variable requires path');
  if (!VALID_PATH.test(path)) bad(`invalid path ${JSON.stringify(path)}`);
  const parts = path.split('/');
  if (parts[0] !== 'nomad') return;
  if (parts.length === 1) {
    bad('"nomad" is a reserved top-level directory path, but you may write variables to "nomad/jobs", "nomad/job-templates", "nomad/sentinel", or below');
  }
  if (parts[1] === 'jobs' || parts[1] === 'sentinel') return;
  if (parts[1] === 'job-templates' && parts.length === 3) return;
  if (parts[1] === 'job-templates') {
    bad('"nomad/job-templates" is a reserved directory path, but you may write variables at the level below it, for example, "nomad/job-templates/template-name"');
  }
  bad('only paths at "nomad/jobs" or "nomad/job-templates" and below are valid paths under the top-level "nomad" directory');
}
