/**
 * The iptables side of port mapping, as nomad-driver-virt does it: its own
 * chains (NOMAD_VT_PRT in nat, jumped to from PREROUTING; NOMAD_VT_FW in
 * filter, from FORWARD), one DNAT + one ACCEPT rule per mapped port, and a
 * teardown that deletes only rules still present (so it can be retried).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
/** nomad-driver-virt's nat chain, jumped to from PREROUTING. */
export const NAT_CHAIN = 'NOMAD_VT_PRT';
/** nomad-driver-virt's filter chain, jumped to from FORWARD. */
export const FILTER_CHAIN = 'NOMAD_VT_FW';
async function iptables(args) {
    await run('iptables', ['-w', ...args]);
}
async function succeeds(args) {
    try {
        await iptables(args);
        return true;
    }
    catch {
        return false;
    }
}
/** Creates the two chains and their jumps when missing (idempotent). */
export async function ensureChains() {
    for (const [table, chain, parent] of [['nat', NAT_CHAIN, 'PREROUTING'], ['filter', FILTER_CHAIN, 'FORWARD']]) {
        if (!(await succeeds(['-t', table, '-n', '-L', chain])))
            await iptables(['-t', table, '-N', chain]);
        if (!(await succeeds(['-t', table, '-C', parent, '-j', chain])))
            await iptables(['-t', table, '-I', parent, '1', '-j', chain]);
    }
}
/** The two rules forwarding host `hostIp:hostPort` (arriving on `iface`) to `vmIp:vmPort`. */
export function portRules(hostIp, iface, hostPort, vmIp, vmPort) {
    return [
        ['nat', NAT_CHAIN, '-d', hostIp, ...(iface ? ['-i', iface] : []), '-p', 'tcp', '-m', 'tcp', '--dport', String(hostPort), '-j', 'DNAT', '--to-destination', `${vmIp}:${vmPort}`],
        ['filter', FILTER_CHAIN, '-d', vmIp, '-p', 'tcp', '-m', 'state', '--state', 'NEW', '-m', 'tcp', '--dport', String(vmPort), '-j', 'ACCEPT'],
    ];
}
/** Appends a rule. */
export async function appendRule(rule) {
    const [table, chain, ...args] = rule;
    await iptables(['-t', table, '-A', chain, ...args]);
}
/** Deletes a rule if it is there. */
export async function deleteRuleIfExists(rule) {
    const [table, chain, ...args] = rule;
    if (await succeeds(['-t', table, '-C', chain, ...args]))
        await iptables(['-t', table, '-D', chain, ...args]);
}
/** Whether iptables can be used here at all. */
export async function iptablesUsable() {
    return succeeds(['-t', 'nat', '-n', '-L', 'PREROUTING']);
}
//# sourceMappingURL=iptables.js.map