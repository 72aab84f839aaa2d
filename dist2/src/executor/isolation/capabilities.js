/**
 * Linux capability names (as setpriv and Nomad's normalized sets spell
 * them: lowercase, no "cap_") and the subset this kernel supports.
 */
import { readFileSync } from 'node:fs';
import { isErrno } from '../../model/errors.js';
/** Every capability by number (include/uapi/linux/capability.h). */
export const CAPABILITY_NAMES = [
    'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid',
    'setpcap', 'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw',
    'ipc_lock', 'ipc_owner', 'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct',
    'sys_admin', 'sys_boot', 'sys_nice', 'sys_resource', 'sys_time', 'sys_tty_config', 'mknod',
    'lease', 'audit_write', 'audit_control', 'setfcap', 'mac_override', 'mac_admin', 'syslog',
    'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf', 'checkpoint_restore',
];
/** Capabilities the running kernel knows (/proc/sys/kernel/cap_last_cap), Nomad's capabilities.Supported(). */
export function supportedCapabilities(capLastCapPath = '/proc/sys/kernel/cap_last_cap') {
    let last = CAPABILITY_NAMES.length - 1;
    try {
        const n = Number(readFileSync(capLastCapPath, 'utf8').trim());
        if (Number.isInteger(n) && n >= 0)
            last = Math.min(last, n);
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            throw err;
        // no /proc: assume every name we know
    }
    return CAPABILITY_NAMES.slice(0, last + 1);
}
/** Lowercase and strip "cap_" (Nomad accepts CAP_CHOWN, chown, Chown...). */
export function normalizeCapability(name) {
    return name.trim().toLowerCase().replace(/^cap_/, '');
}
//# sourceMappingURL=capabilities.js.map