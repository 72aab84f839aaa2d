/**
 * Nomad Variables JSON (nomad/structs/variables.go as the HTTP API encodes
 * it; api/variables.go reads the same fields). Times are Unix nanoseconds;
 * lock durations are Go duration strings ("15s").
 */

/** Nomad's VariableLock as JSON. */
export interface ApiVariableLock {
  ID: string;
  /** e.g. "15s"; "" when unset. */
  TTL: string;
  LockDelay: string;
}

/** Nomad's VariableMetadata: what GET /v1/vars lists. */
export interface ApiVariableMetadata {
  Namespace: string;
  Path: string;
  /** Present only while a lock is held, and only for management tokens or the lock's holder. */
  Lock?: ApiVariableLock;
  CreateIndex: number;
  CreateTime: number;
  ModifyIndex: number;
  ModifyTime: number;
}

/** Nomad's VariableDecrypted: a variable with its items (absent in conflict answers the caller may not read). */
export interface ApiVariable extends ApiVariableMetadata {
  Items?: Record<string, string>;
}
