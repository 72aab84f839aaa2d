import * as pb from '../wire/driver.js';
const H = pb.FingerprintResponse_HealthState;
const HEALTH_TO_PB = { undetected: H.UNDETECTED, unhealthy: H.UNHEALTHY, healthy: H.HEALTHY };
const HEALTH_FROM_PB = { [H.UNDETECTED]: 'undetected', [H.UNHEALTHY]: 'unhealthy', [H.HEALTHY]: 'healthy' };
/** drover → wire: integers as int_val, other numbers as float_val. */
export function fingerprintToPb(f) {
    const attributes = {};
    for (const [k, v] of Object.entries(f.attributes))
        attributes[k] = attributeToPb(v);
    return { attributes, health: HEALTH_TO_PB[f.health], health_description: f.healthDescription, err: '' };
}
/** wire → drover; a reported error makes the driver unhealthy with that description. */
export function fingerprintFromPb(m) {
    const attributes = {};
    for (const [k, a] of Object.entries(m.attributes))
        attributes[k] = attributeFromPb(a);
    if (m.err)
        return { attributes, health: 'unhealthy', healthDescription: m.err };
    return { attributes, health: HEALTH_FROM_PB[m.health] ?? 'undetected', healthDescription: m.health_description };
}
/** A scalar → Attribute. */
export function attributeToPb(v) {
    if (typeof v === 'string')
        return { string_val: v, unit: '' };
    if (typeof v === 'boolean')
        return { bool_val: v, unit: '' };
    return Number.isInteger(v) ? { int_val: v, unit: '' } : { float_val: v, unit: '' };
}
/** Attribute → scalar; with a unit it becomes Nomad's string form ("3000MHz"). */
export function attributeFromPb(a) {
    const v = a.string_val ?? a.bool_val ?? a.int_val ?? a.float_val ?? '';
    return a.unit ? `${String(v)}${a.unit}` : v;
}
//# sourceMappingURL=fingerprint.js.map