/**
 * Nomad Variables (api/variables.go and the lock calls of api/locks.go):
 * read, list, write with or without check-and-set, delete, and the lock
 * operations. A check-and-set refusal is a {@link CasConflictError} holding
 * the variable the agent has; a lock held by someone else is a
 * {@link LockConflictError}.
 */
import type { ApiVariable, ApiVariableMetadata } from '../model/nomad-api/index.js';
import { ApiError, type ApiClient } from './client.js';

/** Which namespace to use (default "default"; "*" lists every namespace). */
export interface VariableOptions {
  readonly namespace?: string;
}

/** What a write sends: a path and items, and for locks the lock. */
export type VariableWrite = Partial<Omit<ApiVariable, 'Path'>> & { Path: string };

/** Nomad's ErrCASConflict: the check index did not match; `conflict` is the agent's variable (items left out when the caller may not read them). */
export class CasConflictError extends Error {
  constructor(
    readonly checkIndex: number,
    readonly conflict: ApiVariable,
  ) {
    super(`cas conflict: expected ModifyIndex ${checkIndex}; found ${conflict.ModifyIndex}`);
    this.name = 'CasConflictError';
  }
}

/** Nomad's ErrLockConflict: the lock is held by someone else (or no longer by the caller). */
export class LockConflictError extends Error {
  constructor(
    readonly operation: 'acquire' | 'renew' | 'release',
    override readonly cause: ApiError,
  ) {
    super(`${operation} conflict: conflicting operation over lock`);
    this.name = 'LockConflictError';
  }
}

export class Variables {
  constructor(private readonly c: ApiClient) {}

  /** GET /v1/vars: the metadata of the variables whose path starts with `prefix`. */
  async list(opts: VariableOptions & { prefix?: string } = {}): Promise<ApiVariableMetadata[]> {
    return (await this.c.request<ApiVariableMetadata[]>('GET', '/v1/vars', { query: { namespace: opts.namespace, prefix: opts.prefix } })).data;
  }

  /** GET /v1/var/:path; an ApiError with status 404 when there is none. */
  async read(path: string, opts: VariableOptions = {}): Promise<ApiVariable> {
    return (await this.c.request<ApiVariable>('GET', varUrl(path), { query: { namespace: opts.namespace } })).data;
  }

  /** Like read, but undefined when there is none (Nomad's Peek). */
  async peek(path: string, opts: VariableOptions = {}): Promise<ApiVariable | undefined> {
    try {
      return await this.read(path, opts);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** PUT /v1/var/:path: creates or replaces the variable, whatever its index. */
  async update(v: VariableWrite, opts: VariableOptions = {}): Promise<ApiVariable> {
    return this.put(v, opts, {});
  }

  /** PUT /v1/var/:path?cas=N: only if the variable's modify index is `checkIndex` (0: only if it does not exist). */
  async checkedUpdate(v: VariableWrite, checkIndex: number = v.ModifyIndex ?? 0, opts: VariableOptions = {}): Promise<ApiVariable> {
    try {
      return await this.put(v, opts, { cas: checkIndex });
    } catch (err) {
      throw conflictOf(err, checkIndex);
    }
  }

  /** DELETE /v1/var/:path (a variable that is not there is no error). */
  async delete(path: string, opts: VariableOptions = {}): Promise<void> {
    await this.c.request('DELETE', varUrl(path), { query: { namespace: opts.namespace } });
  }

  /** DELETE /v1/var/:path?cas=N: only if the variable's modify index is `checkIndex` (0: only if it does not exist). */
  async checkedDelete(path: string, checkIndex: number, opts: VariableOptions = {}): Promise<void> {
    try {
      await this.c.request('DELETE', varUrl(path), { query: { namespace: opts.namespace, cas: checkIndex } });
    } catch (err) {
      throw conflictOf(err, checkIndex);
    }
  }

  /** PUT ?lock-acquire: takes the lock (Lock.TTL, Lock.LockDelay optional) and returns the variable with the lock's ID. */
  async acquireLock(v: VariableWrite, opts: VariableOptions = {}): Promise<ApiVariable> {
    return this.lockOp('acquire', v, opts, { 'lock-acquire': '' });
  }

  /** PUT ?lock-renew: restarts the lock's TTL; `v.Lock.ID` names the lock. */
  async renewLock(v: VariableWrite, opts: VariableOptions = {}): Promise<ApiVariableMetadata> {
    return this.lockOp('renew', v, opts, { 'lock-renew': '' });
  }

  /** PUT ?lock-release: gives the lock up; only the path and the lock's ID are sent. */
  async releaseLock(v: VariableWrite, opts: VariableOptions = {}): Promise<ApiVariable> {
    const body: VariableWrite = { Path: v.Path, ...(v.Namespace ? { Namespace: v.Namespace } : {}), Lock: { ID: v.Lock?.ID ?? '', TTL: '', LockDelay: '' } };
    return this.lockOp('release', body, opts, { 'lock-release': '' });
  }

  private async put<T = ApiVariable>(v: VariableWrite, opts: VariableOptions, query: Record<string, string | number>): Promise<T> {
    const body = { ...v, Path: cleanPath(v.Path) };
    return (await this.c.request<T>('PUT', varUrl(v.Path), { query: { namespace: opts.namespace ?? v.Namespace, ...query }, body })).data;
  }

  private async lockOp<T>(operation: LockConflictError['operation'], v: VariableWrite, opts: VariableOptions, query: Record<string, string>): Promise<T> {
    try {
      return await this.put<T>(v, opts, query);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) throw new LockConflictError(operation, err);
      throw err;
    }
  }
}

/** Nomad's cleanPathString: no surrounding spaces or slashes. */
export function cleanPath(path: string): string {
  return path.replace(/^[ /]+|[ /]+$/g, '');
}

function varUrl(path: string): string {
  return `/v1/var/${cleanPath(path).split('/').map(encodeURIComponent).join('/')}`;
}

/** A 409 answer as the CasConflictError it stands for; anything else unchanged. */
function conflictOf(err: unknown, checkIndex: number): unknown {
  if (!(err instanceof ApiError) || err.status !== 409) return err;
  try {
    return new CasConflictError(checkIndex, JSON.parse(err.body) as ApiVariable);
  } catch {
    // A 409 without a variable (a text answer): still a conflict, but nothing to show.
    return err;
  }
}
