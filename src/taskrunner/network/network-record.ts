/**
 * What a teardown needs, kept on disk from the moment a setup starts (as
 * libcni caches an ADD under /var/lib/cni/results): the allocation's mode,
 * namespace, interface, the exact network list and port mappings given to
 * the plugins and, once ADD returned, its result (the DEL's prevResult, which
 * the firewall plugin needs to find its rules). With it a teardown works
 * from the allocation id alone after an agent SIGKILL, even when the agent's
 * own state never heard of the network. Written atomically (temp + rename).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from '../../model/errors.js';
import { parseConfList, type CniConfList } from './cni-types.js';
import type { CniPortMapping } from './port-mappings.js';

/** Beside CNI's own state (host-local leases in /var/lib/cni/networks), with the same on-disk lifetime. */
export const DEFAULT_RECORD_DIR = '/var/lib/cni/drover';

/** One allocation's network as set up (or being set up). */
export interface NetworkRecord {
  readonly kind: 'droverAllocNetworkV1';
  readonly allocId: string;
  readonly mode: string;
  readonly netnsPath: string;
  readonly ifName: string;
  /** The list the plugins were run with; absent for mode none. */
  readonly confList?: CniConfList;
  readonly portMappings: readonly CniPortMapping[];
  /** The ADD result; absent until ADD completed. */
  readonly result?: Readonly<Record<string, unknown>>;
}

function recordPath(dir: string, allocId: string): string {
  return join(dir, `${allocId}.json`);
}

/** Writes `rec`, replacing any earlier record of the allocation. */
export async function writeRecord(dir: string, rec: NetworkRecord): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = recordPath(dir, rec.allocId);
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(rec), { mode: 0o600 });
  await rename(tmp, path);
}

/** The record of `allocId`, or undefined when there is none (never set up, or torn down). */
export async function readRecord(dir: string, allocId: string): Promise<NetworkRecord | undefined> {
  let text: string;
  try {
    text = await readFile(recordPath(dir, allocId), 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  const json: unknown = JSON.parse(text);
  if (typeof json !== 'object' || json === null || !('kind' in json) || json.kind !== 'droverAllocNetworkV1') return undefined;
  const o = json as Record<string, unknown>;
  const confList = o['confList'] === undefined ? undefined : parseConfList(o['confList'], recordPath(dir, allocId));
  const result = typeof o['result'] === 'object' && o['result'] !== null ? (o['result'] as Record<string, unknown>) : undefined;
  return {
    kind: 'droverAllocNetworkV1',
    allocId,
    mode: String(o['mode']),
    netnsPath: String(o['netnsPath']),
    ifName: String(o['ifName']),
    ...(confList ? { confList } : {}),
    portMappings: Array.isArray(o['portMappings']) ? (o['portMappings'] as CniPortMapping[]) : [],
    ...(result ? { result } : {}),
  };
}

/** Removes the record (no error when already gone). */
export async function removeRecord(dir: string, allocId: string): Promise<void> {
  await rm(recordPath(dir, allocId), { force: true });
}
