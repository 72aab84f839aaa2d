/** Fingerprint ↔ FingerprintResponse (attributes as Nomad's typed Attribute). */
import type { Fingerprint, HealthState } from '../../drivers/types.js';
import * as pb from '../wire/driver.js';
import type { Attribute } from '../wire/structs.js';

const H = pb.FingerprintResponse_HealthState;
const HEALTH_TO_PB: Readonly<Record<HealthState, pb.FingerprintResponse_HealthState>> = { undetected: H.UNDETECTED, unhealthy: H.UNHEALTHY, healthy: H.HEALTHY };
const HEALTH_FROM_PB: Readonly<Record<pb.FingerprintResponse_HealthState, HealthState>> = { [H.UNDETECTED]: 'undetected', [H.UNHEALTHY]: 'unhealthy', [H.HEALTHY]: 'healthy' };

/** drover → wire: integers as int_val, other numbers as float_val. */
export function fingerprintToPb(f: Fingerprint): pb.FingerprintResponse {
  const attributes: Record<string, Attribute> = {};
  for (const [k, v] of Object.entries(f.attributes)) attributes[k] = attributeToPb(v);
  return { attributes, health: HEALTH_TO_PB[f.health], health_description: f.healthDescription, err: '' };
}

/** wire → drover; a reported error makes the driver unhealthy with that description. */
export function fingerprintFromPb(m: pb.FingerprintResponse): Fingerprint {
  const attributes: Record<string, string | number | boolean> = {};
  for (const [k, a] of Object.entries(m.attributes)) attributes[k] = attributeFromPb(a);
  if (m.err) return { attributes, health: 'unhealthy', healthDescription: m.err };
  return { attributes, health: HEALTH_FROM_PB[m.health] ?? 'undetected', healthDescription: m.health_description };
}

/** A scalar → Attribute. */
export function attributeToPb(v: string | number | boolean): Attribute {
  if (typeof v === 'string') return { string_val: v, unit: '' };
  if (typeof v === 'boolean') return { bool_val: v, unit: '' };
  return Number.isInteger(v) ? { int_val: v, unit: '' } : { float_val: v, unit: '' };
}

/** Attribute → scalar; with a unit it becomes Nomad's string form ("3000MHz"). */
export function attributeFromPb(a: Attribute): string | number | boolean {
  const v = a.string_val ?? a.bool_val ?? a.int_val ?? a.float_val ?? '';
  return a.unit ? `${String(v)}${a.unit}` : v;
}
