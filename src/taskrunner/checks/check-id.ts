/**
 * Nomad's structs.NomadCheckID: a sha256 over the alloc, the group and the
 * check's identifying fields, hex encoded, so a check keeps its id across
 * agent restarts and in-place updates that do not change it.
 */
import { createHash } from 'node:crypto';
import type { CheckSpec } from '../../model/service.js';

export function nomadCheckId(allocId: string, group: string, c: CheckSpec): string {
  const h = createHash('sha256');
  for (const s of [allocId, group, c.taskName, c.name, c.type, c.portLabel, c.onUpdate, checkAddressMode(c)]) h.update(s, 'utf8');
  // Go hashes time.Duration as a little-endian int64 of nanoseconds.
  for (const ms of [c.intervalMs, c.timeoutMs]) {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(Math.round(ms)) * 1_000_000n);
    h.update(b);
  }
  for (const s of [c.protocol, c.path, c.method, String(c.tlsSkipVerify)]) h.update(s, 'utf8');
  return h.digest('hex');
}

/**
 * A check's address_mode as Nomad keeps it: checks have no "auto" (their
 * unset mode is ""), so drover's model, which defaults every mode to "auto",
 * means "unset" there.
 */
export function checkAddressMode(c: Pick<CheckSpec, 'addressMode'>): string {
  return c.addressMode === 'auto' ? '' : c.addressMode;
}
