/** Fingerprint ↔ FingerprintResponse (attributes as Nomad's typed Attribute). */
import type { Fingerprint, HealthState } from '../../drivers/types.js';
import type { PbAttribute, PbFingerprintResponse } from '../wire/driver.js';

const HEALTH: readonly HealthState[] = ['undetected', 'unhealthy', 'healthy'];

/** drover → wire: integers as int_val, other numbers as float_val. */
export function fingerprintToPb(f: Fingerprint): PbFingerprintResponse {
  const attributes: Record<string, PbAttribute> = {};
  for (const [k, v] of Object.entries(f.attributes)) attributes[k] = attributeToPb(v);
  return { attributes, health: Math.max(0, HEALTH.indexOf(f.health)), health_description: f.healthDescription, err: '' };
}

/** wire → drover; a reported error makes the driver unhealthy with that description. */
export function fingerprintFromPb(pb: PbFingerprintResponse): Fingerprint {
  const attributes: Record<string, string | number | boolean> = {};
  for (const [k, a] of Object.entries(pb.attributes ?? {})) attributes[k] = attributeFromPb(a);
  if (pb.err) return { attributes, health: 'unhealthy', healthDescription: pb.err };
  return { attributes, health: HEALTH[pb.health] ?? 'undetected', healthDescription: pb.health_description };
}

/** A scalar → Attribute. */
export function attributeToPb(v: string | number | boolean): PbAttribute {
  if (typeof v === 'string') return { string_val: v, unit: '' };
  if (typeof v === 'boolean') return { bool_val: v, unit: '' };
  return Number.isInteger(v) ? { int_val: v, unit: '' } : { float_val: v, unit: '' };
}

/** Attribute → scalar; with a unit it becomes Nomad's string form ("3000MHz"). */
export function attributeFromPb(a: PbAttribute): string | number | boolean {
  const v = a.string_val ?? a.bool_val ?? a.int_val ?? a.float_val ?? '';
  return a.unit ? `${String(v)}${a.unit}` : v;
}
