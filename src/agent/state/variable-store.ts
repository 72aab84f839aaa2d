/**
 * Rows of the variables table (migration 4): Nomad's VariableEncrypted, with
 * the items only as ciphertext. Plain reads and writes: core/variables.ts owns
 * encryption, transactions, indexes and events.
 */
import type Database from 'better-sqlite3';

/** A lock held on a variable (Nomad's VariableLock), durations in ms. */
export interface VariableLockRecord {
  readonly id: string;
  readonly ttlMs: number;
  readonly lockDelayMs: number;
}

/** A stored variable: its metadata and its encrypted items. */
export interface VariableRecord {
  readonly namespace: string;
  readonly path: string;
  /** The id of the key `data` was sealed with. */
  readonly keyId: string;
  /** nonce | ciphertext | GCM tag. */
  readonly data: Buffer;
  readonly lock?: VariableLockRecord;
  readonly createIndex: number;
  readonly modifyIndex: number;
  /** Unix ms. */
  readonly createTime: number;
  readonly modifyTime: number;
}

interface VariableRow {
  namespace: string;
  path: string;
  key_id: string;
  data: Buffer;
  lock: string | null;
  create_index: number;
  modify_index: number;
  create_time: number;
  modify_time: number;
}

export class VariableStore {
  private readonly q;

  constructor(db: Database.Database) {
    const prep = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.q = {
      get: prep<VariableRow>('SELECT * FROM variables WHERE namespace = ? AND path = ?'),
      // A range on the primary key, not LIKE: paths may hold "_", LIKE's one-character wildcard.
      byPrefix: prep<VariableRow>('SELECT * FROM variables WHERE namespace = ? AND path >= ? AND substr(path, 1, ?) = ? ORDER BY path'),
      allByPrefix: prep<VariableRow>('SELECT * FROM variables WHERE path >= ? AND substr(path, 1, ?) = ? ORDER BY namespace, path'),
      locked: prep<VariableRow>('SELECT * FROM variables WHERE lock IS NOT NULL ORDER BY namespace, path'),
      keyIds: prep<{ key_id: string; n: number }>('SELECT key_id, count(*) AS n FROM variables GROUP BY key_id'),
      put: prep(
        `INSERT OR REPLACE INTO variables (namespace, path, key_id, data, lock, create_index, modify_index, create_time, modify_time)
         VALUES (@namespace, @path, @keyId, @data, @lock, @createIndex, @modifyIndex, @createTime, @modifyTime)`,
      ),
      delete: prep('DELETE FROM variables WHERE namespace = ? AND path = ?'),
    };
  }

  get(namespace: string, path: string): VariableRecord | undefined {
    const row = this.q.get.get(namespace, path);
    return row && fromRow(row);
  }

  /** Variables of `namespace` whose path starts with `prefix`, by path. */
  byPrefix(namespace: string, prefix: string): VariableRecord[] {
    return this.q.byPrefix.all(namespace, prefix, prefix.length, prefix).map(fromRow);
  }

  /** Variables of every namespace whose path starts with `prefix`, by namespace and path. */
  allByPrefix(prefix: string): VariableRecord[] {
    return this.q.allByPrefix.all(prefix, prefix.length, prefix).map(fromRow);
  }

  /** Every variable that holds a lock (their TTL timers are restored at start). */
  locked(): VariableRecord[] {
    return this.q.locked.all().map(fromRow);
  }

  /** How many variables each key sealed. */
  keyIds(): Map<string, number> {
    return new Map(this.q.keyIds.all().map((r) => [r.key_id, r.n]));
  }

  put(r: VariableRecord): void {
    this.q.put.run({
      namespace: r.namespace,
      path: r.path,
      keyId: r.keyId,
      data: r.data,
      lock: r.lock ? JSON.stringify(r.lock) : null,
      createIndex: r.createIndex,
      modifyIndex: r.modifyIndex,
      createTime: r.createTime,
      modifyTime: r.modifyTime,
    });
  }

  delete(namespace: string, path: string): boolean {
    return this.q.delete.run(namespace, path).changes > 0;
  }
}

function fromRow(r: VariableRow): VariableRecord {
  return {
    namespace: r.namespace,
    path: r.path,
    keyId: r.key_id,
    data: r.data,
    ...(r.lock ? { lock: JSON.parse(r.lock) as VariableLockRecord } : {}),
    createIndex: r.create_index,
    modifyIndex: r.modify_index,
    createTime: r.create_time,
    modifyTime: r.modify_time,
  };
}
