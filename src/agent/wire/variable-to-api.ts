/** Nomad Variables as the API's JSON (nomad/structs/variables.go field order: the metadata, then Items). */
import { formatDuration } from '../../model/duration.js';
import type { ApiVariable, ApiVariableLock, ApiVariableMetadata } from '../../model/nomad-api/index.js';
import type { VariableMetaView, VariableView } from '../core/variables.js';
import type { VariableLockRecord } from '../state/variable-store.js';

/** Nomad's VariableLock.MarshalJSON: Go duration strings, "" for zero. */
export function toApiVariableLock(l: VariableLockRecord): ApiVariableLock {
  return { TTL: l.ttlMs === 0 ? '' : formatDuration(l.ttlMs), LockDelay: l.lockDelayMs === 0 ? '' : formatDuration(l.lockDelayMs), ID: l.id };
}

/** The metadata; `showLock` false drops the lock (Nomad shows it only to management tokens and the lock's holder). */
export function toApiVariableMetadata(v: VariableMetaView, showLock: boolean): ApiVariableMetadata {
  return {
    Namespace: v.namespace,
    Path: v.path,
    ...(v.lock && showLock ? { Lock: toApiVariableLock(v.lock) } : {}),
    CreateIndex: v.createIndex,
    CreateTime: v.createTime,
    ModifyIndex: v.modifyIndex,
    ModifyTime: v.modifyTime,
  };
}

/** A variable with its items; Items is left out when there are none to show (Nomad's omitempty). */
export function toApiVariable(v: VariableView, showLock: boolean): ApiVariable {
  const keys = Object.keys(v.items ?? {});
  // Go's encoding/json writes map keys sorted.
  const items = Object.fromEntries(keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => [k, v.items?.[k] as string]));
  return { ...toApiVariableMetadata(v, showLock), ...(keys.length > 0 ? { Items: items } : {}) };
}
