/**
 * Nomad's capability arithmetic for exec tasks (drivers/shared/capabilities):
 * names are normalized (CAP_CHOWN, chown, Chown are one), "all" means every
 * capability the kernel supports, and the task gets
 * (defaults ∩ allow_caps) − cap_drop + cap_add, where cap_add ⊆ allow_caps.
 */
import { normalizeCapability, supportedCapabilities } from '../../executor/isolation/index.js';
/** Nomad's default set (Docker's minus NET_RAW), also allow_caps' default. */
export const NOMAD_DEFAULT_CAPS = [
    'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
    'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];
/** A normalized set; "all" expands to `supported`. */
export function capSet(names, supported) {
    const out = new Set();
    for (const n of names) {
        const c = normalizeCapability(n);
        if (c === '')
            continue;
        if (c === 'all')
            supported.forEach((s) => out.add(s));
        else
            out.add(c);
    }
    return out;
}
/** Members of `names` the kernel does not support, sorted (for Nomad's "not supported by system" errors). */
export function unsupported(names, supported = supportedCapabilities()) {
    const known = new Set(supported);
    return [...capSet(names, supported)].filter((c) => !known.has(c)).sort();
}
/**
 * The task's capabilities (Nomad's capabilities.Calculate), sorted and
 * normalized; throws with Nomad's message when cap_add leaves allow_caps.
 */
export function calculateCapabilities(allowCaps, capAdd, capDrop, supported = supportedCapabilities()) {
    const allow = capSet(allowCaps, supported);
    const adds = capSet(capAdd, supported);
    const missing = [...adds].filter((c) => !allow.has(c)).sort();
    if (missing.length > 0)
        throw new Error(`driver does not allow the following capabilities: ${missing.join(', ')}`);
    const result = new Set([...capSet(NOMAD_DEFAULT_CAPS, supported)].filter((c) => allow.has(c)));
    const drops = capDrop.map(normalizeCapability);
    if (drops.includes('all'))
        result.clear();
    else
        drops.forEach((c) => result.delete(c));
    adds.forEach((c) => result.add(c));
    return [...result].sort();
}
//# sourceMappingURL=capabilities.js.map