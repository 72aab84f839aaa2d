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
import type { AllocatedPort } from '../../../model/network.js';
import { findTaskPort } from '../../types.js';
import type { Logger } from '../../../model/logger.js';
import { sleep } from '../../shared/streams.js';
import { appendRule, deleteRuleIfExists, ensureChains, iptablesUsable, portRules, type Rule } from './iptables.js';
import { FINGERPRINT_PREFIX, type TeardownSpec, type VirtNet, type VmNetRequest, type VmStartedBuildResponse } from './types.js';

const run = promisify(execFile);

/** nomad-driver-virt's DHCP lease discovery timeout. */
const DEFAULT_IP_DISCOVERY_MS = 30_000;
/** How long QEMU may take to create the tap after launch. */
const TAP_WAIT_MS = 10_000;

/** Tunables (tests shorten the discovery wait). */
export interface BridgeNetOptions {
  readonly logger: Logger;
  readonly ipDiscoveryTimeoutMs?: number;
  readonly sysClassNet?: string;
}

/** The tap device and MAC of a VM: stable per VM name, short enough for IFNAMSIZ (15). */
export function vmNicIdentity(vmName: string): { tap: string; mac: string } {
  const h = createHash('sha256').update(vmName).digest();
  const hex = h.toString('hex');
  const mac = ['52', '54', '00', ...[0, 1, 2].map((i) => hex.slice(2 * i, 2 * i + 2))].join(':');
  return { tap: `dv${hex.slice(6, 18)}`, mac };
}

/** The bridge + tap network sub-system. */
export class BridgeNet implements VirtNet {
  private readonly logger: Logger;
  private readonly ipDiscoveryMs: number;
  private readonly sysNet: string;
  private chainsReady = false;

  constructor(o: BridgeNetOptions) {
    this.logger = o.logger;
    this.ipDiscoveryMs = o.ipDiscoveryTimeoutMs ?? DEFAULT_IP_DISCOVERY_MS;
    this.sysNet = o.sysClassNet ?? '/sys/class/net';
  }

  /** driver.virt.network.<bridge>.state ("active" when up) and .bridge_name for each host bridge. */
  fingerprint(attrs: Record<string, string | number | boolean>): void {
    let names: string[];
    try {
      names = readdirSync(this.sysNet).filter((n) => existsSync(`${this.sysNet}/${n}/bridge`));
    } catch (err) {
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
  async init(): Promise<void> {
    try {
      await run('ip', ['-V']);
    } catch (err) {
      this.logger.warn('iproute2 `ip` unavailable: network_interface cannot be used', { error: errorMessage(err) });
    }
  }

  /** -netdev tap on the VM's own tap device; refuses when the bridge, tun device or privileges are missing. */
  vmArgs(req: VmNetRequest): string[] {
    const bridge = req.bridges[0];
    if (!bridge) return ['-nic', 'none'];
    // The ports to forward are the allocation's (Nomad's Resources.Ports): a label it lacks is a job mistake, whatever the host.
    for (const label of bridge.ports) {
      if (!findTaskPort(req.task.resources, label)) {
        const known = (req.task.resources.ports ?? []).map((p) => p.label);
        throw new DriverStartError(
          `network_interface: port label "${label}" is not a port of the task's network (${known.length > 0 ? `its ports: ${known.join(', ')}` : 'the allocation has no ports: add them to the group\'s network { port "..." {} }'})`,
        );
      }
    }
    if (!existsSync(`${this.sysNet}/${bridge.name}/bridge`)) {
      throw new DriverStartError(`network_interface: bridge "${bridge.name}" does not exist on this host (create it first, e.g. \`ip link add ${bridge.name} type bridge\`)`);
    }
    if (!existsSync('/dev/net/tun') || process.getuid?.() !== 0) {
      throw new DriverStartError('network_interface: this host does not allow tap devices (they need root with CAP_NET_ADMIN and /dev/net/tun)');
    }
    const { tap, mac } = vmNicIdentity(req.vmName);
    return ['-netdev', `tap,id=net0,ifname=${tap},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=net0,mac=${mac}`];
  }

  /** Joins the tap to the bridge and maps ports to the VM's address; undoes its own work on failure. */
  async vmStartedBuild(req: VmNetRequest): Promise<VmStartedBuildResponse> {
    const bridge = req.bridges[0];
    if (!bridge) return {};
    const { tap, mac } = vmNicIdentity(req.vmName);
    const rules: Rule[] = [];
    const teardown = (): TeardownSpec => ({ iptablesRules: rules, taps: [tap] });
    try {
      await this.waitFor(() => existsSync(`${this.sysNet}/${tap}`), TAP_WAIT_MS, `QEMU to create tap ${tap}`);
      await run('ip', ['link', 'set', 'dev', tap, 'master', bridge.name]);
      await run('ip', ['link', 'set', 'dev', tap, 'up']);
      if (bridge.ports.length === 0) return { teardown: teardown() };
      await this.ensureChains();
      let ip: string | undefined;
      await this.waitFor(async () => (ip = await neighbourIp(bridge.name, mac)) !== undefined, this.ipDiscoveryMs, `the VM (MAC ${mac}) to appear on bridge ${bridge.name}`);
      const vmIp = ip as string;
      for (const label of bridge.ports) {
        // vmArgs checked every label before the VM started.
        const port = findTaskPort(req.task.resources, label) as AllocatedPort;
        const hostIp = port.hostIp || '0.0.0.0/0';
        const hostPort = port.value;
        const vmPort = port.to > 0 ? port.to : port.value;
        for (const r of portRules(hostIp, interfaceOf(hostIp), hostPort, vmIp, vmPort)) {
          await appendRule(r);
          rules.push(r);
        }
      }
      return { driverNetwork: { ip: vmIp, portMap: {}, autoAdvertise: false }, teardown: teardown() };
    } catch (err) {
      await this.vmTerminatedTeardown(teardown()).catch((e: unknown) => this.logger.error('network cleanup after failed build', { error: errorMessage(e) }));
      throw new DriverStartError(`virt: failed to build task network: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Deletes the rules still present and the tap if QEMU left it; reports every failure at once. */
  async vmTerminatedTeardown(spec: TeardownSpec | undefined): Promise<void> {
    if (!spec) return;
    const errors: string[] = [];
    for (const r of spec.iptablesRules) {
      await deleteRuleIfExists(r).catch((err: unknown) => errors.push(`failed to delete iptables ${r[0]} entry in ${r[1]} chain: ${errorMessage(err)}`));
    }
    for (const tap of spec.taps) {
      if (!existsSync(`${this.sysNet}/${tap}`)) continue;
      await run('ip', ['link', 'del', 'dev', tap]).catch((err: unknown) => {
        if (existsSync(`${this.sysNet}/${tap}`)) errors.push(`failed to delete tap ${tap}: ${errorMessage(err)}`);
      });
    }
    if (errors.length > 0) throw new Error(errors.join('; '));
  }

  /** nomad-driver-virt's chains, made on first use. */
  private async ensureChains(): Promise<void> {
    if (this.chainsReady) return;
    if (!(await iptablesUsable())) throw new Error('iptables is not usable on this host (Debian package iptables)');
    await ensureChains();
    this.chainsReady = true;
  }

  private operstate(dev: string): string {
    try {
      return readFileSync(`${this.sysNet}/${dev}/operstate`, 'utf8').trim();
    } catch {
      return 'unknown';
    }
  }

  private async waitFor(pred: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
    const end = Date.now() + ms;
    while (!(await pred())) {
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await sleep(200);
    }
  }
}

/** The IPv4 address the bridge's neighbour table holds for `mac`. */
async function neighbourIp(bridge: string, mac: string): Promise<string | undefined> {
  const { stdout } = await run('ip', ['-4', '-j', 'neigh', 'show', 'dev', bridge]);
  const entries = JSON.parse(stdout || '[]') as Array<{ dst?: string; lladdr?: string; state?: string[] }>;
  return entries.find((e) => e.lladdr?.toLowerCase() === mac && !(e.state ?? []).includes('FAILED'))?.dst;
}

/** The host interface holding `ip` (for the DNAT rule's -i), when one does. */
function interfaceOf(ip: string): string | undefined {
  for (const [name, addrs] of Object.entries(networkInterfaces())) if (addrs?.some((a) => a.address === ip)) return name;
  return undefined;
}
