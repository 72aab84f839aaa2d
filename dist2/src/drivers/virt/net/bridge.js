/**
 * Bridged networking without libvirt: QEMU opens a tap device named after
 * the task (-netdev tap, ifname), the driver enslaves it to the bridge once
 * the VM runs, and mapped ports become iptables DNAT rules to the VM's
 * address. The address is learnt from the bridge's neighbour table (the
 * VM's MAC is chosen by the driver), where nomad-driver-virt reads
 * libvirt's DHCP leases — so a VM with ports must bring its interface up.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import { DriverStartError, errorMessage } from '../../../model/errors.js';
import { sleep } from '../../shared/streams.js';
import { appendRule, deleteRuleIfExists, ensureChains, iptablesUsable, portRules } from './iptables.js';
import { FINGERPRINT_PREFIX } from './types.js';
const run = promisify(execFile);
/** nomad-driver-virt's DHCP lease discovery timeout. */
const DEFAULT_IP_DISCOVERY_MS = 30_000;
/** How long QEMU may take to create the tap after launch. */
const TAP_WAIT_MS = 10_000;
/** The tap device and MAC of a VM: stable per VM name, short enough for IFNAMSIZ (15). */
export function vmNicIdentity(vmName) {
    const h = createHash('sha256').update(vmName).digest();
    const hex = h.toString('hex');
    const mac = ['52', '54', '00', ...[0, 1, 2].map((i) => hex.slice(2 * i, 2 * i + 2))].join(':');
    return { tap: `dv${hex.slice(6, 18)}`, mac };
}
/** The bridge + tap network sub-system. */
export class BridgeNet {
    logger;
    ipDiscoveryMs;
    sysNet;
    chainsReady = false;
    constructor(o) {
        this.logger = o.logger;
        this.ipDiscoveryMs = o.ipDiscoveryTimeoutMs ?? DEFAULT_IP_DISCOVERY_MS;
        this.sysNet = o.sysClassNet ?? '/sys/class/net';
    }
    /** driver.virt.network.<bridge>.state ("active" when up) and .bridge_name for each host bridge. */
    fingerprint(attrs) {
        let names;
        try {
            names = readdirSync(this.sysNet).filter((n) => existsSync(`${this.sysNet}/${n}/bridge`));
        }
        catch (err) {
            this.logger.error('failed to list networks', { error: errorMessage(err) });
            return;
        }
        for (const n of names) {
            attrs[`${FINGERPRINT_PREFIX}${n}.state`] = this.operstate(n) === 'down' ? 'inactive' : 'active';
            attrs[`${FINGERPRINT_PREFIX}${n}.bridge_name`] = n;
        }
    }
    /**
     * Checks the host tools; changes nothing on the host (iptables chains are
     * created on the first port mapping), so calling it again is harmless.
     */
    async init() {
        try {
            await run('ip', ['-V']);
        }
        catch (err) {
            this.logger.warn('iproute2 `ip` unavailable: network_interface cannot be used', { error: errorMessage(err) });
        }
    }
    /** -netdev tap on the VM's own tap device; refuses when the bridge, tun device or privileges are missing. */
    vmArgs(req) {
        const bridge = req.bridges[0];
        if (!bridge)
            return ['-nic', 'none'];
        if (!existsSync(`${this.sysNet}/${bridge.name}/bridge`)) {
            throw new DriverStartError(`network_interface: bridge "${bridge.name}" does not exist on this host (create it first, e.g. \`ip link add ${bridge.name} type bridge\`)`);
        }
        if (!existsSync('/dev/net/tun') || process.getuid?.() !== 0) {
            throw new DriverStartError('network_interface: this host does not allow tap devices (they need root with CAP_NET_ADMIN and /dev/net/tun)');
        }
        for (const label of bridge.ports) {
            if (req.task.env[`NOMAD_HOST_PORT_${label}`] === undefined)
                throw new DriverStartError(`network_interface: port label "${label}" is not a port of the task's network`);
        }
        const { tap, mac } = vmNicIdentity(req.vmName);
        return ['-netdev', `tap,id=net0,ifname=${tap},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=net0,mac=${mac}`];
    }
    /** Joins the tap to the bridge and maps ports to the VM's address; undoes its own work on failure. */
    async vmStartedBuild(req) {
        const bridge = req.bridges[0];
        if (!bridge)
            return {};
        const { tap, mac } = vmNicIdentity(req.vmName);
        const rules = [];
        const teardown = () => ({ iptablesRules: rules, taps: [tap] });
        try {
            await this.waitFor(() => existsSync(`${this.sysNet}/${tap}`), TAP_WAIT_MS, `QEMU to create tap ${tap}`);
            await run('ip', ['link', 'set', 'dev', tap, 'master', bridge.name]);
            await run('ip', ['link', 'set', 'dev', tap, 'up']);
            if (bridge.ports.length === 0)
                return { teardown: teardown() };
            await this.ensureChains();
            let ip;
            await this.waitFor(async () => (ip = await neighbourIp(bridge.name, mac)) !== undefined, this.ipDiscoveryMs, `the VM (MAC ${mac}) to appear on bridge ${bridge.name}`);
            const vmIp = ip;
            for (const label of bridge.ports) {
                const env = req.task.env;
                const hostIp = env[`NOMAD_IP_${label}`] ?? '0.0.0.0/0';
                const hostPort = Number(env[`NOMAD_HOST_PORT_${label}`]);
                const vmPort = Number(env[`NOMAD_PORT_${label}`] ?? hostPort);
                for (const r of portRules(hostIp, interfaceOf(hostIp), hostPort, vmIp, vmPort)) {
                    await appendRule(r);
                    rules.push(r);
                }
            }
            return { driverNetwork: { ip: vmIp, portMap: {}, autoAdvertise: false }, teardown: teardown() };
        }
        catch (err) {
            await this.vmTerminatedTeardown(teardown()).catch((e) => this.logger.error('network cleanup after failed build', { error: errorMessage(e) }));
            throw new DriverStartError(`virt: failed to build task network: ${errorMessage(err)}`, { cause: err });
        }
    }
    /** Deletes the rules still present and the tap if QEMU left it; reports every failure at once. */
    async vmTerminatedTeardown(spec) {
        if (!spec)
            return;
        const errors = [];
        for (const r of spec.iptablesRules) {
            await deleteRuleIfExists(r).catch((err) => errors.push(`failed to delete iptables ${r[0]} entry in ${r[1]} chain: ${errorMessage(err)}`));
        }
        for (const tap of spec.taps) {
            if (!existsSync(`${this.sysNet}/${tap}`))
                continue;
            await run('ip', ['link', 'del', 'dev', tap]).catch((err) => {
                if (existsSync(`${this.sysNet}/${tap}`))
                    errors.push(`failed to delete tap ${tap}: ${errorMessage(err)}`);
            });
        }
        if (errors.length > 0)
            throw new Error(errors.join('; '));
    }
    /** nomad-driver-virt's chains, made on first use. */
    async ensureChains() {
        if (this.chainsReady)
            return;
        if (!(await iptablesUsable()))
            throw new Error('iptables is not usable on this host (Debian package iptables)');
        await ensureChains();
        this.chainsReady = true;
    }
    operstate(dev) {
        try {
            return readFileSync(`${this.sysNet}/${dev}/operstate`, 'utf8').trim();
        }
        catch {
            return 'unknown';
        }
    }
    async waitFor(pred, ms, what) {
        const end = Date.now() + ms;
        while (!(await pred())) {
            if (Date.now() > end)
                throw new Error(`timed out after ${ms} ms waiting for ${what}`);
            await sleep(200);
        }
    }
}
/** The IPv4 address the bridge's neighbour table holds for `mac`. */
async function neighbourIp(bridge, mac) {
    const { stdout } = await run('ip', ['-4', '-j', 'neigh', 'show', 'dev', bridge]);
    const entries = JSON.parse(stdout || '[]');
    return entries.find((e) => e.lladdr?.toLowerCase() === mac && !(e.state ?? []).includes('FAILED'))?.dst;
}
/** The host interface holding `ip` (for the DNAT rule's -i), when one does. */
function interfaceOf(ip) {
    for (const [name, addrs] of Object.entries(networkInterfaces()))
        if (addrs?.some((a) => a.address === ip))
            return name;
    return undefined;
}
//# sourceMappingURL=bridge.js.map