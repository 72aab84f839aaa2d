/**
 * The CNI network list behind `network { mode = "bridge" }`, the one Nomad
 * generates (client/allocrunner/networking_bridge_linux.go, later
 * client/allocrunner/cni/bridge.go): cniVersion 0.4.0, network "nomad";
 * loopback; bridge on the `nomad` bridge as gateway with masquerade, forced
 * address, hairpin as configured, host-local IPAM on 172.26.64.0/20 with a
 * default route; firewall (iptables backend) whose admin chain is
 * NOMAD-ADMIN; portmap with SNAT (which also makes 127.0.0.1:<host port>
 * work: portmap sets route_localnet on the bridge and masquerades loopback
 * sources). Plus the one host rule Nomad keeps in NOMAD-ADMIN: accept what
 * is forwarded to the bridge's subnet (ensureForwardingRules).
 */
import { DroverError, ErrorCode, ValidationError, type FieldProblem } from '../../model/errors.js';
import type { CniConfList } from './cni-types.js';
import { ipt } from './iptables.js';

/** Nomad's defaults (defaultNomadBridgeName, defaultNomadAllocSubnet, cniAdminChainName). */
export const BRIDGE_DEFAULTS = {
  bridgeName: 'nomad',
  subnet: '172.26.64.0/20',
  hairpinMode: false,
  adminChainName: 'NOMAD-ADMIN',
} as const;

/** The network list's name: fixed in Nomad, and the host-local lease directory (/var/lib/cni/networks/nomad). */
export const BRIDGE_NETWORK_NAME = 'nomad';

/** Nomad's bridge settings; each field notes its client config name. */
export interface BridgeSettings {
  /** `bridge_network_name`: the Linux bridge. */
  readonly bridgeName: string;
  /** `bridge_network_subnet`: addresses handed to allocations, IPv4 CIDR. */
  readonly subnet: string;
  /** `bridge_network_hairpin_mode`: let an allocation reach itself through its own mapped port. */
  readonly hairpinMode: boolean;
  /** The firewall plugin's admin chain (not configurable in Nomad). */
  readonly adminChainName: string;
}

/** Client config names (as in the agent's `client {}` block) → BridgeSettings fields. */
export const BRIDGE_CLIENT_CONFIG_NAMES = {
  bridge_network_name: 'bridgeName',
  bridge_network_subnet: 'subnet',
  bridge_network_hairpin_mode: 'hairpinMode',
} as const satisfies Record<string, keyof BridgeSettings>;

/**
 * BridgeSettings from values named as in Nomad's client config (undefined or
 * "" means Nomad's default). Throws a ValidationError naming the field.
 */
export function bridgeSettings(client: {
  readonly bridge_network_name?: string;
  readonly bridge_network_subnet?: string;
  readonly bridge_network_hairpin_mode?: boolean;
} = {}): BridgeSettings {
  const s: BridgeSettings = {
    bridgeName: client.bridge_network_name || BRIDGE_DEFAULTS.bridgeName,
    subnet: client.bridge_network_subnet || BRIDGE_DEFAULTS.subnet,
    hairpinMode: client.bridge_network_hairpin_mode ?? BRIDGE_DEFAULTS.hairpinMode,
    adminChainName: BRIDGE_DEFAULTS.adminChainName,
  };
  const problems: FieldProblem[] = [];
  // Linux interface names: at most 15 bytes, no "/" or whitespace.
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(s.bridgeName)) problems.push({ field: 'client.bridge_network_name', message: `"${s.bridgeName}" is not a valid interface name (1–15 of letters, digits, "_", ".", "-")` });
  if (!isIpv4Cidr(s.subnet)) problems.push({ field: 'client.bridge_network_subnet', message: `"${s.subnet}" is not an IPv4 CIDR such as 172.26.64.0/20` });
  if (problems.length > 0) throw new ValidationError(problems);
  return s;
}

function isIpv4Cidr(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (m === null) return false;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) && Number(m[5]) <= 30;
}

/** The conflist for `settings` (Nomad's nomadCNIConfigTemplate, as an object). */
export function bridgeConfList(settings: BridgeSettings = bridgeSettings()): CniConfList {
  return {
    cniVersion: '0.4.0',
    name: BRIDGE_NETWORK_NAME,
    plugins: [
      { type: 'loopback' },
      {
        type: 'bridge',
        bridge: settings.bridgeName,
        ipMasq: true,
        isGateway: true,
        forceAddress: true,
        hairpinMode: settings.hairpinMode,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: settings.subnet }]],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      },
      { type: 'firewall', backend: 'iptables', iptablesAdminChainName: settings.adminChainName },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/** The NOMAD-ADMIN rule: forwarded traffic out to the bridge's subnet is accepted (Nomad's generateAdminChainRule). */
export function adminChainRule(settings: BridgeSettings): string[] {
  return ['-o', settings.bridgeName, '-d', settings.subnet, '-j', 'ACCEPT'];
}

/**
 * Makes sure the admin chain exists in the filter table and holds the
 * forwarding rule (Nomad's ensureForwardingRules, run before every setup).
 * One `iptables -C` when all is in place already.
 */
export async function ensureForwardingRules(settings: BridgeSettings, iptables = 'iptables'): Promise<void> {
  const chain = settings.adminChainName;
  const rule = adminChainRule(settings);
  if ((await ipt(iptables, ['-t', 'filter', '-C', chain, ...rule])).code === 0) return;
  const made = await ipt(iptables, ['-t', 'filter', '-N', chain]);
  // Exit 1 is "chain already exists" (possibly made by a concurrent setup): fine.
  if (made.code !== 0 && made.code !== 1) throw iptError(['-N', chain], made.stderr);
  if ((await ipt(iptables, ['-t', 'filter', '-C', chain, ...rule])).code === 0) return;
  const added = await ipt(iptables, ['-t', 'filter', '-A', chain, ...rule]);
  if (added.code !== 0) throw iptError(['-A', chain, ...rule], added.stderr);
}

function iptError(args: readonly string[], stderr: string): DroverError {
  return new DroverError(ErrorCode.internal, `failed to initialize table forwarding rules: iptables ${args.join(' ')}: ${stderr.trim()}`);
}
